import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { matchUkPostcode, matchUsState, matchUsZip } from "../../../src/pii/recognizers/address-postcode.js";
import { referenceUkPostcode, referenceUsState, referenceUsZip } from "./address-postcode-oracles.js";

/*
 * The matchers check a few characters before running their regular expressions (and read a
 * state code without one). The references (address-postcode-oracles.ts) are the expressions
 * alone, as the matchers were before; on text built from postcode, state and near-miss pieces
 * the answers must be the same.
 */

// Postcodes, states and the characters around them: letters and digits of other scripts (one
// outside the BMP) right after a code, lone surrogates, near misses of every part.
const piece = fc.constantFrom(
  "SW1A 2AA", "M1 1AE", "LS1 5HD", "EC1A1BB", "W1A 0AX", "B33 8TH", "CR2 6XH", "DN55 1PT", "GIR 0AA", "GIR0AA", "GIR 0AB",
  "QQ1 1AA", "SW1A 2CA", "A", "Z", "9", "0", " ", ",", ".", "-",
  "IL", "NY", "DC", "D.C.", "D.C", "D.", "XX", "WA", "New York", "NEW YORK", "New Yorkshire", "Washington", "WASHINGTON",
  "District of Columbia", "Ne", "Se", "Seattle", "ILx", "IL9", "ILé", "IL\u00e9", "IL\u0661", "IL\u{1d400}", "\u{1d400}",
  "\ud835", "\udc00", "É", "é", "a", "z",
  "62704", "00000", "000001", "02110-1301", "02110-13", "02110-", "-", "1234", "12345a", "123456",
);
const text = fc.array(piece, { maxLength: 8 }).map((parts) => parts.join(""));

describe("address-postcode: the prechecks change no answer", () => {
  test("matchUkPostcode equals its expressions at every offset", () => {
    fc.assert(
      fc.property(text, (t) => {
        for (let at = 0; at <= t.length; at++) assert.equal(matchUkPostcode(t, at), referenceUkPostcode(t, at), `${JSON.stringify(t)} @${at}`);
      }),
      { numRuns: 3000 },
    );
  });

  test("matchUsState equals its expressions at every offset", () => {
    fc.assert(
      fc.property(text, (t) => {
        for (let at = 0; at <= t.length; at++) assert.equal(matchUsState(t, at), referenceUsState(t, at), `${JSON.stringify(t)} @${at}`);
      }),
      { numRuns: 3000 },
    );
  });

  test("matchUsZip equals its expression at every offset", () => {
    fc.assert(
      fc.property(text, (t) => {
        for (let at = 0; at <= t.length; at++) assert.equal(matchUsZip(t, at), referenceUsZip(t, at), `${JSON.stringify(t)} @${at}`);
      }),
      { numRuns: 3000 },
    );
  });

  test("known answers, positive and negative", () => {
    assert.equal(matchUsZip("62704", 0), 5);
    assert.equal(matchUsZip("02110-1301 USA", 0), 10);
    assert.equal(matchUsZip("02110-13", 0), 5); // a cut +4: the five digits alone
    assert.equal(matchUsZip("02110-1301a", 0), 5);
    assert.equal(matchUsZip("00000", 0), -1);
    assert.equal(matchUsZip("123456", 0), -1); // six digits
    assert.equal(matchUsZip("12345\u0663", 0), -1); // a digit of another script
    assert.equal(matchUkPostcode("SW1A 2AA", 0), 8);
    assert.equal(matchUkPostcode("GIR 0AA", 0), 7);
    assert.equal(matchUkPostcode("Seattle", 0), -1);
    assert.equal(matchUkPostcode("QQ1 1AA", 0), -1); // no such area
    assert.equal(matchUsState("IL 62704", 0), 2);
    assert.equal(matchUsState("D.C. 20500", 0), 4);
    assert.equal(matchUsState("New York", 0), 8);
    assert.equal(matchUsState("XX 12345", 0), -1); // not a state code
    assert.equal(matchUsState("ILé", 0), -1); // glued to a letter
    assert.equal(matchUsState("IL\u{1d400}", 0), -1); // a letter outside the BMP
    assert.equal(matchUsState("Seattle", 0), -1);
  });
});
