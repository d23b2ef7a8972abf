import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { ANCHOR_PATTERN, anchorSearchStart, passportRecognizer } from "../../../src/pii/recognizers/passport.js";

/** The first match of the passport context words searched from `from` (as the recognizer did from 0). */
function firstAnchor(text: string, from: number): { index: number; word: string } | undefined {
  const anchor = new RegExp(ANCHOR_PATTERN.source, ANCHOR_PATTERN.flags);
  anchor.lastIndex = from;
  const m = anchor.exec(text);
  return m === null ? undefined : { index: m.index, word: m[0] };
}

/** anchorSearchStart loses no match: searching from it finds the first match a search from 0 finds. */
function assertSameFirstMatch(text: string): void {
  const expected = firstAnchor(text, 0);
  const start = anchorSearchStart(text);
  if (expected === undefined) {
    assert.ok(start < 0 || firstAnchor(text, start) === undefined, JSON.stringify(text));
    return;
  }
  assert.ok(start >= 0 && start <= expected.index, `${JSON.stringify(text)}: start ${start}, match at ${expected.index}`);
  assert.deepEqual(firstAnchor(text, start), expected, JSON.stringify(text));
}

describe("PASSPORT: the context-word search starts late only where no word can start before", () => {
  test("the word whose part lies deepest in it, at the start of the text: Reisepass", () => {
    for (const text of ["Reisepass C01X00T47", "reisepass:C01X00T47", "REISEPASS", "xReisepass", "a reisepass"]) assertSameFirstMatch(text);
    assert.equal(anchorSearchStart("Reisepass C01X00T47"), 0);
    assert.equal(anchorSearchStart("my reisepass"), 3 + 5 - 5);
  });

  test("a text with no part of any word is skipped, one with a part but no word finds nothing", () => {
    assert.equal(anchorSearchStart("Call 555-0100 or mail jane@example.com"), -1);
    assert.equal(anchorSearchStart(""), -1);
    const start = anchorSearchStart("my password is hunter2"); // "pas" of "password": no passport word
    assert.ok(start >= 0);
    assert.equal(firstAnchor("my password is hunter2", start), undefined);
  });

  test("the recognizer still finds the number a word introduces, wherever the word stands", () => {
    for (const text of ["Reisepass C01X00T47", "Passport number: 533380006", "x. Reisepassnummer C01X00T47", "travel document 533380006"]) {
      const spans = passportRecognizer.find(text).map((c) => text.slice(c.start, c.end));
      assert.equal(spans.length, 1, text);
    }
    assert.deepEqual(passportRecognizer.find("C01X00T47 and 533380006, no word before them"), []);
  });

  test("property: from anchorSearchStart, the first match is the one found from the start of the text", () => {
    const piece = fc.constantFrom(
      "reisepass", "ReisePASS", "pas", "PASSPORT", "passeport", "pass-nr", "passnr", "Passnummer", "pasaporte", "paspoort",
      "passaporto", "travel document", "TRAVEL DOCUMENT", "mrz", "MRZ", "machine readable zone", "password", "pa", "ss", "e",
      "r", "reise", " ", "x", "C01X00T47", ": ", "<", "\u00e9", "\u212a",
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => assertSameFirstMatch(pieces.join(""))),
      { numRuns: 2000 },
    );
  });
});
