/**
 * The kernel's context scorer (native/pii/src/context.rs) against context.ts: for every
 * recognizer and threshold, the kernel's score of a candidate is exactly
 * contextScorerFor(recognizer, threshold)?.score(text, candidate) (DROPPED included), or the
 * candidate's own score when the recognizer has no scorer. Checked on every candidate the
 * TypeScript recognizers find in the benchmark corpus, and on random windows.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { contextScorerFor, CONTEXT_WINDOW } from "../../../src/pii/context.js";
import type { NativeKernel } from "../../../src/pii/native.js";
import { defaultRecognizers } from "../../../src/pii/recognizers/index.js";
import { createTextScan } from "../../../src/pii/text-scan.js";
import { ENTITY_TYPES, type Candidate, type Recognizer } from "../../../src/pii/types.js";
import { corpusSlices, corpusTexts, kernelSwitchedOff, mixedText, requireKernel } from "./differential.js";

/** The kernel's scanner exports (lib.rs); native.ts's NativeKernel names the others. */
interface ScannerKernel extends NativeKernel {
  score(recognizer: number, threshold: number, text: string, io: Float64Array): number;
}

const recognizers = defaultRecognizers();
const THRESHOLDS = [0.3, 0.5, 0.7];

function nativeScores(kernel: ScannerKernel, recognizer: Recognizer, threshold: number, text: string, candidates: readonly Candidate[]): number[] {
  const io = new Float64Array(3 * candidates.length);
  candidates.forEach((c, k) => io.set([c.start, c.end, c.score], 3 * k));
  kernel.score(ENTITY_TYPES.indexOf(recognizer.type), threshold, text, io);
  return candidates.map((_, k) => io[3 * k + 2]!);
}

function referenceScores(recognizer: Recognizer, threshold: number, text: string, candidates: readonly Candidate[]): number[] {
  const scorer = contextScorerFor(recognizer, threshold);
  return candidates.map((c) => (scorer === undefined ? c.score : scorer.score(text, c)));
}

/** Where the two disagree: [index, native, reference] (Object.is, so -0 and NaN count). */
function differences(native: number[], reference: number[]): [number, number, number][] {
  const out: [number, number, number][] = [];
  native.forEach((n, k) => {
    if (!Object.is(n, reference[k])) out.push([k, n, reference[k]!]);
  });
  return out;
}

function assertScoresAgree(kernel: ScannerKernel, recognizer: Recognizer, threshold: number, text: string, candidates: readonly Candidate[]): void {
  const native = nativeScores(kernel, recognizer, threshold, text, candidates);
  const reference = referenceScores(recognizer, threshold, text, candidates);
  const wrong = differences(native, reference);
  if (wrong.length > 0) {
    const [k] = wrong[0]!;
    const c = candidates[k]!;
    assert.fail(
      `${recognizer.type} at ${threshold}: ${JSON.stringify(wrong.slice(0, 3))} for ${JSON.stringify(c)} after ${JSON.stringify(text.slice(Math.max(0, c.start - CONTEXT_WINDOW), c.start))}`,
    );
  }
}

/** Characters and words the rule cares about: every list's words, case, "s", tags, İ, K. */
const CONTEXT_WORDS = [
  ...new Set(recognizers.flatMap((r) => [...r.context, ...(r.negativeContext ?? [])])),
];
const piece = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...CONTEXT_WORDS) },
  { weight: 2, arbitrary: fc.constantFrom(...CONTEXT_WORDS).map((w) => w.toUpperCase()) },
  {
    weight: 5,
    arbitrary: fc.constantFrom(" ", "s", "S", "_", "<", ">", ":", "-", "#", "x", "9", "\n", "\u00a0", "\u0130", "\u212a", "\u00e9", "\u00c9", "\u00d3", "\u03a3", "\ud801\udc00", "\ud800", "123456789"),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 4 }) },
);
const windows = fc.array(piece, { maxLength: 30 }).map((parts) => parts.join(""));
const scores = fc.oneof(
  fc.constantFrom(0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.65, 0.7, 0.9, 1),
  fc.double({ min: 0, max: 1, noNaN: true }),
);
const thresholds = fc.oneof(
  fc.constantFrom(...THRESHOLDS, 0, 0.05, 0.4, 0.85, 1, -1, 1.5, Number.NaN),
  fc.double({ min: 0, max: 1, noNaN: true }),
);

/** Random candidates in `text`: starts anywhere in it (the end does not matter to the scorer). */
function candidatesIn(text: string, starts: readonly number[], score: number): Candidate[] {
  return starts.map((s) => {
    const start = text.length === 0 ? 0 : s % (text.length + 1);
    return { start, end: start + 1, score };
  });
}

if (!kernelSwitchedOff) {
  const kernel = requireKernel() as ScannerKernel;

  test("native context scores: every TypeScript candidate in the benchmark corpus, thresholds 0.3, 0.5, 0.7", () => {
    let checked = 0;
    for (const text of corpusTexts()) {
      const scan = createTextScan(text);
      for (const recognizer of recognizers) {
        const candidates = recognizer.find(text, scan);
        if (candidates.length === 0) continue;
        for (const threshold of THRESHOLDS) assertScoresAgree(kernel, recognizer, threshold, text, candidates);
        checked += candidates.length;
      }
    }
    assert.ok(checked > 1000, `only ${checked} candidates`);
  });

  test("native context scores: random windows full of context words, any threshold", () => {
    fc.assert(
      fc.property(windows, fc.array(fc.nat(), { minLength: 1, maxLength: 8 }), scores, thresholds, (text, starts, score, threshold) => {
        const candidates = candidatesIn(text, starts, score);
        for (const recognizer of recognizers) assertScoresAgree(kernel, recognizer, threshold, text, candidates);
      }),
      { numRuns: 5000 },
    );
  });

  test("native context scores: windows longer than the context window (its edges, words cut by them)", () => {
    const long = fc.array(piece, { minLength: 10, maxLength: 60 }).map((parts) => parts.join(""));
    fc.assert(
      fc.property(long, fc.array(fc.nat(), { minLength: 1, maxLength: 8 }), scores, thresholds, (text, starts, score, threshold) => {
        const candidates = candidatesIn(text, starts, score);
        for (const recognizer of recognizers) assertScoresAgree(kernel, recognizer, threshold, text, candidates);
      }),
      { numRuns: 3000 },
    );
  });

  test("native context scores: mixed text and corpus slices", () => {
    const texts = corpusTexts(256 * 1024);
    fc.assert(
      fc.property(fc.oneof(mixedText(CONTEXT_WORDS), corpusSlices(texts)), fc.array(fc.nat(), { minLength: 1, maxLength: 8 }), scores, thresholds, (text, starts, score, threshold) => {
        const candidates = candidatesIn(text, starts, score);
        for (const recognizer of recognizers) assertScoresAgree(kernel, recognizer, threshold, text, candidates);
      }),
      { numRuns: 3000 },
    );
  });

  test("native context scores: the TypeScript context tests' samples", () => {
    const samples = [
      "passport 123456789",
      "Passport No: 123456789",
      "passports: 123456789",
      "passporting 123456789",
      "bypassport 123456789",
      "<PASSPORT> 123456789",
      "<PASSPORT:kdjfmalcbdpe> 123456789",
      "</passport> 123456789",
      "passport " + "x ".repeat(CONTEXT_WINDOW) + "123456789",
      "xpassport" + " ".repeat(CONTEXT_WINDOW - 8) + "123456789",
      " passport" + " ".repeat(CONTEXT_WINDOW - 8) + "123456789",
      "version 2 123456789",
      "chapter, 123456789",
      "\u212acard 123456789",
      "\u212a card 123456789",
      "C\u0130 123456789",
      "SSN\u0130 123456789",
      "ssn\u0130x 123456789",
      "T\u00c9L\u00c9PHONE 123456789",
      "M\u00d3VIL: 123456789",
      "ss # 123456789",
      "ssn# 123456789",
      "t: 123456789",
      "Addresss 123456789",
      "shipping\u0130 123456789",
    ];
    for (const text of samples) {
      for (let start = 0; start <= text.length; start++) {
        for (const score of [0.05, 0.2, 0.3, 0.45, 0.6, 1]) {
          for (const threshold of [...THRESHOLDS, 0]) {
            for (const recognizer of recognizers) assertScoresAgree(kernel, recognizer, threshold, text, [{ start, end: start + 1, score }]);
          }
        }
      }
    }
  });

  test("native context scores: any string, lone surrogates and all of U+0000-U+FFFF, no crash and the same", () => {
    const anyUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: "binary", maxLength: 80 }), fc.string({ unit: anyUnit, maxLength: 80 })),
        fc.array(fc.nat(), { minLength: 1, maxLength: 8 }),
        scores,
        thresholds,
        (text, starts, score, threshold) => {
          const candidates = candidatesIn(text, starts, score);
          for (const recognizer of recognizers) assertScoresAgree(kernel, recognizer, threshold, text, candidates);
        },
      ),
      { numRuns: 3000 },
    );
  });
}
