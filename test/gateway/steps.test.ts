/**
 * The pipeline's pluggable rate-limit and authorize steps (principal.ts): a step may refuse
 * synchronously or through a promise, and may pass with undefined (not awaited) or a promise
 * (awaited before the message goes on). Real gateway, real stdio upstream (fixtures/share-server.ts).
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import type { IncomingMessage } from "node:http";
import { GatewayError } from "../../src/gateway/errors.js";
import type { UpstreamConfig } from "../../src/gateway/upstream/types.js";
import { startGateway, testConfig, type RunningGateway } from "./helpers.js";

const upstream: UpstreamConfig = {
  kind: "stdio",
  command: process.execPath,
  args: ["--import", "tsx", join(import.meta.dirname, "fixtures", "share-server.ts")],
  env: {},
  requestTimeoutMs: 30_000,
  share: "principal",
};

/** What each step does is chosen by the request's X-Test-Limit / X-Test-Deny header. */
function stepFor(headerName: string, refusal: () => GatewayError, passed: string[]) {
  return (req: IncomingMessage): Promise<void> | undefined => {
    const how = req.headers[headerName];
    if (how === "sync") throw refusal();
    if (how === "async") return new Promise((_, reject) => setTimeout(() => reject(refusal()), 10));
    if (how === "async-pass") {
      return new Promise((resolve) => setTimeout(() => {
        passed.push(headerName);
        resolve();
      }, 10));
    }
    return undefined;
  };
}

describe("rate-limit and authorize steps", () => {
  let gateway: RunningGateway;
  const passed: string[] = [];
  before(async () => {
    const limit = stepFor("x-test-limit", () => new GatewayError("AUTH_LOCKED_OUT", "Too Many Requests"), passed);
    const deny = stepFor("x-test-deny", () => new GatewayError("INSUFFICIENT_SCOPE", "Forbidden"), passed);
    gateway = await startGateway({
      config: testConfig({ s: upstream }),
      steps: { rateLimit: (_principal, req) => limit(req), authorize: () => deny(current) },
    });
  });
  after(() => gateway.close());

  // authorize is not given the request; the test hands it the one being sent.
  let current: IncomingMessage = { headers: {} } as IncomingMessage;
  async function initialize(headers: Record<string, string>): Promise<Response> {
    current = { headers } as unknown as IncomingMessage;
    return fetch(`${gateway.url}/servers/s/mcp`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...headers },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "t", version: "1" } } }),
    });
  }

  test("steps that return undefined let the message through", async () => {
    const response = await initialize({});
    assert.equal(response.status, 200);
    await response.text();
  });

  test("a step that resolves later is waited for before the message goes on", async () => {
    passed.length = 0;
    const response = await initialize({ "x-test-limit": "async-pass", "x-test-deny": "async-pass" });
    assert.equal(response.status, 200);
    await response.text();
    assert.deepEqual(passed, ["x-test-limit", "x-test-deny"]);
  });

  for (const how of ["sync", "async"]) {
    test(`a rate limit that refuses (${how}) stops the message with its status`, async () => {
      const response = await initialize({ "x-test-limit": how });
      assert.equal(response.status, 429);
      await response.text();
    });
    test(`an authorize step that refuses (${how}) stops the message with its status`, async () => {
      const response = await initialize({ "x-test-deny": how });
      assert.equal(response.status, 403);
      await response.text();
    });
  }
});
