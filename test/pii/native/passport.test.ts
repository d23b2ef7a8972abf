/**
 * The native PASSPORT recognizer (native/pii/src/recognizers/passport.rs, mrz.rs,
 * passport_formats.rs) against the TypeScript one: the same candidates on the benchmark corpus,
 * on random text built around its edge cases, and on every sample of its own tests.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, test } from "node:test";
import fc from "fast-check";
import { CONTEXT_WINDOW } from "../../../src/pii/context.js";
import { expandLiteralPattern, PASSPORT_OTHER_FIELDS, passportConfiguration } from "../../../src/pii/native-config/passport.js";
import { NATIVE_ADDON_PATH } from "../../../src/pii/native.js";
import { unicodeAlnumRanges } from "../../../src/pii/native-config/unicode-alnum.js";
import { ANCHOR_PATTERN, passportRecognizer } from "../../../src/pii/recognizers/passport.js";
import { assertAgreesOn, corpusSlices, corpusTexts, kernelSwitchedOff, mixedText, nativeCandidates, requireKernel } from "./differential.js";

const RUNS = 3000;

/** ICAO 9303 check digit, written independently of both implementations. */
function icao(field: string): string {
  const value = (c: string) => (c === "<" ? 0 : /[0-9]/.test(c) ? Number(c) : c.charCodeAt(0) - 55);
  let sum = 0;
  for (let i = 0; i < field.length; i++) sum += value(field[i]!) * [7, 3, 1][i % 3]!;
  return String(sum % 10);
}

interface Td3Fields {
  state: string;
  names: string;
  number: string;
  nationality: string;
  birth: string;
  sex: string;
  expiry: string;
  personal: string;
}

/** A TD3 zone's two lines, check digits computed by `icao`. */
function td3Lines(f: Td3Fields): [string, string] {
  const line1 = `P<${f.state}${f.names}`.padEnd(44, "<").slice(0, 44);
  const number = f.number.padEnd(9, "<");
  const personal = f.personal.padEnd(14, "<");
  const personalCheck = /^<+$/.test(personal) ? "<" : icao(personal);
  const part1 = number + icao(number);
  const part2 = f.birth + icao(f.birth);
  const part3 = f.expiry + icao(f.expiry) + personal + personalCheck;
  return [line1, `${part1}${f.nationality}${part2}${f.sex}${part3}${icao(part1 + part2 + part3)}`];
}

const SPECIMEN = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";
const [SPECIMEN_1, SPECIMEN_2] = SPECIMEN.split("\n") as [string, string];

const NUMBERS = ["533401234", "A12345678", "925076473", "C01X00T47", "C01X00T478", "12AB34567", "J8369854", "GA302922", "A123456BC"];
const NEAR_MISSES = [
  "12345678", "1234567890", "000000000", "A1234567B", "AB1234567", "CA1E00T47", "B01X00T47", "Q1234567", "X1234567",
  "Z1234567", "A0234567", "ABCDEFGH", "C01x00T47", "C01X00T471", "12AB3456", "C01X00T47X", "A123456789", "12345678901",
  "533401234567", "a12345678", "c01x00t47", "c01x00t478", "Ga302922", "A123456bc",
];
const LEADS = [
  "passport ", "Passport: ", "PASSPORT NUMBER ", "passport #", "Reisepass ", "Reisepass-Nr. ", "Reisepassnummer: ", "Pass-Nr. ",
  "n° de passeport ", "numéro de passeport ", "número de pasaporte ", "travel document ", "travel document (passport) ",
  '{"passport_number": "', '{"passportNo":"', "Passport No. ", "my passport number is ", "MRZ: ", "machine readable zone ",
  "paspoort ", "passaporto ", "passnr ", "PASSNUMMER ", "<PASSPORT> ", "x<passport ",
];
const WORDS = [
  "passport", "PASSPORT", "Passport", "passports", "passportal", "password", "passenger", "pas", "pass", "reisepass",
  "ReisePASS", "passeport", "pass-nr", "pass-Nr", "passnr", "Passnummer", "pasaporte", "paspoort", "passaporto",
  "travel document", "TRAVEL DOCUMENT", "travel  document", "mrz", "MRZ", "machine readable zone", "reise",
  ...PASSPORT_OTHER_FIELDS, "SSN", "Phone", "<", "*", "*****1234", "<PASSPORT>", "\u212a", "\u0130", "\u017f",
];
const GLUE = [" ", "", ".", "-", "/", "_", ":", ", ", "\n", "x", "X", "0", "<", "*", "#", '"', "\u00a0", "é", "(", ")"];

/** Every sample string of the TypeScript recognizer's own tests (passport.test.ts, passport-anchor.test.ts). */
function testSamples(): string[] {
  const samples: string[] = [];
  for (const number of NUMBERS) {
    samples.push(`Passport No. ${number}.`, `my passport number is ${number}, thanks`, `passport ${number}`, `number ${number} here`);
  }
  for (const lead of LEADS) samples.push(`${lead}C01X00T47"`);
  samples.push(
    `passport ${"x ".repeat(19)}C01X00T47`, `passport ${"x ".repeat(30)}C01X00T47`, "passportal C01X00T47", "password 533401234",
    "passenger C01X00T47", '{"passport_number":"C01X00T47","ssn":"123456789"}',
    "my passport number is 533401234 and my SSN 987654321", "passport, ssn 123456789", "passport expired; phone 020794609",
    "passport file C01X00T47.pdf", "passport id X-C01X00T47", "passport C01X00T47_scan", "passport 533401234-2",
    "passport ref/533401234", "passport: c01x00t47", "passport a12345678 ok",
    "Reisepass C01X00T47", "reisepass:C01X00T47", "REISEPASS", "xReisepass", "a reisepass", "my reisepass",
    "Call 555-0100 or mail jane@example.com", "", "my password is hunter2", "Passport number: 533380006",
    "x. Reisepassnummer C01X00T47", "travel document 533380006", "C01X00T47 and 533380006, no word before them",
  );
  for (const token of NEAR_MISSES) samples.push(`passport ${token}`);
  for (const lineBreak of ["\n", "\r\n", "\r", " ", "\\n"]) {
    const zone = SPECIMEN.replace("\n", lineBreak);
    samples.push(`Scanned page:\n${zone}\nEnd of scan.`, zone, `{"mrz": "${zone}"}`);
  }
  const line2 = SPECIMEN.indexOf("\n") + 1;
  for (const at of [9, 19, 27, 42, 43]) {
    const wrong = String((Number(SPECIMEN[line2 + at]) + 1) % 10);
    const zone = SPECIMEN.slice(0, line2 + at) + wrong + SPECIMEN.slice(line2 + at + 1);
    samples.push(zone, `passport MRZ:\n${zone}`);
  }
  const [l1, l2] = td3Lines({ state: "D<<", names: "MUSTERMANN<<ERIKA", number: "C01X00T47", nationality: "D<<", birth: "640812", sex: "F", expiry: "310101", personal: "" });
  samples.push(`${l1}\n${l2}`);
  samples.push(
    SPECIMEN_1, SPECIMEN_2, `${SPECIMEN_1}\n${SPECIMEN_2.slice(0, 43)}`, `${SPECIMEN_1}\n${SPECIMEN_2}<`, `X${SPECIMEN}`, `x${SPECIMEN}`,
    `${SPECIMEN}0`, `${SPECIMEN_1}\n\n${SPECIMEN_2}`, SPECIMEN.replace("7408122", "7413122"), SPECIMEN.replace("1204159", "1204329"),
    SPECIMEN.toLowerCase(), `V<${SPECIMEN.slice(2)}`, `${SPECIMEN} ${SPECIMEN}`, `P${SPECIMEN}`, SPECIMEN.slice(1), SPECIMEN.slice(0, 50),
  );
  for (const value of [
    "4111 1111 1111 1112", "490154203237518", "000-12-3456", "1.2.3.4", "1.3.6.1.4.1.9.9.23", "2024-01-15T10:30:00Z", "1700000000",
    "1700000000123", "550e8400-e29b-41d4-a716-446655440000", "d41d8cd98f00b204e9800998ecf8427e",
    "da39a3ee5e6b4b0d3255bfef95601890afd80709", "978-3-16-148410-0", "0-306-40615-2", "Order #100234567", "INV-2024-000123",
    "$1,234.56", "2024-01-15", "15/01/2024", "01.15.2024", "90210", "SW1A 1AA", "10115", "123456789", "A12345678", "C01X00T47",
  ]) {
    samples.push(value, `see ${value} here`, `{"value": "${value}"}`, `passport photo: ${value}`);
  }
  return samples;
}

const letters = (min: number, max: number) => fc.stringMatching(new RegExp(`^[A-Z]{${min},${max}}$`));
const date = fc
  .tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }))
  .map(([y, m, d]) => [y, m, d].map((n) => String(n).padStart(2, "0")).join(""));
const zoneFields = fc.record({
  state: fc.constantFrom("USA", "GBR", "D<<", "FRA", "IND", "CAN", "UTO"),
  names: fc.tuple(letters(2, 12), letters(2, 10)).map(([a, b]) => `${a}<<${b}`),
  number: fc.stringMatching(/^[A-Z0-9]{6,9}$/),
  nationality: fc.constantFrom("USA", "GBR", "D<<", "FRA", "IND", "CAN", "UTO"),
  birth: date,
  sex: fc.constantFrom("M", "F", "<", "X", "Q"),
  expiry: date,
  personal: fc.stringMatching(/^[0-9A-Z]{0,14}$/),
});
const lineBreak = fc.constantFrom("\n", "\r\n", "\r", " ", "\\n", "\n\r", "\t", "", "\\r\\n");

/** A TD3 zone, valid or with one character changed (a check digit, a field, the filler, the case). */
const zone = fc
  .tuple(zoneFields, lineBreak, fc.option(fc.tuple(fc.nat(), fc.constantFrom("0", "5", "9", "<", "A", "a", "P", " ", "\n")), { freq: 2 }))
  .map(([fields, br, change]) => {
    let text = td3Lines(fields).join(br);
    if (change !== null) {
      const at = change[0] % text.length;
      text = text.slice(0, at) + change[1] + text.slice(at + 1);
    }
    return text;
  });

/** A passport-layout number, a near miss, or a random alphanumeric word. */
const token = fc.oneof(
  fc.constantFrom(...NUMBERS, ...NEAR_MISSES),
  fc.stringMatching(/^[0-9A-Z]{8,10}$/),
  fc.stringMatching(/^[0-9a-z]{8,10}$/),
  fc.stringMatching(/^\d{9}$/),
  fc.stringMatching(/^[A-Z]\d{8}$/),
  fc.stringMatching(/^[CFGHJK][CFGHJKLMNPRTVWXYZ0-9]{8,9}$/),
  fc.stringMatching(/^\d{2}[A-Z]{2}\d{5}$/),
  fc.stringMatching(/^[A-Z][0-9]{7}$/),
  fc.stringMatching(/^[A-Z]{2}\d{6}$/),
  fc.stringMatching(/^[A-Z]\d{6}[A-Z]{2}$/),
  fc.stringMatching(/^[0-9A-Za-z]{1,13}$/),
);

/** A German serial with its right check digit (10 characters). */
const germanWithCheck = fc.stringMatching(/^[CFGHJKLMNPRTVWXYZ][CFGHJKLMNPRTVWXYZ0-9]{8}$/).map((serial) => serial + icao(serial));

if (kernelSwitchedOff) {
  test("native PASSPORT: the kernel is switched off (BASTION_PII_NATIVE=0)", () => {});
} else {
  const kernel = requireKernel();
  const agrees = (text: string) => assertAgreesOn(kernel, passportRecognizer, [text]);

  describe("native PASSPORT: the same candidates as the TypeScript recognizer", () => {
    test("on the 2 MiB benchmark corpus", () => {
      const texts = corpusTexts();
      assertAgreesOn(kernel, passportRecognizer, texts);
      // (The corpus must exercise the recognizer for this to mean much.)
      const found = texts.reduce((n, text) => n + nativeCandidates(kernel, "PASSPORT", text).length, 0);
      assert.ok(found > 50, `only ${found} candidates in the corpus`);
    });

    test("on every sample of the TypeScript recognizer's tests", () => {
      const samples = testSamples();
      assertAgreesOn(kernel, passportRecognizer, samples);
      // Scores of both kinds of zones and of all three number layouts occur among them.
      const scores = new Set(samples.flatMap((text) => nativeCandidates(kernel, "PASSPORT", text).map((c) => c.score)));
      assert.deepEqual([...scores].sort(), [0.2, 0.25, 0.3, 1]);
    });

    test("on random text mixing samples of every type with passport words, numbers and zones", () => {
      const extra = [...LEADS, ...NUMBERS, ...NEAR_MISSES, ...WORDS, SPECIMEN, SPECIMEN_1, SPECIMEN_2, "P<", "<<<", "P", "\r\n", "\\n"];
      fc.assert(fc.property(mixedText(extra), agrees), { numRuns: RUNS });
    });

    test("on slices of the corpus", () => {
      const texts = corpusTexts(512 * 1024);
      fc.assert(fc.property(corpusSlices(texts), agrees), { numRuns: RUNS });
    });

    test("numbers of every layout with and without a context word, at every distance around the window's edge", () => {
      const filler = fc.constantFrom(" ", "x", "x ", ". ", "-", "\n", "é", ":", "ab ", "12 ", "<", "*", "_");
      fc.assert(
        fc.property(
          fc.constantFrom(...WORDS, ...LEADS, ""),
          fc.integer({ min: 0, max: CONTEXT_WINDOW + 12 }),
          filler,
          token,
          fc.constantFrom(...GLUE),
          fc.constantFrom(...GLUE),
          fc.constantFrom(...GLUE),
          fc.constantFrom("", "", "", ...PASSPORT_OTHER_FIELDS, "SSN ", "Account: ", "accounts", "cards", "x ", "tel."),
          (word, gap, fill, number, glueBefore, glueAfter, tail, between) => {
            // `gap` characters between the word and the number: the number starts CONTEXT_WINDOW
            // after the word's start around the edge. `between`: a word naming another field.
            const padding = fill.repeat(Math.ceil(gap / fill.length)).slice(0, gap);
            agrees(`${word}${padding}${glueBefore}${number}${glueAfter}${tail}`);
            agrees(`${word}${padding}${between}${glueBefore}${number}${glueAfter}`);
            agrees(`${word} ${between}${padding}${number}${glueAfter}`);
            const exact = Math.max(0, CONTEXT_WINDOW - word.length - (gap % 4));
            agrees(`${word}${" ".repeat(exact)}${number}${glueAfter}`);
          },
        ),
        { numRuns: RUNS },
      );
      // Exhaustively for the layouts: each distance from 0 to past the window, a few paddings.
      for (const word of ["passport", "Reisepass", "travel document", "MRZ", "pass-nr", "machine readable zone"]) {
        for (const number of [...NUMBERS, "C01X00T47", "C01X00T478", "c01x00t47"]) {
          for (let gap = 0; gap <= CONTEXT_WINDOW + 4; gap++) {
            for (const fill of [" ", "x ", "-", "ssn ", "<"]) {
              const padding = fill.repeat(Math.ceil(gap / fill.length)).slice(0, gap);
              agrees(`${word}${padding}${number}`);
              agrees(`${word}${padding}${number}.`);
            }
          }
        }
      }
    });

    test("several words and numbers in a row: repeated, interleaved, one word introducing another", () => {
      const part = fc.oneof(fc.constantFrom(...WORDS, ...LEADS), token, fc.constantFrom(...GLUE), germanWithCheck);
      fc.assert(fc.property(fc.array(part, { maxLength: 25 }), (parts) => agrees(parts.join(""))), { numRuns: RUNS });
    });

    test("TD3 zones, valid and with a changed character, alone, glued, repeated and beside numbers", () => {
      const around = fc.constantFrom("", " ", "\n", "x", "X", "0", "<", "P", "MRZ:\n", "passport ", "passport C01X00T47 ", '"', "a");
      fc.assert(
        fc.property(fc.array(fc.tuple(around, zone), { minLength: 1, maxLength: 4 }), around, (zones, last) => {
          agrees(zones.map(([before, z]) => before + z).join("") + last);
        }),
        { numRuns: RUNS },
      );
      // Zones overlapping a "P" of their own, sharing lines, numbers inside them.
      const piece = fc.constantFrom(SPECIMEN, "P", "PP", "x", " ", "\n", "<", SPECIMEN.slice(1), `P${SPECIMEN}`, SPECIMEN.slice(0, 50),
        SPECIMEN_1, SPECIMEN_2, "passport ", "L898902C3", "passport L898902C36", "\\n", "\r");
      fc.assert(fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => agrees(pieces.join(""))), { numRuns: RUNS });
    });

    test("long and dense inputs", () => {
      const MB = 1 << 20;
      const fill = (unit: string) => unit.repeat(Math.ceil(MB / unit.length)).slice(0, MB);
      for (const unit of ["passport ", "passport", "P<", "P", "<", "A<", "passport C01X00T47 ", `${SPECIMEN}\n`, "passport ssn 123456789 ", "pass"]) {
        agrees(fill(unit));
      }
      agrees(`passport ${"A".repeat(MB)}`);
      agrees(`passport C01X00T47 ${SPECIMEN}passport 533401234 `.repeat(5000));
    });
  });

  describe("native PASSPORT: fails closed without its data", () => {
    test("a fresh kernel refuses to find until configure(\"passport\") has arrived, and refuses bad data", () => {
      // A child process: this one's kernel is configured already, once for good.
      const script = `
        const kernel = require(${JSON.stringify(NATIVE_ADDON_PATH.pathname)});
        const out = new Float64Array(30);
        const attempt = (f) => { try { return String(f()); } catch (error) { return "error: " + error.message; } };
        kernel.configure("unicode-alnum", ${JSON.stringify(unicodeAlnumRanges())});
        const answers = [attempt(() => kernel.find(6, "passport C01X00T47", out))];
        for (const data of ["", "window 48", ${JSON.stringify(passportConfiguration().replace(/^score-layout.*$/m, ""))}, ${JSON.stringify(passportConfiguration().replace("anchor passport", "anchor pässport"))}]) {
          answers.push(attempt(() => kernel.configure("passport", data)));
          answers.push(attempt(() => kernel.find(6, "passport C01X00T47", out)));
        }
        answers.push(attempt(() => kernel.configure("passport", ${JSON.stringify(passportConfiguration())})));
        answers.push(attempt(() => kernel.find(6, "passport C01X00T47", out)) + " " + Array.from(out.subarray(0, 3)).join(","));
        console.log(JSON.stringify(answers));
      `;
      const child = spawnSync(process.execPath, ["-e", script], { encoding: "utf8" });
      assert.equal(child.status, 0, child.stderr);
      const answers = JSON.parse(child.stdout) as string[];
      const last = answers.pop();
      assert.equal(answers.pop(), "0");
      // Other recognizers' data may be missing in this child too: only "passport" must not be.
      for (const answer of answers) assert.match(answer, /^error: /, answer);
      assert.match(answers[0]!, /passport|configured/);
      if (!/^error: /.test(last!)) assert.equal(last, "1 9,18,0.25");
    });
  });

  describe("native PASSPORT: arbitrary input never breaks it", () => {
    test("binary strings, lone surrogates included", () => {
      fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 200 }), agrees), { numRuns: RUNS });
    });

    test("any UTF-16 code units", () => {
      const unit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
      fc.assert(fc.property(fc.string({ unit, maxLength: 200 }), agrees), { numRuns: RUNS });
      fc.assert(
        fc.property(fc.array(fc.oneof(fc.string({ unit, maxLength: 4 }), fc.constantFrom(...LEADS, ...NUMBERS, SPECIMEN)), { maxLength: 12 }), (parts) =>
          agrees(parts.join("")),
        ),
        { numRuns: RUNS },
      );
    });
  });
}

describe("native PASSPORT: its configuration is the TypeScript recognizer's data", () => {
  test("the anchor words, tried in order, match exactly what ANCHOR matches", () => {
    const words = expandLiteralPattern(ANCHOR_PATTERN.source);
    const escaped = words.map((w) => w.replace(/[\\^$.*+?()[\]{}|-]/g, "\\$&"));
    const fromWords = new RegExp(escaped.join("|"), ANCHOR_PATTERN.flags);
    const matches = (re: RegExp, text: string) => [...text.matchAll(re)].map((m) => [m.index, m[0]]);
    const piece = fc.constantFrom(...WORDS, "pass", "port", "eport", "aporto", "nummer", "-nr", "nr", "-", " ", "x", "P", "A");
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 10 }), (pieces) => {
        const text = pieces.join("");
        assert.deepEqual(matches(fromWords, text), matches(new RegExp(ANCHOR_PATTERN.source, ANCHOR_PATTERN.flags), text));
      }),
      { numRuns: RUNS },
    );
    assert.deepEqual(expandLiteralPattern("a(?:b|c)?d|e\\-f"), ["abd", "acd", "ad", "e-f"]);
    for (const unsupported of ["a+", "[ab]", "a.b", "(a)", "\\d", "a{2}", "^a"]) assert.throws(() => expandLiteralPattern(unsupported), unsupported);
  });

  test("the recognizer stops at each other-field word (what the kernel mirrors)", () => {
    for (const word of PASSPORT_OTHER_FIELDS) assert.deepEqual(passportRecognizer.find(`passport ${word} 533401234`), [], word);
  });
});
