import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { Metadata } from "libphonenumber-js/core";
import metadataJson from "libphonenumber-js/metadata.max.json";
import { compileLeadingDigits, prefixesOf } from "../../src/pii/recognizers/phone-leading.js";

/** Every digit string of 0..length digits. */
function allDigitStrings(length: number): string[] {
  let level = [""];
  const all = [""];
  for (let n = 1; n <= length; n++) {
    level = level.flatMap((s) => [..."0123456789"].map((d) => s + d));
    all.push(...level);
  }
  return all;
}

/** The part of libphonenumber-js's Metadata this reads (its typings leave these out). */
interface MetadataView {
  countryCallingCodes(): Record<string, string[]>;
  getCountryCodesForCallingCode(callingCode: string): string[] | undefined;
  selectNumberingPlan(country: string): unknown;
  numberingPlan?: { leadingDigits(): string | undefined };
}

function leadingPatterns(): string[] {
  const metadata = new Metadata(metadataJson) as unknown as MetadataView;
  const patterns: string[] = [];
  for (const callingCode of Object.keys(metadata.countryCallingCodes())) {
    for (const country of metadata.getCountryCodesForCallingCode(callingCode) ?? []) {
      if (country === "001") continue;
      metadata.selectNumberingPlan(country);
      const leading = metadata.numberingPlan?.leadingDigits();
      if (leading) patterns.push(leading);
    }
  }
  return patterns;
}

const STRINGS = allDigitStrings(5);

function assertSameAsExpression(pattern: string): void {
  const expression = new RegExp(`^(?:${pattern})`);
  const leading = compileLeadingDigits(pattern);
  for (const s of STRINGS) assert.equal(leading(s), expression.test(s), `${pattern} on "${s}"`);
}

test("every leading-digits pattern of the metadata answers as its expression, on every number start", () => {
  const patterns = leadingPatterns();
  assert.ok(patterns.length > 20, `only ${patterns.length} patterns`);
  for (const pattern of patterns) assertSameAsExpression(pattern);
  // The NANP ones, the point of the module, are plain prefixes.
  assert.deepEqual(prefixesOf("268"), ["268"]);
  assert.deepEqual(prefixesOf("8001|8[024]9"), ["8001", "809", "829", "849"]);
  assert.deepEqual(prefixesOf("1[03-79]|[2-9]"), ["10", "13", "14", "15", "16", "17", "19", ..."23456789"]);
});

test("patterns beyond digits, classes and | keep the expression, and answer as it does", () => {
  for (const pattern of ["74576|(?:16|7[56])24", "[^5]1", "7?8", "[0-]", "a1", "1\\s", "(?:)"]) {
    assert.equal(prefixesOf(pattern), undefined, pattern);
    assertSameAsExpression(pattern);
  }
  // A range written backwards is no pattern at all: the expression refuses it, and so does this.
  assert.equal(prefixesOf("[5-3]"), undefined);
  assert.throws(() => compileLeadingDigits("[5-3]"), SyntaxError);
  // An empty alternative matches every start, as "^(?:1|)" does.
  assert.deepEqual(prefixesOf("1|"), ["1", ""]);
  assertSameAsExpression("1|");
  assertSameAsExpression("\\d3");
});

test("generated digit-class patterns answer as their expressions (property)", () => {
  const element = fc.oneof(
    fc.integer({ min: 0, max: 9 }).map(String),
    fc.constant("\\d"),
    fc
      .tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 9 }), fc.boolean())
      .map(([a, b, range]) => (range ? `[${Math.min(a, b)}-${Math.max(a, b)}]` : `[${a}${b}]`)),
  );
  const alternative = fc.array(element, { minLength: 1, maxLength: 3 }).map((parts) => parts.join(""));
  fc.assert(
    fc.property(fc.array(alternative, { minLength: 1, maxLength: 3 }), fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 6 }), (alternatives, digits) => {
      const pattern = alternatives.join("|");
      const number = digits.join("");
      assert.equal(compileLeadingDigits(pattern)(number), new RegExp(`^(?:${pattern})`).test(number), `${pattern} on ${number}`);
    }),
    { numRuns: 3000 },
  );
});
