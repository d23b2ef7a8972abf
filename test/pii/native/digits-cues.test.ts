/**
 * The kernel's digits_cues.rs (cue_before, shared by the digit recognizers) against
 * digits-cues.ts `cueBefore`, through the debug export `cueBefore(words, text, start)`: the
 * recognizers' own lists and random ones (the trie path and the plain path of the TypeScript),
 * at every offset of random texts and at every number's start in the benchmark corpus.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { cueWordsData } from "../../../src/pii/native-config/digits.js";
import { NOT_A_CARD } from "../../../src/pii/recognizers/credit-card.js";
import { cueBefore, type CueWords } from "../../../src/pii/recognizers/digits-cues.js";
import { NOT_AN_SSN } from "../../../src/pii/recognizers/us-ssn.js";
import { corpusSlices, corpusTexts, kernelSwitchedOff, mixedText, requireKernel } from "./differential.js";
import { digitSoup, JOINERS, randomCase } from "./digits-fixtures.js";

interface CueKernel {
  cueBefore(words: string, text: string, start: number): number;
}

/** Offsets where `cueBefore` disagrees with the kernel (at most 3), for every start in `starts`. */
function disagreeing(words: CueWords, text: string, starts: Iterable<number>): number[] {
  const kernel = requireKernel() as unknown as CueKernel;
  const data = cueWordsData(words);
  const found: number[] = [];
  for (const start of starts) {
    const native = kernel.cueBefore(data, text, start) === 1;
    if (native !== cueBefore(text, start, words)) {
      found.push(start);
      if (found.length >= 3) break;
    }
  }
  return found;
}

function* everyOffset(text: string): Iterable<number> {
  for (let i = 0; i <= text.length; i++) yield i;
}

/** Where a run of digits starts: where the recognizers ask. */
function* numberStarts(text: string): Iterable<number> {
  for (let i = 0; i < text.length; i++) {
    const digit = (k: number) => text.charCodeAt(k) >= 48 && text.charCodeAt(k) <= 57;
    if (digit(i) && (i === 0 || !digit(i - 1))) yield i;
  }
}

function assertAgrees(words: CueWords, text: string, starts: Iterable<number> = everyOffset(text)): void {
  assert.deepEqual(disagreeing(words, text, starts), [], JSON.stringify(text));
}

const LISTS = { NOT_A_CARD, NOT_AN_SSN };
const listWords = (words: CueWords) => [...words.cues, ...(words.suffixCues ?? []), ...(words.stops ?? [])];

/** Random cue lists: lower-case word lists (the TypeScript's trie), or any words (its plain path). */
const wordPool = ["ip", "v", "ver", "version", "order", "no", "card", "ssn", "id", "tel", "pass", "port", "passport", "a_b", "x1", "nummer"];
const anyWord = fc.oneof(
  fc.constantFrom(...wordPool),
  fc.stringMatching(/^[a-z_]{1,6}$/),
  fc.constantFrom("Order", "teléfono", "a b", "a-b", "", "ID", "é"),
);
const randomWords: fc.Arbitrary<CueWords> = fc
  .record({
    cues: fc.array(anyWord, { maxLength: 6 }),
    suffixCues: fc.option(fc.array(anyWord, { maxLength: 3 }), { nil: undefined }),
    stops: fc.option(fc.array(anyWord, { maxLength: 4 }), { nil: undefined }),
    maxWords: fc.integer({ min: 0, max: 5 }),
  })
  .map(({ cues, suffixCues, stops, maxWords }) => ({
    cues: new Set(cues),
    ...(suffixCues === undefined ? {} : { suffixCues }),
    ...(stops === undefined ? {} : { stops: new Set(stops) }),
    maxWords,
  }));

/** Texts built from a list's words, in random case, with the joiners and digits around them. */
function wordText(words: CueWords): fc.Arbitrary<string> {
  const own = listWords(words).filter((w) => w.length > 0 && !w.includes("\n"));
  return digitSoup(own.length > 0 ? [...own, ...wordPool] : wordPool);
}

if (!kernelSwitchedOff) {
  test("native cueBefore: the recognizers' lists at every number of the benchmark corpus", () => {
    const texts = corpusTexts();
    for (const words of Object.values(LISTS)) for (const text of texts) assertAgrees(words, text, numberStarts(text));
  });

  test("native cueBefore: the recognizers' lists at every offset of a corpus part", () => {
    for (const words of Object.values(LISTS)) for (const text of corpusTexts(128 * 1024)) assertAgrees(words, text);
  });

  test("native cueBefore: the recognizers' lists at every offset of random text", () => {
    const texts = corpusTexts(64 * 1024);
    for (const [name, words] of Object.entries(LISTS)) {
      fc.assert(
        fc.property(fc.oneof(wordText(words), mixedText(listWords(words)), corpusSlices(texts)), (text) => assertAgrees(words, text)),
        { numRuns: 3000 },
      );
      assert.ok(name);
    }
  });

  test("native cueBefore: random lists (trie and plain paths) at every offset of texts of their words", () => {
    fc.assert(
      fc.property(randomWords.chain((words) => fc.tuple(fc.constant(words), wordText(words))), ([words, text]) => assertAgrees(words, text)),
      { numRuns: 4000 },
    );
  });

  test("native cueBefore: long words and list words around the kernel's 18-character word keys", () => {
    // The kernel compares a word of up to 18 characters by a packed key, a longer one character
    // by character: lists and texts of words from 14 to 24 characters, glued and in random case.
    const longWord = fc.stringMatching(/^[ab_]{14,24}$/);
    const longWords: fc.Arbitrary<CueWords> = fc
      .record({
        cues: fc.array(fc.oneof(longWord, anyWord), { maxLength: 5 }),
        suffixCues: fc.array(fc.oneof(longWord, fc.stringMatching(/^[ab_]{1,6}$/)), { maxLength: 3 }),
        stops: fc.array(fc.oneof(longWord, anyWord), { maxLength: 4 }),
        maxWords: fc.integer({ min: 0, max: 4 }),
      })
      .map(({ cues, suffixCues, stops, maxWords }) => ({ cues: new Set(cues), suffixCues, stops: new Set(stops), maxWords }));
    fc.assert(
      fc.property(longWords.chain((words) => fc.tuple(fc.constant(words), wordText(words))), ([words, text]) => assertAgrees(words, text)),
      { numRuns: 3000 },
    );
  });

  test("native cueBefore: cues at every distance around the window's edge, with every joiner", () => {
    const text = fc
      .tuple(
        fc.constantFrom(...listWords(NOT_AN_SSN), ...listWords(NOT_A_CARD)).chain(randomCase),
        fc.constantFrom(...JOINERS),
        fc.integer({ min: 0, max: 60 }),
        fc.constantFrom("y", "y ", "ab.", "12 ", "x_"),
        fc.constantFrom("234-56-7890", "4111111111111111", "1", ""),
      )
      .map(([cue, joiner, n, filler, number]) => cue + joiner + filler.repeat(n).slice(0, n) + number);
    fc.assert(
      fc.property(text, (t) => {
        for (const words of Object.values(LISTS)) assertAgrees(words, t);
      }),
      { numRuns: 3000 },
    );
  });

  test("native cueBefore: arbitrary strings, lone surrogates and every code unit (no crash, same answer)", () => {
    const anyUnit = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) });
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: "binary" }), anyUnit), randomWords, (text, words) => {
        assertAgrees(words, text);
        assertAgrees(NOT_AN_SSN, text);
      }),
      { numRuns: 3000 },
    );
    // Starts past the end of the text read nothing there, as the TypeScript's NaN reads do.
    for (const text of ["", "ssn", "order 12", "IMEI "]) assertAgrees(NOT_A_CARD, text, [0, text.length, text.length + 1, text.length + 60]);
  });

  test("cueWordsData refuses a word with a line break, and the kernel a bad list", () => {
    assert.throws(() => cueWordsData({ cues: new Set(["a\nb"]), maxWords: 1 }), /line break/);
    const kernel = requireKernel() as unknown as CueKernel;
    assert.throws(() => kernel.cueBefore("max 1\ncue a", "a 1", 2), /no window/);
    assert.throws(() => kernel.cueBefore("window 48\ncue a", "a 1", 2), /no max/);
    assert.throws(() => kernel.cueBefore("window 48\nmax 1\nword a", "a 1", 2), /bad line/);
  });
}
