import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { CallToolResultSchema, JSONRPCMessageSchema } from "@modelcontextprotocol/sdk/types.js";
import { createMessageMasker } from "../../../src/gateway/pii/index.js";
import type { JsonRpcMessage, JsonRpcSuccess } from "../../../src/gateway/jsonrpc.js";
import { ALICE, BOB, containsAddress, emailEngine } from "./helpers.js";

const engine = emailEngine();
/** Messages arrive through JSON.parse: plain objects (fast-check makes null-prototype ones). */
const wire = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const masker = createMessageMasker(engine);

const words = fc.constantFrom(ALICE, BOB, "carol.d@sub.example.org", "hello", "a@b", "user", "@", "<EMAIL_ADDRESS>", "\n", "x.y");
const text = fc.array(fc.oneof(words, fc.string({ maxLength: 6 })), { maxLength: 12 }).map((parts) => parts.join(" "));
const base64 = fc.uint8Array({ maxLength: 48 }).map((bytes) => Buffer.from(bytes).toString("base64"));
const uri = text.map((t) => `test://${encodeURIComponent(t)}`);

const contentBlock = fc.oneof(
  fc.record({ type: fc.constant("text"), text }),
  fc.record({ type: fc.constant("image"), data: base64, mimeType: fc.constant("image/png") }),
  fc.record({ type: fc.constant("audio"), data: base64, mimeType: fc.constant("audio/wav") }),
  fc.record({ type: fc.constant("resource"), resource: fc.record({ uri, text, mimeType: fc.constant("text/plain") }) }),
  fc.record({ type: fc.constant("resource"), resource: fc.record({ uri, blob: base64 }) }),
  fc.record({ type: fc.constant("resource_link"), uri, name: text, description: text }),
);

/** JSON with addresses sprinkled in values and keys. */
const jsonWithAddresses = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    text,
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(fc.oneof(words, fc.string({ maxLength: 5 })), tie("value"), { maxKeys: 4 }),
  ),
})).value;

const toolResult = fc.record(
  {
    content: fc.array(contentBlock, { maxLength: 6 }),
    structuredContent: fc.dictionary(fc.oneof(words, fc.string({ maxLength: 5 })), jsonWithAddresses, { maxKeys: 5 }),
    isError: fc.boolean(),
  },
  { requiredKeys: ["content"] },
).map(wire);

const id = fc.oneof(fc.integer(), fc.string({ minLength: 1, maxLength: 8 }));

const isBinary = (block: { type: string; resource?: { blob?: string } }): boolean =>
  block.type === "image" || block.type === "audio" || (block.type === "resource" && block.resource?.blob !== undefined);

describe("message masking properties", () => {
  test("masked tool results are valid, hold no address, keep ids and pass binary content through untouched", () => {
    fc.assert(
      fc.property(id, toolResult, (messageId, result) => {
        const message: JsonRpcSuccess = { jsonrpc: "2.0", id: messageId, result };
        const before = structuredClone(message);
        const out = masker.maskOutbound(message, { method: "tools/call", scope: "p" }) as JsonRpcSuccess;
        assert.deepEqual(message, before);
        assert.equal(out.id, messageId);
        JSONRPCMessageSchema.parse(out);
        CallToolResultSchema.parse(out.result);
        assert.equal(containsAddress(out, engine), false);
        const inBlocks = result.content as { type: string }[];
        const outBlocks = out.result.content as { type: string }[];
        assert.equal(outBlocks.length, inBlocks.length);
        inBlocks.forEach((block, i) => {
          assert.equal(outBlocks[i]!.type, block.type);
          if (isBinary(block)) assert.equal(outBlocks[i], block);
        });
      }),
      { numRuns: 300 },
    );
  });

  test("masking is idempotent, and a second pass returns the very same object", () => {
    fc.assert(
      fc.property(toolResult, (result) => {
        const once = masker.maskOutbound({ jsonrpc: "2.0", id: 1, result }, { method: "tools/call", scope: "p" });
        const twice = masker.maskOutbound(once, { method: "tools/call", scope: "p" });
        assert.equal(twice, once);
      }),
      { numRuns: 300 },
    );
  });

  test("any message of any method keeps its kind, id and method, and stays a valid JSON-RPC message", () => {
    const method = fc.oneof(
      fc.constantFrom("tools/call", "sampling/createMessage", "elicitation/create", "notifications/message", "vendor/x", "prompts/get"),
      fc.string({ maxLength: 12 }),
    );
    const params = fc.dictionary(fc.oneof(words, fc.string({ maxLength: 6 })), jsonWithAddresses, { maxKeys: 5 });
    const message: fc.Arbitrary<JsonRpcMessage> = fc.oneof(
      fc.record({ jsonrpc: fc.constant("2.0" as const), id, method, params }),
      fc.record({ jsonrpc: fc.constant("2.0" as const), method, params }),
      fc.record({ jsonrpc: fc.constant("2.0" as const), id, result: params }),
      fc.record({
        jsonrpc: fc.constant("2.0" as const),
        id,
        error: fc.record({ code: fc.integer(), message: text, data: jsonWithAddresses }),
      }),
    ).map(wire);
    fc.assert(
      fc.property(message, fc.option(method, { nil: undefined }), (m, answered) => {
        const out = masker.maskOutbound(m, { scope: "p", ...(answered === undefined ? {} : { method: answered }) });
        assert.deepEqual(Object.keys(out).sort(), Object.keys(m).sort());
        if ("id" in m) assert.equal((out as { id: unknown }).id, m.id);
        if ("method" in m) assert.equal((out as { method: string }).method, m.method);
        if ("error" in m) assert.equal((out as typeof m).error.code, m.error.code);
        JSONRPCMessageSchema.parse(JSON.parse(JSON.stringify(out)));
      }),
      { numRuns: 400 },
    );
  });

  test("token round trip: what a result showed as tokens comes back as the originals in a tool call", () => {
    const tokens = createMessageMasker(emailEngine({ defaultOperator: { type: "token" } }));
    fc.assert(
      fc.property(
        fc.dictionary(fc.oneof(words, fc.string({ maxLength: 5 })), jsonWithAddresses, { maxKeys: 5 }).map(wire),
        fc.string({ minLength: 1, maxLength: 6 }),
        (data, scope) => {
          const shown = tokens.maskOutbound(
            { jsonrpc: "2.0", id: 1, result: { content: [], structuredContent: data } },
            { method: "tools/call", scope },
          ) as JsonRpcSuccess;
          // The model echoes what it saw as the arguments of its next call.
          const call = { jsonrpc: "2.0" as const, id: 2, method: "tools/call", params: { name: "t", arguments: shown.result.structuredContent as Record<string, unknown> } };
          const restored = tokens.restoreInbound(call, { scope });
          assert.deepEqual(restored.params!.arguments, data);
          // Another scope gets nothing back.
          assert.equal(tokens.restoreInbound(call, { scope: `${scope}-other` }), call);
        },
      ),
      { numRuns: 200 },
    );
  });
});
