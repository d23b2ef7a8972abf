/**
 * The kernel's US_SSN (native/pii/src/recognizers/us_ssn.rs) against us-ssn.ts: the same
 * candidates, offsets and scores on the benchmark corpus, on the samples of the TypeScript
 * tests, and on random text aimed at the SSN rules (every form, every refused area, group and
 * serial, repeated digits, the known fake numbers, chains, glue, the number's own cue words).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { NOT_AN_SSN, usSsnRecognizer } from "../../../src/pii/recognizers/us-ssn.js";
import { aroundEveryCodeUnit, assertAgreesOn, corpusSlices, corpusTexts, hostileText, kernelSwitchedOff, mixedText, requireKernel } from "./differential.js";
import { digitSoup, digitString, JOINERS, randomCase, testFileLiterals } from "./digits-fixtures.js";

const recognizer = usSsnRecognizer;

const pad = (n: number, width: number) => String(n).padStart(width, "0");
/** Areas, groups and serials at every rule's edge, and random ones. */
const area = fc.oneof(
  fc.constantFrom("000", "001", "665", "666", "667", "899", "900", "950", "999", "078", "219", "123", "234"),
  fc.integer({ min: 0, max: 999 }).map((n) => pad(n, 3)),
);
const group = fc.oneof(fc.constantFrom("00", "01", "05", "09", "45", "99"), fc.integer({ min: 0, max: 99 }).map((n) => pad(n, 2)));
const serial = fc.oneof(fc.constantFrom("0000", "0001", "1120", "9999", "6789", "1111"), fc.integer({ min: 0, max: 9999 }).map((n) => pad(n, 4)));
const nineDigits = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(area, group, serial).map((parts) => parts.join("")) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 9 }).map((d) => String(d).repeat(9)) },
  { weight: 1, arbitrary: fc.constantFrom("078051120", "219099999", "123456789") },
);
/** The forms an SSN is written in, and the near-misses. */
const SEPARATORS = ["-", " ", "", "-", " ", "--", "  ", ".", "/", "_", "\u00a0", "\u2010"];
const issuedArea = fc.integer({ min: 1, max: 899 }).filter((a) => a !== 666);
const issued = fc
  .tuple(issuedArea, fc.integer({ min: 1, max: 99 }), fc.integer({ min: 1, max: 9999 }), fc.constantFrom("-", " ", ""))
  .map(([a, g, s, sep]) => pad(a, 3) + sep + pad(g, 2) + sep + pad(s, 4));
const ssnNumber: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: issued },
  { weight: 6, arbitrary: fc.tuple(nineDigits, fc.constantFrom(...SEPARATORS)).map(([d, sep]) => d.slice(0, 3) + sep + d.slice(3, 5) + sep + d.slice(5)) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(nineDigits, fc.constantFrom(...SEPARATORS), fc.constantFrom(...SEPARATORS))
      .map(([d, a, b]) => d.slice(0, 3) + a + d.slice(3, 5) + b + d.slice(5)),
  },
  { weight: 1, arbitrary: fc.tuple(digitString(2, 4), digitString(1, 3), digitString(3, 5), fc.constantFrom("-", " ")).map(([a, b, c, s]) => a + s + b + s + c) },
  { weight: 1, arbitrary: digitString(8, 10) },
);

const cueWords = [...NOT_AN_SSN.cues, ...(NOT_AN_SSN.stops ?? []), "Reisepassnummer", "Ausweisnummer", "passport_no", "app_passport"];
const around = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom("", " ", "SSN ", "\n", ", ", "on file: ") },
  fc.constantFrom("", " ", "SSN ", "SSN: ", "ssn#", "SS #", "social security no. ", "Order ", "phone: ", "case #", "part no. ", "n° de passeport ",
    "x", "_", "+", "0.", "1.", ".", ".5", ".x", "1-", "-1", "12 ", " 12", "+1 ", "2024-01-15 ", "10 01 2024 ", "INV-2024-", "-01", "\n", "(", ")",
    '"', "for reference. FYI, ", "See 1.3.6.1.2.1.39 for reference. ", "A", "B", "é", "😀"),
  fc.tuple(fc.constantFrom(...cueWords).chain(randomCase), fc.constantFrom(...JOINERS)).map(([w, j]) => w + j),
  fc.constantFrom(...JOINERS),
);
const ssnText: fc.Arbitrary<string> = fc
  .array(fc.tuple(around, ssnNumber, around), { minLength: 1, maxLength: 4 })
  .chain((parts) => fc.constantFrom(" ", "", "\n", ", ", "; ok ", " 12 ").map((glue) => parts.map((p) => p.join("")).join(glue)));

const SAMPLE_FILES = [
  "recognizers/us-ssn.test.ts",
  "recognizers/digits-edges.test.ts",
  "recognizers/digits-validity.test.ts",
  "recognizers/digits-runs.test.ts",
  "recognizers/text-edges.test.ts",
  "samples.ts",
];

if (!kernelSwitchedOff) {
  test("native US_SSN: the same candidates as us-ssn.ts on the benchmark corpus", () => {
    const texts = corpusTexts();
    assertAgreesOn(requireKernel(), recognizer, texts);
    assert.ok(texts.some((t) => recognizer.find(t).length > 0));
  });

  test("native US_SSN: the samples of the TypeScript tests, alone and after SSN and other words", () => {
    const samples = testFileLiterals(SAMPLE_FILES);
    assert.ok(samples.length > 300, `${samples.length} samples`);
    const texts = samples.flatMap((s) => [s, `SSN ${s}`, `SSN: ${s}`, `Order ${s}`, `${s} 12`, `x${s}`]);
    assertAgreesOn(requireKernel(), recognizer, texts);
  });

  test("native US_SSN: the TypeScript tests' megabyte inputs", () => {
    const texts = ["2".repeat(1 << 20), "234-".repeat(250_000), "2 ".repeat(500_000), "234-56-7890 ".repeat(80_000)];
    assertAgreesOn(requireKernel(), recognizer, texts);
  });

  test("native US_SSN: SSNs in every form, with every refused area, group and serial", () => {
    const kernel = requireKernel();
    let found = 0;
    fc.assert(
      fc.property(ssnText, (text) => {
        assertAgreesOn(kernel, recognizer, [text]);
        if (recognizer.find(text).length > 0) found++;
      }),
      { numRuns: 6000 },
    );
    assert.ok(found > 1000 && found < 5000, `${found} of 6000 texts with an SSN`);
  });

  test("native US_SSN: every area, group and serial in the dashed, spaced and bare forms", () => {
    const texts: string[] = [];
    for (let a = 0; a <= 999; a++) texts.push(`SSN ${pad(a, 3)}-45-6789, ${pad(a, 3)} 01 0001 and ${pad(a, 3)}121314`);
    for (let g = 0; g <= 99; g++) texts.push(`${"234"}-${pad(g, 2)}-7890 / 234 ${pad(g, 2)} 7890 / 234${pad(g, 2)}7890`);
    for (let s = 0; s <= 9999; s++) texts.push(`order 234-56-${pad(s, 4)} ssn 234 56 ${pad(s, 4)}, 23456${pad(s, 4)}`);
    assertAgreesOn(requireKernel(), recognizer, texts);
  });

  test("native US_SSN: mixed text with SSN fragments", () => {
    const kernel = requireKernel();
    const extra = ["234-56-7890", "234 56 7890", "234567890", "078-05-1120", "1-234-56-7890", "SSN ", "order ", "passport "];
    fc.assert(fc.property(mixedText(extra), (text) => assertAgreesOn(kernel, recognizer, [text])), { numRuns: 3000 });
  });

  test("native US_SSN: slices of the corpus", () => {
    const kernel = requireKernel();
    const texts = corpusTexts(512 * 1024);
    fc.assert(fc.property(corpusSlices(texts), (text) => assertAgreesOn(kernel, recognizer, [text])), { numRuns: 3000 });
  });

  test("native US_SSN: digit soup near cue words", () => {
    const kernel = requireKernel();
    fc.assert(fc.property(digitSoup(cueWords), (text) => assertAgreesOn(kernel, recognizer, [text])), { numRuns: 3000 });
  });

  test("native US_SSN: arbitrary strings, lone surrogates and every code unit (no crash, same answer)", () => {
    const kernel = requireKernel();
    fc.assert(fc.property(hostileText(), (text) => assertAgreesOn(kernel, recognizer, [text])), { numRuns: 3000 });
    assertAgreesOn(kernel, recognizer, aroundEveryCodeUnit((c) => [`${c}234-56-7890${c}234567890${c}234 56 7890${c}`]));
  });
}
