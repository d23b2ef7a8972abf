import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { GERMAN_STREET_SUFFIXES } from "../../src/pii/recognizers/address-lexicon.js";
import { streetSuffixStart } from "../../src/pii/recognizers/address-german.js";
import { findTd3Zones } from "../../src/pii/recognizers/mrz.js";

// The expression streetSuffixStart stands for, built as address-german.ts builds it.
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const SUFFIX_AT_END = new RegExp(`(?:${GERMAN_STREET_SUFFIXES.map(escape).join("|")})$`, "i");

function byRegex(word: string): number {
  const match = SUFFIX_AT_END.exec(word);
  return match === null ? -1 : match.index;
}

test("the case-insensitive regex folds only ASCII letters: every code unit against every ending character", () => {
  const chars = new Set(GERMAN_STREET_SUFFIXES.join(""));
  for (const char of chars) {
    const one = new RegExp(`^${escape(char)}$`, "i");
    const code = char.charCodeAt(0);
    const expected = code >= 97 && code <= 122 ? [code - 32, code] : [code];
    const matched: number[] = [];
    for (let unit = 0; unit <= 0xffff; unit++) if (one.test(String.fromCharCode(unit))) matched.push(unit);
    assert.deepEqual(matched, expected, char);
  }
});

test("streetSuffixStart finds where the regex's match starts, on every ending in any case and on near misses", () => {
  const words = ["Hauptstraße", "HAUPTSTRASSE", "Musterstr.", "Waldweg", "Marktplatz", "Lindenallee", "Ring", "Kurfürstendamm",
    "Mainufer", "Berliner Chaussee", "Hochsteig", "Feldpfad", "Strasse", "straẞe", "Wegner", "Platzhalter", "Musterstr", "Hauptſtraße", "we", "", "ß"];
  for (const word of words) assert.equal(streetSuffixStart(word, 0, word.length), byRegex(word), word);
  // Inside a longer text, only text[start, end) counts.
  const text = "Die Hauptstraße 5";
  assert.equal(streetSuffixStart(text, 4, 15), 9);
  assert.equal(streetSuffixStart(text, 10, 15), -1); // "traße" holds no whole ending
});

test("streetSuffixStart answers as the regex on generated words (property)", () => {
  const piece = fc.oneof(
    fc.constantFrom(...GERMAN_STREET_SUFFIXES, ...GERMAN_STREET_SUFFIXES.map((s) => s.toUpperCase()), "ẞ", "ſ", "K", "İ", "ss"),
    fc.string({ maxLength: 3 }),
    fc.constantFrom("Haupt", "Wald", "Ber", "st", "ra", "e", "."),
  );
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 5 }), (pieces) => {
      const word = pieces.join("");
      assert.equal(streetSuffixStart(word, 0, word.length), byRegex(word), JSON.stringify(word));
    }),
    { numRuns: 5000 },
  );
});

const LINE1 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<";
const LINE2 = "L898902C36UTO7408122F1204159ZE184226B<<<<<10";

test("MRZ zones are still found once the quick look at the letters after each P lets the regex run", () => {
  const text = `Pay Park PO Box. Passport zone:\n${LINE1}\n${LINE2}\nend`;
  const zones = findTd3Zones(text);
  assert.equal(zones.length, 1);
  assert.equal(text.slice(zones[0]!.start, zones[0]!.end), `${LINE1}\n${LINE2}`);
  // A zone cut short at the end of the text, or with a lower-case letter in line 1, is none.
  assert.deepEqual(findTd3Zones(`${LINE1}\n${LINE2.slice(0, 43)}`), []);
  assert.deepEqual(findTd3Zones(`P<UtOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n${LINE2}`), []);
  // The shortest zone (one-character break) at the very end of the text is found.
  const shortest = `${LINE1} ${LINE2}`;
  assert.equal(findTd3Zones(shortest).length, 1);
});
