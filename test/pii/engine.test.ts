import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { createPiiEngine, ENTITY_TYPES, type Operator } from "../../src/pii/index.js";
import { OPERATOR_TAG_SOURCE } from "../../src/pii/operators.js";
import { FILLER_FRAGMENTS, PII_FRAGMENTS } from "./samples.js";

const fragment = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom(...PII_FRAGMENTS) },
  { weight: 3, arbitrary: fc.constantFrom(...FILLER_FRAGMENTS) },
  { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
);
/** Documents made of PII, look-alikes and noise, joined by spaces or nothing. */
const documentText = fc
  .array(fc.tuple(fragment, fc.constantFrom(" ", "", "\n", ". ")), { maxLength: 30 })
  .map((parts) => parts.map(([f, sep]) => f + sep).join(""));

describe("createPiiEngine", () => {
  const engine = createPiiEngine();

  test("detect reports type, offsets (end exclusive) and score", () => {
    const text = "Mail alice@example.com today";
    const [finding, ...rest] = engine.detect(text);
    assert.equal(rest.length, 0);
    assert.ok(finding);
    assert.equal(finding.type, "EMAIL_ADDRESS");
    assert.equal(text.slice(finding.start, finding.end), "alice@example.com");
    assert.ok(finding.score >= 0.5 && finding.score <= 1);
  });

  test("every operator transforms as documented", () => {
    const text = "x alice@example.com y";
    const run = (op: Operator) => engine.mask(text, { defaultOperator: op, scope: "ops" });
    assert.equal(run({ type: "replace" }), "x <EMAIL_ADDRESS> y");
    assert.equal(run({ type: "replace", tag: "[redacted]" }), "x [redacted] y");
    assert.equal(run({ type: "remove" }), "x  y");
    assert.equal(run({ type: "partial", keep: 3 }), "x *****@*******.com y");
    assert.match(run({ type: "hash" }), /^x <EMAIL_ADDRESS:[a-p]{12}> y$/);
    assert.equal(run({ type: "token" }), "x <EMAIL_ADDRESS_1> y");
  });

  test("hash is keyed: stable for one key, different for another", () => {
    const a1 = createPiiEngine({ hashKey: "k1", defaultOperator: { type: "hash" } });
    const a2 = createPiiEngine({ hashKey: "k1", defaultOperator: { type: "hash" } });
    const b = createPiiEngine({ hashKey: "k2", defaultOperator: { type: "hash" } });
    const text = "alice@example.com";
    assert.equal(a1.mask(text), a2.mask(text));
    assert.notEqual(a1.mask(text), b.mask(text));
    assert.notEqual(a1.mask(text), a1.mask("bob@example.com"));
  });

  test("tokens: same value same token within a scope, restore only in the issuing scope", () => {
    const e = createPiiEngine({ defaultOperator: { type: "token" } });
    const text = "a@example.com, b@example.com, a@example.com";
    const masked = e.mask(text, { scope: "s1" });
    assert.equal(masked, "<EMAIL_ADDRESS_1>, <EMAIL_ADDRESS_2>, <EMAIL_ADDRESS_1>");
    assert.equal(e.restore(masked, { scope: "s1" }), text);
    // Another scope never issued these tokens: they stay as they are (no cross-session leak).
    assert.equal(e.restore(masked, { scope: "s2" }), masked);
    // A token this scope never issued stays as it is.
    assert.equal(e.restore("<EMAIL_ADDRESS_9> <US_SSN_1>", { scope: "s1" }), "<EMAIL_ADDRESS_9> <US_SSN_1>");
  });

  test("per-type operators and per-call overrides", () => {
    const e = createPiiEngine({ operators: { EMAIL_ADDRESS: { type: "remove" } } });
    assert.equal(e.mask("<a@example.com>"), "<>");
    assert.equal(e.mask("a@example.com", { operators: { EMAIL_ADDRESS: { type: "replace", tag: "E" } } }), "E");
  });

  test("per-type enable and disable", () => {
    const onlyCards = createPiiEngine({ entities: ["CREDIT_CARD"] });
    assert.deepEqual(onlyCards.detect("alice@example.com"), []);
    assert.deepEqual(onlyCards.entities, ["CREDIT_CARD"]);
  });

  test("allow-list values and patterns are never reported", () => {
    const e = createPiiEngine({ allow: { values: ["support@example.com"], patterns: [".*@internal\\.test"] } });
    assert.equal(
      e.mask("support@example.com ops@internal.test alice@example.com"),
      "support@example.com ops@internal.test <EMAIL_ADDRESS>",
    );
    // Patterns must match the whole finding, not a part of it.
    const partial = createPiiEngine({ allow: { patterns: ["example"] } });
    assert.equal(partial.mask("alice@example.com"), "<EMAIL_ADDRESS>");
  });

  test("threshold is validated and applied", () => {
    assert.throws(() => createPiiEngine({ threshold: 1.5 }), RangeError);
    assert.throws(() => createPiiEngine({ threshold: Number.NaN }), RangeError);
    const strict = createPiiEngine({ threshold: 1 });
    assert.equal(strict.detect("alice@example.com").length, 1); // e-mail is certain
  });

  test("entities written next to each other are each found (a card before a house number)", () => {
    const text = "Card: 4111 1111 1111 1111 221B Baker Street, London NW1 6XE";
    assert.equal(engine.mask(text), "Card: <CREDIT_CARD> <STREET_ADDRESS>");
  });

  test("all seven Presidio entity names are known", () => {
    assert.deepEqual([...ENTITY_TYPES].sort(), [
      "CREDIT_CARD",
      "EMAIL_ADDRESS",
      "IP_ADDRESS",
      "PASSPORT",
      "PHONE_NUMBER",
      "STREET_ADDRESS",
      "US_SSN",
    ]);
  });
});

describe("OPERATOR_TAG_SOURCE", () => {
  test("matches exactly the tags the replace, token and hash operators write, and nothing else", () => {
    const whole = new RegExp(`^${OPERATOR_TAG_SOURCE}$`);
    const text = "SSN 536-22-8475, card 4111 1111 1111 1111";
    for (const operator of [{ type: "replace" }, { type: "token" }, { type: "hash" }, { type: "hash", length: 64 }] as Operator[]) {
      const engine = createPiiEngine({ defaultOperator: operator });
      const tags = engine.mask(text, { scope: "s" }).match(/<[^<>]*>/g) ?? [];
      assert.equal(tags.length, 2, operator.type);
      for (const tag of tags) assert.match(tag, whole, `${operator.type}: ${tag}`);
    }
    for (const notTag of ["<us_ssn>", "<US_SSN:xyz>", "<_US_SSN>", "<>", "<US SSN>", "<US_SSN:" + "a".repeat(65) + ">"]) assert.doesNotMatch(notTag, whole, notTag);
  });
});

describe("engine properties", () => {
  const engine = createPiiEngine();
  const tokenEngine = createPiiEngine({ defaultOperator: { type: "token" } });

  test("findings are in bounds, sorted, and never overlap", () => {
    fc.assert(
      fc.property(documentText, (text) => {
        const findings = engine.detect(text);
        let previousEnd = 0;
        for (const f of findings) {
          assert.ok(f.start >= previousEnd, "sorted and not overlapping");
          assert.ok(f.end > f.start && f.end <= text.length, "in bounds");
          assert.ok(f.score >= 0.5 && f.score <= 1, "above threshold");
          previousEnd = f.end;
        }
      }),
      { numRuns: 500 },
    );
  });

  /**
   * Documents whose fragments are separated, as real text is. Fragments glued together
   * ("Münchenbob@example.com") are ambiguous: masking one part can change how the rest reads,
   * so idempotence is asked of separated text.
   */
  const separatedText = fc
    .array(fc.tuple(fragment, fc.constantFrom(" ", "\n", ", ", ". ", " - ")), { maxLength: 30 })
    .map((parts) => parts.map(([f, sep]) => f + sep).join(""));

  for (const op of [{ type: "replace" }, { type: "partial" }, { type: "hash" }, { type: "token" }] as Operator[]) {
    test(`masking masked text changes nothing (${op.type})`, () => {
      fc.assert(
        fc.property(separatedText, (text) => {
          const once = engine.mask(text, { defaultOperator: op, scope: "idem" });
          assert.equal(engine.mask(once, { defaultOperator: op, scope: "idem" }), once);
        }),
        { numRuns: 300 },
      );
    });
  }

  test("restore(mask(x)) == x for reversible tokens", () => {
    fc.assert(
      fc.property(documentText, fc.string({ minLength: 1, maxLength: 6 }), (text, scope) => {
        fc.pre(!/<[A-Z_]+_\d+>/.test(text)); // text that already holds token-shaped strings is ambiguous
        const masked = tokenEngine.mask(text, { scope });
        assert.equal(tokenEngine.restore(masked, { scope }), text);
      }),
      { numRuns: 300 },
    );
  });

  test("every detected span is masked and the rest of the text is unchanged", () => {
    fc.assert(
      fc.property(documentText, (text) => {
        const findings = engine.detect(text);
        const masked = engine.mask(text);
        let expected = "";
        let cursor = 0;
        for (const f of findings) {
          expected += text.slice(cursor, f.start) + `<${f.type}>`;
          cursor = f.end;
        }
        assert.equal(masked, expected + text.slice(cursor));
      }),
      { numRuns: 300 },
    );
  });
});
