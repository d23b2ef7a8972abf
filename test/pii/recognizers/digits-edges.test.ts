/**
 * Numbers at the very start and end of a text, where the digit recognizers read one or two
 * characters past the edge (codeAt answers -1 there): found exactly as in the middle of a text.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createPiiEngine } from "../../../src/pii/engine.js";
import { codeAt, isAsciiAlnum, isAsciiWordCode, isDigit, isDigitCode } from "../../../src/pii/recognizers/chars.js";

const engine = createPiiEngine();

function found(text: string): string[] {
  return engine.detect(text).map((f) => `${f.type}:${text.slice(f.start, f.end)}`);
}

describe("codeAt", () => {
  test("is charCodeAt inside the text and -1 outside it", () => {
    const text = "a1(";
    assert.deepEqual([0, 1, 2].map((i) => codeAt(text, i)), [97, 49, 40]);
    for (const i of [-2, -1, 3, 4, 100]) assert.equal(codeAt(text, i), -1);
    assert.equal(codeAt("", 0), -1);
  });
});

describe("isDigitCode and isAsciiWordCode", () => {
  test("answer as the range tests they replace, for every UTF-16 code unit and -1", () => {
    for (let code = -1; code <= 0xffff; code++) {
      assert.equal(isDigitCode(code), isDigit(code), String(code));
      assert.equal(isAsciiWordCode(code), isAsciiAlnum(code) || code === 95, String(code));
    }
  });

  test("isAsciiWordCode refuses NaN (a read past the text); isDigit does too", () => {
    assert.equal(isAsciiWordCode(Number.NaN), false);
    assert.equal(isDigit(Number.NaN), false);
  });
});

describe("digit recognizers at the edges of a text", () => {
  const numbers: [string, string][] = [
    ["PHONE_NUMBER", "+1 415 555 2671"],
    ["PHONE_NUMBER", "(415) 555-2671"],
    ["PHONE_NUMBER", "+44 20 7946 0958"],
    ["CREDIT_CARD", "4111 1111 1111 1111"],
    ["CREDIT_CARD", "4111111111111111"],
    ["US_SSN", "234-56-7890"],
  ];
  for (const [type, value] of numbers) {
    test(`${type} ${value}: alone, first, last and inside`, () => {
      const expected = [`${type}:${value}`];
      assert.deepEqual(found(value), expected);
      assert.deepEqual(found(`${value} is on file`), expected);
      assert.deepEqual(found(`on file: ${value}`), expected);
      assert.deepEqual(found(`on file: ${value} today`), expected);
    });
  }

  test("a number cut short at the end of the text is not reported", () => {
    assert.deepEqual(found("SSN 234-56-789"), []);
    assert.deepEqual(found("card 4111 1111 1111 111"), []);
    assert.deepEqual(found("call +1 415 5"), []);
  });

  test("a number glued to something at the start is still refused there", () => {
    assert.deepEqual(found("#4155552671"), []);
    assert.deepEqual(found("x4111111111111111"), []);
  });
});
