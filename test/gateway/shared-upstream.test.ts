/**
 * servers.NAME.share: sessions sharing one upstream connection (one stdio child), through the
 * gateway, against a real stdio server (fixtures/share-server.ts) driven by the official SDK client.
 * Who shares (same principal / everyone / nobody), and what stays per session: capabilities,
 * log levels, subscriptions, progress, server requests, cancellation, the end of a session, and a
 * crash of the shared child.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import {
  CreateMessageRequestSchema,
  ListRootsRequestSchema,
  LoggingMessageNotificationSchema,
  ResourceUpdatedNotificationSchema,
  ToolListChangedNotificationSchema,
} from "@modelcontextprotocol/sdk/types.js";
import type { UpstreamConfig } from "../../src/gateway/upstream/types.js";
import type { ShareMode } from "../../src/gateway/upstream/index.js";
import { headerPrincipalSteps, sleep, startGateway, testConfig, until, type RunningGateway } from "./helpers.js";

const shareServer = (share: ShareMode): UpstreamConfig => ({
  kind: "stdio",
  command: process.execPath,
  args: ["--import", "tsx", join(import.meta.dirname, "fixtures", "share-server.ts")],
  env: {},
  requestTimeoutMs: 30_000,
  share,
});



interface Session {
  client: Client;
  logs: Array<{ level: string; data: unknown }>;
  updated: string[];
  listChanged: number;
  samplingAsked: number;
  text(tool: string, args?: Record<string, unknown>): Promise<string>;
}

async function connect(url: string, server: string, principal: string, capabilities: Record<string, unknown> = {}): Promise<Session> {
  const client = new Client({ name: `client-of-${principal}`, version: "1.0.0" }, { capabilities });
  const session: Session = {
    client,
    logs: [],
    updated: [],
    listChanged: 0,
    samplingAsked: 0,
    async text(tool, args = {}) {
      const result = await client.callTool({ name: tool, arguments: args });
      const content = result.content as Array<{ type: string; text?: string }>;
      return content[0]?.text ?? JSON.stringify(result);
    },
  };
  client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void session.logs.push({ level: n.params.level, data: n.params.data }));
  client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void session.updated.push(n.params.uri));
  client.setNotificationHandler(ToolListChangedNotificationSchema, () => void session.listChanged++);
  if ("sampling" in capabilities) {
    client.setRequestHandler(CreateMessageRequestSchema, async () => {
      session.samplingAsked++;
      return { role: "assistant", content: { type: "text", text: `answer for ${principal}` }, model: "test" };
    });
  }
  if ("roots" in capabilities) client.setRequestHandler(ListRootsRequestSchema, async () => ({ roots: [{ uri: `file:///${principal}` }] }));
  const transport = new StreamableHTTPClientTransport(new URL(`${url}/servers/${server}/mcp`), { requestInit: { headers: { "x-test-principal": principal } } });
  await client.connect(transport);
  return session;
}

let running: RunningGateway;
const open: Session[] = [];
const session = async (server: string, principal: string, capabilities?: Record<string, unknown>) => {
  const s = await connect(running.url, server, principal, capabilities);
  open.push(s);
  return s;
};
/** Ends the session on the gateway (DELETE), then closes the client. */
async function end(s: Session): Promise<void> {
  await (s.client.transport as StreamableHTTPClientTransport | undefined)?.terminateSession().catch(() => undefined);
  await s.client.close().catch(() => undefined);
}
async function closeAll(): Promise<void> {
  await Promise.all(open.splice(0).map(end));
}

before(async () => {
  running = await startGateway({
    config: testConfig({ byPrincipal: shareServer("principal"), everyone: shareServer("all"), alone: shareServer("none") }),
    steps: headerPrincipalSteps,
    upstreamDeps: { sharedIdleCloseMs: 300, restart: { initialDelayMs: 50, maxDelayMs: 200 } },
  });
});
after(async () => {
  await closeAll();
  await running.close();
});

describe("who shares an upstream", () => {
  test("principal: one principal's sessions share one child; another principal never joins it", async () => {
    const [a1, a2, b] = [await session("byPrincipal", "alice"), await session("byPrincipal", "alice"), await session("byPrincipal", "bob")];
    const [pa1, pa2, pb] = [await a1.text("pid"), await a2.text("pid"), await b.text("pid")];
    assert.equal(pa1, pa2);
    assert.notEqual(pa1, pb);
    await closeAll();
  });

  test("all: every principal's sessions share one child", async () => {
    const [a, b] = [await session("everyone", "alice"), await session("everyone", "bob")];
    assert.equal(await a.text("pid"), await b.text("pid"));
    await closeAll();
  });

  test("none: each session has a child of its own, even for one principal", async () => {
    const [a1, a2] = [await session("alone", "alice"), await session("alone", "alice")];
    assert.notEqual(await a1.text("pid"), await a2.text("pid"));
    await closeAll();
  });

  test("the shared child was initialized once by the gateway: its name, sampling and elicitation, never roots", async () => {
    const a = await session("byPrincipal", "carol", { roots: {}, sampling: {} });
    const seen = JSON.parse(await a.text("client")) as { info: { name: string }; capabilities: Record<string, unknown> };
    assert.equal(seen.info.name, "mcp-bastion");
    assert.deepEqual(Object.keys(seen.capabilities).sort(), ["elicitation", "sampling"]);
    await closeAll();
  });

  test("the child stays while a session uses it, and is stopped after the last one leaves", async () => {
    const a = await session("byPrincipal", "dave");
    const b = await session("byPrincipal", "dave");
    const first = await a.text("pid");
    await end(a);
    assert.equal(await b.text("pid"), first, "still shared by the remaining session");
    await end(b);
    await sleep(600); // past sharedIdleCloseMs
    const c = await session("byPrincipal", "dave");
    assert.notEqual(await c.text("pid"), first, "a new child after the idle close");
    assert.throws(() => process.kill(Number(first), 0), "the old child is gone");
    await closeAll();
  });
});

describe("the aggregated route over a shared child", () => {
  test("/mcp sessions of one principal reach the same child through NAME__tool; another principal's do not", async () => {
    const open = async (principal: string) => {
      const client = new Client({ name: "agg", version: "1.0.0" });
      await client.connect(new StreamableHTTPClientTransport(new URL(`${running.url}/mcp`), { requestInit: { headers: { "x-test-principal": principal } } }));
      return client;
    };
    const [a1, a2, b] = [await open("rita"), await open("rita"), await open("sam")];
    try {
      const pid = async (c: Client) => ((await c.callTool({ name: "byPrincipal__pid", arguments: {} })).content as Array<{ text: string }>)[0]!.text;
      const [p1, p2, p3] = [await pid(a1), await pid(a2), await pid(b)];
      assert.equal(p1, p2);
      assert.notEqual(p1, p3);
    } finally {
      for (const c of [a1, a2, b]) {
        await (c.transport as StreamableHTTPClientTransport).terminateSession().catch(() => undefined);
        await c.close();
      }
    }
  });
});

describe("what stays per session on a shared child", () => {
  test("progress reaches only the session whose call it is, under its own token", async () => {
    const a = await session("byPrincipal", "erin");
    const b = await session("byPrincipal", "erin");
    const seenA: number[] = [];
    const seenB: number[] = [];
    await Promise.all([
      a.client.callTool({ name: "progress", arguments: { steps: 3 } }, undefined, { onprogress: (p) => void seenA.push(p.progress) }),
      b.client.callTool({ name: "progress", arguments: { steps: 5 } }, undefined, { onprogress: (p) => void seenB.push(p.progress) }),
    ]);
    assert.deepEqual(seenA, [1, 2, 3]);
    assert.deepEqual(seenB, [1, 2, 3, 4, 5]);
    await closeAll();
  });

  test("log levels are per session: the most verbose goes up, each session sees only its own level", async () => {
    const a = await session("byPrincipal", "frank");
    const b = await session("byPrincipal", "frank");
    await a.client.setLoggingLevel("error");
    await b.client.setLoggingLevel("debug");
    await a.text("log", { level: "info", message: "info line" });
    await a.text("log", { level: "error", message: "error line" });
    await until(() => b.logs.length >= 2 && a.logs.length >= 1, "logs delivered");
    await sleep(100);
    assert.deepEqual(b.logs.map((l) => l.data), ["info line", "error line"]);
    assert.deepEqual(a.logs.map((l) => l.data), ["error line"], "the info line stays below alice's level");
    await closeAll();
  });

  test("another principal never receives a session's log lines (principal), and with share: all nobody gets lines tied to no call", async () => {
    const a = await session("byPrincipal", "gina");
    const b = await session("byPrincipal", "hank");
    await a.text("log", { level: "warning", message: "gina's secret" });
    await until(() => a.logs.length === 1, "gina got her line");
    await sleep(100);
    assert.deepEqual(b.logs, []);
    const x = await session("everyone", "gina");
    const y = await session("everyone", "hank");
    await x.text("log", { level: "warning", message: "not for hank" });
    await sleep(200);
    assert.deepEqual(y.logs, []);
    assert.deepEqual(x.logs, [], "over stdio a log line names no call: with share all it is not relayed");
    await closeAll();
  });

  test("subscriptions are counted: updates reach subscribers only; the upstream's ends with the last one, or when a session ends", async () => {
    const a = await session("byPrincipal", "ivan");
    const b = await session("byPrincipal", "ivan");
    await a.client.subscribeResource({ uri: "note://x" });
    assert.equal(await a.text("subscriptions"), JSON.stringify(["note://x"]));
    await a.text("touch", { uri: "note://x" });
    await until(() => a.updated.length === 1, "subscriber updated");
    await sleep(100);
    assert.deepEqual(b.updated, [], "b did not subscribe");
    await b.client.subscribeResource({ uri: "note://x" });
    await a.client.unsubscribeResource({ uri: "note://x" });
    assert.equal(await b.text("subscriptions"), JSON.stringify(["note://x"]), "b still holds it");
    await b.text("touch", { uri: "note://x" });
    await until(() => b.updated.length === 1, "b updated");
    await sleep(100);
    assert.equal(a.updated.length, 1, "a unsubscribed: no more updates");
    await b.client.unsubscribeResource({ uri: "note://x" });
    assert.equal(await b.text("subscriptions"), "[]");
    await b.client.subscribeResource({ uri: "note://y" });
    await end(b);
    assert.equal(await a.text("subscriptions"), "[]", "b's session ended: its subscription was released upstream");
    await closeAll();
  });

  test("list changes reach every sharing session", async () => {
    const a = await session("byPrincipal", "judy");
    const b = await session("byPrincipal", "judy");
    await a.text("change");
    await until(() => a.listChanged === 1 && b.listChanged === 1, "both told");
    await closeAll();
  });
});

describe("server requests on a shared child", () => {
  test("sampling in a call goes to that session if it declared sampling; otherwise the server gets an error", async () => {
    const a = await session("byPrincipal", "kate", { sampling: {} });
    assert.equal(await a.text("sample", { prompt: "hi" }), `sampled: ${JSON.stringify({ type: "text", text: "answer for kate" })}`);
    const b = await session("byPrincipal", "kate");
    assert.match(await b.text("sample", { prompt: "hi" }), /^refused: .*sampling/);
    assert.equal(a.samplingAsked, 1, "a was never asked on b's behalf");
    await closeAll();
  });

  test("a server request tied to no call is refused (no session is guessed)", async () => {
    const a = await session("byPrincipal", "liam", { sampling: {}, roots: {} });
    await a.text("later", { method: "sampling", ms: 50 });
    await a.text("later", { method: "roots", ms: 50 });
    await sleep(300);
    const outcomes = JSON.parse(await a.text("outcomes")) as string[];
    assert.equal(outcomes.length, 2, JSON.stringify(outcomes));
    assert.ok(outcomes.every((o) => !o.endsWith("answered")), JSON.stringify(outcomes));
    assert.equal(a.samplingAsked, 0);
    await closeAll();
  });

  test("share all: a sampling request is never handed to another principal's session", async () => {
    const a = await session("everyone", "mia", { sampling: {} });
    const b = await session("everyone", "noah", { sampling: {} });
    // Over stdio the request names no call: with share all it is refused, whoever has calls in flight.
    assert.match(await b.text("sample", { prompt: "x" }), /^refused: /);
    assert.equal(a.samplingAsked + b.samplingAsked, 0);
    await closeAll();
  });
});

describe("cancellation, session end and crashes on a shared child", () => {
  test("a cancelled call is cancelled upstream; the other session is unaffected", async () => {
    const a = await session("byPrincipal", "olga");
    const b = await session("byPrincipal", "olga");
    const before = (JSON.parse(await b.text("cancelled")) as unknown[]).length;
    const controller = new AbortController();
    const hanging = a.client.callTool({ name: "hang", arguments: {} }, undefined, { signal: controller.signal });
    await sleep(100);
    controller.abort("changed my mind");
    await assert.rejects(hanging);
    await until(() => true, "");
    await sleep(100);
    assert.equal((JSON.parse(await b.text("cancelled")) as unknown[]).length, before + 1);
    await closeAll();
  });

  test("a session that ends has its calls cancelled upstream; the child stays for the others", async () => {
    const a = await session("byPrincipal", "pete");
    const b = await session("byPrincipal", "pete");
    const pid = await b.text("pid");
    const before = (JSON.parse(await b.text("cancelled")) as unknown[]).length;
    const hanging = a.client.callTool({ name: "hang", arguments: {} }).catch(() => undefined);
    await sleep(100);
    await end(a);
    await hanging;
    await sleep(200);
    assert.equal((JSON.parse(await b.text("cancelled")) as unknown[]).length, before + 1);
    assert.equal(await b.text("pid"), pid);
    await closeAll();
  });

  test("a crash of the shared child fails every sharing session's calls promptly; it restarts and the sessions go on", async () => {
    const a = await session("byPrincipal", "quin");
    const b = await session("byPrincipal", "quin");
    const pid = await a.text("pid");
    const hanging = b.client.callTool({ name: "hang", arguments: {} }).then(
      (result) => JSON.stringify(result),
      (error: Error) => error.message,
    );
    await sleep(100);
    await a.client.callTool({ name: "crash", arguments: {} }).catch(() => undefined);
    assert.match(await hanging, /upstream|closed|exit|crash/i);
    let restarted = "";
    for (let i = 0; i < 50 && (restarted === "" || restarted === pid); i++) {
      restarted = await b.text("pid").catch(() => "");
      if (restarted === "" || restarted === pid) await sleep(50);
    }
    assert.notEqual(restarted, pid);
    assert.equal(await a.text("pid"), restarted, "both sessions on the restarted child");
    await closeAll();
  });
});
