import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { gapEnd, matchCountry, matchDirectional, matchUnit } from "../../../src/pii/recognizers/address-tail.js";

/*
 * The tail readers check a few characters before running their regular expressions, and read
 * the gaps between an address's parts without one. The references are the expressions alone,
 * as the readers were before; on text of gap, unit and near-miss pieces the answers must agree.
 */

const SEPARATOR = /,?(?:[ \t\u00A0]{0,2}\r?\n[ \t]{0,4}|[ \t\u00A0]{1,2})/y;
const STATE_ZIP_GAP = /,?(?:[ \u00A0]{0,2}\r?\n[ \t]{0,4}|[ \u00A0]{1,2})/y;
const DIRECTIONAL = /[ \u00A0](?:[NS]\.[EW]\.|[NS][EW]|[NSEW]\.?)(?![\p{L}\p{N}])/uy;
const UNIT_ID = "(?:[0-9]{1,5}(?:-?[A-Za-z0-9]{1,3})?|[A-Z]{1,2}(?:-?[0-9]{1,4})?)";
const UNIT_WORDS =
  "Apartment|Apt|Suite|Ste|Unit|Floor|Fl|Room|Rm|Building|Bldg|Dept|Lot|Flat|" +
  "APARTMENT|APT|SUITE|STE|UNIT|FLOOR|FL|ROOM|RM|BUILDING|BLDG|DEPT|LOT|FLAT";
const FLOOR_ORDINALS =
  "First|Second|Third|Fourth|Fifth|Sixth|Seventh|Eighth|Ninth|Tenth|Eleventh|Twelfth|Ground|Top|" +
  "FIRST|SECOND|THIRD|FOURTH|FIFTH|SIXTH|SEVENTH|EIGHTH|NINTH|TENTH|GROUND";
const UNIT = new RegExp(
  `(?:,?[ \\t\\u00A0]{0,2}\\r?\\n[ \\t]{0,4}|,?[ \\t\\u00A0]{1,2}|[ \\u00A0][-–][ \\u00A0])` +
    `(?:(?:${UNIT_WORDS})\\.?[ \\u00A0]?#?[ \\u00A0]?${UNIT_ID}` +
    `|#[ \\u00A0]?[0-9]{1,5}(?:-?[A-Za-z0-9]{1,3})?` +
    `|(?:[1-9][0-9]?(?:st|nd|rd|th)|${FLOOR_ORDINALS})[ \\u00A0](?:Floor|Fl\\.?|FLOOR))` +
    `(?![\\p{L}\\p{N}])`,
  "uy",
);

const COUNTRIES = [
  "USA", "U\\.S\\.A\\.", "United States(?: of America)?", "UNITED STATES", "UK", "U\\.K\\.", "United Kingdom",
  "UNITED KINGDOM", "Great Britain", "England", "Scotland", "Wales", "Northern Ireland", "Germany", "GERMANY",
  "Deutschland", "DEUTSCHLAND",
];
const COUNTRY = new RegExp(`,?(?:[ \\t\\u00A0]{1,2}|\\r?\\n)(?:${COUNTRIES.join("|")})(?![\\p{L}\\p{N}])`, "uy");

function reference(re: RegExp, text: string, at: number): number {
  re.lastIndex = at;
  return re.test(text) ? re.lastIndex : -1;
}

// Gaps of every length and kind, unit words, ordinals, compass letters, near misses.
const piece = fc.constantFrom(
  ",", " ", "  ", "\t", "\u00a0", "\n", "\r", "\r\n", "-", "–", "#", "1", "5th", "12", "4B", "A", "B-2",
  "Apt", "Apt.", "APT", "Apartment", "Suite", "Ste", "Ste.", "Fl", "FL", "Floor", "Rm", "Room", "Lot", "Flat", "Dept",
  "Second", "SECOND", "Seventh", "Top", "Ground", "Seattle", "Denver", "Stop", "Flo", "Ap",
  "N", "S", "E", "W", "NW", "SE", "N.", "N.E.", "North", "é", "\u0663", "\u{1d400}", "x",
  "USA", "U.S.A.", "United States", "United States of America", "UK", "U.K.", "Germany", "GERMANY", "Deutschland", "Wales", "Utah",
);
const gapPiece = fc.constantFrom(",", " ", "\t", "\u00a0", "\n", "\r", "\r\n", "\t\t");
const text = fc.oneof(
  fc.array(piece, { maxLength: 10 }).map((parts) => parts.join("")),
  // long gaps before a unit or a city
  fc.tuple(fc.array(gapPiece, { maxLength: 8 }), piece, piece).map(([gap, a, b]) => gap.join("") + a + b),
);

function sameAtEveryOffset(name: string, mine: (t: string, at: number) => number, re: RegExp): void {
  fc.assert(
    fc.property(text, (t) => {
      for (let at = 0; at <= t.length + 1; at++) assert.equal(mine(t, at), reference(re, t, at), `${name} ${JSON.stringify(t)} @${at}`);
    }),
    { numRuns: 4000 },
  );
}

describe("address-tail: readers without (or before) their regular expressions agree with them", () => {
  test("the gap between parts", () => sameAtEveryOffset("separator", (t, at) => gapEnd(t, at, true), SEPARATOR));
  test("the gap between state and ZIP (no tab before a break)", () => sameAtEveryOffset("state-zip", (t, at) => gapEnd(t, at, false), STATE_ZIP_GAP));
  test("directionals", () => sameAtEveryOffset("directional", matchDirectional, DIRECTIONAL));
  test("units", () => sameAtEveryOffset("unit", matchUnit, UNIT));
  test("countries", () => sameAtEveryOffset("country", matchCountry, COUNTRY));

  test("known answers, positive and negative", () => {
    assert.equal(gapEnd(", Seattle", 0, true), 2);
    assert.equal(gapEnd(",\r\n    Boston", 0, true), 7);
    assert.equal(gapEnd("   x", 0, true), 2); // three spaces: the two-space form
    assert.equal(gapEnd(",x", 0, true), -1); // a bare comma is a CSV field's
    assert.equal(gapEnd("\tx", 0, false), -1); // no tab between state and ZIP
    assert.equal(matchDirectional(" NW, Washington", 0), 3);
    assert.equal(matchDirectional(", NW", 0), -1);
    assert.equal(matchDirectional(" North", 0), -1); // a word, not a compass suffix
    assert.equal(matchUnit(", Suite 3300, New York", 0), 12);
    assert.equal(matchUnit(" - Suite 330", 0), 12);
    assert.equal(matchUnit(", 5th Floor", 0), 11);
    assert.equal(matchUnit(", Seattle, WA", 0), -1);
    assert.equal(matchCountry(", USA\n", 0), 5);
    assert.equal(matchCountry(",\r\nUnited Kingdom", 0), 17);
    assert.equal(matchCountry(", Utah", 0), -1);
    assert.equal(matchCountry(",    USA", 0), -1); // more than two spaces
    assert.equal(matchUnit(",          Apt 4", 0), -1); // a gap longer than any separator
    assert.equal(matchUnit(", \u00a0\r\n \t  Apt 4", 0), 14); // the longest gap a unit may follow
    assert.equal(matchUnit(",\r\n\t\t\t\tFl 2", 0), 11);
  });
});
