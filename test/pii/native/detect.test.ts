/**
 * The kernel's scanner (native/pii/src/scanner.rs) against scanner.ts: native
 * detect(types, threshold, text) reports exactly what the TypeScript scanner,
 * createScanner({ recognizers, threshold, kernel: false }).detect(text), reports (the built-in recognizers of those types, in defaultRecognizers' order,
 * no allow-list): same types, offsets and scores (Object.is), same order. And its overlap
 * resolution keeps exactly the findings resolveOverlaps keeps, ties included.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import type { NativeKernel } from "../../../src/pii/native.js";
import { defaultRecognizers } from "../../../src/pii/recognizers/index.js";
import { createScanner, resolveOverlaps } from "../../../src/pii/scanner.js";
import { ENTITY_TYPES, type Finding, type Recognizer } from "../../../src/pii/types.js";
import { corpusSlices, corpusTexts, kernelSwitchedOff, mixedText, requireKernel } from "./differential.js";

/** The kernel's scanner exports (lib.rs); native.ts's NativeKernel names the others. */
interface ScannerKernel extends NativeKernel {
  detect(types: number, threshold: number, text: string, out: Float64Array): number;
  detectDigitRuns(types: number, threshold: number, text: string, out: Float64Array): number;
  overlaps(io: Float64Array, count: number): number;
}

let out = new Float64Array(4 * 1024);

type Detect = (types: number, threshold: number, text: string, out: Float64Array) => number;

function nativeDetect(detect: Detect, types: number, threshold: number, text: string): Finding[] {
  let count = detect(types, threshold, text, out);
  if (4 * count > out.length) {
    out = new Float64Array(4 * count * 2);
    count = detect(types, threshold, text, out);
  }
  const findings: Finding[] = [];
  for (let k = 0; k < count; k++) {
    findings.push({ type: ENTITY_TYPES[out[4 * k]!]!, start: out[4 * k + 1]!, end: out[4 * k + 2]!, score: out[4 * k + 3]! });
  }
  return findings;
}

function sameFindings(a: readonly Finding[], b: readonly Finding[]): boolean {
  return (
    a.length === b.length &&
    a.every((f, k) => f.type === b[k]!.type && f.start === b[k]!.start && f.end === b[k]!.end && Object.is(f.score, b[k]!.score))
  );
}

/**
 * A detect pair: the kernel's and the TypeScript scanner's, for the given built-in recognizers
 * (or with `digitRuns`, the kernel's stand-in recognizers and their twins below).
 */
function detectors(kernel: ScannerKernel, recognizers: readonly Recognizer[], threshold: number, digitRuns = false) {
  const types = recognizers.reduce((mask, r) => mask | (1 << ENTITY_TYPES.indexOf(r.type)), 0);
  const scanner = createScanner({ recognizers: digitRuns ? recognizers.map(digitRunsTwin) : recognizers, threshold, kernel: false });
  const detect: Detect = digitRuns ? kernel.detectDigitRuns.bind(kernel) : kernel.detect.bind(kernel);
  return {
    native: (text: string) => nativeDetect(detect, types, threshold, text),
    reference: (text: string) => scanner.detect(text).map((f) => ({ type: f.type, start: f.start, end: f.end, score: f.score })),
  };
}

function assertDetectAgrees(
  kernel: ScannerKernel,
  recognizers: readonly Recognizer[],
  threshold: number,
  texts: Iterable<string>,
  digitRuns = false,
): void {
  const { native, reference } = detectors(kernel, recognizers, threshold, digitRuns);
  const found = [];
  for (const text of texts) {
    const n = native(text);
    const r = reference(text);
    if (!sameFindings(n, r)) {
      found.push({ text, native: n, reference: r });
      if (found.length >= 3) break;
    }
  }
  assert.deepEqual(found, [], `native detect disagrees at threshold ${threshold} (${recognizers.map((r) => r.type).join(", ")})`);
}

const ALL_TYPES = ENTITY_TYPES.length;

/**
 * The TypeScript twin of the kernel's stand-in recognizer (scanner::digit_runs_find): the
 * built-in recognizer's type and context words, and as candidates every run of two or more
 * digits scored ((7 * length + 3 * id) % 10) / 10, and for an even id also the run less its last
 * digit (three or more) scored 0.6. It lets the scanner's own work (context, threshold,
 * overlaps, the canonical view) be compared before any real recognizer is ported.
 */
function digitRunsTwin(recognizer: Recognizer): Recognizer {
  const id = ENTITY_TYPES.indexOf(recognizer.type);
  return {
    type: recognizer.type,
    maxLength: recognizer.maxLength,
    context: recognizer.context,
    ...(recognizer.negativeContext === undefined ? {} : { negativeContext: recognizer.negativeContext }),
    find(text: string) {
      const candidates = [];
      for (const match of text.matchAll(/[0-9]{2,}/g)) {
        const start = match.index;
        const length = match[0].length;
        candidates.push({ start, end: start + length, score: ((7 * length + 3 * id) % 10) / 10 });
        if (id % 2 === 0 && length >= 3) candidates.push({ start, end: start + length - 1, score: 0.6 });
      }
      return candidates;
    },
  };
}

/** Context words of every built-in list, upper-cased too: the stand-ins' scores move with them. */
const CONTEXT_WORDS = [...new Set(defaultRecognizers().flatMap((r) => [...r.context, ...(r.negativeContext ?? [])]))];
const CONTEXT_FRAGMENTS = [...CONTEXT_WORDS, ...CONTEXT_WORDS.map((w) => w.toUpperCase()), "\u0130", "\u212a", "<", ">", "s "];

/** Text with the characters the canonical view changes or drops, around entities. */
const CANONICAL_FRAGMENTS = [
  "\u200b",
  "\u00ad",
  "\ufeff",
  "\u00a0",
  "\u2011",
  "\u2212",
  "\u3002",
  "\uff14\uff11\uff11\uff11 \uff11\uff11\uff11\uff11 \uff11\uff11\uff11\uff11 \uff11\uff11\uff11\uff11",
  "jane\u200b@example.com",
  "SSN 536\u200b-22-1234",
  "4111\u00a01111\u00a01111\u00a01111",
  "call 415\u2010555\u20102671",
  "192\u3002168\u30021\u30021",
  "passport\u00ad no. 533401234",
  "12\u200b Main\u200b Street, Springfield",
];

const FINDING_TYPES = fc.constantFrom(...ENTITY_TYPES);
const findings = (max: number) =>
  fc.array(
    fc
      .record({
        type: FINDING_TYPES,
        start: fc.nat(80),
        length: fc.integer({ min: 1, max: 14 }),
        score: fc.oneof(fc.constantFrom(0.3, 0.4, 0.55, 0.6, 0.9, 1), fc.double({ min: 0, max: 1, noNaN: true })),
      })
      .map(({ type, start, length, score }): Finding => ({ type, start, end: start + length, score })),
    { maxLength: max },
  );
/** Lists made of runs each in order, as detect collects them (one run per recognizer). */
const runs = fc
  .array(
    findings(30).map((run) => run.sort((a, b) => a.start - b.start || b.end - a.end)),
    { minLength: 1, maxLength: 40 },
  )
  .map((parts) => parts.flat());

if (!kernelSwitchedOff) {
  const kernel = requireKernel() as ScannerKernel;
  const all = defaultRecognizers();

  test("native overlaps: keeps exactly the findings resolveOverlaps keeps (identity, ties, long lists of runs)", () => {
    fc.assert(
      fc.property(fc.oneof(findings(60), findings(200), runs), (list) => {
        const io = new Float64Array(4 * list.length);
        list.forEach((f, k) => io.set([k, f.start, f.end, f.score], 4 * k));
        const kept = kernel.overlaps(io, list.length);
        const tagged = list.map((f, k) => ({ ...f, tag: k }));
        const expected = (resolveOverlaps([...tagged]) as typeof tagged).map((f) => f.tag);
        const actual = Array.from({ length: kept }, (_, k) => io[4 * k]!);
        assert.deepEqual(actual, expected);
      }),
      { numRuns: 3000 },
    );
  });

  test("native detect: a type the kernel does not know throws", () => {
    assert.throws(() => kernel.detect(1 << ALL_TYPES, 0.5, "x", out));
  });

  test("native detect, stand-in recognizers for all 7 types: the benchmark corpus, thresholds 0.3, 0.5, 0.7", () => {
    const texts = corpusTexts();
    for (const threshold of [0.3, 0.5, 0.7]) assertDetectAgrees(kernel, all, threshold, texts, true);
  });

  test("native detect, stand-in recognizers: any subset of types, any threshold, random text (canonical view, context words)", () => {
    const texts = corpusTexts(256 * 1024);
    const text = fc.oneof(mixedText([...CANONICAL_FRAGMENTS, ...CONTEXT_FRAGMENTS]), corpusSlices(texts));
    const subset = fc.subarray(all, { minLength: 1 });
    const threshold = fc.oneof(fc.constantFrom(0, 0.3, 0.4, 0.5, 0.6, 0.7, 1), fc.double({ min: 0, max: 1, noNaN: true }));
    fc.assert(
      fc.property(text, subset, threshold, (t, recognizers, th) => assertDetectAgrees(kernel, recognizers, th, [t], true)),
      { numRuns: 3000 },
    );
  });

  test("native detect, stand-in recognizers: any string, lone surrogates and all of U+0000-U+FFFF, no crash and the same", () => {
    const anyUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
    const digitsAround = fc.array(fc.oneof(fc.string({ unit: anyUnit, maxLength: 6 }), fc.constantFrom("12", "345", "6789", "\u200b", "\u00ad1")), { maxLength: 30 }).map((p) => p.join(""));
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: "binary", maxLength: 200 }), fc.string({ unit: anyUnit, maxLength: 200 }), digitsAround), (t) => {
        assertDetectAgrees(kernel, all, 0.5, [t], true);
      }),
      { numRuns: 3000 },
    );
  });

  test("native detect, all 7 types: the benchmark corpus at thresholds 0.3, 0.5, 0.7", () => {
    const texts = corpusTexts();
    for (const threshold of [0.3, 0.5, 0.7]) assertDetectAgrees(kernel, all, threshold, texts);
  });

  test("native detect: any subset of the types, any threshold, random text (entities, canonical view, context words)", () => {
    const texts = corpusTexts(256 * 1024);
    const text = fc.oneof(mixedText([...CANONICAL_FRAGMENTS, ...CONTEXT_FRAGMENTS]), corpusSlices(texts));
    const subset = fc.subarray(all, { minLength: 1 });
    const threshold = fc.oneof(fc.constantFrom(0, 0.3, 0.4, 0.5, 0.6, 0.7, 1), fc.double({ min: 0, max: 1, noNaN: true }));
    fc.assert(
      fc.property(text, subset, threshold, (t, recognizers, th) => assertDetectAgrees(kernel, recognizers, th, [t])),
      { numRuns: 3000 },
    );
  });

  test("native detect, all 7 types: disguised corpus slices (invisibles, no-break spaces, fullwidth digits)", () => {
    const texts = corpusTexts(256 * 1024);
    const disguise = (t: string, seed: number) =>
      t.replace(/[0-9 @.-]/g, (c, at: number) => {
        const k = (at * 7 + seed) % 11;
        if (k === 0) return c + "\u200b";
        if (k === 1 && c === " ") return "\u00a0";
        if (k === 2 && c >= "0" && c <= "9") return String.fromCharCode(c.charCodeAt(0) + 0xfee0);
        if (k === 3 && c === "-") return "\u2011";
        if (k === 4) return "\u00ad" + c;
        return c;
      });
    fc.assert(
      fc.property(corpusSlices(texts), fc.nat(), (t, seed) => assertDetectAgrees(kernel, all, 0.5, [disguise(t, seed)])),
      { numRuns: 3000 },
    );
  });

  test("native detect, all 7 types: any string, lone surrogates and all of U+0000-U+FFFF, no crash and the same", () => {
    const anyUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: "binary", maxLength: 200 }), fc.string({ unit: anyUnit, maxLength: 200 })), (t) => {
        assertDetectAgrees(kernel, all, 0.5, [t]);
      }),
      { numRuns: 3000 },
    );
  });
}
