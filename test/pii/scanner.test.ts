import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { resolveOverlaps, sortByPosition } from "../../src/pii/scanner.js";
import type { Finding } from "../../src/pii/types.js";

const finding = fc
  .record({ start: fc.nat(60), length: fc.integer({ min: 1, max: 12 }), score: fc.constantFrom(0.3, 0.6, 0.9) })
  .map(({ start, length, score }): Finding => ({ type: "PHONE_NUMBER", start, end: start + length, score }));

/** sortByPosition puts `findings` in the built-in stable sort's order: identity, not only equal values (equal keys keep their order). */
function sortsLikeBuiltIn(findings: Finding[]): void {
  const expected = [...findings].sort((a, b) => a.start - b.start || b.end - a.end);
  const actual = [...findings];
  sortByPosition(actual);
  assert.equal(actual.length, expected.length);
  actual.forEach((f, i) => assert.equal(f, expected[i]));
}

describe("scanner: ordering findings", () => {
  test("sortByPosition orders as the built-in stable sort does, below and above its insertion limit", () => {
    fc.assert(
      fc.property(fc.array(finding, { maxLength: 120 }), sortsLikeBuiltIn),
      { numRuns: 500 },
    );
  });

  test("sortByPosition orders a list of sorted runs (findings per recognizer) as the built-in stable sort does", () => {
    // Long lists made of a few runs each in order, as detect collects them: the runs are merged
    // (up to its limit of runs; beyond it, the built-in sort takes over). Identity is compared.
    const run = fc.array(finding, { minLength: 1, maxLength: 30 }).map((r) => r.sort((a, b) => a.start - b.start || b.end - a.end));
    fc.assert(
      fc.property(fc.array(run, { minLength: 1, maxLength: 40 }), (runs) => sortsLikeBuiltIn(runs.flat())),
      { numRuns: 500 },
    );
  });

  test("a wrong order is put right: later starts after earlier, longer before shorter at one start", () => {
    const a: Finding = { type: "US_SSN", start: 10, end: 20, score: 0.5 };
    const b: Finding = { type: "US_SSN", start: 10, end: 25, score: 0.5 };
    const c: Finding = { type: "US_SSN", start: 2, end: 5, score: 0.5 };
    const list = [a, b, c];
    sortByPosition(list);
    assert.deepEqual(list, [c, b, a]);
  });

  test("resolveOverlaps keeps, of each group of overlapping findings, the one the sweep keeps", () => {
    // The sweep as it was written first: sort with the built-in sort, keep into a second array.
    const beats = (a: Finding, b: Finding): boolean =>
      a.score !== b.score ? a.score > b.score : a.end - a.start !== b.end - b.start ? a.end - a.start > b.end - b.start : a.start < b.start;
    function reference(findings: Finding[]): Finding[] {
      const sorted = [...findings].sort((a, b) => a.start - b.start || b.end - a.end);
      const kept: Finding[] = [];
      for (const f of sorted) {
        const last = kept[kept.length - 1];
        if (last === undefined || f.start >= last.end) kept.push(f);
        else if (beats(f, last)) kept[kept.length - 1] = f;
      }
      return kept;
    }
    fc.assert(
      fc.property(fc.array(finding, { maxLength: 120 }), (findings) => {
        const expected = reference(findings);
        const actual = resolveOverlaps([...findings]);
        assert.equal(actual.length, expected.length);
        actual.forEach((f, i) => assert.equal(f, expected[i]));
      }),
      { numRuns: 500 },
    );
  });

  test("resolveOverlaps keeps no two overlapping findings", () => {
    fc.assert(
      fc.property(fc.array(finding, { maxLength: 80 }), (findings) => {
        const kept = resolveOverlaps([...findings]);
        for (let i = 1; i < kept.length; i++) assert.ok(kept[i - 1]!.end <= kept[i]!.start);
      }),
      { numRuns: 300 },
    );
  });
});
