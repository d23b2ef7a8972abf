import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import {
  CallToolResultSchema,
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  GetPromptResultSchema,
  ListToolsResultSchema,
  ReadResourceResultSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { createMessageMasker } from "../../../src/gateway/pii/index.js";
import type { JsonRpcRequest, JsonRpcResponse, JsonRpcSuccess } from "../../../src/gateway/jsonrpc.js";
import { ALICE, containsAddress, emailEngine } from "./helpers.js";
import { startStdioPeer, type StdioPeer } from "./stdio-peer.js";

/*
 * The masker on the real messages of @modelcontextprotocol/server-everything: what the gateway
 * relays from it, masked in token mode, and tokens restored on the way back, as the gateway
 * does around an upstream.
 */

const serverScript = fileURLToPath(
  new URL("../../../node_modules/@modelcontextprotocol/server-everything/dist/index.js", import.meta.url),
);
const engine = emailEngine({ defaultOperator: { type: "token" } });
const masker = createMessageMasker(engine);
const scope = "session-everything";

let peer: StdioPeer;
const serverRequests: JsonRpcRequest[] = [];
const rawServerRequests: JsonRpcRequest[] = [];

/** What the gateway does with a response on its way to the client. */
async function call(method: string, params?: Record<string, unknown>): Promise<JsonRpcSuccess> {
  const response = await peer.request(method, params);
  assert.ok("result" in response, `${method} failed: ${JSON.stringify(response)}`);
  return masker.maskOutbound(response, { method, scope }) as JsonRpcSuccess;
}

before(async () => {
  peer = startStdioPeer(process.execPath, [serverScript, "stdio"]);
  peer.onServerRequest((request): JsonRpcResponse => {
    // The gateway masks the server's request before the client (and its model) sees it...
    const shown = masker.maskOutbound(request, { scope });
    serverRequests.push(shown);
    rawServerRequests.push(request);
    let answer: JsonRpcResponse;
    if (request.method === "sampling/createMessage") {
      // ...the model answers in the tokens it was shown...
      const text = JSON.stringify(shown.params);
      const token = /<EMAIL_ADDRESS_\d+>/.exec(text)?.[0] ?? "none";
      answer = { jsonrpc: "2.0", id: request.id, result: { model: "test-model", role: "assistant", content: { type: "text", text: `Reply to ${token}` } } };
    } else if (request.method === "elicitation/create") {
      answer = { jsonrpc: "2.0", id: request.id, result: { action: "accept", content: { email: "<EMAIL_ADDRESS_1>", name: "Alice" } } };
    } else {
      answer = { jsonrpc: "2.0", id: request.id, result: {} };
    }
    // ...and the gateway restores them before the server gets the answer.
    return masker.restoreInbound(answer, { scope, method: request.method });
  });
  const init = await peer.request("initialize", {
    protocolVersion: "2025-06-18",
    capabilities: { sampling: {}, elicitation: {} },
    clientInfo: { name: "bastion-pii-test", version: "0.0.0" },
  });
  assert.ok("result" in init, JSON.stringify(init));
  peer.notify("notifications/initialized");
});

after(async () => {
  await peer.close();
});

describe("masking the real messages of server-everything", () => {
  test("echo: the address in a tool result is tokenized; restore in a later call gives it back", async () => {
    const out = await call("tools/call", { name: "echo", arguments: { message: `write to ${ALICE}` } });
    const result = CallToolResultSchema.parse(out.result);
    assert.deepEqual(result.content, [{ type: "text", text: "Echo: write to <EMAIL_ADDRESS_1>" }]);
    const next = masker.restoreInbound(
      { jsonrpc: "2.0", id: 99, method: "tools/call", params: { name: "echo", arguments: { message: "<EMAIL_ADDRESS_1>" } } },
      { scope },
    );
    assert.deepEqual(next.params!.arguments, { message: ALICE });
    const echoed = await call("tools/call", next.params);
    assert.deepEqual(CallToolResultSchema.parse(echoed.result).content, [{ type: "text", text: "Echo: <EMAIL_ADDRESS_1>" }]);
  });

  test("the tiny image passes byte for byte; results without PII are the same objects", async () => {
    const response = await peer.request("tools/call", { name: "get-tiny-image", arguments: {} });
    const out = masker.maskOutbound(response, { method: "tools/call", scope });
    assert.equal(out, response, "nothing in it is PII");
    const result = CallToolResultSchema.parse((out as JsonRpcSuccess).result);
    assert.ok(result.content.some((block) => block.type === "image"));
    const weather = await peer.request("tools/call", { name: "get-structured-content", arguments: { location: "Chicago" } });
    assert.equal(masker.maskOutbound(weather, { method: "tools/call", scope }), weather);
  });

  test("embedded resources and resources/read stay valid", async () => {
    const reference = await call("tools/call", { name: "get-resource-reference", arguments: { resourceType: "Text", resourceId: 2 } });
    const result = CallToolResultSchema.parse(reference.result);
    const embedded = result.content.find((block) => block.type === "resource");
    assert.ok(embedded && embedded.type === "resource");
    const read = await call("resources/read", { uri: embedded.resource.uri });
    ReadResourceResultSchema.parse(read.result);
  });

  test("prompts/get with an address as an argument: the prompt text is masked", async () => {
    const out = await call("prompts/get", { name: "args-prompt", arguments: { city: ALICE, state: "CA" } });
    const result = GetPromptResultSchema.parse(out.result);
    const texts = result.messages.map((m) => (m.content.type === "text" ? m.content.text : ""));
    assert.ok(texts.some((t) => t.includes("<EMAIL_ADDRESS_1>")), texts.join("|"));
    assert.equal(containsAddress(out, engine), false);
  });

  test("tools/list stays valid; output schemas still accept what the tools return", async () => {
    const out = await call("tools/list", {});
    const { tools } = ListToolsResultSchema.parse(out.result);
    assert.ok(tools.some((t) => t.name === "echo"));
    const structured = tools.find((t) => t.name === "get-structured-content");
    assert.ok(structured?.outputSchema);
  });

  test("sampling: the server's request is masked for the model, the model's token reply reaches the server restored", async () => {
    serverRequests.length = 0;
    const out = await call("tools/call", { name: "trigger-sampling-request", arguments: { prompt: `Summarize mail from ${ALICE}`, maxTokens: 20 } });
    const sampling = serverRequests.find((r) => r.method === "sampling/createMessage");
    assert.ok(sampling, "the server asked for sampling");
    CreateMessageRequestSchema.parse(sampling);
    assert.equal(containsAddress(sampling, engine), false);
    assert.match(JSON.stringify(sampling.params), /<EMAIL_ADDRESS_1>/);
    // The server echoes the sampling result it received: the restored address, masked again
    // on its way out to the same token.
    const text = CallToolResultSchema.parse(out.result).content.map((b) => (b.type === "text" ? b.text : "")).join("");
    assert.match(text, /Reply to <EMAIL_ADDRESS_1>/);
    assert.equal(containsAddress(out, engine), false);
  });

  test("elicitation: the real form has no PII and passes unchanged; the user's token answer is restored for the server", async () => {
    serverRequests.length = 0;
    rawServerRequests.length = 0;
    const out = await call("tools/call", { name: "trigger-elicitation-request", arguments: {} });
    const at = serverRequests.findIndex((r) => r.method === "elicitation/create");
    const elicitation = serverRequests[at];
    assert.ok(elicitation);
    ElicitRequestSchema.parse(elicitation);
    assert.equal(elicitation, rawServerRequests[at], "no false positive in a real form: the very same message");
    const text = CallToolResultSchema.parse(out.result).content.map((b) => (b.type === "text" ? b.text : "")).join("");
    // The server reports what it received (the original), and the gateway masks it again.
    assert.match(text, /<EMAIL_ADDRESS_1>/);
    assert.equal(containsAddress(out, engine), false);
  });
});
