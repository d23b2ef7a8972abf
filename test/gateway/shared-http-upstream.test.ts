/**
 * servers.NAME.share over a Streamable HTTP upstream (the official SDK's server, sessions on):
 * one principal's gateway sessions use one upstream MCP session, another principal never joins
 * it, share: none gives each its own, and `shareIdleClose` from the config file decides when the
 * shared upstream session is ended (DELETE) after the last gateway session leaves.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { loadConfig } from "../../src/config/index.js";
import { headerPrincipalSteps, startGateway, testConfig, until, type RunningGateway } from "./helpers.js";
import { startStreamableServer } from "./upstream/http-servers.js";

const IDLE_CLOSE_MS = 250;



let upstream: Awaited<ReturnType<typeof startStreamableServer>>;
let running: RunningGateway;
const clients: Client[] = [];

async function session(server: string, principal: string): Promise<Client> {
  const client = new Client({ name: `client-of-${principal}`, version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${running.url}/servers/${server}/mcp`), { requestInit: { headers: { "x-test-principal": principal } } }));
  clients.push(client);
  const result = await client.callTool({ name: "echo", arguments: { text: `hello from ${principal}` } });
  assert.equal((result.content as Array<{ text: string }>)[0]!.text, `hello from ${principal}`);
  return client;
}

async function end(client: Client): Promise<void> {
  await (client.transport as StreamableHTTPClientTransport | undefined)?.terminateSession().catch(() => undefined);
  await client.close().catch(() => undefined);
}

async function endAll(): Promise<void> {
  await Promise.all(clients.splice(0).map(end));
}

/** Whether the gateway ended this upstream session with a DELETE. */
const deleted = (sessionId: string) => upstream.seen.some((r) => r.method === "DELETE" && r.headers["mcp-session-id"] === sessionId);

before(async () => {
  upstream = await startStreamableServer({ json: true });
  // The servers come from a config file, so the keys are checked from the file to the factory.
  const dir = mkdtempSync(join(tmpdir(), "bastion-share-http-"));
  const file = join(dir, "config.yaml");
  writeFileSync(
    file,
    [
      "servers:",
      `  shared: { url: "${upstream.url}", share: principal, shareIdleClose: ${IDLE_CLOSE_MS}ms }`,
      `  apart: { url: "${upstream.url}", share: none }`,
      "",
    ].join("\n"),
  );
  const { servers } = loadConfig({ file, env: {} });
  running = await startGateway({ config: testConfig(servers), steps: headerPrincipalSteps });
});

after(async () => {
  await endAll();
  await running.close();
  await upstream.close();
});

describe("share over a Streamable HTTP upstream", () => {
  test("principal: one principal's sessions share one upstream session; another principal gets its own", async () => {
    const before = upstream.sessions.size;
    await session("shared", "alice");
    await session("shared", "alice");
    assert.equal(upstream.sessions.size, before + 1, "alice's two gateway sessions use one upstream session");
    await session("shared", "bob");
    assert.equal(upstream.sessions.size, before + 2, "bob never joins alice's upstream session");
    await endAll();
  });

  test("none: every gateway session has an upstream session of its own, even for one principal", async () => {
    const known = new Set(upstream.sessions.keys());
    const [a1, a2] = [await session("apart", "carol"), await session("apart", "carol")];
    const created = [...upstream.sessions.keys()].filter((id) => !known.has(id));
    assert.equal(created.length, 2);
    await end(a1);
    await end(a2);
    clients.splice(0);
    await until(() => created.every((id) => deleted(id)), "each unshared upstream session ends with its gateway session");
  });

  test("shareIdleClose: the shared upstream session outlives its last gateway session by the configured time, then is ended", async () => {
    const known = new Set(upstream.sessions.keys());
    const a = await session("shared", "dave");
    const created = [...upstream.sessions.keys()].filter((id) => !known.has(id));
    assert.equal(created.length, 1, "dave's session opened one upstream session");
    const daves = created[0]!;
    await end(a);
    clients.splice(0);
    assert.ok(!deleted(daves), "not ended at once: another session of dave's may come");
    // A session that comes within the idle time finds the same upstream session.
    const b = await session("shared", "dave");
    assert.deepEqual([...upstream.sessions.keys()].filter((id) => !known.has(id)), [daves], "rejoined within shareIdleClose");
    await end(b);
    clients.splice(0);
    await until(() => deleted(daves), "the upstream session is ended (DELETE) after the idle time");
    await until(() => !upstream.sessions.has(daves), "and the upstream forgot it");
  });
});
