import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { createPiiEngine } from "../../../src/pii/index.js";
import { emailRecognizer } from "../../../src/pii/recognizers/email.js";

const engine = createPiiEngine();
const spans = (text: string) =>
  engine.detect(text).filter((f) => f.type === "EMAIL_ADDRESS").map((f) => text.slice(f.start, f.end));

describe("EMAIL_ADDRESS", () => {
  const positives: Array<[string, string]> = [
    ["mail alice@example.com today", "alice@example.com"],
    ["bob.smith+news@mail.example.co.uk", "bob.smith+news@mail.example.co.uk"],
    ["first-last@sub-domain.example.org.", "first-last@sub-domain.example.org"],
    ["<ALICE@EXAMPLE.COM>", "ALICE@EXAMPLE.COM"],
    ["jürgen@bücher.de", "jürgen@bücher.de"],
    ["почта: иван@пример.рф", "иван@пример.рф"],
    ["punycode x@xn--bcher-kva.example", "x@xn--bcher-kva.example"],
    ['{"email":"a_b%c@d-e.io"}', "a_b%c@d-e.io"],
    ["email=alice@example.com", "alice@example.com"],
    ["crm://contacts/alice@example.com", "alice@example.com"],
    ["mailto:alice@example.com?subject=x", "alice@example.com"],
    ["...alice@example.com...", "alice@example.com"],
  ];
  for (const [text, expected] of positives) {
    test(`finds ${JSON.stringify(expected)} in ${JSON.stringify(text)}`, () => {
      assert.deepEqual(spans(text), [expected]);
    });
  }

  const negatives = [
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
  ];
  for (const text of negatives) {
    test(`does not flag ${JSON.stringify(text)}`, () => {
      assert.deepEqual(spans(text), []);
    });
  }

  test("a local part longer than 64 characters is not an address", () => {
    assert.deepEqual(spans(`${"a".repeat(65)}@example.com`), []);
    assert.deepEqual(spans(`${"a".repeat(64)}@example.com`), [`${"a".repeat(64)}@example.com`]);
  });

  test("adversarial input stays linear: long runs around many @ signs", () => {
    const text = ("a".repeat(50) + "@").repeat(20_000) + "b.".repeat(100_000);
    const candidates = emailRecognizer.find(text);
    assert.ok(Array.isArray(candidates));
  });

  test("property: a generated address is found whole, at its offsets, in surrounding text", () => {
    const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/);
    const address = fc
      .tuple(fc.stringMatching(/^[a-z0-9]+([._+-][a-z0-9]+){0,2}$/), fc.array(label, { minLength: 1, maxLength: 3 }), fc.constantFrom("com", "org", "io", "de", "co.uk"))
      .map(([local, labels, tld]) => `${local.slice(0, 64)}@${labels.join(".")}.${tld}`);
    fc.assert(
      fc.property(fc.constantFrom("", "x ", "mail: ", "("), address, fc.constantFrom("", " y", ".", ")"), (before, value, after) => {
        const text = before + value + after;
        const found = engine.detect(text).filter((f) => f.type === "EMAIL_ADDRESS");
        assert.equal(found.length, 1);
        assert.equal(found[0]!.start, before.length);
        assert.equal(text.slice(found[0]!.start, found[0]!.end), value);
      }),
      { numRuns: 300 },
    );
  });
});
