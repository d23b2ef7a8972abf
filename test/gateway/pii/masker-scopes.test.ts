/**
 * The masker keeps the string operations of the last scope it masked for (a hot-path saving):
 * messages for different scopes, one after another, must still each get their own scope's tokens,
 * and a call with its own operators must neither use nor leave behind the kept ones.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import type { JsonRpcMessage, JsonRpcResponse } from "../../../src/gateway/jsonrpc.js";
import { createMessageMasker } from "../../../src/gateway/pii/index.js";
import { createMemoryVault, createPiiEngine } from "../../../src/pii/index.js";

const result = (text: string): JsonRpcResponse => ({ jsonrpc: "2.0", id: 1, result: { content: [{ type: "text", text }] } });
const textOf = (message: JsonRpcMessage): string => {
  assert.ok("result" in message);
  return ((message.result["content"] as Array<{ text: string }>)[0]!).text;
};

describe("message masker: scopes one after another", () => {
  test("each scope numbers its own tokens and restores only its own", () => {
    const vault = createMemoryVault();
    const masker = createMessageMasker(createPiiEngine({ defaultOperator: { type: "token" }, vault }));
    const a1 = textOf(masker.maskOutbound(result("alice@example.com"), { scope: "A", method: "tools/call" }));
    const b1 = textOf(masker.maskOutbound(result("bob@example.org and carol@example.net"), { scope: "B", method: "tools/call" }));
    const a2 = textOf(masker.maskOutbound(result("dave@example.com"), { scope: "A", method: "tools/call" }));
    assert.equal(a1, "<EMAIL_ADDRESS_1>");
    assert.equal(b1, "<EMAIL_ADDRESS_1> and <EMAIL_ADDRESS_2>");
    assert.equal(a2, "<EMAIL_ADDRESS_2>");
    assert.equal(vault.originalOf("A", "<EMAIL_ADDRESS_2>"), "dave@example.com");
    assert.equal(vault.originalOf("B", "<EMAIL_ADDRESS_2>"), "carol@example.net");
  });

  test("a call with its own operator uses it once; the next call without one masks as the engine does", () => {
    const masker = createMessageMasker(createPiiEngine({ defaultOperator: { type: "token" }, vault: createMemoryVault() }));
    assert.equal(textOf(masker.maskOutbound(result("alice@example.com"), { scope: "A", method: "tools/call" })), "<EMAIL_ADDRESS_1>");
    assert.equal(textOf(masker.maskOutbound(result("bob@example.org"), { scope: "A", method: "tools/call", defaultOperator: { type: "replace" } })), "<EMAIL_ADDRESS>");
    assert.equal(textOf(masker.maskOutbound(result("bob@example.org"), { scope: "A", method: "tools/call" })), "<EMAIL_ADDRESS_2>");
  });

  test("property: any order of scopes gives what a fresh masker per message (same engine) gives", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom("A", "B", "C"), fc.constantFrom("x@example.com", "y@example.org", "call +1 415 555 0100", "none")), { maxLength: 12 }), (steps) => {
        const kept = createMessageMasker(createPiiEngine({ defaultOperator: { type: "token" }, vault: createMemoryVault() }));
        const freshEngine = createPiiEngine({ defaultOperator: { type: "token" }, vault: createMemoryVault() });
        for (const [scope, text] of steps) {
          const expected = textOf(createMessageMasker(freshEngine).maskOutbound(result(text), { scope, method: "tools/call" }));
          assert.equal(textOf(kept.maskOutbound(result(text), { scope, method: "tools/call" })), expected);
        }
      }),
      { numRuns: 100 },
    );
  });
});
