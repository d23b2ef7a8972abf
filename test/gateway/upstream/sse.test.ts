import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { JsonRpcErrorCode } from "../../../src/gateway/jsonrpc.js";
import { createUpstreamFactory } from "../../../src/gateway/upstream/index.js";
import type { UpstreamConnection, UpstreamFactory } from "../../../src/gateway/upstream/index.js";
import { ConnectionTransport, errorCode, initializeRequest, memoryLogger, resultText, toolCall } from "./helpers.js";
import { startLegacySseServer, startRawServer } from "./http-servers.js";
import type { TestServer } from "./http-servers.js";

const CREDENTIALS = { Authorization: "Bearer sse-upstream-secret" };
const cleanups: Array<() => Promise<void>> = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

function track<T extends TestServer>(server: T): T {
  cleanups.push(() => server.close());
  return server;
}

function sseFactory(url: string, requestTimeoutMs = 10_000) {
  const { logger, lines } = memoryLogger();
  const factory = createUpstreamFactory(
    "legacy",
    { kind: "sse", url, headers: CREDENTIALS, requestTimeoutMs },
    { logger, restart: { initialDelayMs: 10, maxDelayMs: 100, maxCrashes: 3, windowMs: 60_000 } },
  );
  cleanups.push(() => factory.closeAll());
  return { factory, lines };
}

async function initialized(factory: UpstreamFactory): Promise<UpstreamConnection> {
  const connection = await factory.open();
  const answer = await connection.request(initializeRequest("2024-11-05"));
  assert.ok("result" in answer, JSON.stringify(answer));
  await connection.notify({ jsonrpc: "2.0", method: "notifications/initialized" });
  return connection;
}

describe("legacy HTTP+SSE upstream", () => {
  test("server-everything, driven by the official client: the endpoint event, POSTs, answers on the stream", async () => {
    const server = track(await startLegacySseServer({ server: "everything" }));
    const { factory } = sseFactory(server.url);
    const connection = await factory.open();
    const client = new Client({ name: "sdk-v1", version: "1.0.0" });
    await client.connect(new ConnectionTransport(connection) as unknown as Transport);
    const tools = await client.listTools();
    assert.ok(tools.tools.some((t) => t.name === "echo"));
    const echoed = await client.callTool({ name: "echo", arguments: { message: "frank@example.com" } });
    assert.deepEqual(echoed.content, [{ type: "text", text: "Echo: frank@example.com" }]);
    assert.ok(server.seen.some((r) => r.method === "GET" && r.path === "/sse"));
    assert.ok(server.seen.some((r) => r.method === "POST" && r.path.startsWith("/messages?sessionId=")));
    for (const seen of server.seen) assert.equal(seen.headers.authorization, CREDENTIALS.Authorization);
    await client.close();
  });

  test("a dropped stream fails the call in flight, then a new stream is opened and the session replayed", async () => {
    const server = track(await startLegacySseServer({ server: "fixture" }));
    const { factory, lines } = sseFactory(server.url);
    const connection = await initialized(factory);
    const waiting = connection.request(toolCall("sleep", { ms: 5_000 }));
    const crashed = await connection.request(toolCall("crash"));
    assert.equal(errorCode(crashed), JsonRpcErrorCode.UpstreamUnavailable);
    assert.equal(errorCode(await waiting), JsonRpcErrorCode.UpstreamUnavailable);
    const client = JSON.parse(resultText(await connection.request(toolCall("client")))) as { name: string };
    assert.equal(client.name, "upstream-test");
    assert.equal(server.seen.filter((r) => r.method === "GET").length, 2);
    assert.ok(lines.some((l) => l.event === "upstream.down" && l.attempt === 1));
    assert.ok(lines.some((l) => l.event === "upstream.restarted" && l.replayed === true));
    await connection.close();
  });

  test("a hanging call ends with UpstreamTimeout and the server hears notifications/cancelled", async () => {
    const server = track(await startLegacySseServer({ server: "fixture" }));
    const { factory } = sseFactory(server.url, 10_000);
    const connection = await initialized(factory);
    const answer = await connection.request({ jsonrpc: "2.0", id: "sse-hang", method: "tools/call", params: { name: "hang", arguments: {} } }, { timeoutMs: 300 });
    assert.equal(errorCode(answer), JsonRpcErrorCode.UpstreamTimeout);
    const cancelled = JSON.parse(resultText(await connection.request(toolCall("cancelled")))) as unknown[];
    assert.deepEqual(cancelled, ["sse-hang"]);
    await connection.close();
  });

  test("an endpoint on another origin is refused: messages would carry the credentials there", async () => {
    const server = track(
      await startRawServer((_req, res) => {
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.write("event: endpoint\ndata: http://127.0.0.2:9/messages\n\n");
      }),
    );
    const { factory } = sseFactory(`${server.origin}/sse`);
    await assert.rejects(factory.open(), /another origin/);
  });

  test("a stream that is not an event stream, or gives no endpoint in time, is refused", async () => {
    const notSse = track(await startRawServer((_req, res) => void res.writeHead(200, { "content-type": "application/json" }).end("{}")));
    await assert.rejects(sseFactory(`${notSse.origin}/sse`).factory.open(), /HTTP 200 \(application\/json\)/);
    const silent = track(
      await startRawServer((_req, res) => {
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.write(": waiting forever\n\n");
      }),
    );
    await assert.rejects(sseFactory(`${silent.origin}/sse`, 300).factory.open(), /no endpoint event within 300 ms/);
  });

  test("a redirect on the stream is not followed", async () => {
    const elsewhere = track(await startRawServer((_req, res) => void res.writeHead(200).end()));
    const server = track(await startRawServer((_req, res) => void res.writeHead(302, { location: `${elsewhere.origin}/sse` }).end()));
    await assert.rejects(sseFactory(`${server.origin}/sse`).factory.open(), /HTTP 302/);
    assert.equal(elsewhere.seen.length, 0);
  });

  test("a POST the server refuses fails that call at once", async () => {
    const server = track(
      await startRawServer((req, res) => {
        if (req.method === "GET") {
          res.writeHead(200, { "content-type": "text/event-stream" });
          res.write("event: endpoint\ndata: /messages?sessionId=1\n\n");
          return;
        }
        res.writeHead(500).end("boom");
      }),
    );
    const { factory } = sseFactory(`${server.origin}/sse`, 60_000);
    const connection = await factory.open();
    const answer = await connection.request(initializeRequest("2024-11-05"));
    assert.equal(errorCode(answer), JsonRpcErrorCode.UpstreamUnavailable);
    assert.match("error" in answer ? answer.error.message : "", /HTTP 500: boom/);
    await connection.close();
  });
});
