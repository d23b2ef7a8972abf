/**
 * The native PHONE_NUMBER recognizer (native/pii/src/recognizers/phone_*.rs) reports exactly
 * what the TypeScript one (src/pii/recognizers/phone-number.ts) reports: same spans, same
 * scores, same order, on the benchmark corpus, on every sample of the TypeScript phone tests and
 * on random text aimed at the recognizer's branches.
 */
import { readFileSync } from "node:fs";
import { test } from "node:test";
import fc from "fast-check";
import { getCountries, getExampleNumber, parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/max";
import examples from "libphonenumber-js/examples.mobile.json";
import { phoneNumberRecognizer } from "../../../src/pii/recognizers/phone-number.js";
import type { Recognizer } from "../../../src/pii/types.js";
import {
  assertAgreesOn,
  corpusSlices,
  corpusTexts,
  kernelSwitchedOff,
  mixedText,
  nativeCandidates,
  requireKernel,
} from "./differential.js";

const RUNS = 3000;

const reference: Recognizer = phoneNumberRecognizer;

// ---- samples: every string literal of the TypeScript phone tests ----

const SAMPLE_FILES = [
  "test/pii/recognizers/phone-number.test.ts",
  "test/pii/q1-phone-international.test.ts",
  "test/pii/q1-phone-run.test.ts",
  "test/pii/c1-phone-leading.test.ts",
  "test/pii/text-scan.test.ts",
];

function literalsOf(path: string): string[] {
  const source = readFileSync(new URL(`../../../${path}`, import.meta.url), "utf8");
  const out: string[] = [];
  for (const match of source.matchAll(/"((?:[^"\\\n]|\\.)*)"/g)) {
    try {
      out.push(JSON.parse(`"${match[1]}"`) as string);
    } catch {
      // not a JSON-compatible literal: skip
    }
  }
  return out;
}

const LITERALS = [...new Set(SAMPLE_FILES.flatMap(literalsOf))];

/** Valid numbers of the default regions, drawn at random and kept when libphonenumber calls them valid. */
const REGIONS = ["US", "CA", "GB", "DE", "FR", "IN", "AU", "JP", "BR"] as const;
interface Known {
  callingCode: string;
  nsn: string;
  national: string;
  international: string;
}
function validPool(): Known[] {
  let seed = 20260601;
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const pool: Known[] = [];
  for (const region of REGIONS) {
    let kept = 0;
    for (let attempt = 0; attempt < 40_000 && kept < 60; attempt++) {
      const length = 8 + next(5);
      let nsn = String(1 + next(9));
      while (nsn.length < length) nsn += String(next(10));
      const p = parsePhoneNumberFromString(nsn, region as CountryCode);
      if (p === undefined || !p.isValid() || p.country !== region) continue;
      pool.push({ callingCode: p.countryCallingCode, nsn: p.nationalNumber, national: p.formatNational(), international: p.formatInternational() });
      kept++;
    }
  }
  for (const country of getCountries()) {
    const example = getExampleNumber(country, examples);
    if (example === undefined) continue;
    pool.push({
      callingCode: example.countryCallingCode,
      nsn: example.nationalNumber,
      national: example.formatNational(),
      international: example.formatInternational(),
    });
  }
  return pool;
}
const POOL = validPool();

const CONTEXTS_BEFORE = ["", "Call ", "phone: ", "(", '{"tel":"', "tel:", "[", "Kontakt: ", "line\n", "- ", "Order ", "order number: ", "Ref: ", "Caller ID: ", "user id: ", "x", "#", "$", "v1.", "INV-", "<STREET_ADDRESS> ", "<EMAIL_ADDRESS> ", "<US_SSN_2>  ", "42 ", "2024 ", "1 ", "+", "ISBN ", "for reference. ", "caller-id "];
const CONTEXTS_AFTER = ["", ".", ",", ")", " now", '"}', "!\n", " or mail me", ";", "x", "%", "@host", ":8080", ".5", " <STREET_ADDRESS>", " <CREDIT_CARD:kdpa>", " <IP_ADDRESS_1>", " 1234", " 2024", "-7", " ext. 12", " x123", "/4"];

// ---- generators ----

const separator = fc.constantFrom(" ", " ", " ", "-", "-", ".", "/", " - ", " / ", "\u00a0", "\u2010", "\u2013", "\u202f", "", "  ", ". ", "--", ") (", "\u2007");

/** `digits` cut into groups of 1-5 digits. */
function grouped(digits: string, sizes: number[], seps: string[], parens: boolean[]): string {
  let out = "";
  let at = 0;
  let k = 0;
  while (at < digits.length) {
    const size = sizes[k % sizes.length]!;
    const group = digits.slice(at, at + size);
    if (k > 0) out += seps[k % seps.length]!;
    out += parens[k % parens.length] ? `(${group})` : group;
    at += size;
    k++;
  }
  return out;
}

const groupingParts = fc.tuple(
  fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 6 }),
  fc.array(separator, { minLength: 1, maxLength: 6 }),
  fc.array(fc.oneof({ weight: 6, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }), { minLength: 1, maxLength: 6 }),
);

/** A digit string from a known valid number, sometimes changed. */
const baseDigits = fc
  .tuple(fc.constantFrom(...POOL), fc.integer({ min: 0, max: 5 }), fc.nat(), fc.integer({ min: 0, max: 9 }))
  .map(([known, change, at, digit]) => {
    let nsn = known.nsn;
    if (change === 1) nsn = nsn.slice(0, at % nsn.length) + digit + nsn.slice((at % nsn.length) + 1);
    if (change === 2) nsn = nsn.slice(0, -1);
    if (change === 3) nsn = nsn + digit;
    return { known, nsn };
  });

/** A phone number written in one of the ways people write them (and ways they do not). */
const phoneWriting = fc
  .tuple(baseDigits, fc.integer({ min: 0, max: 9 }), groupingParts, separator, fc.boolean())
  .map(([{ known, nsn }, form, [sizes, seps, parens], sep, paren]) => {
    const cc = known.callingCode;
    switch (form) {
      case 0:
        return `+${cc}${nsn}`;
      case 1:
        return `+${cc}${sep}${grouped(nsn, sizes, seps, parens)}`;
      case 2:
        return `+${cc}${sep}(0)${sep === "" ? "" : sep}${grouped(nsn, sizes, seps, parens)}`;
      case 3:
        return `00${cc}${sep}${grouped(nsn, sizes, seps, parens)}`;
      case 4:
        return grouped(`0${nsn}`, sizes, seps, parens);
      case 5:
        return paren ? `(0${nsn.slice(0, sizes[0])})${sep}${grouped(nsn.slice(sizes[0]), sizes.slice(1).concat(4), seps, parens)}` : grouped(nsn, sizes, seps, parens);
      case 6:
        return known.national;
      case 7:
        return known.international;
      case 8:
        return known.international.replace(/ /g, sep);
      default:
        return cc === "1" ? `1${sep}${grouped(nsn, sizes, seps, parens)}` : `+${paren ? `(${cc})` : cc} ${nsn}`;
    }
  });

const phoneInContext = fc
  .tuple(fc.constantFrom(...CONTEXTS_BEFORE), phoneWriting, fc.constantFrom(...CONTEXTS_AFTER))
  .map(([before, written, after]) => before + written + after);

/** Digit runs of 5-20 digits with separators, dates, times, IPs, versions near each other. */
const digitRun = fc
  .tuple(fc.integer({ min: 5, max: 20 }), fc.nat(), groupingParts)
  .map(([length, seed, [sizes, seps, parens]]) => {
    let digits = "";
    let s = seed;
    for (let k = 0; k < length; k++) {
      s = (s * 1103515245 + 12345) & 0x7fffffff;
      digits += String(s % 10);
    }
    return grouped(digits, sizes, seps, parens);
  });
const otherNumbers = fc.constantFrom(
  "2024-01-15",
  "15/01/2024",
  "01.15.2024",
  "10:30:00",
  "2024-01-15T10:30:00Z",
  "192.168.100.200",
  "10.0.0.1",
  "1.2.3.4",
  "v2.14.1",
  "040-05-4023",
  "02100-1992",
  "[7332.076857]",
  "1234.567890",
  "4111 1111 1111 1111",
  "1700000000123",
  "978-3-16-148410-0",
  "12 34",
  "(0)",
  "+",
  "(",
  ")",
);
const nearDigits = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: digitRun },
      { weight: 2, arbitrary: otherNumbers },
      { weight: 3, arbitrary: phoneWriting },
      { weight: 3, arbitrary: separator },
      { weight: 1, arbitrary: fc.constantFrom("call ", "order ", "x", "\n", "tel:", "Caller ID: ", "ref ", "account ", "<US_SSN>", "<EMAIL_ADDRESS>", "id") },
    ),
    { maxLength: 12 },
  )
  .map((parts) => parts.join(""));

const PHONE_FRAGMENTS = [
  "+1 415 555 2671",
  "+44 (0)20 7946 0958",
  "(415) 555-2671",
  "020 7946 0958",
  "0044 20 7946 0958",
  "4155552671",
  "+14155552671",
  "1-800-555-0199",
  "(11) 9 1234-5678",
  "0180 4 4662048",
  "0 800 12 34 56",
  "030/12345678",
  "+49 30 / 123 456 78",
  "Caller ID: ",
  "order number: ",
  "<STREET_ADDRESS>",
  "<PHONE_NUMBER_3>",
];

/** Mask tags (well-formed, at the limits of each part, e-mail and IP ones, broken ones). */
const upper = fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZ_".split(""));
const maskTag = fc.oneof(
  fc
    .tuple(
      fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZ".split("")),
      fc.array(upper, { maxLength: 34 }),
      fc.oneof(
        fc.constant(""),
        fc.integer({ min: 0, max: 11 }).map((n) => `_${"7".repeat(n)}`),
        fc.integer({ min: 0, max: 66 }).map((n) => `:${"abcdefghijklmnop".repeat(5).slice(0, n)}`),
        fc.constantFrom(":q", "_x", ":ab1", "_1a"),
      ),
      fc.constantFrom(">", ">", ">", "", " >"),
    )
    .map(([first, rest, tail, close]) => `<${first}${rest.join("")}${tail}${close}`),
  fc.constantFrom(
    "<EMAIL_ADDRESS>",
    "<EMAIL_ADDRESS_1>",
    "<EMAIL_ADDRESS:abc>",
    "<EMAIL_ADDRESSX>",
    "<EMAIL_ADDRESS__1>",
    "<IP_ADDRESS>",
    "<IP_ADDRESS_12>",
    "<IP_ADDRESSES>",
    "<IP_ADDRESS:p>",
    "<US_SSN>",
    "<PHONE_NUMBER_3>",
    "<CREDIT_CARD:kdpa>",
    "<us_ssn>",
    "<<US_SSN>",
    "<A>",
    `<${"A".repeat(32)}>`,
    `<${"A".repeat(33)}>`,
    `<A${"B".repeat(31)}_123456789>`,
    `<A${"B".repeat(31)}:${"a".repeat(64)}>`,
  ),
);
const spaces = fc.integer({ min: 0, max: 7 }).map((n) => " ".repeat(n));
const plainNumber = fc.constantFrom("415 555 2671", "2024 2024", "42 2024 2024", "020 7946 0958", "4155552671", "0412 345 678", "98765 43210", "1 415 555 2671", "+1 415 555 2671", "(415) 555-2671", "0044 20 7946 0958");
const beside = fc
  .tuple(fc.string({ maxLength: 80 }), maskTag, spaces, plainNumber, spaces, maskTag, fc.constantFrom("", " x", "\n"))
  .map(([pad, before, s1, number, s2, after, tail]) => `${pad}${before}${s1}${number}${s2}${after}${tail}`);

/** "Caller ID" and the other identifiers' words, written in every way the expressions allow. */
const callerId = fc
  .tuple(
    fc.string({ maxLength: 12 }),
    fc.constantFrom("caller", "Caller", "CALLER", "cAlLeR", "calle", "xcaller", ""),
    fc.array(fc.constantFrom(" ", "_", "-", "\u00a0", "\u2028", "\t", "\ufeff", "\u3000", "\u200b", "."), { maxLength: 4 }),
    fc.constantFrom("id", "ID", "Id", "iD", "i d", "ids", "order", "Order #", "ref", "account", "phone", "ISBN"),
    fc.array(fc.constantFrom(":", " ", "#", "-", "\u00e9", ".", "\n"), { maxLength: 5 }),
    plainNumber,
  )
  .map(([pad, caller, gap, id, tail, number]) => `${pad}${caller}${gap.join("")}${id}${tail.join("")}${number}`);

function agrees(texts: Iterable<string>): void {
  assertAgreesOn(requireKernel(), reference, texts);
}

if (!kernelSwitchedOff) {
  test("native PHONE_NUMBER: the same candidates as the TypeScript recognizer on the 2 MiB benchmark corpus", () => {
    agrees(corpusTexts());
  });

  test("native PHONE_NUMBER: every sample of the TypeScript phone tests, alone and in context", () => {
    const texts: string[] = [];
    for (const literal of LITERALS) {
      texts.push(literal, `Phone: ${literal}.`, `call ${literal} now`, `order ${literal}`, `${literal} ${literal}`);
    }
    for (const known of POOL) texts.push(known.national, known.international, `+${known.callingCode}${known.nsn}`, `call ${known.international.replace(/ /g, "-")} now`);
    agrees(texts);
  });

  test("native PHONE_NUMBER: the megabyte inputs of the TypeScript tests", () => {
    const MB = 1 << 20;
    const fill = (unit: string) => unit.repeat(Math.ceil(MB / unit.length)).slice(0, MB);
    agrees(["1", "1 ", "12 ", "1-", "1.", "(1", "(", "0 ", "1 - ", "+1 ", "4111 "].map(fill));
    agrees(["415-555-2671 ".repeat(80_000), "+44 (0)20 7946 0958\n".repeat(50_000)]);
  });

  const property = (arbitrary: fc.Arbitrary<string>, numRuns = RUNS) =>
    fc.assert(
      fc.property(arbitrary, (text) => agrees([text])),
      { numRuns },
    );

  test("native PHONE_NUMBER: random mixed text with phone fragments", () => property(mixedText(PHONE_FRAGMENTS)));
  test("native PHONE_NUMBER: corpus slices", () => property(corpusSlices(corpusTexts(256 * 1024))));
  test("native PHONE_NUMBER: numbers of every form in context", () => property(phoneInContext, 2 * RUNS));
  test("native PHONE_NUMBER: numbers written side by side", () =>
    property(fc.array(fc.tuple(phoneWriting, separator), { maxLength: 5 }).map((parts) => parts.map(([a, b]) => a + b).join(""))));
  test("native PHONE_NUMBER: digit runs near dates, times, IPs and other numbers", () => property(nearDigits, 2 * RUNS));
  test("native PHONE_NUMBER: mixed text around generated numbers", () =>
    property(fc.tuple(mixedText(PHONE_FRAGMENTS), phoneInContext, mixedText()).map((parts) => parts.join(" "))));

  test("native PHONE_NUMBER: numbers beside mask tags", () => property(beside));
  test("native PHONE_NUMBER: numbers after Caller ID and other identifiers' words", () => property(callerId));

  test("native PHONE_NUMBER: never throws or crashes on arbitrary strings", () => {
    const kernel = requireKernel();
    const anyUnit = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 200 });
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: "binary", maxLength: 200 }), anyUnit), (text) => {
        nativeCandidates(kernel, "PHONE_NUMBER", text);
        agrees([text]);
      }),
      { numRuns: RUNS },
    );
    // Every code unit next to phone-shaped text.
    const texts: string[] = [];
    for (let code = 0; code <= 0xffff; code++) {
      const c = String.fromCharCode(code);
      texts.push(`${c}415-555-2671${c}+44 20 7946 0958${c}`, `caller${c}id: 415 555 2671`, `Caller ID${c}+1 415 555 2671`, `<US_SSN${c}> 415 555 2671`);
    }
    agrees(texts);
  });
}
