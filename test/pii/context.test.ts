import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { CONTEXT_WINDOW, scoreWithContext, wordBefore, wordBeforeByRule } from "../../src/pii/context.js";
import { defaultRecognizers } from "../../src/pii/recognizers/index.js";
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

describe("context words read from the text agree with the rule (lower-cased window, whole words)", () => {
  // Characters that matter to the rule: word and non-word ASCII, the trailing "s", mask-tag
  // brackets, and the two characters whose lower case is ASCII or longer (İ, the Kelvin sign).
  const piece = fc.oneof(
    fc.constantFrom("passport", "PASSPORT", "Pass", "card", "CC", "ssn#", "ss #", "t:", "M:", "tél", "TÉL", "móvil"),
    fc.constantFrom(" ", "s", "S", "_", "<", ">", ":", "-", "x", "9", "\u0130", "\u212a", "\u00e9", "\u00c9", "\n", "\u00a0"),
    fc.string({ maxLength: 3 }),
  );
  const text = fc.array(piece, { maxLength: 24 }).map((parts) => parts.join(""));
  const lists = [
    ...new Set(defaultRecognizers().flatMap((r) => [r.context, r.negativeContext ?? []]).filter((l) => l.length > 0)),
    ["passport", "ss #", "t:", "tél", "móvil"],
  ];

  test("for every built-in word list, window size and candidate position", () => {
    fc.assert(
      fc.property(text, fc.nat(), fc.constantFrom(...lists), fc.constantFrom(CONTEXT_WINDOW, 16, 3), (t, at, words, size) => {
        const start = t.length === 0 ? 0 : at % (t.length + 1);
        assert.equal(wordBefore(t, start, size, words), wordBeforeByRule(t, start, size, words));
      }),
      { numRuns: 3000 },
    );
  });

  test("word lists the fast path cannot take still follow the rule", () => {
    const odd = ["é-mail", "\u03c3igma", "\ud83d\ude00x"];
    for (const words of [odd, ["ssn", "ßn"]]) {
      for (const t of ["ssn 1", "x é-mail 1", "\u03a3IGMA 1", "a \ud83d\ude00x 1", "SSN"]) {
        for (let start = 0; start <= t.length; start++) {
          assert.equal(wordBefore(t, start, CONTEXT_WINDOW, words), wordBeforeByRule(t, start, CONTEXT_WINDOW, words));
        }
      }
    }
  });

  test("İ and the Kelvin sign change the answer exactly as lower-casing does", () => {
    // "\u212a" lower-cases to "k": a word character, so "kcard" is no word start for "card".
    assert.equal(wordBefore("\u212acard 1", 6, CONTEXT_WINDOW, ["card"]), false);
    assert.equal(wordBefore("\u212a card 1", 7, CONTEXT_WINDOW, ["card"]), true);
    // "İ" lower-cases to "i" and a combining dot, which ends the word "ci".
    assert.equal(wordBefore("C\u0130 1", 3, CONTEXT_WINDOW, ["ci"]), true);
    assert.equal(wordBefore("CI 1", 3, CONTEXT_WINDOW, ["ci"]), true);
    assert.equal(wordBefore("C\u0130X 1", 4, CONTEXT_WINDOW, ["ci"]), true);
    assert.equal(wordBefore("CIX 1", 4, CONTEXT_WINDOW, ["ci"]), false);
  });
});
