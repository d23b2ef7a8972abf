/**
 * The scanner scores candidates through one ContextScorer per recognizer, which may answer
 * DROPPED, without reading the text, for a candidate no context word can lift to the threshold.
 * It must agree with scoreWithContext (the rule) on every candidate that the threshold keeps,
 * and drop only candidates the rule would drop too.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { ContextScorer, DROPPED, scoreWithContext } from "../../src/pii/context.js";
import { createScanner } from "../../src/pii/scanner.js";
import type { Candidate } from "../../src/pii/types.js";
import { numbers } from "./fixed-recognizer.js";

const words = fc.constantFrom("passport", "Passport", "order", "the", "no", "123456789", "<passport>", ":", "\n", "İ");
const texts = fc.array(words, { maxLength: 10 }).map((parts) => parts.join(" "));
const lists = fc.constantFrom<readonly string[]>([], ["passport"], ["passport", "no"]);
const negatives = fc.constantFrom<readonly string[] | undefined>(undefined, [], ["order"]);
/** Scores around the edges the threshold and the boost make (0.05 + 0.35 = 0.4, the floor). */
const scores = fc.oneof(fc.constantFrom(0, 0.05, 0.1, 0.15, 0.3, 0.4, 0.45, 0.5, 0.6, 0.65, 1), fc.double({ min: 0, max: 1, noNaN: true }));
const thresholds = fc.oneof(fc.constantFrom(0, 0.05, 0.4, 0.5, 0.75, 0.85, 1), fc.double({ min: 0, max: 1, noNaN: true }));

describe("ContextScorer", () => {
  test("gives scoreWithContext's score to every candidate the threshold keeps, and drops only what it drops", () => {
    fc.assert(
      fc.property(texts, lists, negatives, scores, thresholds, (text, context, negative, score, threshold) => {
        const recognizer = numbers(context, negative, score);
        const scorer = new ContextScorer(recognizer, threshold);
        for (const candidate of recognizer.find(text)) {
          const rule = scoreWithContext(text, candidate, recognizer);
          const fast = scorer.score(text, candidate);
          if (fast === DROPPED) assert.ok(rule < threshold, `dropped ${rule} at threshold ${threshold}`);
          else assert.equal(fast, rule);
        }
      }),
      { numRuns: 2000 },
    );
  });

  test("drops a candidate that even a context word cannot lift to the threshold, and no other", () => {
    const recognizer = numbers(["passport"], undefined, 0.05);
    const candidate: Candidate = { start: 9, end: 18, score: 0.05 };
    // Boosted, 0.05 becomes 0.4 (the floor): kept at 0.4, dropped at 0.5, with or without the word.
    assert.equal(new ContextScorer(recognizer, 0.5).score("passport 123456789", candidate), DROPPED);
    assert.equal(new ContextScorer(recognizer, 0.4).score("passport 123456789", candidate), 0.4);
    assert.equal(new ContextScorer(recognizer, 0.4).score("xxxxxxxx 123456789", candidate), 0.05);
    // 0.3 + 0.35 = 0.65 reaches 0.5: not dropped, though below the threshold without the word.
    const bare: Candidate = { start: 9, end: 18, score: 0.3 };
    assert.equal(new ContextScorer(recognizer, 0.5).score("passport 123456789", bare), 0.3 + 0.35);
    assert.equal(new ContextScorer(recognizer, 0.5).score("xxxxxxxx 123456789", bare), 0.3);
  });

  test("with negative words alone, drops exactly the candidates already below the threshold", () => {
    const recognizer = numbers([], ["order"], 0.45);
    const candidate: Candidate = { start: 6, end: 15, score: 0.45 };
    assert.equal(new ContextScorer(recognizer, 0.5).score("order 123456789", candidate), DROPPED);
    assert.equal(new ContextScorer(recognizer, 0.4).score("order 123456789", candidate), 0);
    assert.equal(new ContextScorer(recognizer, 0.4).score("other 123456789", candidate), 0.45);
  });

  test("a threshold outside [0, 1] or not a number drops only what the threshold itself drops", () => {
    const recognizer = numbers(["passport"], ["order"], 0.3);
    for (const threshold of [Number.NaN, -1, 0, 1.5, Number.POSITIVE_INFINITY]) {
      const scanner = createScanner({ recognizers: [recognizer], threshold });
      for (const text of ["passport 123456789", "order 123456789", "other 123456789"]) {
        const expected = recognizer
          .find(text)
          .map((c) => scoreWithContext(text, c, recognizer))
          .filter((s) => !(s < threshold));
        assert.deepEqual(scanner.detect(text).map((f) => f.score), expected, `${threshold} ${text}`);
      }
    }
  });

  test("the scanner reports what scoring every candidate by the rule and filtering reports", () => {
    fc.assert(
      fc.property(texts, lists, negatives, scores, thresholds, (text, context, negative, score, threshold) => {
        const recognizer = numbers(context, negative, score);
        const scanner = createScanner({ recognizers: [recognizer], threshold });
        const expected = recognizer
          .find(text)
          .map((c) => scoreWithContext(text, c, recognizer))
          .filter((s) => s >= threshold);
        assert.deepEqual(
          scanner.detect(text).map((f) => f.score),
          expected,
        );
      }),
      { numRuns: 1000 },
    );
  });
});
