/**
 * Restoring reversible tokens in client messages (masking.inbound) is skipped while the masking has
 * issued no token (its own engine and vault): the answers must be exactly those of a full restore,
 * and once a token is issued (mode tokens) it must be restored as before.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import type { PiiMode } from "../../src/config/types.js";
import type { JsonRpcMessage, JsonRpcRequest, JsonRpcResponse } from "../../src/gateway/jsonrpc.js";
import { createMessageMasking } from "../../src/gateway/masking.js";
import { createMemoryVault, createPiiEngine } from "../../src/pii/index.js";

const config = (mode: PiiMode) => ({ beforeLlm: true, inLogs: true, mode, allowOptOut: false });
const settings = { beforeLlm: true, inLogs: true };
const toolCall = (args: Record<string, unknown>): JsonRpcRequest => ({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "send", arguments: args } });
const result = (text: string): JsonRpcResponse => ({ jsonrpc: "2.0", id: 1, result: { content: [{ type: "text", text }] } });
const textOf = (message: JsonRpcMessage | undefined): string => {
  assert.ok(message !== undefined && "result" in message);
  return ((message.result["content"] as Array<{ text: string }>)[0]!).text;
};

describe("masking.inbound without issued tokens", () => {
  test("replace mode: a client message goes up as it is (the same object), token-shaped text included", () => {
    const masking = createMessageMasking(config("replace"));
    // Masking results issues nothing in replace mode.
    assert.equal(textOf(masking.outbound(result("write to alice@example.com"), settings, "s1", "tools/call")), "write to <EMAIL_ADDRESS>");
    const request = toolCall({ to: "<EMAIL_ADDRESS_1>", note: "alice@example.com" });
    assert.equal(masking.inbound(request, "s1"), request);
  });

  test("tokens mode: a token issued to this scope is restored; one never issued, or issued to another scope, stays", () => {
    const masking = createMessageMasking(config("tokens"));
    const untouched = toolCall({ to: "<EMAIL_ADDRESS_1>" });
    assert.equal(masking.inbound(untouched, "s1"), untouched, "nothing issued yet");
    const shown = textOf(masking.outbound(result("write to alice@example.com"), settings, "s1", "tools/call"));
    assert.equal(shown, "write to <EMAIL_ADDRESS_1>");
    const restored = masking.inbound(toolCall({ to: "<EMAIL_ADDRESS_1>", cc: "<EMAIL_ADDRESS_2>" }), "s1");
    assert.deepEqual(restored.params?.["arguments"], { to: "alice@example.com", cc: "<EMAIL_ADDRESS_2>" });
    const elsewhere = masking.inbound(toolCall({ to: "<EMAIL_ADDRESS_1>" }), "s2");
    assert.deepEqual(elsewhere.params?.["arguments"], { to: "<EMAIL_ADDRESS_1>" });
  });

  test("a vault given from outside may already hold tokens: they are restored", () => {
    const vault = createMemoryVault();
    // Another engine on the same vault (say, another part of the process) issued a token.
    const other = createPiiEngine({ defaultOperator: { type: "token" }, vault });
    assert.equal(other.mask("bob@example.org", { scope: "s1" }), "<EMAIL_ADDRESS_1>");
    const masking = createMessageMasking(config("replace"), { vault });
    const restored = masking.inbound(toolCall({ to: "<EMAIL_ADDRESS_1>" }), "s1");
    assert.deepEqual(restored.params?.["arguments"], { to: "bob@example.org" });
  });

  test("property: in every mode, the answer equals a full restore's (a masking whose vault is given, so it always searches)", () => {
    const modes: PiiMode[] = ["replace", "tokens", "hash", "partial", "remove"];
    const tokenish = fc.constantFrom("<EMAIL_ADDRESS_1>", "<PHONE_NUMBER_1>", "<EMAIL_ADDRESS_2>", "alice@example.com", "+1 415 555 0100", "plain");
    const value = fc.oneof(tokenish, fc.string({ maxLength: 20 }), fc.integer(), fc.array(tokenish, { maxLength: 3 }));
    fc.assert(
      fc.property(
        fc.constantFrom(...modes),
        fc.array(fc.constantFrom("alice@example.com", "call +1 415 555 0100", "nothing here"), { maxLength: 3 }),
        fc.dictionary(fc.constantFrom("to", "cc", "body", "n"), value),
        (mode, shownTexts, args) => {
          const fast = createMessageMasking(config(mode));
          const full = createMessageMasking(config(mode), { vault: createMemoryVault() });
          // Results shown first (in tokens mode they issue tokens; hash mode's keys differ per engine, so they are not compared).
          for (const text of shownTexts) {
            fast.outbound(result(text), settings, "s", "tools/call");
            full.outbound(result(text), settings, "s", "tools/call");
          }
          assert.deepEqual(fast.inbound(toolCall(args), "s"), full.inbound(toolCall(args), "s"));
        },
      ),
      { numRuns: 150 },
    );
  });
});
