import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { isAlnumAt, latin1Table } from "../../src/pii/recognizers/chars.js";
import { createPiiEngine } from "../../src/pii/index.js";

const UNICODE_ALNUM = /[\p{L}\p{N}]/u;

test("latin1Table holds the pattern's own answer for every code below 256", () => {
  for (const pattern of [/\p{L}/u, /\p{Lu}/u, /[\p{L}\p{N}]/u]) {
    const table = latin1Table(pattern);
    assert.equal(table.length, 256);
    for (let code = 0; code < 256; code++) {
      assert.equal(table[code] === 1, pattern.test(String.fromCharCode(code)), `code ${code} ${pattern}`);
    }
  }
  // It can say no: the sign characters of Latin-1 are no letters, the letters are.
  const letters = latin1Table(/\p{L}/u);
  for (const sign of "×÷©°§") assert.equal(letters[sign.charCodeAt(0)], 0, sign);
  for (const letter of "éßüÖÆþ") assert.equal(letters[letter.charCodeAt(0)], 1, letter);
});

test("isAlnumAt answers as /[\\p{L}\\p{N}]/u for every code unit up to U+02FF and past the text", () => {
  for (let code = 0; code < 0x300; code++) {
    const text = `a${String.fromCharCode(code)}b`;
    assert.equal(isAlnumAt(text, 1), UNICODE_ALNUM.test(text[1]!), `code ${code}`);
  }
  assert.equal(isAlnumAt("ab", 2), false);
  assert.equal(isAlnumAt("ab", -1), false);
});

test("isAlnumAt agrees with the regex on any code unit (property)", () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 0xffff }), (code) => {
      const text = String.fromCharCode(code);
      assert.equal(isAlnumAt(text, 0), UNICODE_ALNUM.test(text));
    }),
    { numRuns: 2000 },
  );
});

test("German and Latin-1 street names are still found, and a sign is no letter of a name", () => {
  const engine = createPiiEngine({ entities: ["STREET_ADDRESS"] });
  const text = "Bitte an Müllerstraße 12, 10115 Berlin schicken. Preis ×straße 12 ist kein Name.";
  const found = engine.detect(text).map((f) => text.slice(f.start, f.end));
  assert.ok(found.some((s) => s.startsWith("Müllerstraße 12")), JSON.stringify(found));
  assert.ok(!found.some((s) => s.includes("×")), JSON.stringify(found));
});
