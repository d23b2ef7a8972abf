/**
 * The 2026-07-28 revision (stateless, per-request _meta) through the gateway: the official v2
 * client pinned to 2026-07-28, in front of a 2025-era server (bridged) and a 2026-07-28 server
 * (passed through), plus the header and envelope checks on raw requests.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { DUAL_ERA, EMAIL, EVERYTHING, MODERN_META, modernHeaders, modernRequest, post, startGateway, testConfig, type RunningGateway } from "./helpers.js";

let running: RunningGateway;
const urlOf = (path: string) => `${running.url}${path}`;

before(async () => {
  running = await startGateway({ config: testConfig({ everything: EVERYTHING, fixture: DUAL_ERA }) });
});
after(() => running.close());

async function modernClient(path: string): Promise<Client> {
  const client = new Client({ name: "v2-test", version: "1.0.0" }, { versionNegotiation: { mode: { pin: "2026-07-28" } } });
  await client.connect(new StreamableHTTPClientTransport(new URL(urlOf(path))));
  return client;
}

const texts = (result: unknown): string =>
  ((result as { content: Array<{ type: string; text?: string }> }).content).filter((c) => c.type === "text").map((c) => c.text).join("\n");

describe("v2 client pinned to 2026-07-28", () => {
  test("a 2025-era server (server-everything) is bridged: discover, list, call masked", async () => {
    const client = await modernClient("/servers/everything/mcp");
    try {
      assert.equal(client.getNegotiatedProtocolVersion(), "2026-07-28");
      assert.equal(client.getServerVersion()?.name, "mcp-servers/everything");
      const { tools } = await client.listTools();
      assert.ok(tools.some((t) => t.name === "echo"));
      const echoed = await client.callTool({ name: "echo", arguments: { message: `for ${EMAIL}` } });
      assert.equal(texts(echoed), "Echo: for <EMAIL_ADDRESS>");
      const prompt = await client.getPrompt({ name: "args-prompt", arguments: { city: EMAIL } });
      assert.equal((prompt.messages[0]?.content as { text: string }).text, "What's weather in <EMAIL_ADDRESS>?");
    } finally {
      await client.close();
    }
  });

  test("progress from a bridged server streams back on the call's own response", async () => {
    const client = await modernClient("/servers/everything/mcp");
    const progress: number[] = [];
    try {
      await client.callTool({ name: "trigger-long-running-operation", arguments: { duration: 0.3, steps: 3 } }, { onprogress: (p) => progress.push(p.progress) });
      assert.deepEqual(progress, [1, 2, 3]);
    } finally {
      await client.close();
    }
  });

  test("a 2026-07-28 server is passed through, its results still masked", async () => {
    const client = await modernClient("/servers/fixture/mcp");
    try {
      assert.equal(client.getServerVersion()?.name, "dual-era-fixture");
      // Untranslated: the server sees the caller's own envelope, not the gateway's handshake.
      assert.equal(texts(await client.callTool({ name: "client-name", arguments: {} })), "v2-test");
      const contact = await client.callTool({ name: "contact", arguments: {} });
      assert.equal(texts(contact), "Contact: <EMAIL_ADDRESS>, desk 12");
    } finally {
      await client.close();
    }
  });

  test("the aggregated /mcp serves 2026-07-28 too, with namespaced names", async () => {
    const client = await modernClient("/mcp");
    try {
      assert.equal(client.getServerVersion()?.name, "mcp-bastion");
      const names = (await client.listTools()).tools.map((t) => t.name);
      assert.ok(names.includes("everything__echo"), names.join(","));
      assert.ok(names.includes("fixture__contact"), names.join(","));
      const contact = await client.callTool({ name: "fixture__contact", arguments: {} });
      assert.equal(texts(contact), "Contact: <EMAIL_ADDRESS>, desk 12");
    } finally {
      await client.close();
    }
  });
});

describe("v2 client on the 2025-11-25 revision", () => {
  test("initializes a session and calls a tool", async () => {
    const client = new Client({ name: "v2-legacy", version: "1.0.0" });
    const transport = new StreamableHTTPClientTransport(new URL(urlOf("/servers/everything/mcp")));
    await client.connect(transport);
    try {
      assert.equal(client.getNegotiatedProtocolVersion(), "2025-11-25");
      assert.ok(transport.sessionId);
      const echoed = await client.callTool({ name: "echo", arguments: { message: EMAIL } });
      assert.equal(texts(echoed), "Echo: <EMAIL_ADDRESS>");
    } finally {
      await client.close();
    }
  });
});

describe("2026-07-28 request checks (raw HTTP)", () => {
  const everything = () => urlOf("/servers/everything/mcp");
  const errorOf = (json: unknown) => (json as { id: unknown; error: { code: number; message: string; data?: unknown } });

  test("a well-formed request with mirrored headers is served, with cache hints and no session", async () => {
    const reply = await post(everything(), modernRequest(7, "tools/list"), modernHeaders("tools/list"));
    assert.equal(reply.status, 200);
    assert.equal(reply.headers.get("mcp-session-id"), null);
    const result = (reply.json as { id: number; result: Record<string, unknown> }).result;
    assert.equal((reply.json as { id: number }).id, 7);
    assert.equal(result["resultType"], "complete");
    assert.equal(result["ttlMs"], 0);
    assert.equal(result["cacheScope"], "private");
  });

  test("Mcp-Method that disagrees with the body is 400 / -32020", async () => {
    const reply = await post(everything(), modernRequest(8, "tools/list"), modernHeaders("prompts/list"));
    assert.equal(reply.status, 400);
    assert.equal(errorOf(reply.json).error.code, -32020);
    assert.equal(errorOf(reply.json).id, 8);
  });

  test("missing Mcp-Method or MCP-Protocol-Version is 400 / -32020", async () => {
    const noMethod = await post(everything(), modernRequest(9, "tools/list"), { "mcp-protocol-version": "2026-07-28" });
    assert.equal(noMethod.status, 400);
    assert.equal(errorOf(noMethod.json).error.code, -32020);
    const noVersion = await post(everything(), modernRequest(10, "tools/list"), { "mcp-method": "tools/list" });
    assert.equal(noVersion.status, 400);
    assert.equal(errorOf(noVersion.json).error.code, -32020);
  });

  test("Mcp-Name must mirror params.name (plain or Base64 sentinel)", async () => {
    const call = modernRequest(11, "tools/call", { name: "echo", arguments: { message: "hi" } });
    const wrong = await post(everything(), call, modernHeaders("tools/call", "get-sum"));
    assert.equal(wrong.status, 400);
    assert.equal(errorOf(wrong.json).error.code, -32020);
    const missing = await post(everything(), call, modernHeaders("tools/call"));
    assert.equal(missing.status, 400);
    const sentinel = await post(everything(), call, modernHeaders("tools/call", `=?base64?${Buffer.from("echo").toString("base64")}?=`));
    assert.equal(sentinel.status, 200, sentinel.text);
    const badSentinel = await post(everything(), call, modernHeaders("tools/call", "=?base64?!!!?="));
    assert.equal(badSentinel.status, 400);
  });

  test("a header naming another version than the body is 400 / -32020", async () => {
    const reply = await post(everything(), modernRequest(12, "tools/list"), { ...modernHeaders("tools/list"), "mcp-protocol-version": "2025-11-25" });
    assert.equal(reply.status, 400);
    assert.equal(errorOf(reply.json).error.code, -32020);
  });

  test("a missing or malformed envelope is 400 / -32602", async () => {
    const noMeta = await post(everything(), { jsonrpc: "2.0", id: 13, method: "tools/list", params: {} }, modernHeaders("tools/list"));
    assert.equal(noMeta.status, 400);
    assert.equal(errorOf(noMeta.json).error.code, -32602);
    assert.equal(errorOf(noMeta.json).id, 13);
    const { "io.modelcontextprotocol/clientCapabilities": _dropped, ...noCapabilities } = MODERN_META;
    const partial = await post(everything(), { jsonrpc: "2.0", id: 14, method: "tools/list", params: { _meta: noCapabilities } }, modernHeaders("tools/list"));
    assert.equal(partial.status, 400);
    assert.equal(errorOf(partial.json).error.code, -32602);
    assert.match(errorOf(partial.json).error.message, /clientCapabilities/);
  });

  test("a revision the gateway does not serve is 400 / -32022 with the supported list", async () => {
    const body = { jsonrpc: "2.0", id: 15, method: "tools/list", params: { _meta: { ...MODERN_META, "io.modelcontextprotocol/protocolVersion": "2099-01-01" } } };
    const reply = await post(everything(), body, { "mcp-protocol-version": "2099-01-01", "mcp-method": "tools/list" });
    assert.equal(reply.status, 400);
    assert.equal(errorOf(reply.json).error.code, -32022);
    assert.deepEqual(errorOf(reply.json).error.data, { supported: ["2026-07-28"], requested: "2099-01-01" });
  });

  test("methods the revision removed are 404 / -32601 with the request's id", async () => {
    for (const [path, id] of [["/servers/everything/mcp", 16], ["/mcp", 17], ["/servers/fixture/mcp", 18]] as const) {
      const reply = await post(urlOf(path), modernRequest(id, "ping"), modernHeaders("ping"));
      assert.equal(reply.status, 404, `${path}: ${reply.text}`);
      assert.equal(errorOf(reply.json).error.code, -32601);
      assert.equal(errorOf(reply.json).id, id);
    }
  });

  test("an initialize sent with a 2026-07-28 header is a mismatch", async () => {
    const reply = await post(everything(), { jsonrpc: "2.0", id: 19, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "x", version: "1" } } }, { "mcp-protocol-version": "2026-07-28" });
    assert.equal(reply.status, 400);
    assert.equal(errorOf(reply.json).error.code, -32020);
  });

  test("notifications are accepted (202) and need no session", async () => {
    const reply = await post(everything(), { jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 1, _meta: MODERN_META } }, modernHeaders("notifications/cancelled"));
    assert.equal(reply.status, 202);
  });
});
