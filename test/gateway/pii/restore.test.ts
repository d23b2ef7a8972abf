import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { CallToolRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { createMessageMasker } from "../../../src/gateway/pii/index.js";
import type { JsonRpcMessage, JsonRpcSuccess } from "../../../src/gateway/jsonrpc.js";
import { ALICE, BOB, emailEngine, notification, request, success } from "./helpers.js";

/** A gateway in token mode: results show <EMAIL_ADDRESS_n>, tool calls get the originals back. */
function tokenMasker() {
  return createMessageMasker(emailEngine({ defaultOperator: { type: "token" } }));
}

const text = (m: JsonRpcMessage): string => {
  const content = (m as JsonRpcSuccess).result.content as { text: string }[];
  return content.map((c) => c.text).join("|");
};

describe("reversible tokens: mask in a scope, restore in the same scope", () => {
  test("a tools/call in scope A gets the originals of tokens A was given", () => {
    const masker = tokenMasker();
    const shown = masker.maskOutbound(success({ content: [{ type: "text", text: `${ALICE}, ${BOB}, ${ALICE}` }] }), {
      method: "tools/call",
      scope: "A",
    });
    assert.equal(text(shown), "<EMAIL_ADDRESS_1>, <EMAIL_ADDRESS_2>, <EMAIL_ADDRESS_1>");
    const call = request("tools/call", {
      name: "send_mail",
      arguments: { to: "<EMAIL_ADDRESS_1>", cc: ["<EMAIL_ADDRESS_2>"], body: "Hi <EMAIL_ADDRESS_1>!", nested: { "<EMAIL_ADDRESS_2>": true } },
    });
    const restored = masker.restoreInbound(call, { scope: "A" });
    CallToolRequestSchema.parse(restored);
    assert.deepEqual(restored.params, {
      name: "send_mail",
      arguments: { to: ALICE, cc: [BOB], body: `Hi ${ALICE}!`, nested: { [BOB]: true } },
    });
    assert.equal(restored.id, call.id);
    assert.equal(restored.method, "tools/call");
  });

  test("scope B never gets scope A's originals", () => {
    const masker = tokenMasker();
    masker.maskOutbound(success({ content: [{ type: "text", text: ALICE }] }), { method: "tools/call", scope: "A" });
    const call = request("tools/call", { name: "send_mail", arguments: { to: "<EMAIL_ADDRESS_1>" } });
    assert.equal(masker.restoreInbound(call, { scope: "B" }), call);
  });

  test("tokens never issued, and look-alikes, stay as they are", () => {
    const masker = tokenMasker();
    masker.maskOutbound(success({ content: [{ type: "text", text: ALICE }] }), { method: "tools/call", scope: "A" });
    const call = request("tools/call", {
      name: "x",
      arguments: { a: "<EMAIL_ADDRESS_2>", b: "<US_SSN_1>", c: "<EMAIL_ADDRESS>", d: "<EMAIL_ADDRESS_1", e: "<EMAIL_ADDRESS_1>" },
    });
    const restored = masker.restoreInbound(call, { scope: "A" });
    assert.deepEqual(restored.params!.arguments, { a: "<EMAIL_ADDRESS_2>", b: "<US_SSN_1>", c: "<EMAIL_ADDRESS>", d: "<EMAIL_ADDRESS_1", e: ALICE });
  });

  test("restoring is copy-on-write: arguments without tokens keep their identity", () => {
    const masker = tokenMasker();
    masker.maskOutbound(success({ content: [{ type: "text", text: ALICE }] }), { method: "tools/call", scope: "A" });
    const untouched = { deep: ["x", { y: 1 }] };
    const call = request("tools/call", { name: "x", arguments: { to: "<EMAIL_ADDRESS_1>", untouched } });
    const restored = masker.restoreInbound(call, { scope: "A" });
    const args = restored.params!.arguments as Record<string, unknown>;
    assert.equal(args.untouched, untouched, "a gateway can tell which arguments changed (Mcp-Param-* headers)");
    assert.equal((call.params!.arguments as Record<string, unknown>).to, "<EMAIL_ADDRESS_1>", "input not modified");
    const clean = request("tools/call", { name: "x", arguments: { q: "nothing" } });
    assert.equal(masker.restoreInbound(clean, { scope: "A" }), clean);
  });

  test("the same value gets the same token across messages of one scope", () => {
    const masker = tokenMasker();
    const first = masker.maskOutbound(notification("notifications/message", { level: "info", data: ALICE }), { scope: "A" });
    const second = masker.maskOutbound(success({ content: [{ type: "text", text: `${BOB} ${ALICE}` }] }), { method: "tools/call", scope: "A" });
    assert.equal(first.params!.data, "<EMAIL_ADDRESS_1>");
    assert.equal(text(second), "<EMAIL_ADDRESS_2> <EMAIL_ADDRESS_1>");
  });
});

describe("where tokens come back", () => {
  const masker = tokenMasker();
  const scope = { scope: "S" };
  // Issue <EMAIL_ADDRESS_1> = ALICE, <EMAIL_ADDRESS_2> = BOB in scope S.
  masker.maskOutbound(success({ content: [{ type: "text", text: `${ALICE} ${BOB}` }] }), { method: "tools/call", scope: "S" });

  test("prompts/get arguments", () => {
    const out = masker.restoreInbound(request("prompts/get", { name: "reply", arguments: { to: "<EMAIL_ADDRESS_1>" } }), scope);
    assert.deepEqual(out.params, { name: "reply", arguments: { to: ALICE } });
  });

  test("resources/read, subscribe and unsubscribe URIs (a link the model saw tokenized)", () => {
    const link = masker.maskOutbound(success({ content: [{ type: "resource_link", uri: `mailto:${ALICE}`, name: "mail" }] }), {
      method: "tools/call",
      scope: "S",
    });
    const uri = ((link as JsonRpcSuccess).result.content as { uri: string }[])[0]!.uri;
    assert.equal(uri, "mailto:<EMAIL_ADDRESS_1>");
    for (const method of ["resources/read", "resources/subscribe", "resources/unsubscribe"]) {
      assert.deepEqual(masker.restoreInbound(request(method, { uri }), scope).params, { uri: `mailto:${ALICE}` }, method);
    }
  });

  test("completion arguments", () => {
    const out = masker.restoreInbound(
      request("completion/complete", {
        ref: { type: "ref/prompt", name: "reply" },
        argument: { name: "cc", value: "<EMAIL_ADDRESS_2>" },
        context: { arguments: { to: "<EMAIL_ADDRESS_1>" } },
      }),
      scope,
    );
    assert.deepEqual(out.params, {
      ref: { type: "ref/prompt", name: "reply" },
      argument: { name: "cc", value: BOB },
      context: { arguments: { to: ALICE } },
    });
  });

  test("the client's sampling result (the model's reply, its tool calls) and elicitation result", () => {
    const sampled = masker.restoreInbound(
      success({
        model: "m",
        role: "assistant",
        content: [
          { type: "text", text: "Write to <EMAIL_ADDRESS_1>" },
          { type: "tool_use", id: "u1", name: "send", input: { to: "<EMAIL_ADDRESS_2>" } },
        ],
      }),
      { ...scope, method: "sampling/createMessage" },
    );
    assert.deepEqual((sampled as JsonRpcSuccess).result.content, [
      { type: "text", text: `Write to ${ALICE}` },
      { type: "tool_use", id: "u1", name: "send", input: { to: BOB } },
    ]);
    assert.equal((sampled as JsonRpcSuccess).result.model, "m");
    const elicited = masker.restoreInbound(success({ action: "accept", content: { email: "<EMAIL_ADDRESS_1>", n: 3 } }), {
      ...scope,
      method: "elicitation/create",
    });
    assert.deepEqual((elicited as JsonRpcSuccess).result, { action: "accept", content: { email: ALICE, n: 3 } });
  });

  test("2026-07-28 retries: inputResponses are restored, requestState is not", () => {
    const out = masker.restoreInbound(
      request("tools/call", {
        name: "send",
        arguments: { to: "<EMAIL_ADDRESS_1>" },
        inputResponses: { confirm: { action: "accept", content: { cc: "<EMAIL_ADDRESS_2>" } } },
        requestState: "<EMAIL_ADDRESS_1>",
      }),
      scope,
    );
    assert.deepEqual(out.params, {
      name: "send",
      arguments: { to: ALICE },
      inputResponses: { confirm: { action: "accept", content: { cc: BOB } } },
      requestState: "<EMAIL_ADDRESS_1>",
    });
  });

  test("nothing is restored where no tool needs it: names, _meta, other methods, notifications, errors", () => {
    const call = request("tools/call", { name: "<EMAIL_ADDRESS_1>", _meta: { progressToken: "<EMAIL_ADDRESS_1>" } });
    assert.equal(masker.restoreInbound(call, scope), call);
    const other = request("tools/list", { cursor: "<EMAIL_ADDRESS_1>" });
    assert.equal(masker.restoreInbound(other, scope), other);
    const note = notification("notifications/cancelled", { requestId: 1, reason: "<EMAIL_ADDRESS_1>" });
    assert.equal(masker.restoreInbound(note, scope), note);
    const unknownResponse = success({ content: "<EMAIL_ADDRESS_1>" });
    assert.equal(masker.restoreInbound(unknownResponse, { ...scope, method: "roots/list" }), unknownResponse);
    assert.equal(masker.restoreInbound(unknownResponse, scope), unknownResponse, "a response without its method is left alone");
  });
});
