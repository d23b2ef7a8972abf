/**
 * Red team R1: PII-masking bypasses by a hostile upstream (test/security/fixtures/r1-evil-server.ts,
 * raw JSON-RPC lines over stdio) through a real gateway with masking on. Whatever the upstream puts
 * where, the client (and so its model) must never see the e-mail or the card number unmasked.
 * A pass documents a defence; a failure is a bypass.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { ServerResponse } from "node:http";
import type { GatewayConfig } from "../../src/config/index.js";
import type { UpstreamConfig } from "../../src/gateway/upstream/types.js";
import { modernHeaders, modernRequest, openRawSession, post, startGateway, testConfig, type RunningGateway } from "../gateway/helpers.js";
import { startRawServer, type TestServer } from "../gateway/upstream/http-servers.js";
import { EVIL } from "./evil-upstream.js";
import { readStream } from "./r1-raw-http.js";

const EMAIL = "jane.doe@example.com";
const CARD = "4111111111111111";

/** Every way the e-mail or the card could appear in what the client reads (JSON escapes decoded). */
function leaks(text: string): string[] {
  const decoded = text.replace(/\\u([0-9a-fA-F]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  const found: string[] = [];
  for (const form of [EMAIL, "jane.doe", CARD, "4111 1111 1111 1111", "４１１１"]) if (decoded.includes(form)) found.push(form);
  return found;
}

/**
 * Vectors whose every byte must be free of the PII. Not asserted (reported in R1's note): `_meta`
 * (left alone by design: protocol metadata), base64 blobs and image data of any MIME type (binary,
 * never scanned, issue 3).
 */
const ASSERTED_VECTORS = [
  "text", "text-annotations", "result-extra-field", "text-extra-field", "image-extra-field", "resource-extra-field", "link-annotations", "text-not-a-string", "content-not-an-array",
  "structured", "structured-key", "structured-number-card", "structured-string-card", "structured-proto", "structured-proto-string",
  "structured-constructor", "duplicate-keys-last", "duplicate-keys-first", "escaped-at", "escaped-all", "escaped-key", "resource",
  "resource-link", "unknown-block-text", "unknown-block-data", "is-error", "long-text", "many-blocks", "deep-nesting", "too-deep-nesting",
  "error", "error-and-result", "batch", "zero-width", "fullwidth-card",
];

describe("R1 masking: a hostile upstream behind a real gateway (masking on, replace mode)", () => {
  let running: RunningGateway;
  let route: string;
  let session: string;

  before(async () => {
    const base: GatewayConfig = testConfig({ evil: EVIL });
    running = await startGateway({ config: { ...base, limits: { ...base.limits, maxBodyBytes: base.limits.maxBodyBytes } } });
    route = `${running.url}/servers/evil/mcp`;
    session = await openRawSession(route);
  });
  after(() => running.close());

  const call = (name: string, id: number, extra: Record<string, unknown> = {}) =>
    post(route, { jsonrpc: "2.0", id, method: "tools/call", params: { name, arguments: {}, ...extra } }, { "mcp-session-id": session });

  test("positive control: the plain text vector arrives masked", async () => {
    const reply = await call("text", 1);
    assert.equal(reply.status, 200, reply.text);
    assert.match(reply.text, /mail <EMAIL_ADDRESS>/);
  });

  for (const [i, vector] of ASSERTED_VECTORS.entries()) {
    test(`attack: tools/call result vector "${vector}" never shows the PII, and is still one JSON-RPC answer`, async () => {
      const reply = await call(vector, 100 + i);
      assert.equal(reply.status, 200, reply.text.slice(0, 300));
      assert.deepEqual(leaks(reply.text), [], `${vector}: ${reply.text.slice(0, 600)}`);
      // JSON, or an SSE stream whose last event is the answer.
      const last = reply.json ?? JSON.parse(reply.text.trim().split("\n").filter((line) => line.startsWith("data:")).at(-1)!.slice(5));
      assert.equal((last as { id: unknown }).id, 100 + i);
    });
  }

  test("masking the extra fields keeps the protocol ones as they were (annotations, binary data, MIME types)", async () => {
    const blocks = async (name: string) => ((await call(name, 900)).json as { result: { content: Array<Record<string, unknown>> } }).result.content;
    const [annotated] = await blocks("text-annotations");
    assert.deepEqual(annotated, { type: "text", text: "x", annotations: { audience: ["user"], note: "<EMAIL_ADDRESS>" } });
    const [image] = await blocks("image-extra-field");
    assert.deepEqual(image, { type: "image", mimeType: "image/png", data: "iVBORw0KGgo=", alt: "<EMAIL_ADDRESS>" });
    const listed = (await post(route, { jsonrpc: "2.0", id: 901, method: "tools/list" }, { "mcp-session-id": session })).json as { result: { tools: Array<Record<string, unknown>> } };
    const rich = listed.result.tools.find((tool) => tool["name"] === "rich")!;
    assert.deepEqual(rich["inputSchema"], { type: "object", properties: { to: { type: "string", title: "<EMAIL_ADDRESS>", description: "<EMAIL_ADDRESS>" } } });
    assert.deepEqual(rich["annotations"], { x: "<EMAIL_ADDRESS>" });
    const [link] = await blocks("link-annotations");
    assert.deepEqual(link, { type: "resource_link", uri: "file:///a", name: "a", annotations: { priority: 1, note: "<EMAIL_ADDRESS>" } });
  });

  test("attack: lists, prompts, resources, completions and initialize instructions never show the PII", async () => {
    const requests: Array<[string, Record<string, unknown>]> = [
      ["tools/list", {}],
      ["prompts/list", {}],
      ["prompts/get", { name: "p" }],
      ["resources/list", {}],
      ["resources/templates/list", {}],
      ["resources/read", { uri: "mail://1" }],
      ["completion/complete", { ref: { type: "ref/prompt", name: "p" }, argument: { name: "a", value: "" } }],
      ["x-unknown/method", {}],
    ];
    for (const [i, [method, params]] of requests.entries()) {
      const reply = await post(route, { jsonrpc: "2.0", id: 300 + i, method, params }, { "mcp-session-id": session });
      assert.deepEqual(leaks(reply.text), [], `${method}: ${reply.text.slice(0, 600)}`);
    }
    const opened = await post(route, { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "x", version: "1" } } });
    assert.equal(opened.status, 200);
    assert.deepEqual(leaks(opened.text), [], opened.text);
    assert.ok(!opened.text.includes("203.0.113.77") && opened.text.includes("<IP_ADDRESS>"), `the instructions are masked, not dropped: ${opened.text}`);
    const id = opened.headers.get("mcp-session-id");
    if (id !== null) await fetch(route, { method: "DELETE", headers: { "mcp-session-id": id } });
  });

  test("attack: notifications (logging with PII in logger, data keys and numbers; progress; unknown; resource updates; cancelled) never show the PII", async () => {
    // A session of its own: one GET stream per session.
    const own = await openRawSession(route);
    const get = await fetch(route, { headers: { accept: "text/event-stream", "mcp-session-id": own } });
    assert.equal(get.status, 200);
    const streamed = readStream(get, 1_500);
    const reply = await post(route, { jsonrpc: "2.0", id: 400, method: "tools/call", params: { name: "notify", arguments: {}, _meta: { progressToken: "p-1" } } }, { "mcp-session-id": own });
    const onGet = await streamed;
    assert.match(reply.text + onGet, /notifications\/message/, "the notifications were relayed (positive control)");
    assert.deepEqual(leaks(reply.text), [], reply.text.slice(0, 800));
    assert.deepEqual(leaks(onGet), [], onGet.slice(0, 800));
  });

  test("attack: server-to-client requests (sampling, elicitation, unknown) never show the PII", async () => {
    const own = await openRawSession(route);
    const get = await fetch(route, { headers: { accept: "text/event-stream", "mcp-session-id": own } });
    assert.equal(get.status, 200);
    const streamed = readStream(get, 1_500);
    const reply = await post(route, { jsonrpc: "2.0", id: 500, method: "tools/call", params: { name: "server-requests", arguments: {} } }, { "mcp-session-id": own });
    const onGet = await streamed;
    assert.match(reply.text + onGet, /sampling\/createMessage/, "the sampling request was relayed (positive control)");
    assert.match(reply.text + onGet, /elicitation\/create/);
    assert.deepEqual(leaks(reply.text), [], reply.text.slice(0, 800));
    assert.deepEqual(leaks(onGet), [], onGet.slice(0, 800));
  });

  test("attack: the aggregated route /mcp and the stateless revision mask the same vectors", async () => {
    const aggregate = `${running.url}/mcp`;
    const own = await openRawSession(aggregate);
    for (const [i, vector] of ["text", "result-extra-field", "structured-number-card", "error", "unknown-block-data"].entries()) {
      const name = `evil__${vector}`;
      const inSession = await post(aggregate, { jsonrpc: "2.0", id: 700 + i, method: "tools/call", params: { name, arguments: {} } }, { "mcp-session-id": own });
      assert.equal(inSession.status, 200, inSession.text);
      assert.deepEqual(leaks(inSession.text), [], `${name}: ${inSession.text.slice(0, 400)}`);
      const stateless = await post(route, modernRequest(800 + i, "tools/call", { name: vector, arguments: {} }), modernHeaders("tools/call", vector));
      assert.deepEqual(leaks(stateless.text), [], `stateless ${vector}: ${stateless.text.slice(0, 400)}`);
      assert.match(stateless.text, /"id":8\d\d/, `stateless ${vector} answered: ${stateless.text.slice(0, 200)}`);
    }
    const listed = await post(aggregate, { jsonrpc: "2.0", id: 799, method: "tools/list" }, { "mcp-session-id": own });
    assert.match(listed.text, /evil__t/, "positive control: the aggregated list");
    assert.deepEqual(leaks(listed.text), [], listed.text);
    await fetch(aggregate, { method: "DELETE", headers: { "mcp-session-id": own } });
  });

  test("the gateway still serves after all of the above", async () => {
    const reply = await call("text", 600);
    assert.equal(reply.status, 200);
    assert.match(reply.text, /<EMAIL_ADDRESS>/);
  });
});

describe("R1 masking: an HTTP upstream's SSE stream split at every byte", () => {
  let upstream: TestServer;
  let running: RunningGateway;
  let route: string;

  /** Writes `text` a few bytes at a time, each write on its own turn of the event loop. */
  async function trickle(res: ServerResponse, text: string, size: number): Promise<void> {
    const bytes = Buffer.from(text, "utf8");
    for (let i = 0; i < bytes.length; i += size) {
      res.write(bytes.subarray(i, i + size));
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  before(async () => {
    upstream = await startRawServer(async (req, res, body) => {
      if (req.method === "GET") return void res.writeHead(405).end();
      if (req.method === "DELETE") return void res.writeHead(200).end();
      const message = JSON.parse(body) as { id?: number | string; method?: string; params?: { name?: string } };
      if (message.id === undefined) return void res.writeHead(202).end();
      if (message.method === "initialize") {
        res.writeHead(200, { "content-type": "application/json", "mcp-session-id": "up-1" });
        return void res.end(JSON.stringify({ jsonrpc: "2.0", id: message.id, result: { protocolVersion: "2025-11-25", capabilities: { tools: {}, logging: {} }, serverInfo: { name: "sse", version: "1" } } }));
      }
      if (message.method !== "tools/call") {
        res.writeHead(200, { "content-type": "application/json" });
        return void res.end(JSON.stringify({ jsonrpc: "2.0", id: message.id, result: {} }));
      }
      const size = Number(message.params?.name ?? "1");
      const id = JSON.stringify(message.id);
      res.writeHead(200, { "content-type": "text/event-stream" });
      // CRLF line ends, an event whose data spans two data: lines, a comment, multi-byte text before the e-mail.
      const stream =
        `: comment\r\nevent: message\r\ndata: {"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"été ${EMAIL}"}}\r\n\r\n` +
        `id: 1\r\ndata: {"jsonrpc":"2.0","id":${id},"result":{"content":[{"type":"text",\r\ndata: "text":"ünïcode ${EMAIL} ${CARD}"}]}}\r\n\r\n`;
      await trickle(res, stream, size);
      res.end();
    });
    running = await startGateway({ config: testConfig({ sse: { kind: "http", url: upstream.url, headers: {}, requestTimeoutMs: 10_000 } as UpstreamConfig }) });
    route = `${running.url}/servers/sse/mcp`;
  });
  after(async () => {
    await running.close();
    await upstream.close();
  });

  test("attack: events split at 1, 2, 3, 5 and 7 bytes (through multi-byte characters and the e-mail) arrive whole and masked", async () => {
    const session = await openRawSession(route);
    for (const size of [1, 2, 3, 5, 7]) {
      const reply = await post(route, { jsonrpc: "2.0", id: size, method: "tools/call", params: { name: String(size), arguments: {} } }, { "mcp-session-id": session });
      assert.equal(reply.status, 200, reply.text);
      assert.deepEqual(leaks(reply.text), [], reply.text);
      assert.match(reply.text, /ünïcode <EMAIL_ADDRESS> <CREDIT_CARD>/, `positive control (${size}): ${reply.text}`);
      assert.match(reply.text, /été <EMAIL_ADDRESS>/);
    }
  });
});
