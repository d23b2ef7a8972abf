import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv";
import { createMessageMasker, relaxOutputSchema } from "../../../src/gateway/pii/index.js";
import type { JsonRpcSuccess } from "../../../src/gateway/jsonrpc.js";
import { ALICE, CARD_NUMBER, emailAndCardEngine, success } from "./helpers.js";

/** The validator SDK clients run on structuredContent (ajv with ajv-formats). */
const ajv = new AjvJsonSchemaValidator();
const valid = (schema: unknown, value: unknown): boolean =>
  ajv.getValidator(schema as Parameters<typeof ajv.getValidator>[0])(value).valid;

const contactSchema = {
  type: "object",
  properties: {
    email: { type: "string", format: "email" },
    site: { type: "string", format: "uri" },
    code: { type: "string", pattern: "^[a-z]+@[a-z.]+$" },
    phone: { type: "integer" },
    created: { type: "string", format: "date-time" },
    others: { type: "array", items: { type: "object", properties: { email: { type: "string", format: "email" } } } },
  },
  required: ["email"],
  additionalProperties: false,
};

describe("relaxOutputSchema", () => {
  test("masked structured content fails the original schema in an SDK client and passes the relaxed one", () => {
    const masker = createMessageMasker(emailAndCardEngine());
    const content = {
      email: ALICE,
      site: `mailto:${ALICE}`,
      code: ALICE,
      phone: CARD_NUMBER,
      created: "2026-01-01T00:00:00Z",
      others: [{ email: ALICE }],
    };
    assert.equal(valid(contactSchema, content), true, "the unmasked value is valid");
    const masked = (masker.maskOutbound(success({ content: [], structuredContent: content }), { scope: "s", method: "tools/call" }) as JsonRpcSuccess)
      .result.structuredContent;
    assert.equal(valid(contactSchema, masked), false, "without relaxing, the client would reject every masked result");
    assert.equal(valid(relaxOutputSchema(contactSchema, { numbers: true }), masked), true);
  });

  test("only the constraints masking breaks are dropped", () => {
    assert.deepEqual(relaxOutputSchema(contactSchema, { numbers: true }), {
      type: "object",
      properties: {
        email: { type: "string" },
        site: { type: "string" },
        code: { type: "string" },
        phone: { type: ["integer", "string"] },
        created: { type: "string", format: "date-time" },
        others: { type: "array", items: { type: "object", properties: { email: { type: "string" } } } },
      },
      required: ["email"],
      additionalProperties: false,
    });
  });

  test("numbers: false keeps numeric types", () => {
    const relaxed = relaxOutputSchema(contactSchema, { numbers: false }) as { properties: Record<string, unknown> };
    assert.equal(relaxed.properties.phone, contactSchema.properties.phone);
  });

  test("reaches every subschema keyword, and keeps properties that are named like keywords", () => {
    const schema = {
      $defs: { mail: { type: "string", format: "idn-email" } },
      anyOf: [{ type: "number" }, { type: ["null", "integer"] }],
      patternProperties: { "^x": { format: "ipv4" } },
      additionalProperties: { format: "ipv6" },
      if: { pattern: "a" },
      then: { not: { format: "uri-reference" } },
      prefixItems: [{ format: "email" }],
      properties: { format: { type: "string" }, pattern: { type: "string", pattern: "x" } },
    };
    assert.deepEqual(relaxOutputSchema(schema, { numbers: true }), {
      $defs: { mail: { type: "string" } },
      anyOf: [{ type: ["number", "string"] }, { type: ["null", "integer", "string"] }],
      patternProperties: { "^x": {} },
      additionalProperties: {},
      if: {},
      then: { not: {} },
      prefixItems: [{}],
      properties: { format: { type: "string" }, pattern: { type: "string" } },
    });
  });

  test("copy-on-write: a schema with nothing to relax is returned as is", () => {
    const schema = { type: "object", properties: { n: { type: "string", format: "date" } } };
    assert.equal(relaxOutputSchema(schema, { numbers: true }), schema);
    assert.equal(relaxOutputSchema(true, { numbers: true }), true);
  });
});
