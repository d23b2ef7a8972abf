import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { median, percentile, summarize } from "../stats.js";

describe("percentile", () => {
  test("interpolates between closest ranks (numpy's default rule)", () => {
    assert.equal(percentile([1, 2, 3, 4], 50), 2.5);
    assert.equal(percentile([4, 3, 2, 1], 0), 1);
    assert.equal(percentile([4, 3, 2, 1], 100), 4);
    assert.ok(Math.abs(percentile([1, 2, 3, 4], 99) - 3.97) < 1e-12);
    assert.equal(percentile([7], 99), 7);
  });

  test("is NaN for no values and refuses a p outside 0..100", () => {
    assert.ok(Number.isNaN(percentile([], 50)));
    assert.throws(() => percentile([1], 101), RangeError);
    assert.throws(() => percentile([1], -1), RangeError);
  });

  test("lies between the minimum and the maximum and grows with p", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 200 }), fc.double({ min: 0, max: 100, noNaN: true }), fc.double({ min: 0, max: 100, noNaN: true }), (values, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const pLo = percentile(values, lo);
        const pHi = percentile(values, hi);
        assert.ok(pLo >= Math.min(...values) && pHi <= Math.max(...values));
        assert.ok(pLo <= pHi);
      }),
    );
  });
});

describe("median and summarize", () => {
  test("median of odd and even counts", () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([3, 1, 2, 10]), 2.5);
  });

  test("summarize reports count, percentiles, mean and extremes", () => {
    const latencies = Array.from({ length: 100 }, (_, i) => i + 1); // 1..100
    const s = summarize(latencies);
    assert.equal(s.count, 100);
    assert.equal(s.p50, 50.5);
    assert.equal(s.min, 1);
    assert.equal(s.max, 100);
    assert.equal(s.mean, 50.5);
    assert.ok(Math.abs(s.p99 - 99.01) < 1e-9);
  });
});
