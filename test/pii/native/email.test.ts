/**
 * The native EMAIL_ADDRESS recognizer (native/pii/src/recognizers/email.rs) reports exactly what
 * the TypeScript one (src/pii/recognizers/email.ts) reports: on the benchmark corpus, on random
 * text aimed at its walks and checks, on the TypeScript tests' own samples, on every BMP code
 * unit in every place of an address, and on arbitrary strings.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { emailRecognizer } from "../../../src/pii/recognizers/email.js";
import { assertAgreesOn, corpusSlices, corpusTexts, kernelSwitchedOff, mixedText, requireKernel } from "./differential.js";

/** Address pieces and near misses (from test/pii/recognizers/email-walks.test.ts and more). */
const EMAIL_FRAGMENTS = [
  "alice@example.com", "bob.smith+news@mail.example.co.uk", "first-last@sub-domain.example.org.", "<ALICE@EXAMPLE.COM>",
  "jürgen@bücher.de", "иван@пример.рф", "x@xn--bcher-kva.example", "a_b%c@d-e.io", "email=", "mailto:", "?subject=x",
  "...", "..", "@", "@@", "user@localhost", "1.2.3@4.5", "a@b", "alice@-example.com", "alice@example-.com",
  "alice@example..com", "alice..bob@example.com", "alice.@example.com", "git@github", "@modelcontextprotocol/sdk@1.32.2",
  "x@y.c", "xn--", "xn--p1ai", ".com", ".de", ".c0m", ".co.uk", "-", "--", "_", "+", "%", "!", "~", "#", "$", "&", "*",
  "?", "^", "/", "=", "'", "`", "{", "|", "}", "\u0663", "\u0301", "\u00e9", "\ud835", "\udc00", "\u{1d400}", "é",
  "a".repeat(63), "b".repeat(64), "c".repeat(65), "d".repeat(70),
];

const piece = fc.constantFrom(
  "a", "Z", "0", "9", "bob", "x.y", "@", "@", ".", "..", "-", "--", "_", "+", "%", "!", "~", " ", ",", ";", "<", ">", "\n",
  "example", "com", "co.uk", "de", "io", "xn--", "xn--bcher-kva", "ü", "bücher", "п", "рф", "\u0663", "\u00e9",
  "\ud835", "\udc00", "\u{1d400}", "a".repeat(63), "b".repeat(64), "1.2.3", "4.5", "\u0301", "\u2160", "\u00b2", "\uff10",
);
const walkText = fc.array(piece, { maxLength: 24 }).map((parts) => parts.join(""));
const localPiece = fc.constantFrom("a", "b1", ".", "..", "-", "_", "+", "ü", "п", "\u0663", "\ud835", " ", "!", "~", "/", "\u0301");
const domainPiece = fc.constantFrom(
  "a", "ex", "0", ".", "..", "-", "com", "de", "xn--", "xn--p1ai", "ü", "рф", "\u0663", "\udc00", " ", "@", "\u0301", "\u00b2", "Ⅻ",
);
const addressText = fc
  .tuple(piece, fc.array(localPiece, { maxLength: 8 }), fc.array(domainPiece, { maxLength: 8 }), piece)
  .map(([before, local, domain, after]) => `${before}${local.join("")}@${domain.join("")}${after}`);
/** The length caps: local parts around 64, labels around 63, domains around 253. */
const longText = fc
  .tuple(
    fc.integer({ min: 0, max: 70 }),
    fc.integer({ min: 1, max: 70 }),
    fc.integer({ min: 0, max: 5 }),
    fc.constantFrom(".", "-", "..", "", " ", "@b.io", ".x"),
    fc.constantFrom("", ".", "x ", "@"),
  )
  .map(
    ([local, label, labels, tail, before]) =>
      `${before}${"l".repeat(local)}@${Array.from({ length: labels + 1 }, () => "d".repeat(label)).join(".")}.com${tail} y`,
  );
/** Many "@" in a row of addresses sharing characters: the floor and the skip after a find. */
const chainText = fc
  .array(fc.constantFrom("a@b.io", "@", "a", ".", "b.io", "x@y", "@c.de", "..", " "), { maxLength: 30 })
  .map((parts) => parts.join(""));

const TS_SAMPLES = [
  "mail alice@example.com today",
  "bob.smith+news@mail.example.co.uk",
  "first-last@sub-domain.example.org.",
  "<ALICE@EXAMPLE.COM>",
  "jürgen@bücher.de",
  "почта: иван@пример.рф",
  "punycode x@xn--bcher-kva.example",
  '{"email":"a_b%c@d-e.io"}',
  "email=alice@example.com",
  "crm://contacts/alice@example.com",
  "mailto:alice@example.com?subject=x",
  "...alice@example.com...",
  "user@localhost",
  "1.2.3@4.5",
  "a@b",
  "@example.com",
  "alice@",
  "alice@-example.com",
  "alice@example-.com",
  "alice@example..com",
  "alice..bob@example.com",
  "alice.@example.com",
  "git@github",
  "npm install @modelcontextprotocol/sdk@1.32.2",
  "pkg@1.2.3",
  "x@y.c",
  "@@@@",
  `${"a".repeat(65)}@example.com`,
  `${"a".repeat(64)}@example.com`,
  "mail ..bob@example.com..",
  "a..b@example.com",
  "..a..b@example.com ..a.b@example.com",
  "x@bücher.de and y@xn--bcher-kva.example",
  "bob@example..com",
  "bob@-example.com bob@example-.com",
  "1.2.3@4.5 bob@example.c0m",
  // The "xn--" test reads past the trimmed end: "a@b.xn--" is no address, "a@b.xn-" holds a@b.xn.
  "a@b.xn--", "a@b.xn-- x", "a@b.xn", "a@b.xn-", "a@b.xn-.", "a@b.XN--", "a@b.xn--a", "a@b.xn--ab",
  ("a".repeat(50) + "@").repeat(2_000) + "b.".repeat(10_000),
];

const binaryString = fc.string({ unit: "binary", maxLength: 60 });
const bmpString = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 60 });
const runs = { numRuns: 3000 };

if (!kernelSwitchedOff) {
  const kernel = requireKernel();
  const texts = corpusTexts();

  test("native email: the same candidates as email.ts on the 2 MiB benchmark corpus", () => {
    assertAgreesOn(kernel, emailRecognizer, texts);
  });

  test("native email: the same on the TypeScript tests' samples", () => {
    assertAgreesOn(kernel, emailRecognizer, TS_SAMPLES);
  });

  test("native email: the same on mixed text with address fragments", () => {
    fc.assert(fc.property(mixedText(EMAIL_FRAGMENTS), (text) => assertAgreesOn(kernel, emailRecognizer, [text])), runs);
  });

  test("native email: the same on corpus slices", () => {
    fc.assert(fc.property(corpusSlices(texts), (text) => assertAgreesOn(kernel, emailRecognizer, [text])), runs);
  });

  test("native email: the same on walk pieces, address-shaped text, length caps and chains", () => {
    for (const arbitrary of [walkText, addressText, longText, chainText]) {
      fc.assert(fc.property(arbitrary, (text) => assertAgreesOn(kernel, emailRecognizer, [text])), runs);
    }
  });

  test("native email: every BMP code unit in the local part, a label and the top-level domain", () => {
    const samples: string[] = [];
    for (let code = 0; code < 0x10000; code++) {
      const c = String.fromCharCode(code);
      samples.push(`a${c}b@x${c}y.de ${c}@ab.${c}${c} q@ab.c${c}`);
    }
    assertAgreesOn(kernel, emailRecognizer, samples);
  });

  test("native email: the same on arbitrary strings (lone surrogates, all of U+0000-U+FFFF)", () => {
    fc.assert(fc.property(binaryString, (text) => assertAgreesOn(kernel, emailRecognizer, [text])), runs);
    fc.assert(fc.property(bmpString, (text) => assertAgreesOn(kernel, emailRecognizer, [text])), runs);
    fc.assert(
      fc.property(fc.array(fc.oneof(bmpString, fc.constantFrom("@", ".", "a@b.de")), { maxLength: 6 }), (parts) =>
        assertAgreesOn(kernel, emailRecognizer, [parts.join("@")]),
      ),
      runs,
    );
  });
}
