/**
 * The kernel's CREDIT_CARD (native/pii/src/recognizers/credit_card.rs) against credit-card.ts:
 * the same candidates, offsets and scores on the benchmark corpus, on the samples of the
 * TypeScript tests, and on random text aimed at the card rules (every issuer prefix and range
 * edge, every length and grouping, every separator, Luhn failures, chains, glue, cue words).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { creditCardRecognizer, NOT_A_CARD } from "../../../src/pii/recognizers/credit-card.js";
import { aroundEveryCodeUnit, assertAgreesOn, corpusSlices, corpusTexts, hostileText, kernelSwitchedOff, mixedText, requireKernel } from "./differential.js";
import { digitSoup, digitString, grouped, JOINERS, randomCase, testFileLiterals, withCheckDigit } from "./digits-fixtures.js";

const recognizer = creditCardRecognizer;

/** Issuer prefixes, the edges of every range, and prefixes no issuer uses. */
const PREFIXES = [
  "4", "51", "52", "55", "50", "56", "2221", "2720", "2220", "2721", "2500", "34", "37", "35", "33", "6011", "6010", "644", "649",
  "643", "650", "65", "622126", "622925", "622125", "622926", "62", "3528", "3589", "3527", "3590", "300", "305", "306", "36",
  "38", "39", "1", "7", "8", "9", "0",
];
const SHAPES = [[4, 4, 4, 4, 3], [4, 4, 4, 4], [4, 6, 5], [4, 6, 4], [4, 4, 4, 4, 4], [4, 4, 4, 3], [4, 4, 4, 4, 2], [3, 4, 4, 4], [4, 4, 4, 4, 4, 4]];
const SEPARATORS = [" ", "-", "", ".", "/", "  ", "--", "\u00a0", "_", "\u2010", " - "];

/** Card-shaped numbers: an issuer prefix, any length 11-21, Luhn-valid or not, written in any grouping. */
const cardNumber: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom(...PREFIXES),
    fc.integer({ min: 11, max: 21 }),
    digitString(21, 21),
    fc.oneof({ weight: 3, arbitrary: fc.constant(-1) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 9 }) }),
    fc.oneof(
      { weight: 2, arbitrary: fc.constant<number[] | undefined>(undefined) },
      { weight: 4, arbitrary: fc.constantFrom(...SHAPES) },
      { weight: 1, arbitrary: fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 6 }) },
    ),
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(" ", "-").map((s) => [s]) },
      { weight: 1, arbitrary: fc.array(fc.constantFrom(...SEPARATORS), { minLength: 1, maxLength: 4 }) },
    ),
  )
  .map(([prefix, length, fill, last, shape, seps]) => {
    const body = (prefix + fill).slice(0, Math.max(length - 1, prefix.length));
    const pan = last < 0 ? withCheckDigit(body) : body + String(last);
    return shape === undefined ? pan : grouped(pan, shape, seps);
  });

/** Numbers some issuer uses, in their own printed groupings: the texts that hold a card. */
const ISSUERS: [string, number[]][] = [
  ["4", [13, 16, 19]], ["51", [16]], ["55", [16]], ["2221", [16]], ["2720", [16]], ["34", [15]], ["37", [15]], ["6011", [16, 19]],
  ["644", [16, 17]], ["649", [18, 19]], ["65", [16, 19]], ["622126", [16]], ["622925", [19]], ["62", [16, 17, 18, 19]], ["3528", [16]],
  ["3589", [19]], ["300", [14, 19]], ["305", [16]], ["36", [14, 16]], ["38", [15]], ["39", [17]],
];
const PRINTED: Record<number, number[][]> = { 13: [[13]], 14: [[14], [4, 6, 4]], 15: [[15], [4, 6, 5]], 16: [[16], [4, 4, 4, 4]], 17: [[17]], 18: [[18]], 19: [[19], [4, 4, 4, 4, 3]] };
const issuedNumber: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(...ISSUERS), fc.nat(), fc.nat(), digitString(19, 19), fc.constantFrom(" ", "-"))
  .map(([[prefix, lengths], pickLength, pickShape, fill, sep]) => {
    const length = lengths[pickLength % lengths.length]!;
    const pan = withCheckDigit((prefix + fill).slice(0, length - 1));
    const shapes = PRINTED[length]!;
    return grouped(pan, shapes[pickShape % shapes.length]!, [sep]);
  });

/** What stands around a number: cue and stop words, glue, chains, decimals, expiries. */
const cueWords = [...NOT_A_CARD.cues, ...(NOT_A_CARD.stops ?? [])];
const around = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom("", " ", "card ", "\n", ", ", "pay with ") },
  fc.constantFrom("", " ", "card ", "Card: ", "IMEI ", "imei: ", "SIM card IMEI ", "device ", "x", "_", "+", "0.", "1.", ".", ".5", ".x",
    "12 ", "0000 ", "DE89 ", " 12/26", " 12 26", "-2026", " 1234", "-1234", " 221B Baker", "\n", "(", ")", '"', "ISBN 9799179753718. ",
    "for reference. ", "ab", "cd", "é", "😀"),
  fc.tuple(fc.constantFrom(...cueWords).chain(randomCase), fc.constantFrom(...JOINERS)).map(([w, j]) => w + j),
  fc.constantFrom(...JOINERS),
);
const cardText: fc.Arbitrary<string> = fc
  .array(fc.tuple(around, fc.oneof(issuedNumber, cardNumber), around), { minLength: 1, maxLength: 4 })
  .chain((parts) => fc.constantFrom(" ", "", "\n", ", ", "; ok ", " 1234 ").map((glue) => parts.map((p) => p.join("")).join(glue)));

const SAMPLE_FILES = [
  "recognizers/credit-card.test.ts",
  "recognizers/digits-edges.test.ts",
  "recognizers/digits-validity.test.ts",
  "recognizers/digits-runs.test.ts",
  "recognizers/text-edges.test.ts",
  "samples.ts",
];

if (!kernelSwitchedOff) {
  test("native CREDIT_CARD: the same candidates as credit-card.ts on the benchmark corpus", () => {
    const texts = corpusTexts();
    assertAgreesOn(requireKernel(), recognizer, texts);
    // (The corpus holds cards: the comparison is not of two empty lists.)
    assert.ok(texts.some((t) => recognizer.find(t).length > 0));
  });

  test("native CREDIT_CARD: the samples of the TypeScript tests, alone and after card and IMEI words", () => {
    const samples = testFileLiterals(SAMPLE_FILES);
    assert.ok(samples.length > 300, `${samples.length} samples`);
    const texts = samples.flatMap((s) => [s, `card: ${s}`, `IMEI ${s}`, `${s} 12/26`, `x${s}`]);
    assertAgreesOn(requireKernel(), recognizer, texts);
  });

  test("native CREDIT_CARD: the TypeScript tests' megabyte inputs", () => {
    const texts = ["4".repeat(1 << 20), "4111 ".repeat(200_000), "1-".repeat(500_000), "4111111111111111 ".repeat(60_000)];
    assertAgreesOn(requireKernel(), recognizer, texts);
  });

  test("native CREDIT_CARD: card numbers of every issuer, length, grouping and separator, Luhn-valid or not", () => {
    const kernel = requireKernel();
    let found = 0;
    fc.assert(
      fc.property(cardText, (text) => {
        assertAgreesOn(kernel, recognizer, [text]);
        if (recognizer.find(text).length > 0) found++;
      }),
      { numRuns: 6000 },
    );
    // (Aimed well: many texts hold a card, many do not.)
    assert.ok(found > 1000 && found < 5000, `${found} of 6000 texts with a card`);
  });

  test("native CREDIT_CARD: mixed text with card fragments", () => {
    const kernel = requireKernel();
    const extra = ["4111 1111 1111 1111", "4111111111111111", "3782-822463-10005", "30569309025904", "6011 0009 9013 9424 1234", "IMEI ", "isbn", "card "];
    fc.assert(fc.property(mixedText(extra), (text) => assertAgreesOn(kernel, recognizer, [text])), { numRuns: 3000 });
  });

  test("native CREDIT_CARD: slices of the corpus", () => {
    const kernel = requireKernel();
    const texts = corpusTexts(512 * 1024);
    fc.assert(fc.property(corpusSlices(texts), (text) => assertAgreesOn(kernel, recognizer, [text])), { numRuns: 3000 });
  });

  test("native CREDIT_CARD: digit soup near cue words", () => {
    const kernel = requireKernel();
    fc.assert(fc.property(digitSoup(cueWords), (text) => assertAgreesOn(kernel, recognizer, [text])), { numRuns: 3000 });
  });

  test("native CREDIT_CARD: arbitrary strings, lone surrogates and every code unit (no crash, same answer)", () => {
    const kernel = requireKernel();
    fc.assert(fc.property(hostileText(), (text) => assertAgreesOn(kernel, recognizer, [text])), { numRuns: 3000 });
    // Every code unit glued to a card, before and after it.
    assertAgreesOn(kernel, recognizer, aroundEveryCodeUnit((c) => [`${c}4111111111111111${c}4111 1111 1111 1111${c}`]));
  });
}
