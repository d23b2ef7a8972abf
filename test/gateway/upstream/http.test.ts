import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { Client as ClientV1 } from "@modelcontextprotocol/sdk/client/index.js";
import type { Transport as TransportV1 } from "@modelcontextprotocol/sdk/shared/transport.js";
import { Client as ClientV2 } from "@modelcontextprotocol/client";
import type { Transport as TransportV2 } from "@modelcontextprotocol/client";
import { JsonRpcErrorCode } from "../../../src/gateway/jsonrpc.js";
import type { JsonRpcRequest } from "../../../src/gateway/jsonrpc.js";
import { REQUEST_CANCELLED_CODE, createUpstreamFactory } from "../../../src/gateway/upstream/index.js";
import type { UpstreamConnection, UpstreamFactory, UpstreamInitiated } from "../../../src/gateway/upstream/index.js";
import { ConnectionTransport, errorCode, eventually, initializeRequest, memoryLogger, pollUntil, resultText, toolCall } from "./helpers.js";
import { startModernServer, startRawServer, startStreamableServer } from "./http-servers.js";
import type { TestServer } from "./http-servers.js";

const CREDENTIALS = { Authorization: "Bearer upstream-own-secret", "X-Upstream-Key": "k-123" };
const cleanups: Array<() => Promise<void>> = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

function track<T extends TestServer>(server: T): T {
  cleanups.push(() => server.close());
  return server;
}

function httpFactory(url: string, options: { requestTimeoutMs?: number; maxMessageBytes?: number; headers?: Record<string, string> } = {}) {
  const { logger, lines } = memoryLogger();
  const factory = createUpstreamFactory(
    "remote",
    { kind: "http", url, headers: options.headers ?? CREDENTIALS, requestTimeoutMs: options.requestTimeoutMs ?? 10_000 },
    { logger, restart: { initialDelayMs: 10, maxDelayMs: 100 }, maxMessageBytes: options.maxMessageBytes },
  );
  cleanups.push(() => factory.closeAll());
  return { factory, lines };
}

async function initialized(factory: UpstreamFactory, capabilities: Record<string, unknown> = {}): Promise<UpstreamConnection> {
  const connection = await factory.open();
  const answer = await connection.request(initializeRequest("2025-11-25", capabilities));
  assert.ok("result" in answer, JSON.stringify(answer));
  await connection.notify({ jsonrpc: "2.0", method: "notifications/initialized" });
  return connection;
}

describe("Streamable HTTP upstream (2025-11-25, sessions)", () => {
  for (const json of [false, true]) {
    test(`relays calls with ${json ? "JSON" : "SSE"} answers, using the upstream's session and the gateway's own credentials`, async () => {
      const server = track(await startStreamableServer({ json }));
      const { factory } = httpFactory(server.url);
      const connection = await initialized(factory);
      const [a, b] = await Promise.all([
        connection.request({ jsonrpc: "2.0", id: "x-1", method: "tools/call", params: { name: "sleep", arguments: { ms: 200 } } }),
        connection.request({ jsonrpc: "2.0", id: 9, method: "tools/call", params: { name: "echo", arguments: { text: "carol@example.com" } } }),
      ]);
      assert.equal(a.id, "x-1");
      assert.equal(resultText(a), "slept 200");
      assert.equal(b.id, 9);
      assert.equal(resultText(b), "carol@example.com");

      const posts = server.seen.filter((r) => r.method === "POST");
      const sessionId = [...server.sessions.keys()][0];
      assert.ok(sessionId);
      assert.equal(posts[0]?.headers["mcp-session-id"], undefined, "initialize carries no session id");
      for (const post of posts.slice(1)) {
        assert.equal(post.headers["mcp-session-id"], sessionId);
        assert.equal(post.headers["mcp-protocol-version"], "2025-11-25");
      }
      for (const seen of server.seen) {
        assert.equal(seen.headers.authorization, CREDENTIALS.Authorization);
        assert.equal(seen.headers["x-upstream-key"], CREDENTIALS["X-Upstream-Key"]);
      }
      await connection.close();
    });
  }

  test("server messages on a request's stream carry relatedRequestId; others come on the GET stream without one", async () => {
    const server = track(await startStreamableServer());
    const { factory } = httpFactory(server.url);
    const connection = await initialized(factory);
    const events: UpstreamInitiated[] = [];
    connection.onInitiated((event) => events.push(event));
    await eventually(() => server.seen.some((r) => r.method === "GET"), "the GET stream is open");
    const progress = await connection.request({ jsonrpc: "2.0", id: "p-1", method: "tools/call", params: { name: "progress", arguments: { steps: 2 }, _meta: { progressToken: 5 } } });
    assert.equal(resultText(progress), "done 2");
    const onStream = events.filter((e) => e.message.method === "notifications/progress");
    assert.equal(onStream.length, 2);
    assert.ok(onStream.every((e) => e.relatedRequestId === "p-1"));

    await connection.request(toolCall("log", { message: "hello" }));
    await eventually(() => events.some((e) => e.message.method === "notifications/message"), "the log message arrives");
    const log = events.find((e) => e.message.method === "notifications/message");
    assert.equal(log?.relatedRequestId, undefined);
    await connection.close();
  });

  test("a server request (sampling) is answered with respond(); a forged answer is dropped", async () => {
    const server = track(await startStreamableServer());
    const { factory, lines } = httpFactory(server.url);
    const connection = await initialized(factory, { sampling: {} });
    connection.onInitiated(({ message, relatedRequestId }) => {
      if (!("id" in message)) return;
      assert.equal(relatedRequestId, "s-1");
      void connection.respond({ jsonrpc: "2.0", id: 424242, result: { role: "assistant", content: { type: "text", text: "forged" }, model: "m" } });
      void connection.respond({ jsonrpc: "2.0", id: message.id, result: { role: "assistant", content: { type: "text", text: "real" }, model: "m" } });
    });
    const answer = await connection.request({ jsonrpc: "2.0", id: "s-1", method: "tools/call", params: { name: "sample", arguments: { prompt: "p" } } });
    assert.deepEqual(JSON.parse(resultText(answer)), { type: "text", text: "real" });
    assert.ok(lines.some((l) => l.event === "upstream.unsolicited_response" && l.id === 424242));
    await connection.close();
  });

  test("close() ends the upstream session with DELETE", async () => {
    const server = track(await startStreamableServer());
    const { factory } = httpFactory(server.url);
    const connection = await initialized(factory);
    const sessionId = [...server.sessions.keys()][0];
    await connection.close();
    const deleted = server.seen.find((r) => r.method === "DELETE");
    assert.equal(deleted?.headers["mcp-session-id"], sessionId);
    assert.equal(deleted?.headers.authorization, CREDENTIALS.Authorization);
    assert.equal(server.sessions.size, 0);
    assert.equal(errorCode(await connection.request(toolCall("echo", { text: "x" }))), JsonRpcErrorCode.UpstreamUnavailable);
  });

  test("when the upstream forgets the session (404) the client's initialize is replayed and the call sent once more", async () => {
    const server = track(await startStreamableServer());
    const { factory, lines } = httpFactory(server.url);
    const connection = await initialized(factory);
    const first = [...server.sessions.keys()][0];
    server.forgetSessions();
    const answer = await connection.request(toolCall("client"));
    assert.equal(JSON.parse(resultText(answer)).name, "upstream-test");
    const second = [...server.sessions.keys()][0];
    assert.ok(second && second !== first);
    const initializes = server.seen.filter((r) => r.method === "POST" && r.headers["mcp-session-id"] === undefined);
    assert.equal(initializes.length, 2);
    assert.ok(lines.some((l) => l.event === "upstream.session_renewed"));
    await connection.close();
  });

  test("without a recorded initialize a 404 is an error, not a retry loop", async () => {
    const server = track(
      await startRawServer((req, res) => {
        if (req.headers["mcp-session-id"]) return void res.writeHead(404).end();
        res.writeHead(200, { "content-type": "application/json", "mcp-session-id": "s1" }).end(JSON.stringify({ jsonrpc: "2.0", id: "i", error: { code: -32602, message: "unsupported" } }));
      }),
    );
    const { factory } = httpFactory(server.url);
    const connection = await factory.open();
    const init = await connection.request({ ...initializeRequest(), id: "i" });
    assert.equal(errorCode(init), -32602);
    const answer = await connection.request(toolCall("echo", { text: "x" }));
    assert.equal(errorCode(answer), JsonRpcErrorCode.UpstreamUnavailable);
    assert.match("error" in answer ? answer.error.message : "", /forgot the session/);
    assert.equal(server.seen.length, 2);
  });

  test("a hanging upstream: UpstreamTimeout, and notifications/cancelled is POSTed for the call", async () => {
    const server = track(await startStreamableServer());
    const { factory } = httpFactory(server.url, { requestTimeoutMs: 300 });
    const connection = await factory.open();
    assert.ok("result" in (await connection.request(initializeRequest(), { timeoutMs: 10_000 })));
    await connection.notify({ jsonrpc: "2.0", method: "notifications/initialized" });
    const answer = await connection.request({ jsonrpc: "2.0", id: "h-1", method: "tools/call", params: { name: "hang", arguments: {} } });
    assert.equal(errorCode(answer), JsonRpcErrorCode.UpstreamTimeout);
    const cancelled = await pollUntil(
      async () => JSON.parse(resultText(await connection.request(toolCall("cancelled"), { timeoutMs: 10_000 }))) as unknown[],
      (ids) => ids.length > 0,
    );
    assert.deepEqual(cancelled, ["h-1"]);
    await connection.close();
  });

  test("an aborted call ends at once and the upstream hears notifications/cancelled", async () => {
    const server = track(await startStreamableServer());
    const { factory } = httpFactory(server.url);
    const connection = await initialized(factory);
    const controller = new AbortController();
    const pending = connection.request({ jsonrpc: "2.0", id: 31, method: "tools/call", params: { name: "hang", arguments: {} } }, { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 100));
    controller.abort();
    assert.equal(errorCode(await pending), REQUEST_CANCELLED_CODE);
    // The cancellation travels on its own POST, so it may land a moment after the abort.
    const cancelled = await pollUntil(
      async () => JSON.parse(resultText(await connection.request(toolCall("cancelled")))) as unknown[],
      (ids) => ids.length > 0,
    );
    assert.deepEqual(cancelled, [31]);
    await connection.close();
  });

  test("server-everything, driven by the official v1 client through the connection", async () => {
    const server = track(await startStreamableServer({ server: "everything" }));
    const { factory } = httpFactory(server.url);
    const connection = await factory.open();
    const client = new ClientV1({ name: "sdk-v1", version: "1.0.0" });
    await client.connect(new ConnectionTransport(connection) as unknown as TransportV1);
    const tools = await client.listTools();
    assert.ok(tools.tools.some((t) => t.name === "echo"));
    const echoed = await client.callTool({ name: "echo", arguments: { message: "dave@example.com" } });
    assert.deepEqual(echoed.content, [{ type: "text", text: "Echo: dave@example.com" }]);
    const resources = await client.listResources();
    assert.ok(resources.resources.length > 0);
    const prompts = await client.listPrompts();
    assert.ok(prompts.prompts.length > 0);
    await client.close();
  });
});

describe("Streamable HTTP upstream (2026-07-28, stateless)", () => {
  test("the official v2 client negotiates 2026-07-28 through the connection; headers mirror the body", async () => {
    const server = track(await startModernServer());
    const { factory } = httpFactory(server.url);
    const connection = await factory.open();
    const client = new ClientV2({ name: "sdk-v2", version: "1.0.0" }, { versionNegotiation: { mode: "auto" } });
    await client.connect(new ConnectionTransport(connection) as unknown as TransportV2);
    const result = await client.callTool({ name: "echo", arguments: { text: "erin@example.com" } });
    assert.deepEqual(result.content, [{ type: "text", text: "erin@example.com" }]);
    const call = server.seen.find((r) => r.headers["mcp-method"] === "tools/call");
    assert.ok(call, "a tools/call went out with Mcp-Method");
    assert.equal(call.headers["mcp-protocol-version"], "2026-07-28");
    assert.equal(call.headers["mcp-name"], "echo");
    assert.equal(call.headers["mcp-session-id"], undefined);
    assert.equal(call.headers.authorization, CREDENTIALS.Authorization);
    await client.close();
  });

  test("a tool's x-mcp-header arguments are mirrored as Mcp-Param headers once its definition was listed", async () => {
    const server = track(await startModernServer());
    const meta = { "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientInfo": { name: "x", version: "1" }, "io.modelcontextprotocol/clientCapabilities": {} };
    const call: JsonRpcRequest = { jsonrpc: "2.0", id: "r-1", method: "tools/call", params: { name: "regional", arguments: { region: "eu-west" }, _meta: meta } };
    const { factory } = httpFactory(server.url);
    const connection = await factory.open();
    // Not listed yet: the upstream refuses the call, and its own error passes through.
    const refused = await connection.request(call);
    assert.equal(errorCode(refused), -32020);
    const listed = await connection.request({ jsonrpc: "2.0", id: "l-1", method: "tools/list", params: { _meta: meta } });
    assert.ok("result" in listed);
    // Learnt for the server, so another connection (another session) benefits too.
    const other = await factory.open();
    const answer = await other.request({ ...call, id: "r-2" });
    assert.equal(resultText(answer), "region eu-west");
    assert.equal(server.seen.at(-1)?.headers["mcp-param-region"], "eu-west");
  });

  test("a cancelled 2026-07-28 call closes its stream instead of posting notifications/cancelled", async () => {
    const server = track(await startModernServer());
    const { factory } = httpFactory(server.url);
    const connection = await factory.open();
    const meta = { "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientInfo": { name: "x", version: "1" }, "io.modelcontextprotocol/clientCapabilities": {} };
    const controller = new AbortController();
    const pending = connection.request({ jsonrpc: "2.0", id: "m-1", method: "tools/call", params: { name: "slow", arguments: { ms: 5_000 }, _meta: meta } }, { signal: controller.signal });
    await eventually(() => server.seen.length === 1, "the call reached the server");
    controller.abort();
    assert.equal(errorCode(await pending), REQUEST_CANCELLED_CODE);
    const after = await connection.request({ jsonrpc: "2.0", id: "m-2", method: "tools/call", params: { name: "echo", arguments: { text: "next" }, _meta: meta } });
    assert.equal(resultText(after), "next");
    assert.deepEqual(
      server.seen.map((r) => r.headers["mcp-method"]),
      ["tools/call", "tools/call"],
      "no notification was posted",
    );
  });

  test("without the mirrored headers the same server refuses the call (so the test above can fail)", async () => {
    const server = track(await startModernServer());
    const meta = { "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientInfo": { name: "x", version: "1" }, "io.modelcontextprotocol/clientCapabilities": {} };
    const response = await fetch(server.url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream", "mcp-protocol-version": "2026-07-28" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "echo", arguments: { text: "x" }, _meta: meta } }),
    });
    assert.equal(response.status, 400);
    await response.text();
  });

  test("an upstream JSON-RPC error given with an HTTP error status passes through unchanged", async () => {
    const server = track(await startModernServer());
    const { factory } = httpFactory(server.url);
    const connection = await factory.open();
    // Claims a revision the server does not serve: it answers 400 with its own JSON-RPC error.
    const meta = { "io.modelcontextprotocol/protocolVersion": "2099-01-01", "io.modelcontextprotocol/clientInfo": { name: "x", version: "1" }, "io.modelcontextprotocol/clientCapabilities": {} };
    const answer = await connection.request({ jsonrpc: "2.0", id: "v", method: "tools/call", params: { name: "echo", arguments: { text: "x" }, _meta: meta } });
    assert.ok("error" in answer);
    assert.notEqual(answer.error.code, JsonRpcErrorCode.UpstreamUnavailable);
    assert.equal(answer.id, "v");
  });
});

describe("Streamable HTTP upstream failures", () => {
  test("a redirect is not followed, so the credentials do not travel", async () => {
    const elsewhere = track(await startRawServer((_req, res) => void res.writeHead(200).end("{}")));
    const server = track(await startRawServer((_req, res) => void res.writeHead(307, { location: `${elsewhere.url}` }).end()));
    const { factory } = httpFactory(server.url);
    const connection = await factory.open();
    const answer = await connection.request(initializeRequest());
    assert.equal(errorCode(answer), JsonRpcErrorCode.UpstreamUnavailable);
    assert.match("error" in answer ? answer.error.message : "", /redirect/);
    assert.equal(elsewhere.seen.length, 0);
  });

  test("401 from the upstream is reported as a credentials problem, without its challenge", async () => {
    const server = track(await startRawServer((_req, res) => void res.writeHead(401, { "www-authenticate": 'Bearer resource_metadata="http://x"' }).end()));
    const { factory } = httpFactory(server.url);
    const connection = await factory.open();
    const answer = await connection.request(initializeRequest());
    assert.equal(errorCode(answer), JsonRpcErrorCode.UpstreamUnavailable);
    assert.match("error" in answer ? answer.error.message : "", /rejected the gateway's credentials \(HTTP 401\)/);
    assert.doesNotMatch(JSON.stringify(answer), /resource_metadata/);
  });

  test("the upstream's own JSON-RPC error (id null before it read the body) passes through under the call's id", async () => {
    const server = track(
      await startRawServer((req, res) => {
        if (req.headers["x-case"] === "plain") return void res.writeHead(500).end("<html>oops</html>");
        res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32000, message: "Bad Request: Server not initialized" } }));
      }),
    );
    const answer = await (await httpFactory(server.url).factory.open()).request({ jsonrpc: "2.0", id: "q", method: "tools/list" });
    assert.deepEqual(answer, { jsonrpc: "2.0", id: "q", error: { code: -32000, message: "Bad Request: Server not initialized" } });
    const plain = await (await httpFactory(server.url, { headers: { "X-Case": "plain" } }).factory.open()).request({ jsonrpc: "2.0", id: "r", method: "tools/list" });
    assert.equal(errorCode(plain), JsonRpcErrorCode.UpstreamUnavailable);
    assert.match("error" in plain ? plain.error.message : "", /answered HTTP 500/);
  });

  test("an unreachable upstream fails the call promptly", async () => {
    const gone = await startRawServer(() => {});
    await gone.close();
    const { factory } = httpFactory(gone.url);
    const connection = await factory.open();
    const answer = await connection.request(initializeRequest());
    assert.equal(errorCode(answer), JsonRpcErrorCode.UpstreamUnavailable);
    assert.match("error" in answer ? answer.error.message : "", /could not be reached.*ECONNREFUSED/);
  });

  test("an answer over the size limit is refused", async () => {
    const big = JSON.stringify({ jsonrpc: "2.0", id: 1, result: { content: [{ type: "text", text: "x".repeat(200_000) }] } });
    const server = track(await startRawServer((_req, res) => void res.writeHead(200, { "content-type": "application/json" }).end(big)));
    const { factory } = httpFactory(server.url, { maxMessageBytes: 64 * 1024 });
    const connection = await factory.open();
    const answer = await connection.request({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "x" } });
    assert.equal(errorCode(answer), JsonRpcErrorCode.UpstreamUnavailable);
    assert.match("error" in answer ? answer.error.message : "", /exceeded 65536 bytes/);
  });

  test("a session id that is not visible ASCII is refused", async () => {
    const server = track(
      await startRawServer((_req, res) =>
        void res.writeHead(200, { "content-type": "application/json", "mcp-session-id": "has space" }).end(JSON.stringify({ jsonrpc: "2.0", id: 1, result: { protocolVersion: "2025-11-25" } })),
      ),
    );
    const { factory } = httpFactory(server.url);
    const connection = await factory.open();
    const answer = await connection.request({ ...initializeRequest(), id: 1 });
    assert.equal(errorCode(answer), JsonRpcErrorCode.UpstreamUnavailable);
    assert.match("error" in answer ? answer.error.message : "", /session id/);
  });

  test("a stream that ends before the answer is an error; with event ids it is resumed with Last-Event-ID", async () => {
    const request1: JsonRpcRequest = { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "x" } };
    const server = track(
      await startRawServer((req, res, body) => {
        if (req.method === "POST") {
          const id = (JSON.parse(body) as JsonRpcRequest).id;
          res.writeHead(200, { "content-type": "text/event-stream" });
          // id 1: no event ids, no answer. id 2: a priming event id, then the stream drops.
          if (id === 2) res.write(`id: ev-1\ndata: ${JSON.stringify({ jsonrpc: "2.0", method: "notifications/progress", params: { progressToken: 1, progress: 1 } })}\n\n`);
          res.end();
          return;
        }
        assert.equal(req.headers["last-event-id"], "ev-1");
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.end(`id: ev-2\ndata: ${JSON.stringify({ jsonrpc: "2.0", id: 2, result: { content: [{ type: "text", text: "resumed" }] } })}\n\n`);
      }),
    );
    const { factory } = httpFactory(server.url);
    const connection = await factory.open();
    const lost = await connection.request(request1);
    assert.equal(errorCode(lost), JsonRpcErrorCode.UpstreamUnavailable);
    assert.match("error" in lost ? lost.error.message : "", /before answering/);
    const resumed = await connection.request({ ...request1, id: 2 });
    assert.equal(resultText(resumed), "resumed");
    assert.equal(server.seen.filter((r) => r.method === "GET").length, 1);
  });

  test("the client's own Authorization cannot reach the upstream: only configured headers are sent", async () => {
    const server = track(await startRawServer((_req, res) => void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ jsonrpc: "2.0", id: 1, result: {} }))));
    const { factory } = httpFactory(server.url, { headers: {} });
    const connection = await factory.open();
    // The interface takes no client headers at all; even a token-looking _meta stays in the body.
    await connection.request({ jsonrpc: "2.0", id: 1, method: "ping", params: { _meta: { authorization: "Bearer client-token" } } });
    assert.equal(server.seen[0]?.headers.authorization, undefined);
    assert.deepEqual(Object.keys(server.seen[0]?.headers ?? {}).filter((h) => h.startsWith("mcp-") || h === "authorization"), []);
  });
});
