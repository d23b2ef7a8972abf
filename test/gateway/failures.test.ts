/**
 * Upstreams that fail: one that crashes mid-call and one that hangs. The client always gets an
 * answer, promptly, the session goes on, and the failure shows in the gateway's log.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { createLogger } from "../../src/audit/logger.js";
import { DUAL_ERA, modernHeaders, modernRequest, post, startGateway, testConfig, type RunningGateway } from "./helpers.js";

let running: RunningGateway;
/** The gateway's log, as JSON lines: crashes, restarts and timeouts must show in it. */
const logLines: string[] = [];
const logged = () => logLines.map((line) => JSON.parse(line) as { event?: string; server?: string; method?: string; attempt?: number });

before(async () => {
  const logger = createLogger({ level: "debug", maskPii: true, destination: { write: (line: string) => void logLines.push(line) } });
  running = await startGateway({ config: testConfig({ fixture: DUAL_ERA, slow: { ...DUAL_ERA, requestTimeoutMs: 3_000 } }), logger, upstreamLogger: logger });
});
after(() => running.close());

async function connect(server: string): Promise<Client> {
  const client = new Client({ name: "failures", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${running.url}/servers/${server}/mcp`)));
  return client;
}

const texts = (result: unknown): string =>
  ((result as { content: Array<{ type: string; text?: string }> }).content).filter((c) => c.type === "text").map((c) => c.text).join("\n");

describe("failing upstreams", () => {
  test("a crash mid-call answers the call with an error, and the restarted server serves the session", async () => {
    const client = await connect("fixture");
    try {
      const before = texts(await client.callTool({ name: "pid", arguments: {} }));
      await assert.rejects(client.callTool({ name: "crash", arguments: {} }), (error: Error & { code?: number }) => {
        assert.equal(error.code, -32001, error.message);
        return true;
      });
      let after = "";
      for (let i = 0; i < 40 && (after === "" || after === before); i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        after = await client.callTool({ name: "pid", arguments: {} }).then(texts, () => "");
      }
      assert.match(after, /^\d+$/);
      assert.notEqual(after, before, "a new child process");
      const down = logged().find((line) => line.event === "upstream.down" && line.server === "fixture");
      assert.ok(down, "the crash shows in the log");
      assert.equal(down.attempt, 1);
      assert.ok(logged().some((line) => line.event === "upstream.restarted" && line.server === "fixture"), "and so does the restart");
    } finally {
      await client.close();
    }
  });

  test("a call the server never answers times out with an error at the server's requestTimeout", async () => {
    const client = await connect("slow");
    try {
      const started = Date.now();
      await assert.rejects(client.callTool({ name: "wait", arguments: {} }, undefined, { timeout: 20_000 }), (error: Error & { code?: number }) => {
        assert.equal(error.code, -32004, error.message);
        return true;
      });
      assert.ok(Date.now() - started < 15_000, "answered long before the client's own timeout");
      assert.equal(texts(await client.callTool({ name: "echo", arguments: { message: "alive" } })), "alive");
      assert.ok(logged().some((line) => line.event === "upstream.timeout" && line.server === "slow" && line.method === "tools/call"), "the timeout shows in the log");
    } finally {
      await client.close();
    }
  });

  test("stateless requests to a hanging server time out the same way", async () => {
    const reply = await post(`${running.url}/servers/slow/mcp`, modernRequest(1, "tools/call", { name: "wait", arguments: {} }), modernHeaders("tools/call", "wait"));
    assert.equal(reply.status, 200);
    assert.equal((reply.json as { error: { code: number } }).error.code, -32004);
  });
});
