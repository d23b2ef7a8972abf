/**
 * The scanner skips context scoring for a recognizer that names no context words (usesContext);
 * the scores it reports must be exactly what scoreWithContext would have given.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { scoreWithContext, usesContext } from "../../src/pii/context.js";
import { createScanner } from "../../src/pii/scanner.js";
import { numbers } from "./fixed-recognizer.js";

describe("usesContext", () => {
  test("is false only when there is neither a context word nor a negative one", () => {
    assert.equal(usesContext(numbers([])), false);
    assert.equal(usesContext(numbers([], [])), false);
    assert.equal(usesContext(numbers(["passport"])), true);
    assert.equal(usesContext(numbers([], ["order"])), true);
  });

  test("the scanner's scores equal scoreWithContext's with and without context words", () => {
    const words = fc.constantFrom("passport", "order", "the", "no", "123456789", "PASSPORT", ":", "\n");
    const texts = fc.array(words, { maxLength: 12 }).map((parts) => parts.join(" "));
    const recognizers = [numbers([]), numbers(["passport"]), numbers([], ["order"]), numbers(["passport"], ["order"])];
    fc.assert(
      fc.property(texts, fc.constantFrom(...recognizers), (text, recognizer) => {
        const scanner = createScanner({ recognizers: [recognizer], threshold: 0 });
        const expected = recognizer
          .find(text)
          .map((c) => scoreWithContext(text, c, recognizer))
          .filter((score) => score >= 0);
        assert.deepEqual(
          scanner.detect(text).map((f) => f.score),
          expected,
        );
      }),
      { numRuns: 500 },
    );
  });

  test("without context words a candidate keeps its own score, even after a would-be context word", () => {
    const scanner = createScanner({ recognizers: [numbers([])], threshold: 0 });
    assert.deepEqual(scanner.detect("passport 123456789").map((f) => f.score), [0.45]);
    const withWords = createScanner({ recognizers: [numbers(["passport"])], threshold: 0 });
    assert.deepEqual(withWords.detect("passport 123456789").map((f) => f.score), [0.8]);
  });
});
