/**
 * International numbers are validated where they stand in the text: the calling code read from
 * the first digits (callingCodeOfPrefix), the national number built from the groups after it.
 * That must answer as building the whole number and asking callingCodeOf did, for every
 * grouping, including a calling code split across groups and a trunk "(0)" written after it.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { getCountries, getExampleNumber } from "libphonenumber-js/max";
import examples from "libphonenumber-js/examples.mobile.json";
import metadataJson from "libphonenumber-js/metadata.max.json";
import { phoneNumbering } from "../../src/pii/recognizers/phone-metadata.js";
import { findPhoneNumbers } from "../../src/pii/recognizers/phone-number.js";

/** The calling codes the metadata has plans for (as the callingCodeOf test reads them). */
const known = new Set([
  ...Object.entries(metadataJson.country_calling_codes as Record<string, string[]>)
    .filter(([, countries]) => countries.some((c) => c !== "001"))
    .map(([code]) => code),
  ...Object.keys(metadataJson.nonGeographic),
]);

/** The rule, on the whole digit string: calling code, then the national number, or it after the trunk prefix. */
function validE164(digits: string): boolean {
  const code = phoneNumbering.callingCodeOf(digits);
  if (code === undefined) return false;
  const nsn = digits.slice(code.length);
  if (phoneNumbering.isValid(code, nsn)) return true;
  const trunk = phoneNumbering.nationalPrefixOf(code);
  return trunk !== undefined && nsn.startsWith(trunk) && phoneNumbering.isValid(code, nsn.slice(trunk.length));
}

/**
 * `digits` cut into groups of the given sizes (the last takes the rest, and never fewer than
 * two: a lone digit late in a number is a list item to the recognizer, whatever the digits).
 */
function grouped(digits: string, sizes: readonly number[]): string[] {
  const groups: string[] = [];
  let at = 0;
  for (const size of sizes) {
    if (at + size + 2 > digits.length) break;
    groups.push(digits.slice(at, at + size));
    at += size;
  }
  groups.push(digits.slice(at));
  return groups;
}

/** Example numbers of every country (E.164 digits, no "+"). */
const exampleDigits = getCountries()
  .map((country) => getExampleNumber(country, examples)?.number.slice(1))
  .filter((digits): digits is string => digits !== undefined);

describe("callingCodeOfPrefix", () => {
  test("names exactly the calling codes of that many digits and that value", () => {
    for (let length = 1; length <= 3; length++) {
      for (let value = 0; value < 10 ** length; value++) {
        const written = String(value).padStart(length, "0");
        assert.equal(phoneNumbering.callingCodeOfPrefix(value, length), known.has(written) ? written : undefined, written);
      }
    }
  });

  test("names none for lengths and values no code has", () => {
    for (const [value, length] of [[1, 0], [1, 4], [1000, 3], [-1, 1], [44, 1], [0.5, 1], [Number.NaN, 2]] as const) {
      assert.equal(phoneNumbering.callingCodeOfPrefix(value, length), undefined, `${value}/${length}`);
    }
  });
});

describe("international numbers validated in place", () => {
  const sizes = fc.array(fc.integer({ min: 2, max: 5 }), { minLength: 0, maxLength: 5 });
  const joint = fc.constantFrom(" ", "-", ".", " - ");

  test("a grouped +number spans the whole text exactly when its digits are valid", () => {
    const digits = fc.oneof(
      fc.constantFrom(...exampleDigits),
      // One digit of an example changed: many of these are invalid.
      fc.tuple(fc.constantFrom(...exampleDigits), fc.nat(), fc.integer({ min: 0, max: 9 })).map(([d, at, digit]) => {
        const k = at % d.length;
        return d.slice(0, k) + String(digit) + d.slice(k + 1);
      }),
    );
    let valid = 0;
    fc.assert(
      fc.property(digits, sizes, joint, (number, cut, separator) => {
        const text = `call +${grouped(number, cut).join(separator)} now`;
        const whole = findPhoneNumbers(text).some((c) => c.start === 5 && c.end === text.length - 4);
        const expected = validE164(number);
        if (expected) valid++;
        // Shapes the recognizer refuses whatever the digits (too long a span, too many digits)
        // are left out: only the validation itself is compared here.
        if (text.length - 9 > 32 || number.length > 15 || number.length < 7) return;
        assert.equal(whole, expected, text);
      }),
      { numRuns: 3000 },
    );
    assert.ok(valid > 500, `only ${valid} valid numbers drawn`);
  });

  test("a calling code split across groups and a trunk (0) after it read as the whole number does", () => {
    // "+4 4 20 7946 0958": the calling code 44 spans two groups.
    assert.deepEqual(findPhoneNumbers("tel +4 4 20 7946 0958 x").map((c) => [c.start, c.end]), [[4, 21]]);
    // "+44 (0)20 7946 0958": the (0) is no digit of the number.
    assert.deepEqual(findPhoneNumbers("tel +44 (0)20 7946 0958 x").map((c) => [c.start, c.end]), [[4, 23]]);
    // "+44 020 7946 0958": the trunk 0 kept after the code, as libphonenumber allows.
    assert.deepEqual(findPhoneNumbers("tel +44 020 7946 0958 x").map((c) => [c.start, c.end]), [[4, 21]]);
    // "+4 (0)4 20 ...": the (0) is skipped while the calling code is read too, so the code is
    // 44 (GB), not 40 (Romania) read through the trunk marker.
    assert.deepEqual(findPhoneNumbers("tel +4 (0)4 20 7946 0958 x").map((c) => [c.start, c.end]), [[4, 24]]);
    // An unknown calling code (+999) validates nothing, however the rest reads.
    assert.deepEqual(findPhoneNumbers("tel +999 20 7946 0958 x"), []);
  });
});
