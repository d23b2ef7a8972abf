/**
 * The card and SSN checks that read digits straight from the text's groups (no string per
 * candidate) against the string checks they replace, on random groupings and on the numbers
 * each rule is there to refuse.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { issuerAccepts, validCardGroups } from "../../../src/pii/recognizers/credit-card.js";
import { DigitGroups, digitsOf } from "../../../src/pii/recognizers/digits-runs.js";
import { luhnValid, luhnValidDigits } from "../../../src/pii/recognizers/luhn.js";
import { validSsn, validSsnGroups } from "../../../src/pii/recognizers/us-ssn.js";

/** `digits` split into groups of the given sizes (the rest in a last group), joined by `sep`. */
function grouped(digits: string, sizes: readonly number[], sep: string): { text: string; groups: DigitGroups } {
  const parts: string[] = [];
  let at = 0;
  for (const size of sizes) {
    if (at >= digits.length) break;
    parts.push(digits.slice(at, at + size));
    at += size;
  }
  if (at < digits.length) parts.push(digits.slice(at));
  const text = `x ${parts.join(sep)} y`;
  const groups = new DigitGroups();
  groups.read(text, 2, text.length - 2);
  return { text, groups };
}

const digitString = (min: number, max: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: min, maxLength: max }).map((d) => d.join(""));
const sizes = fc.array(fc.integer({ min: 1, max: 6 }), { maxLength: 5 });
const sep = fc.constantFrom(" ", "-");

describe("validSsnGroups", () => {
  test("answers as validSsn on the groups' digits, for any grouping", () => {
    fc.assert(
      fc.property(digitString(1, 12), sizes, sep, (digits, split, joint) => {
        const { text, groups } = grouped(digits, split, joint);
        assert.equal(validSsnGroups(text, groups, 0, groups.count - 1), validSsn(digitsOf(text, groups, 0, groups.count - 1)));
      }),
      { numRuns: 3000 },
    );
  });

  test("answers as validSsn near every rule's edge", () => {
    const areas = ["000", "001", "665", "666", "667", "899", "900", "999", "078", "219", "123"];
    const groupsOf = ["00", "01", "05", "09", "45", "99"];
    const serials = ["0000", "0001", "1120", "9999", "6789", "1111"];
    for (const area of areas) {
      for (const group of groupsOf) {
        for (const serial of serials) {
          const { text, groups } = grouped(area + group + serial, [3, 2, 4], "-");
          assert.equal(validSsnGroups(text, groups, 0, 2), validSsn(area + group + serial), area + group + serial);
        }
      }
    }
  });

  test("refuses what validSsn refuses and takes a valid number", () => {
    for (const refused of ["078051120", "219099999", "123456789", "111111111", "000123456", "666123456", "900123456", "123001234", "123450000"]) {
      const { text, groups } = grouped(refused, [9], "-");
      assert.equal(validSsnGroups(text, groups, 0, 0), false, refused);
    }
    const { text, groups } = grouped("439017684", [3, 2, 4], "-");
    assert.equal(validSsnGroups(text, groups, 0, 2), true);
    // Eight or ten digits are no SSN, however grouped.
    assert.equal(validSsnGroups(...spread(grouped("43901768", [3, 2, 3], "-"))), false);
    assert.equal(validSsnGroups(...spread(grouped("4390176841", [3, 2, 5], "-"))), false);
  });
});

function spread({ text, groups }: { text: string; groups: DigitGroups }): [string, DigitGroups, number, number] {
  return [text, groups, 0, groups.count - 1];
}

describe("validCardGroups", () => {
  test("answers as issuerAccepts and luhnValid on the groups' digits, for any grouping", () => {
    // Every issuer's prefixes and range edges, and some no issuer uses.
    const prefixes = ["4", "51", "55", "2221", "2720", "34", "37", "6011", "644", "65", "622126", "622925"];
    prefixes.push("62", "3528", "3589", "300", "305", "36", "38", "39", "1", "7", "8", "9");
    const prefixed = fc.tuple(fc.constantFrom(...prefixes), digitString(8, 18)).map(([p, rest]) => p + rest);
    fc.assert(
      fc.property(fc.oneof(prefixed, digitString(1, 22)), sizes, sep, (digits, split, joint) => {
        const { text, groups } = grouped(digits, split, joint);
        const all = digitsOf(text, groups, 0, groups.count - 1);
        assert.equal(validCardGroups(text, groups, 0, groups.count - 1), issuerAccepts(all) && luhnValid(all));
      }),
      { numRuns: 5000 },
    );
  });

  test("takes real card numbers in their groupings and refuses a Luhn failure", () => {
    for (const pan of ["4111111111111111", "5555555555554444", "378282246310005", "6011111111111117", "3530111333300000", "30569309025904"]) {
      const { text, groups } = grouped(pan, [4, 4, 4, 4], " ");
      assert.equal(validCardGroups(text, groups, 0, groups.count - 1), true, pan);
      const broken = pan.slice(0, -1) + String((Number(pan.at(-1)) + 1) % 10);
      const bad = grouped(broken, [4, 4, 4, 4], " ");
      assert.equal(validCardGroups(bad.text, bad.groups, 0, bad.groups.count - 1), false, broken);
    }
    // Twenty digits are too many for any issuer, whatever their checksum.
    const long = grouped("41111111111111111113", [4, 4, 4, 4, 4], " ");
    assert.equal(validCardGroups(long.text, long.groups, 0, long.groups.count - 1), false);
  });

  test("issuerAccepts still answers for any string as its prefix arithmetic did", () => {
    // Non-digits lead nowhere: "4" must be the first character's digit value for Visa.
    assert.equal(issuerAccepts("4111111111111111"), true);
    assert.equal(issuerAccepts("x111111111111111"), false);
    assert.equal(issuerAccepts("411111111111"), false);
  });
});

describe("luhnValidDigits", () => {
  test("answers as luhnValid on the same digits", () => {
    fc.assert(
      fc.property(digitString(0, 24), (digits) => {
        const values = [...digits].map(Number);
        assert.equal(luhnValidDigits(values, values.length), luhnValid(digits));
      }),
      { numRuns: 3000 },
    );
  });
});
