/**
 * The native merge of the address finders' lists (native/pii/src/recognizers/address_candidate.rs)
 * against address-candidate.ts, through the kernel's debug export: the same merged candidates and
 * the same union order, on the lists the two finders report over the benchmark corpus and on
 * random lists (overlapping, tied, unsorted, with and without optional parts).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { mergeAddresses, sortedUnion, type AddressCandidate } from "../../../src/pii/recognizers/address-candidate.js";
import { findGermanAddresses } from "../../../src/pii/recognizers/address-german.js";
import { findNumberFirstAddresses } from "../../../src/pii/recognizers/address-number-first.js";
import { createTextScan, digitClustersOf } from "../../../src/pii/text-scan.js";
import type { Candidate } from "../../../src/pii/types.js";
import { corpusTexts, kernelSwitchedOff, requireKernel } from "./differential.js";

const RUNS = 3000;

interface DebugKernel {
  debugAddressCandidates(mode: number, input: Float64Array, out: Float64Array): number;
}

function encode(a: readonly AddressCandidate[], b: readonly AddressCandidate[]): Float64Array {
  const input = new Float64Array(2 + 6 * (a.length + b.length));
  input[0] = a.length;
  input[1] = b.length;
  let k = 2;
  for (const c of [...a, ...b]) {
    input.set([c.start, c.end, c.score, c.core?.end ?? -1, c.core?.score ?? 0, c.bareStart ?? -1], k);
    k += 6;
  }
  return input;
}

function call(mode: number, a: readonly AddressCandidate[], b: readonly AddressCandidate[]): Float64Array {
  const kernel = requireKernel() as unknown as DebugKernel;
  const input = encode(a, b);
  let out = new Float64Array(3 * (a.length + b.length) + 3);
  const n = kernel.debugAddressCandidates(mode, input, out);
  if (n > out.length) {
    out = new Float64Array(n);
    kernel.debugAddressCandidates(mode, input, out);
  }
  return out.subarray(0, n);
}

function nativeMerge(a: readonly AddressCandidate[], b: readonly AddressCandidate[]): Candidate[] {
  const out = call(0, a, b);
  const merged: Candidate[] = [];
  for (let k = 0; k < out.length; k += 3) merged.push({ start: out[k]!, end: out[k + 1]!, score: out[k + 2]! });
  return merged;
}

/** sortedUnion's order as indexes into a.concat(b) (it returns the very objects). */
function referenceUnionOrder(a: readonly AddressCandidate[], b: readonly AddressCandidate[]): number[] {
  const all = [...a, ...b];
  return sortedUnion(a, b).map((c) => all.indexOf(c));
}

function assertSame(a: readonly AddressCandidate[], b: readonly AddressCandidate[]): void {
  const expected = mergeAddresses(a, b).map((c) => ({ start: c.start, end: c.end, score: c.score }));
  const actual = nativeMerge(a, b);
  assert.equal(actual.length, expected.length, JSON.stringify({ a, b }));
  actual.forEach((c, k) => {
    const e = expected[k]!;
    assert.ok(c.start === e.start && c.end === e.end && Object.is(c.score, e.score), JSON.stringify({ a, b, actual, expected }));
  });
  assert.deepEqual(Array.from(call(1, a, b)), referenceUnionOrder(a, b), JSON.stringify({ a, b }));
}

const SCORES = [0.3, 0.5, 0.55, 0.6, 0.75, 0.9, 0.1 + 0.2];
const candidate: fc.Arbitrary<AddressCandidate> = fc
  .record({
    start: fc.nat(60),
    length: fc.integer({ min: 1, max: 25 }),
    score: fc.constantFrom(...SCORES),
    core: fc.option(fc.record({ cut: fc.integer({ min: 1, max: 25 }), score: fc.constantFrom(...SCORES) })),
    bare: fc.option(fc.integer({ min: 0, max: 25 })),
  })
  .map(({ start, length, score, core, bare }) => ({
    start,
    end: start + length,
    score,
    core: core === null ? undefined : { end: start + Math.min(core.cut, length), score: core.score },
    bareStart: bare === null ? undefined : start + Math.min(bare, length),
  }));
const byPosition = (x: Candidate, y: Candidate): number => x.start - y.start || y.end - x.end;
/** A list as a finder reports it: in text order and disjoint. */
const finderList = fc.array(candidate, { maxLength: 12 }).map((list) => {
  list.sort(byPosition);
  const out: AddressCandidate[] = [];
  for (const c of list) if (out.length === 0 || c.start >= out[out.length - 1]!.end) out.push(c);
  return out;
});

if (kernelSwitchedOff) {
  test("native address candidates: the kernel is switched off (BASTION_PII_NATIVE=0)", () => {});
} else {
  describe("native address candidates: merge_addresses and sorted_union as address-candidate.ts", () => {
    test("on the two finders' lists over the benchmark corpus", () => {
      let merged = 0;
      for (const text of corpusTexts()) {
        const clusters = digitClustersOf(text, createTextScan(text));
        if (!clusters.hasDigit) continue;
        const a = findNumberFirstAddresses(text, clusters.houseNumberGaps);
        const b = findGermanAddresses(text, clusters);
        assertSame(a, b);
        merged += a.length + b.length;
      }
      assert.ok(merged > 100, `only ${merged} address candidates in the corpus`);
    });

    test("on random finder lists: disjoint, in text order, overlapping each other", () => {
      fc.assert(fc.property(finderList, finderList, (a, b) => assertSame(a, b)), { numRuns: RUNS });
    });

    test("on random lists in any order, overlapping themselves, ties included", () => {
      fc.assert(fc.property(fc.array(candidate, { maxLength: 20 }), fc.array(candidate, { maxLength: 20 }), (a, b) => assertSame(a, b)), {
        numRuns: RUNS,
      });
    });

    test("edge cases: empty lists, one list, equal candidates", () => {
      const one: AddressCandidate = { start: 5, end: 20, score: 0.6, core: { end: 12, score: 0.5 }, bareStart: 8 };
      for (const [a, b] of [
        [[], []],
        [[one], []],
        [[], [one]],
        [[one], [{ ...one }]],
        [[one, { ...one }], [{ ...one }]],
        [[{ ...one, bareStart: undefined }], [{ ...one, start: 10, core: undefined }]],
      ] as [AddressCandidate[], AddressCandidate[]][]) {
        assertSame(a, b);
      }
    });
  });
}
