import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { createPiiEngine, JsonDepthError, NotJsonError } from "../../src/pii/index.js";
import { PII_FRAGMENTS } from "./samples.js";

const engine = createPiiEngine();

/** Same shape: same JSON types and keys everywhere; only strings (and PII numbers) may differ. */
function assertSameShape(before: unknown, after: unknown, path = "$"): void {
  if (typeof before === "string") return assert.equal(typeof after, "string", path);
  if (typeof before === "number") return assert.ok(typeof after === "number" || typeof after === "string", path);
  if (before === null || typeof before !== "object") return assert.deepEqual(after, before, path);
  if (Array.isArray(before)) {
    assert.ok(Array.isArray(after), path);
    assert.equal((after as unknown[]).length, before.length, path);
    before.forEach((v, i) => assertSameShape(v, (after as unknown[])[i], `${path}[${i}]`));
    return;
  }
  assert.ok(after !== null && typeof after === "object" && !Array.isArray(after), path);
  assert.deepEqual(Object.keys(after as object), Object.keys(before), path);
  for (const key of Object.keys(before)) {
    assertSameShape((before as Record<string, unknown>)[key], (after as Record<string, unknown>)[key], `${path}.${key}`);
  }
}

const piiString = fc.constantFrom(...PII_FRAGMENTS);
const jsonWithPii = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.string(),
    piiString,
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value"), { maxLength: 5 }),
    fc.dictionary(fc.oneof(fc.string(), piiString), tie("value"), { maxKeys: 5 }),
  ),
})).value;

describe("maskJson", () => {
  test("masks strings at any depth and keeps everything else", () => {
    const input = { a: ["x alice@example.com y", 42, true, null], b: { c: "bob@example.org" }, d: 1.5 };
    assert.deepEqual(engine.maskJson(input), {
      a: ["x <EMAIL_ADDRESS> y", 42, true, null],
      b: { c: "<EMAIL_ADDRESS>" },
      d: 1.5,
    });
  });

  test("keys are left alone unless asked; masked keys never collide", () => {
    const input = { "alice@example.com": 1, "bob@example.com": 2 };
    assert.deepEqual(engine.maskJson(input), input);
    assert.deepEqual(engine.maskJson(input, { keys: true }), { "<EMAIL_ADDRESS>": 1, "<EMAIL_ADDRESS>_2": 2 });
  });

  test("a __proto__ key stays a plain own property (no prototype pollution)", () => {
    const input = JSON.parse('{"__proto__": {"polluted": "alice@example.com"}}') as unknown;
    const out = engine.maskJson(input) as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(out), Object.prototype);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(JSON.stringify(out), '{"__proto__":{"polluted":"<EMAIL_ADDRESS>"}}');
  });

  test("refuses values that are not JSON and nesting past the limit", () => {
    assert.throws(() => engine.maskJson(new Date()), NotJsonError);
    assert.throws(() => engine.maskJson({ n: Number.POSITIVE_INFINITY }), NotJsonError);
    assert.throws(() => engine.maskJson(1n), NotJsonError);
    let deep: unknown = "alice@example.com";
    for (let i = 0; i < 50; i++) deep = [deep];
    assert.throws(() => engine.maskJson(deep, { maxDepth: 20 }), JsonDepthError);
    assert.doesNotThrow(() => engine.maskJson(deep, { maxDepth: 60 }));
  });

  test("property: output is valid JSON of the same shape, and masking it again changes nothing", () => {
    fc.assert(
      fc.property(jsonWithPii, fc.boolean(), (value, keys) => {
        const masked = engine.maskJson(value, { keys });
        const text = JSON.stringify(masked) ?? "null";
        // Valid JSON that reads back to the same text (-0 and 0 both print as 0, hence text).
        assert.equal(JSON.stringify(JSON.parse(text)), text);
        if (!keys) assertSameShape(value, masked);
        assert.deepEqual(engine.maskJson(masked, { keys }), masked);
      }),
      { numRuns: 300 },
    );
  });

  test("property: no PII fragment survives in any string", () => {
    fc.assert(
      fc.property(jsonWithPii, (value) => {
        const text = JSON.stringify(engine.maskJson(value, { keys: true })) ?? "";
        assert.ok(!text.includes("alice@example.com") && !text.includes("bob.smith+news@example.co.uk"));
      }),
      { numRuns: 200 },
    );
  });
});
