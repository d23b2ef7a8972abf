/**
 * The transport guard and the envelope step on raw HTTP: every refusal beside the request it
 * lets through.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { request as httpRequest } from "node:http";
import { connect as netConnect } from "node:net";
import { ANONYMOUS } from "../../src/gateway/principal.js";
import { EMAIL, EVERYTHING, INITIALIZE, POST_HEADERS, openRawSession, post, startGateway, testConfig, type RunningGateway } from "./helpers.js";

let running: RunningGateway;
let optOut: RunningGateway;
let endpoint: string;

before(async () => {
  running = await startGateway({
    config: testConfig({ everything: EVERYTHING }, { limits: { maxBodyBytes: 4096 }, sessions: { idleTimeoutMs: 60_000, absoluteTimeoutMs: 120_000, max: 3 } }),
  });
  endpoint = `${running.url}/servers/everything/mcp`;
  const base = testConfig({ everything: EVERYTHING });
  // The caller holds the permission pii:unmask (test/gateway/pii-permission.test.ts covers callers without it).
  optOut = await startGateway({ config: { ...base, pii: { ...base.pii, allowOptOut: true } }, steps: { authenticate: async () => ({ ...ANONYMOUS, scopes: ["pii:unmask"] }) } });
});
after(async () => {
  await running.close();
  await optOut.close();
});

/** A request with full control of the headers (fetch will not send a foreign Host). */
function rawHttp(url: string, method: string, headers: Record<string, string>, body?: string): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on("error", reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** The first line of the reply to bytes written straight to the socket. */
function rawSocket(url: string, bytes: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = netConnect(Number(port), hostname, () => socket.write(bytes));
    let text = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      text += chunk;
      if (text.includes("\r\n")) {
        socket.destroy();
        resolve(text.slice(0, text.indexOf("\r\n")));
      }
    });
    socket.on("error", reject);
  });
}

const body = JSON.stringify(INITIALIZE);

/** POSTs an initialize and ends the session it opened, if any (each session runs a server child). */
async function initialize(url: string, headers: Record<string, string> = {}, raw?: string) {
  const reply = await post(url, raw ?? INITIALIZE, headers);
  const session = reply.headers.get("mcp-session-id");
  if (session !== null) await fetch(url, { method: "DELETE", headers: { "mcp-session-id": session } });
  return reply;
}
const codeOf = (text: string) => (JSON.parse(text) as { error: { code: number } }).error.code;

describe("Host and Origin (DNS rebinding)", () => {
  test("loopback Host and no Origin: served", async () => {
    const reply = await initialize(endpoint);
    assert.equal(reply.status, 200);
  });

  test("a foreign Host is refused with 421 before anything else happens", async () => {
    const { port } = new URL(running.url);
    for (const host of ["evil.example.com", `evil.example.com:${port}`, "127.0.0.1.evil.example.com"]) {
      const reply = await rawHttp(endpoint, "POST", { ...POST_HEADERS, host }, body);
      assert.equal(reply.status, 421, host);
    }
  });

  test("a request with no Host at all is refused", async () => {
    const line = await rawSocket(endpoint, `POST /servers/everything/mcp HTTP/1.0\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    assert.match(line, /^HTTP\/1\.[01] 421 /);
  });

  test("a foreign Origin is refused with 403; a loopback Origin is served with CORS headers", async () => {
    const bad = await initialize(endpoint, { origin: "http://evil.example.com" });
    assert.equal(bad.status, 403);
    assert.equal(bad.headers.get("access-control-allow-origin"), null);
    for (const origin of ["null", "file://", "http://localhost.evil.example.com"]) {
      assert.equal((await initialize(endpoint, { origin })).status, 403, origin);
    }
    const good = await initialize(endpoint, { origin: "http://localhost:5173" });
    assert.equal(good.status, 200);
    assert.equal(good.headers.get("access-control-allow-origin"), "http://localhost:5173");
    assert.match(good.headers.get("access-control-expose-headers") ?? "", /Mcp-Session-Id/);
  });

  test("a CORS preflight is answered for an allowed Origin only", async () => {
    const ok = await fetch(endpoint, { method: "OPTIONS", headers: { origin: "http://localhost:5173", "access-control-request-method": "POST" } });
    assert.equal(ok.status, 204);
    assert.match(ok.headers.get("access-control-allow-headers") ?? "", /Mcp-Session-Id/);
    const bad = await fetch(endpoint, { method: "OPTIONS", headers: { origin: "http://evil.example.com" } });
    assert.equal(bad.status, 403);
  });
});

describe("HTTP method, media types and size", () => {
  test("unknown routes and servers are 404", async () => {
    assert.equal((await post(`${running.url}/servers/nope/mcp`, INITIALIZE)).status, 404);
    assert.equal((await post(`${running.url}/mcp/extra`, INITIALIZE)).status, 404);
    assert.equal((await post(`${running.url}/servers/everything/mcp/`, INITIALIZE)).status, 404);
    assert.equal((await post(`${running.url}/servers/__proto__/mcp`, INITIALIZE)).status, 404);
  });

  test("methods other than GET, POST, DELETE, OPTIONS are 405 with Allow", async () => {
    const reply = await fetch(endpoint, { method: "PUT", headers: POST_HEADERS, body });
    assert.equal(reply.status, 405);
    assert.equal(reply.headers.get("allow"), "GET, POST, DELETE, OPTIONS");
  });

  test("a body that is not application/json is 415", async () => {
    const reply = await post(endpoint, body, { "content-type": "text/plain" });
    assert.equal(reply.status, 415);
    assert.equal((await initialize(endpoint, { "content-type": "application/json; charset=utf-8" })).status, 200);
  });

  test("a POST must accept both JSON and SSE, a GET must accept SSE: else 406", async () => {
    assert.equal((await post(endpoint, body, { accept: "application/json" })).status, 406);
    assert.equal((await post(endpoint, body, { accept: "text/event-stream" })).status, 406);
    assert.equal((await post(endpoint, body, { accept: "*/*" })).status, 406);
    const get = await fetch(endpoint, { headers: { accept: "application/json" } });
    assert.equal(get.status, 406);
  });

  test("a body over the limit is 413, declared or streamed", async () => {
    const big = JSON.stringify({ ...INITIALIZE, params: { ...INITIALIZE.params, padding: "x".repeat(5000) } });
    const declared = await post(endpoint, big);
    assert.equal(declared.status, 413);
    // Chunked: no Content-Length, so the limit must be enforced while reading.
    const streamed = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(endpoint, { method: "POST", headers: { ...POST_HEADERS, "transfer-encoding": "chunked" } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      for (let i = 0; i < 10; i++) req.write("x".repeat(1000));
      req.end();
    });
    assert.equal(streamed, 413);
    const justUnder = JSON.stringify({ ...INITIALIZE, params: { ...INITIALIZE.params, padding: "x".repeat(3500) } });
    assert.equal((await initialize(endpoint, {}, justUnder)).status, 200);
  });
});

describe("JSON-RPC envelope", () => {
  test("invalid JSON is 400 / -32700", async () => {
    const reply = await post(endpoint, "{ nope");
    assert.equal(reply.status, 400);
    assert.equal(codeOf(reply.text), -32700);
  });

  test("batches and malformed messages are 400 / -32600", async () => {
    for (const bad of [[INITIALIZE], { jsonrpc: "1.0", id: 1, method: "x" }, { jsonrpc: "2.0", id: null, method: "x" }, { jsonrpc: "2.0", id: 1, method: "x", params: [1] }, { jsonrpc: "2.0", id: 1 }, "42"]) {
      const reply = await post(endpoint, typeof bad === "string" ? bad : JSON.stringify(bad));
      assert.equal(reply.status, 400, JSON.stringify(bad));
      assert.equal(codeOf(reply.text), -32600, JSON.stringify(bad));
    }
  });

  test("a request without a session is 400; with an unknown session 404", async () => {
    assert.equal((await post(endpoint, { jsonrpc: "2.0", id: 2, method: "tools/list" })).status, 400);
    assert.equal((await post(endpoint, { jsonrpc: "2.0", id: 2, method: "tools/list" }, { "mcp-session-id": "x".repeat(32) })).status, 404);
    assert.equal((await post(endpoint, { jsonrpc: "2.0", id: 2, method: "tools/list" }, { "mcp-session-id": "bad id with spaces" })).status, 404);
  });

  test("an unsupported MCP-Protocol-Version header is 400; initialize inside a session is 400", async () => {
    const session = await openRawSession(endpoint);
    const ok = await post(endpoint, { jsonrpc: "2.0", id: 3, method: "tools/list" }, { "mcp-session-id": session, "mcp-protocol-version": "2025-11-25" });
    assert.equal(ok.status, 200);
    const bad = await post(endpoint, { jsonrpc: "2.0", id: 3, method: "tools/list" }, { "mcp-session-id": session, "mcp-protocol-version": "1999-01-01" });
    assert.equal(bad.status, 400);
    const again = await post(endpoint, INITIALIZE, { "mcp-session-id": session });
    assert.equal(again.status, 400);
    assert.equal((await fetch(endpoint, { method: "DELETE", headers: { "mcp-session-id": session } })).status, 200);
  });

  test("one GET stream per session: a second is 409; an unknown session's GET is 404", async () => {
    const session = await openRawSession(endpoint);
    const controller = new AbortController();
    const first = await fetch(endpoint, { headers: { accept: "text/event-stream", "mcp-session-id": session }, signal: controller.signal });
    assert.equal(first.status, 200);
    assert.equal(first.headers.get("content-type"), "text/event-stream");
    const second = await fetch(endpoint, { headers: { accept: "text/event-stream", "mcp-session-id": session } });
    assert.equal(second.status, 409);
    const unknown = await fetch(endpoint, { headers: { accept: "text/event-stream", "mcp-session-id": "y".repeat(32) } });
    assert.equal(unknown.status, 404);
    controller.abort();
    assert.equal((await fetch(endpoint, { method: "DELETE", headers: { "mcp-session-id": session } })).status, 200);
  });

  test("past sessions.max, initialize is 503 until a session ends", async () => {
    // This gateway allows 3 sessions; tests before this one ended theirs.
    const open = [await openRawSession(endpoint), await openRawSession(endpoint), await openRawSession(endpoint)];
    const refused = await post(endpoint, INITIALIZE);
    assert.equal(refused.status, 503);
    assert.equal(refused.headers.get("retry-after"), "5");
    for (const id of open) await fetch(endpoint, { method: "DELETE", headers: { "mcp-session-id": id } });
    assert.equal((await initialize(endpoint)).status, 200);
  });
});

describe("PII headers", () => {
  async function echo(gateway: RunningGateway, headers: Record<string, string>) {
    const url = `${gateway.url}/servers/everything/mcp`;
    const session = await openRawSession(url);
    const reply = await post(url, { jsonrpc: "2.0", id: 5, method: "tools/call", params: { name: "echo", arguments: { message: EMAIL } } }, { "mcp-session-id": session, ...headers });
    await fetch(url, { method: "DELETE", headers: { "mcp-session-id": session } });
    return reply;
  }

  test("turning masking off by header is 403 unless the config allows opting out", async () => {
    const refused = await echo(running, { "x-mask-pii-before-llm": "0" });
    assert.equal(refused.status, 403);
    assert.match(refused.text, /not allowed/);
    const allowed = await echo(optOut, { "x-mask-pii-before-llm": "false" });
    assert.equal(allowed.status, 200);
    assert.match(allowed.text, new RegExp(EMAIL.replace(".", "\\.")));
  });

  test("turning masking on is always allowed; a value that is not 1/0/true/false is 400", async () => {
    const on = await echo(running, { "x-mask-pii-before-llm": "1" });
    assert.equal(on.status, 200);
    assert.match(on.text, /<EMAIL_ADDRESS>/);
    assert.ok(!on.text.includes(EMAIL));
    assert.equal((await echo(running, { "x-mask-pii-before-llm": "maybe" })).status, 400);
    assert.equal((await echo(running, { "x-mask-pii-in-logs": "0" })).status, 403);
  });
});
