/**
 * The words inside tool schemas (src/gateway/pii/schema-words.ts), found open by red team R1:
 * descriptions, titles, defaults and examples at any depth are masked; the structure a client
 * validates with is not;
 * past the depth limit the rest is masked whole (fail closed).
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createMessageMasker } from "../../src/gateway/pii/index.js";
import { createPiiEngine } from "../../src/pii/index.js";

const EMAIL = "jane.doe@example.com";
const masker = createMessageMasker(createPiiEngine({ defaultOperator: { type: "replace" } }));
const listed = (tool: Record<string, unknown>) =>
  (masker.maskOutbound({ jsonrpc: "2.0", id: 1, result: { tools: [tool] } }, { scope: "s", method: "tools/list" }).result as { tools: Array<Record<string, unknown>> }).tools[0]!;

describe("R1: words inside tool schemas", () => {
  test("nested descriptions and titles are masked; names, types, enum, required and defaults stay", () => {
    const inputSchema = {
      type: "object",
      title: `for ${EMAIL}`,
      required: ["to"],
      properties: {
        to: { type: "string", enum: ["a", "b"], description: `e.g. ${EMAIL}` },
        list: { type: "array", items: { anyOf: [{ type: "string", title: EMAIL }, { type: "number", default: 1 }] } },
      },
      $defs: { inner: { type: "object", additionalProperties: { type: "string", description: EMAIL } } },
    };
    const masked = listed({ name: "t", inputSchema })["inputSchema"];
    assert.deepEqual(masked, {
      type: "object",
      title: "for <EMAIL_ADDRESS>",
      required: ["to"],
      properties: {
        to: { type: "string", enum: ["a", "b"], description: "e.g. <EMAIL_ADDRESS>" },
        list: { type: "array", items: { anyOf: [{ type: "string", title: "<EMAIL_ADDRESS>" }, { type: "number", default: 1 }] } },
      },
      $defs: { inner: { type: "object", additionalProperties: { type: "string", description: "<EMAIL_ADDRESS>" } } },
    });
    // A schema with nothing to mask comes back as the same object (copy-on-write).
    const clean = { type: "object", properties: { n: { type: "number", description: "a count" } } };
    assert.equal(listed({ name: "t", inputSchema: clean })["inputSchema"], clean);
  });

  test("attack: defaults and examples carrying PII are masked at any depth; enum and const stay callable", () => {
    const inputSchema = {
      type: "object",
      properties: {
        to: { type: "string", default: EMAIL, examples: [EMAIL, "ops@example.org"] },
        cc: { type: "array", items: { type: "string", example: EMAIL } },
        mode: { type: "string", enum: ["plain", "html"], const: "plain", default: "plain" },
      },
    };
    const masked = listed({ name: "t", inputSchema })["inputSchema"];
    assert.deepEqual(masked, {
      type: "object",
      properties: {
        to: { type: "string", default: "<EMAIL_ADDRESS>", examples: ["<EMAIL_ADDRESS>", "<EMAIL_ADDRESS>"] },
        cc: { type: "array", items: { type: "string", example: "<EMAIL_ADDRESS>" } },
        mode: { type: "string", enum: ["plain", "html"], const: "plain", default: "plain" },
      },
    });
  });

  test("attack: past the depth limit the rest is masked whole, never passed on", () => {
    let schema: Record<string, unknown> = { type: "string", description: EMAIL };
    for (let i = 0; i < 100; i++) schema = { type: "array", items: schema };
    assert.ok(!JSON.stringify(listed({ name: "t", inputSchema: schema })).includes(EMAIL));
  });

  test("attack: the tool's extra fields and annotations other than the hints are masked; the hints stay", () => {
    const tool = listed({ name: "t", inputSchema: { type: "object" }, annotations: { readOnlyHint: true, title: EMAIL, note: EMAIL }, extra: { deep: EMAIL } });
    assert.deepEqual(tool, { name: "t", inputSchema: { type: "object" }, annotations: { readOnlyHint: true, title: "<EMAIL_ADDRESS>", note: "<EMAIL_ADDRESS>" }, extra: { deep: "<EMAIL_ADDRESS>" } });
  });
});
