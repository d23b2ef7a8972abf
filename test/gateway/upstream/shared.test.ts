/**
 * The shared upstream at the connection level (src/gateway/upstream/shared), over a real stdio
 * child (test/gateway/fixtures/share-server.ts): who may answer a server request, ids that
 * collide between sessions, and what a member sees once the shared connection is gone.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import pino from "pino";
import type { JsonRpcRequest, JsonRpcResponse } from "../../../src/gateway/jsonrpc.js";
import { createUpstreamFactory } from "../../../src/gateway/upstream/index.js";
import type { UpstreamConnection, UpstreamFactory, UpstreamInitiated } from "../../../src/gateway/upstream/types.js";

const quiet = pino({ level: "silent" });
const factory: UpstreamFactory = createUpstreamFactory(
  "share",
  {
    kind: "stdio",
    command: process.execPath,
    args: ["--import", "tsx", join(import.meta.dirname, "..", "fixtures", "share-server.ts")],
    env: {},
    requestTimeoutMs: 20_000,
    share: "principal",
  },
  { logger: quiet, sharedIdleCloseMs: 0 },
);
after(() => factory.closeAll());

const tenant = (principal: string) => ({ principal, protocolVersion: "2025-11-25" });
const initialize = (id: number, capabilities: Record<string, unknown>): JsonRpcRequest => ({
  jsonrpc: "2.0",
  id,
  method: "initialize",
  params: { protocolVersion: "2025-11-25", capabilities, clientInfo: { name: "t", version: "1" } },
});
const call = (id: number, name: string, args: Record<string, unknown> = {}): JsonRpcRequest => ({ jsonrpc: "2.0", id, method: "tools/call", params: { name, arguments: args } });
const textOf = (response: JsonRpcResponse): string => {
  assert.ok("result" in response, JSON.stringify(response));
  return (response.result["content"] as Array<{ text: string }>)[0]!.text;
};
function nextInitiated(connection: UpstreamConnection): Promise<UpstreamInitiated> {
  return new Promise((resolve) => {
    const off = connection.onInitiated((event) => {
      off();
      resolve(event);
    });
  });
}

describe("shared upstream connections", { timeout: 60_000 }, () => {
  test("only the session a server request was sent to can answer it; another session's answer is dropped", async () => {
    const a = await factory.open(tenant("p"));
    const b = await factory.open(tenant("p"));
    await a.request(initialize(1, { sampling: {} }));
    await b.request(initialize(1, { sampling: {} }));
    const asked = nextInitiated(a);
    const pending = a.request(call(2, "sample", { prompt: "q" }));
    const { message } = await asked;
    assert.ok("id" in message && message.method === "sampling/createMessage");
    const answer = (text: string): JsonRpcResponse => ({ jsonrpc: "2.0", id: message.id, result: { role: "assistant", content: { type: "text", text }, model: "m" } });
    await b.respond(answer("forged by b")); // b was not asked: dropped
    await a.respond(answer("from a"));
    assert.equal(textOf(await pending), `sampled: ${JSON.stringify({ type: "text", text: "from a" })}`);
    await Promise.all([a.close(), b.close()]);
  });

  test("both sessions may use the same request ids; each gets its own answer", async () => {
    const a = await factory.open(tenant("q"));
    const b = await factory.open(tenant("q"));
    await Promise.all([a.request(initialize(1, {})), b.request(initialize(1, {}))]);
    const [fromA, fromB] = await Promise.all([a.request(call(7, "progress", { steps: 1 })), b.request(call(7, "pid"))]);
    assert.equal(fromA.id, 7);
    assert.equal(fromB.id, 7);
    assert.equal(textOf(fromA), "done 1");
    assert.match(textOf(fromB), /^\d+$/);
    await Promise.all([a.close(), b.close()]);
  });

  test("a member that left, or whose shared connection is gone, gets errors and never hangs", async () => {
    const a = await factory.open(tenant("r"));
    await a.request(initialize(1, {}));
    const closed = new Promise<string>((resolve) => a.onClosed(resolve));
    await a.close();
    assert.equal(await closed, "closed");
    const after = await a.request(call(2, "pid"));
    assert.ok("error" in after);
  });

  test("another principal, or another protocol version, never gets the same child", async () => {
    const a = await factory.open(tenant("s"));
    const b = await factory.open(tenant("t"));
    const c = await factory.open({ principal: "s", protocolVersion: "2025-06-18" });
    await Promise.all([a, b, c].map((m) => m.request(initialize(1, {}))));
    const pids = await Promise.all([a, b, c].map(async (m) => textOf(await m.request(call(2, "pid")))));
    assert.equal(new Set(pids).size, 3);
    await Promise.all([a, b, c].map((m) => m.close()));
  });
});
