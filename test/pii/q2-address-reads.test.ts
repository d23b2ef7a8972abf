import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { isHouseNumberAt, mayFollowCopyrightMark } from "../../src/pii/recognizers/address-number-first.js";
import { matchGermanPlz, matchUkPostcode, matchUsState } from "../../src/pii/recognizers/address-postcode.js";
import { cityWordEnd, matchGermanUnit } from "../../src/pii/recognizers/address-tail.js";
import { referenceUkPostcode, referenceUsState } from "./recognizers/address-postcode-oracles.js";

/*
 * The street-address readers that replaced a regular expression (or run one only behind a
 * character check) against the expression itself, as the recognizer used it before: on text of
 * house numbers, city words, copyright lines and near misses, the answers must be the same.
 */

const HOUSE_NUMBER = /^[1-9][0-9]{0,4}[A-Za-z]?(?:-[0-9]{1,3}[A-Za-z]?)?$/;
const CITY_WORD = new RegExp(
  "(?:(?:St|Ft|Mt|Pt|ST|FT|MT|PT)\\.?[ \\u00A0])?" + "(?:\\p{Lu}[\\p{L}'’-]{0,28}\\p{Ll}|\\p{Lu}[\\p{Lu}'’-]{1,28})(?![\\p{L}\\p{N}])",
  "uy",
);
const COPYRIGHT_BEFORE =
  /(?:©|\([Cc]\)|[Cc]opyright|COPYRIGHT)[\s:]*(?:[0-9]{4}(?:[ ]?(?:[-–]|&ndash;)[ ]?(?:[0-9]{2,4})?)?,?[ ]*)*$/u;

const GERMAN_PLZ = /(?:D-|DE-)?(?!00)[0-9]{5}(?![\p{L}\p{N}])/uy;
const GERMAN_UNIT_WORDS = "Whg|Wohnung|App|Apt|Appartement|Apartment|Haus|Aufgang|Eingang|Zi|Zimmer|Raum|Top|Stiege|Etage|Stock";
const GERMAN_FLOORS = "OG|Obergeschoss|Etage|Stock|Stockwerk|UG|Untergeschoss";
const GERMAN_BUILDING_PARTS =
  "EG|Erdgeschoss|DG|Dachgeschoss|UG|Untergeschoss|Souterrain|Hochparterre|Parterre|Hinterhaus|Vorderhaus|" +
  "Seitenflügel|Gartenhaus|Hinterhof|Quergebäude";
const GERMAN_SIDE = "(?:[ \\u00A0](?:links|rechts|Mitte|li\\.|re\\.))?";
const GERMAN_UNIT = new RegExp(
  `(?:,?[ \\t\\u00A0]{0,2}\\r?\\n[ \\t]{0,4}|,?[ \\t\\u00A0]{1,2}|[ \\u00A0][-–][ \\u00A0])` +
    `(?:(?:${GERMAN_UNIT_WORDS})\\.?[ \\u00A0]?(?:[0-9]{1,4}[a-zA-Z]?|[A-Z])` +
    `|[1-9][0-9]?\\.[ \\u00A0]?(?:${GERMAN_FLOORS})${GERMAN_SIDE}` +
    `|(?:${GERMAN_BUILDING_PARTS})${GERMAN_SIDE})` +
    `(?![\\p{L}\\p{N}])`,
  "uy",
);

function reference(re: RegExp, text: string, at: number): number {
  re.lastIndex = at;
  return re.test(text) ? re.lastIndex : -1;
}

const numberPiece = fc.constantFrom("0", "1", "9", "12", "221", "99999", "123456", "B", "a", "th", "-", "--", "'", ".", "é", "\u0663");
const cityPiece = fc.constantFrom(
  "Seattle", "Denver", "St", "St.", "Ft", "Mt", "Pt", "ST", "Stamford", "O'Fallon", "Winston-Salem", "McDonald", "München",
  "Ab", "A", "x", "SEATTLE", "Leeds9", "Abcdefghijklmnopqrstuvwxyzabcd", "Abcdefghijklmnopqrstuvwxyzabcdef", "é", "É", "’",
  " ", "\u00a0", ",", ".", "-", "'", "_", "1", "\n", "\u{1d400}", "\ud800",
);
const copyrightPiece = fc.constantFrom(
  "©", "(c)", "(C)", "Copyright", "copyright", "COPYRIGHT", "opyright", "2019", "2008", "1997", "21", " ", "  ", ":", ",", "-",
  "–", "&ndash;", "&nd", ";", "\n", "\t", "\u00a0", "\u2003", "x", "t", "T", ")", "Iain Lane", "ship to ",
);

const germanPiece = fc.constantFrom(
  "10115", "80331", "00123", "01001", "1234", "123456", "D-", "DE-", "D", "DE", "E-", "-", " ", "  ", ",", "\n", "\r\n", "\t", "\u00a0",
  "Berlin", "Whg.", "Whg", "3", "12a", "2.", "2", "12.", "OG", "Stock", "Hinterhaus", "EG", "links", "re.", "–", "Haus", "B",
  "Zimmer", "Quergebäude", "x", "é", "\u0663", "\u{1d400}",
);

// UK postcode shapes and their parts one by one (areas, districts with a letter, inward codes
// with excluded letters), and state names beside the cities that open like them.
const postcodePiece = fc.constantFrom(
  "NW1", "NW1 ", "6XE", "6CE", "SW1A", "SW1", "W1T", "W1", "EC1M", "EC1", "E1W", "N1C", "M1", "M11", "B33", "CR2", "DN55", "QQ1",
  "AB1C", "W1I", "1AA", "0AX", "8TH", "2AA", "9ZZ", "GIR", "GIR ", "0AA", "A", "B", "Z", "9", "0", " ", "é", "\u0663", "\u{1d400}",
  "Lo", "Lou", "London", "Louisiana", "LOUISIANA", "Denver", "Delaware", "Manchester", "Maine", "Maryland", "Iowa", "IOWA", "Io",
  "Ohio", "Oh", "Utah", "Uta", "New York", "New", "NEW YORK", "Ne", "Columbus", "Colorado", "Col", "IL", "D.C.", "WA",
);

describe("street-address reads by character", () => {
  test("isHouseNumberAt equals the house-number expression on every substring", () => {
    fc.assert(
      fc.property(fc.array(numberPiece, { maxLength: 6 }).map((p) => p.join("")), (t) => {
        for (let start = 0; start < t.length; start++) {
          for (let end = start + 1; end <= t.length; end++) {
            assert.equal(isHouseNumberAt(t, start, end), HOUSE_NUMBER.test(t.slice(start, end)), `${JSON.stringify(t)} [${start}, ${end})`);
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  test("house numbers, positive and negative", () => {
    for (const yes of ["1", "12", "221B", "12a", "12-14", "123-45", "99999", "1-2b"]) assert.equal(isHouseNumberAt(yes, 0, yes.length), true, yes);
    for (const no of ["0", "012", "123456", "1996-2011", "12ab", "12-", "-12", "12-1234", "1é", "B12"]) {
      assert.equal(isHouseNumberAt(no, 0, no.length), false, no);
    }
  });

  test("cityWordEnd equals CITY_WORD at every offset", () => {
    fc.assert(
      fc.property(fc.array(cityPiece, { maxLength: 8 }).map((p) => p.join("")), (t) => {
        for (let at = 0; at <= t.length; at++) assert.equal(cityWordEnd(t, at), reference(CITY_WORD, t, at), `${JSON.stringify(t)} at ${at}`);
      }),
      { numRuns: 600 },
    );
  });

  test("city words, positive and negative", () => {
    assert.equal(cityWordEnd("Seattle, WA", 0), 7);
    assert.equal(cityWordEnd("St. Louis, MO", 0), 9); // the prefix belongs to the city
    assert.equal(cityWordEnd("O'Fallon", 0), 8);
    assert.equal(cityWordEnd("seattle", 0), -1);
    assert.equal(cityWordEnd("Leeds9", 0), -1);
    assert.equal(cityWordEnd("A, B", 0), -1);
  });

  test("where mayFollowCopyrightMark says no, the copyright expression finds nothing", () => {
    fc.assert(
      fc.property(fc.array(copyrightPiece, { maxLength: 8 }).map((p) => p.join("")), fc.nat(60), (t, back) => {
        for (let start = 0; start <= t.length; start++) {
          const from = Math.max(0, start - back);
          if (!mayFollowCopyrightMark(t, from, start)) {
            assert.equal(COPYRIGHT_BEFORE.test(t.slice(from, start)), false, `${JSON.stringify(t)} [${from}, ${start})`);
          }
        }
      }),
      { numRuns: 600 },
    );
  });

  test("copyright marks, positive and negative", () => {
    const line = "Copyright 2008-2019, 2021 ";
    assert.equal(mayFollowCopyrightMark(line, 0, line.length), true);
    assert.equal(mayFollowCopyrightMark("(C) 2016 ", 0, 9), true);
    assert.equal(mayFollowCopyrightMark("ship to ", 0, 8), false);
    // The mark must lie inside the window.
    assert.equal(mayFollowCopyrightMark("© 2016 ", 1, 7), false);
  });

  test("matchGermanPlz equals the PLZ expression at every offset", () => {
    fc.assert(
      fc.property(fc.array(germanPiece, { maxLength: 8 }).map((p) => p.join("")), (t) => {
        for (let at = 0; at <= t.length; at++) assert.equal(matchGermanPlz(t, at), reference(GERMAN_PLZ, t, at), `${JSON.stringify(t)} at ${at}`);
      }),
      { numRuns: 600 },
    );
  });

  test("matchGermanUnit equals the German unit expression at every offset", () => {
    fc.assert(
      fc.property(fc.array(germanPiece, { maxLength: 8 }).map((p) => p.join("")), (t) => {
        for (let at = 0; at <= t.length; at++) assert.equal(matchGermanUnit(t, at), reference(GERMAN_UNIT, t, at), `${JSON.stringify(t)} at ${at}`);
      }),
      { numRuns: 600 },
    );
  });

  test("PLZ and German units, positive and negative", () => {
    assert.equal(matchGermanPlz("10115 Berlin", 0), 5);
    assert.equal(matchGermanPlz("D-10115 Berlin", 0), 7);
    assert.equal(matchGermanPlz("DE-80331", 0), 8);
    assert.equal(matchGermanPlz("00123", 0), -1);
    assert.equal(matchGermanPlz("101150", 0), -1);
    assert.equal(matchGermanPlz("D-1011", 0), -1);
    assert.equal(matchGermanUnit(", Whg. 3, 10115 Berlin", 0), 8);
    assert.equal(matchGermanUnit(", 2. OG links", 0), 13);
    assert.equal(matchGermanUnit(" - Hinterhaus", 0), 13);
    assert.equal(matchGermanUnit(", 10115 Berlin", 0), -1);
    assert.equal(matchGermanUnit(", Berlin", 0), -1);
  });

  test("matchUkPostcode and matchUsState equal their expressions at every offset", () => {
    fc.assert(
      fc.property(fc.array(postcodePiece, { maxLength: 6 }).map((p) => p.join("")), (t) => {
        for (let at = 0; at <= t.length; at++) {
          assert.equal(matchUkPostcode(t, at), referenceUkPostcode(t, at), `UK ${JSON.stringify(t)} at ${at}`);
          assert.equal(matchUsState(t, at), referenceUsState(t, at), `US ${JSON.stringify(t)} at ${at}`);
        }
      }),
      { numRuns: 1500 },
    );
  });

  test("postcodes and states, positive and negative", () => {
    for (const [code, end] of [["NW1 6XE", 7], ["SW1A 2AA", 8], ["M11AE", 5], ["EC1M 1AA", 8], ["GIR 0AA", 7]] as const) {
      assert.equal(matchUkPostcode(code, 0), end, code);
    }
    for (const no of ["QQ1 1AA", "SW1A 2CA", "NW1 6XEZ", "SW1I 2AA", "W1 AAA"]) assert.equal(matchUkPostcode(no, 0), -1, no);
    assert.equal(matchUsState("Louisiana 70112", 0), 9);
    assert.equal(matchUsState("London", 0), -1);
    assert.equal(matchUsState("WA 98101", 0), 2);
  });
});
