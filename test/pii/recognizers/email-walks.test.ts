import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { isAsciiAlnum, isAsciiLetter } from "../../../src/pii/recognizers/chars.js";
import { emailRecognizer } from "../../../src/pii/recognizers/email.js";
import type { Candidate } from "../../../src/pii/types.js";

/*
 * The recognizer notes what validation needs while it walks each side of an "@", instead of
 * reading the local part and the domain again. The reference below is the recognizer as it was
 * before (walk, then validate each side on its own); on text made of address pieces and near
 * misses the two must report the same spans.
 */

// ---- reference: the recognizer before the single-read walks ----
const MAX_LOCAL = 64;
const MAX_DOMAIN = 253;
const MAX_LABEL = 63;

// The part of RFC 5322 atext that real addresses use, plus the dot. Left out on purpose: / = ' `
// { | }, which are legal but in practice belong to the text around an address ("email=bob@x.io",
// "crm://contacts/bob@x.io", "'bob@x.io'"), so including them would mask that text too.
const NON_ASCII_LETTER = /[\p{L}\p{M}\p{N}]/u;
const NON_ASCII_DIGIT = /\p{N}/u;

// ASCII characters of local parts (1) and of domains (2), as a table: these run for every
// character walked from each "@".
const ASCII_CHARS = new Uint8Array(128);
for (let code = 0; code < 128; code++) {
  if (isAsciiAlnum(code)) ASCII_CHARS[code] = 3;
}
for (const c of "!#$%&*+?^_~") ASCII_CHARS[c.charCodeAt(0)] = 1;
ASCII_CHARS[45] = 3; // -
ASCII_CHARS[46] = 3; // .
const LOCAL = 1;
const DOMAIN = 2;

function isLocalChar(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  if (code < 128) return (ASCII_CHARS[code]! & LOCAL) !== 0;
  return NON_ASCII_LETTER.test(text[index]!); // RFC 6531 internationalized local parts
}

function isDomainChar(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  if (code < 128) return (ASCII_CHARS[code]! & DOMAIN) !== 0;
  return NON_ASCII_LETTER.test(text[index]!); // IDN: bücher.de, пример.рф
}

/** The local part text[start, at): not empty, no dot at either end, no two dots in a row. */
function validLocal(text: string, start: number, at: number): boolean {
  if (start >= at || text.charCodeAt(start) === 46 || text.charCodeAt(at - 1) === 46) return false;
  for (let i = start + 1; i < at; i++) if (text.charCodeAt(i) === 46 && text.charCodeAt(i - 1) === 46) return false;
  return true;
}

/** The domain text[from, to): two labels or more, each 1-63 long and not starting or ending in "-". */
function validDomain(text: string, from: number, to: number): boolean {
  let labels = 0;
  let labelStart = from;
  for (let i = from; i <= to; i++) {
    if (i < to && text.charCodeAt(i) !== 46) continue;
    const length = i - labelStart;
    if (length === 0 || length > MAX_LABEL) return false;
    if (text.charCodeAt(labelStart) === 45 || text.charCodeAt(i - 1) === 45) return false;
    labels++;
    if (i < to) labelStart = i + 1;
  }
  if (labels < 2) return false;
  const tldLength = to - labelStart;
  if (text.startsWith("xn--", labelStart)) return tldLength > 4;
  if (tldLength < 2) return false;
  // A top-level domain is letters only (ASCII or not), never digits: 1.2.3@4.5 is not an address.
  for (let i = labelStart; i < to; i++) {
    const code = text.charCodeAt(i);
    if (code < 128 ? !isAsciiLetter(code) : !NON_ASCII_LETTER.test(text[i]!) || NON_ASCII_DIGIT.test(text[i]!)) return false;
  }
  return true;
}

/**
 * Finds addresses by their `@` and grows each side over the characters a local part and a
 * domain may hold, then validates both. Anchoring on `@` keeps the scan to one indexOf pass.
 */
function referenceFind(text: string): Candidate[] {
  const out: Candidate[] = [];
  let at = text.indexOf("@");
  let floor = 0; // nothing before this may be reused (it belongs to an earlier address)
  while (at >= 0) {
    let start = at;
    while (start > floor && at - start <= MAX_LOCAL && isLocalChar(text, start - 1)) start--;
    let end = at + 1;
    while (end < text.length && end - at <= MAX_DOMAIN + 1 && isDomainChar(text, end)) end++;
    // Sentence punctuation is not part of the domain: "mail bob@example.com."
    while (end > at + 1 && (text.charCodeAt(end - 1) === 46 || text.charCodeAt(end - 1) === 45)) end--;
    // Leading dots belong to the surrounding text: "...bob@example.com"
    while (start < at && text.charCodeAt(start) === 46) start++;
    if (at - start <= MAX_LOCAL && end - at - 1 <= MAX_DOMAIN && validLocal(text, start, at) && validDomain(text, at + 1, end)) {
      out.push({ start, end, score: 1 });
      floor = end;
    }
    at = text.indexOf("@", Math.max(at + 1, floor));
  }
  return out;
}

// ---- end of reference ----

const piece = fc.constantFrom(
  "a", "Z", "0", "9", "bob", "x.y", "@", "@", ".", "..", "-", "--", "_", "+", "%", "!", "~", " ", ",", ";", "<", ">", "\n",
  "example", "com", "co.uk", "de", "io", "xn--", "xn--bcher-kva", "ü", "bücher", "п", "рф", "\u0663", "\u00e9",
  "\ud835", "\udc00", "\u{1d400}", "a".repeat(63), "b".repeat(64), "1.2.3", "4.5",
);
const text = fc.array(piece, { maxLength: 24 }).map((parts) => parts.join(""));
// An address-shaped text: local-part pieces, "@", domain pieces, between other text.
const localPiece = fc.constantFrom("a", "b1", ".", "..", "-", "_", "+", "ü", "п", "\u0663", "\ud835", " ");
const domainPiece = fc.constantFrom("a", "ex", "0", ".", "..", "-", "com", "de", "xn--", "xn--p1ai", "ü", "рф", "\u0663", "\udc00", " ", "@");
const addressText = fc
  .tuple(piece, fc.array(localPiece, { maxLength: 8 }), fc.array(domainPiece, { maxLength: 8 }), piece)
  .map(([before, local, domain, after]) => `${before}${local.join("")}@${domain.join("")}${after}`);
const spans = (found: readonly Candidate[]): string => JSON.stringify(found.map((c) => [c.start, c.end, c.score]));

describe("EMAIL_ADDRESS: single-read walks report what walk-then-validate did", () => {
  test("same candidates on address-like text", () => {
    fc.assert(
      fc.property(text, (t) => {
        assert.equal(spans(emailRecognizer.find(t)), spans(referenceFind(t)), JSON.stringify(t));
      }),
      { numRuns: 20000 },
    );
  });

  test("same candidates on address-shaped text", () => {
    fc.assert(
      fc.property(addressText, (t) => {
        assert.equal(spans(emailRecognizer.find(t)), spans(referenceFind(t)), JSON.stringify(t));
      }),
      { numRuns: 20000 },
    );
  });

  test("same candidates on long local parts and domains (the length caps)", () => {
    const long = fc
      .tuple(fc.integer({ min: 60, max: 70 }), fc.integer({ min: 1, max: 70 }), fc.integer({ min: 0, max: 4 }), fc.constantFrom(".", "-", ".."))
      .map(([local, label, labels, tail]) => `x ${"l".repeat(local)}@${Array.from({ length: labels + 1 }, () => "d".repeat(label)).join(".")}.com${tail} y`);
    fc.assert(
      fc.property(long, (t) => {
        assert.equal(spans(emailRecognizer.find(t)), spans(referenceFind(t)), t);
      }),
      { numRuns: 2000 },
    );
  });

  test("known answers, positive and negative", () => {
    const found = (t: string): string[] => emailRecognizer.find(t).map((c) => t.slice(c.start, c.end));
    assert.deepEqual(found("mail ..bob@example.com.."), ["bob@example.com"]);
    assert.deepEqual(found("a..b@example.com"), []); // two dots in a row
    assert.deepEqual(found("..a..b@example.com ..a.b@example.com"), ["a.b@example.com"]); // leading dots are cut, inner ones count
    assert.deepEqual(found("x@bücher.de and y@xn--bcher-kva.example"), ["x@bücher.de", "y@xn--bcher-kva.example"]);
    assert.deepEqual(found("bob@example..com"), []); // an empty label
    assert.deepEqual(found("bob@-example.com bob@example-.com"), []); // a label with a dash at an end
    assert.deepEqual(found("1.2.3@4.5 bob@example.c0m"), []); // digits in the top-level domain
  });
});
