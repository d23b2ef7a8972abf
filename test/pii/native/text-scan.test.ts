import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { scanDigits } from "../../../src/pii/text-scan.js";
import { corpusSlices, corpusTexts, kernelSwitchedOff, mixedText, requireKernel } from "./differential.js";
import { nativeLoad } from "../../../src/pii/native.js";

/** The kernel's scan in the TypeScript scan's shape (see scan_export in native/pii/src/lib.rs). */
function nativeScan(text: string) {
  const kernel = requireKernel();
  let out = new Float64Array(1024);
  let n = kernel.scan(text, out);
  if (n > out.length) {
    out = new Float64Array(n);
    n = kernel.scan(text, out);
  }
  const [hasDigit, firstNotCanonical, clusters, germans, houses] = out;
  let at = 5;
  const spans = Array.from(out.subarray(at, (at += 6 * clusters!)));
  const germanNumbers = Array.from(out.subarray(at, (at += germans!)));
  const houseNumberGaps = Array.from(out.subarray(at, (at += houses!)));
  assert.equal(at, n);
  return { count: clusters, spans, germanNumbers, houseNumberGaps, hasDigit: hasDigit === 1, firstNotCanonical };
}

function referenceScan(text: string) {
  const s = scanDigits(text);
  return {
    count: s.count,
    spans: [...s.spans],
    germanNumbers: [...s.germanNumbers],
    houseNumberGaps: [...s.houseNumberGaps],
    hasDigit: s.hasDigit,
    firstNotCanonical: s.firstNotCanonical,
  };
}

if (kernelSwitchedOff) {
  test("the native kernel is switched off: the engine says why", () => {
    assert.equal(nativeLoad.kernel, undefined);
    assert.match(nativeLoad.reason ?? "", /BASTION_PII_NATIVE=0/);
  });
} else {
  test("native text scan: the same clusters and anchors as scanDigits on the benchmark corpus", () => {
    for (const text of corpusTexts(512 * 1024)) assert.deepEqual(nativeScan(text), referenceScan(text), text);
  });

  test("native text scan: the same as scanDigits on random text", () => {
    const texts = corpusTexts(64 * 1024);
    fc.assert(
      fc.property(fc.oneof(mixedText(), corpusSlices(texts)), (text) => {
        assert.deepEqual(nativeScan(text), referenceScan(text));
      }),
      { numRuns: 2000 },
    );
  });

  // The kernel finds runs of digits in a bitmap of 64 characters to a word, and reads the
  // characters around each run at fixed offsets: texts dense in digits, separators and anchor
  // characters, long enough to cross several words, at every offset within the first word.
  const DENSE_UNITS = fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom("0", "1", "7", "9", "12", "0815") },
    { weight: 4, arbitrary: fc.constantFrom(" ", "\u00a0", ".", "-", "/", "(", ")", "\u2007", "\u202f", "\u2010", "\u2013", "  ", " - ") },
    { weight: 2, arbitrary: fc.constantFrom("\u2014", "a", "z", "Q", "Z", "ä", "ß", "é", "\u0660", "０", "\u200b", ",", ":", "+", "\n", "ab", "St") },
  );
  test("native text scan: the same as scanDigits on dense digit-and-separator text across 64-character words", () => {
    const dense = fc.array(DENSE_UNITS, { maxLength: 150 }).map((units) => units.join(""));
    fc.assert(
      fc.property(fc.nat({ max: 64 }), dense, (shift, text) => {
        const shifted = "x".repeat(shift) + text;
        assert.deepEqual(nativeScan(shifted), referenceScan(shifted));
      }),
      { numRuns: 4000 },
    );
  });
}

if (!kernelSwitchedOff) {
  test("a panic in the kernel (a bug) is a thrown Error, and the process and the kernel live on", () => {
    const kernel = requireKernel() as ReturnType<typeof requireKernel> & { panicForTest(): number };
    assert.throws(() => kernel.panicForTest(), /panicked/);
    assert.deepEqual(nativeScan("call 555 123 4567"), referenceScan("call 555 123 4567"));
  });
}

if (!kernelSwitchedOff) {
  test("the kernel refuses one array passed as two arguments (two mutable views of one memory)", () => {
    const kernel = requireKernel() as ReturnType<typeof requireKernel> & {
      debugAddressCandidates(mode: number, input: Float64Array, out: Float64Array): number;
    };
    // (An empty input: no candidates in either list, so the output array is the next thing asked for.)
    const buffer = new Float64Array(16);
    assert.throws(() => kernel.debugAddressCandidates(0, buffer.subarray(0, 2), buffer.subarray(0, 2)), /shares memory/);
    assert.throws(() => kernel.debugAddressCandidates(0, buffer.subarray(0, 2), buffer.subarray(1)), /shares memory/);
    assert.equal(kernel.debugAddressCandidates(0, buffer.subarray(0, 2), buffer.subarray(2)), 0);
  });
}

if (!kernelSwitchedOff) {
  test("detect refuses a text whose length the caller gives wrongly (it would read past it or miss its end)", () => {
    const kernel = requireKernel();
    const out = new Float64Array(64);
    const text = "SSN 536-22-1234";
    assert.equal(kernel.detect!(127, 0.5, text, out, text.length), kernel.detect!(127, 0.5, text, out));
    for (const wrong of [text.length - 1, text.length + 1, 0, -1, 2 ** 31 - 1]) {
      assert.throws(() => kernel.detect!(127, 0.5, text, out, wrong), /could not be read|must be a length|too long/, String(wrong));
    }
  });
}
