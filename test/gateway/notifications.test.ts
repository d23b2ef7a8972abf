/**
 * Logging notifications in a 2025-11-25 session: logging/setLevel goes up to the server, and the
 * server's notifications/message come back to the client, masked, on its open stream.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { LoggingMessageNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import type { UpstreamConfig } from "../../src/gateway/upstream/types.js";
import { EMAIL, startGateway, testConfig, type RunningGateway } from "./helpers.js";

/** test/gateway/upstream/fixtures/stdio-server.ts: its `log` tool sends a notifications/message. */
const FIXTURE: UpstreamConfig = {
  kind: "stdio",
  command: process.execPath,
  args: ["--import", "tsx", join(import.meta.dirname, "upstream", "fixtures", "stdio-server.ts")],
  env: {},
  requestTimeoutMs: 30_000,
};

let running: RunningGateway;
before(async () => {
  running = await startGateway({ config: testConfig({ fixture: FIXTURE }) });
});
after(() => running.close());

describe("logging notifications (2025-11-25)", () => {
  for (const route of ["servers/fixture/mcp", "mcp"]) {
    test(`/${route}: setLevel is relayed; the server's log message reaches the client masked`, async () => {
      const client = new Client({ name: "logging", version: "1.0.0" });
      const received: unknown[] = [];
      client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => void received.push(notification.params));
      await client.connect(new StreamableHTTPClientTransport(new URL(`${running.url}/${route}`)));
      try {
        assert.deepEqual(await client.setLoggingLevel("info"), {});
        const tool = route === "mcp" ? "fixture__log" : "log";
        const result = await client.callTool({ name: tool, arguments: { message: `user ${EMAIL} signed in` } });
        assert.deepEqual(result.content, [{ type: "text", text: "logged" }]);
        for (let i = 0; i < 100 && received.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
        assert.equal(received.length, 1, JSON.stringify(received));
        const params = received[0] as { level: string; data: unknown };
        assert.equal(params.level, "info");
        assert.equal(params.data, "user <EMAIL_ADDRESS> signed in");
      } finally {
        await client.close();
      }
    });
  }
});
