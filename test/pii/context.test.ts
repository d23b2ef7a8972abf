import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { CONTEXT_WINDOW, scoreWithContext } from "../../src/pii/context.js";
import type { Recognizer } from "../../src/pii/types.js";

const recognizer: Recognizer = {
  type: "PASSPORT",
  maxLength: 9,
  context: ["passport", "passport no"],
  negativeContext: ["order"],
  find: () => [],
};
const scoreOf = (text: string, base = 0.2) => {
  const start = text.indexOf("123456789");
  return scoreWithContext(text, { start, end: start + 9, score: base }, recognizer);
};

describe("context words", () => {
  test("a context word before the candidate raises its score (Presidio's boost and floor)", () => {
    assert.equal(scoreOf("passport 123456789"), 0.55);
    assert.equal(scoreOf("Passport No: 123456789", 0.9), 1);
    assert.equal(scoreOf("passports: 123456789"), 0.55, "plural counts");
  });

  test("a negative context word lowers it", () => {
    assert.ok(Math.abs(scoreOf("order 123456789", 0.6) - 0.15) < 1e-9);
    assert.equal(scoreOf("order 123456789", 0.2), 0);
  });

  test("a negative word counts only right before the candidate", () => {
    assert.equal(scoreOf("order no. 123456789", 0.6), 0.6 - 0.45);
    assert.equal(scoreOf("order, shipped on Monday to 123456789", 0.6), 0.6);
  });

  test("words inside longer words do not count", () => {
    assert.equal(scoreOf("passporting 123456789"), 0.2);
    assert.equal(scoreOf("bypassport 123456789"), 0.2);
    assert.equal(scoreOf("<PASSPORT_NUMBER> 123456789".toLowerCase().replace("passport_number", "x_passport")), 0.2);
  });

  test("a mask tag is no context word (masking twice must change nothing)", () => {
    assert.equal(scoreOf("<PASSPORT> 123456789"), 0.2);
    assert.equal(scoreOf("<PASSPORT:kdjfmalcbdpe> 123456789"), 0.2);
    assert.equal(scoreOf("</passport> 123456789"), 0.55);
  });

  test("only the window before the candidate counts", () => {
    const far = "passport " + "x ".repeat(CONTEXT_WINDOW) + "123456789";
    assert.equal(scoreOf(far), 0.2);
    assert.equal(scoreOf("123456789 passport"), 0.2);
  });

  test("a window cut out of a word does not make a word start at its edge", () => {
    // "xpassport" is one word; the window starts right after its "x".
    const text = "xpassport" + " ".repeat(CONTEXT_WINDOW - 8) + "123456789";
    assert.equal(text.indexOf("123456789") - CONTEXT_WINDOW, 1);
    assert.equal(scoreOf(text), 0.2);
    const clean = " passport" + " ".repeat(CONTEXT_WINDOW - 8) + "123456789";
    assert.equal(scoreOf(clean), 0.55);
  });
});
