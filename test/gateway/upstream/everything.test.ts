import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { CallToolResultSchema } from "@modelcontextprotocol/sdk/types.js";
import { createUpstreamFactory } from "../../../src/gateway/upstream/index.js";
import type { UpstreamFactory } from "../../../src/gateway/upstream/index.js";
import { ConnectionTransport, PROJECT_ROOT, eventually, isRunning, memoryLogger } from "./helpers.js";

/** The real reference server from npm, over stdio, as a user would configure it. */
const EVERYTHING_BIN = join(PROJECT_ROOT, "node_modules", ".bin", "mcp-server-everything");

const factories: UpstreamFactory[] = [];
after(async () => {
  await Promise.all(factories.map((f) => f.closeAll()));
});

function everything(command: string, args: string[], env: Record<string, string> = {}) {
  const { logger, lines } = memoryLogger();
  const factory = createUpstreamFactory("everything", { kind: "stdio", command, args, env, cwd: PROJECT_ROOT, requestTimeoutMs: 20_000 }, { logger, restart: { initialDelayMs: 20, maxDelayMs: 200 } });
  factories.push(factory);
  return { factory, lines };
}

async function connectClient(factory: UpstreamFactory): Promise<Client> {
  const client = new Client({ name: "sdk-v1", version: "1.0.0" });
  await client.connect(new ConnectionTransport(await factory.open()) as unknown as Transport);
  return client;
}

function envOf(result: Record<string, unknown>): Record<string, string> {
  const [first] = result.content as Array<{ text: string }>;
  return JSON.parse(first?.text ?? "{}") as Record<string, string>;
}

/** Every process whose parent chain leads to `root` (from /proc). */
function descendants(root: number): number[] {
  const parent = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      parent.set(Number(entry), Number(fields[1]));
    } catch {
      // exited while we looked
    }
  }
  const found: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    for (const [child, ppid] of parent) {
      if (ppid === pid) {
        found.push(child);
        queue.push(child);
      }
    }
  }
  return found;
}

describe("@modelcontextprotocol/server-everything over stdio", () => {
  test("tools, resources and prompts work through the connection; get-env shows only PATH and the declared variables", async () => {
    process.env.BASTION_TEST_GATEWAY_SECRET = "gateway-only";
    try {
      const { factory } = everything(EVERYTHING_BIN, ["stdio"], { EVERYTHING_DECLARED: "yes" });
      const client = await connectClient(factory);
      const tools = await client.listTools();
      assert.ok(tools.tools.some((t) => t.name === "get-env"));
      const echoed = await client.callTool({ name: "echo", arguments: { message: "grace@example.com" } });
      assert.deepEqual(echoed.content, [{ type: "text", text: "Echo: grace@example.com" }]);
      const resources = await client.listResources();
      const first = resources.resources[0];
      assert.ok(first);
      const read = await client.readResource({ uri: first.uri });
      assert.ok(read.contents.length > 0);
      const prompts = await client.listPrompts();
      assert.ok(prompts.prompts.some((p) => p.name === "simple-prompt"));
      const env = envOf(await client.callTool({ name: "get-env", arguments: {} }));
      assert.deepEqual(Object.keys(env).sort(), ["EVERYTHING_DECLARED", "PATH"]);
      await client.close();
    } finally {
      delete process.env.BASTION_TEST_GATEWAY_SECRET;
    }
  });

  test("killed from outside mid-call: the call fails at once, the server is restarted and the client carries on", async () => {
    const { factory, lines } = everything(EVERYTHING_BIN, ["stdio"]);
    const client = await connectClient(factory);
    const started = lines.find((l) => l.event === "upstream.started");
    const pid = started?.pid as number;
    assert.ok(isRunning(pid));
    const long = client.callTool({ name: "trigger-long-running-operation", arguments: { duration: 30, steps: 30 } }, CallToolResultSchema, { timeout: 60_000 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    process.kill(pid, "SIGKILL");
    await assert.rejects(long, /was killed by SIGKILL while the call was in flight/);
    const again = await client.callTool({ name: "echo", arguments: { message: "still here" } });
    assert.deepEqual(again.content, [{ type: "text", text: "Echo: still here" }]);
    const down = lines.find((l) => l.event === "upstream.down");
    assert.equal(down?.signal, "SIGKILL");
    const restarted = lines.find((l) => l.event === "upstream.restarted");
    assert.ok(restarted && restarted.pid !== pid);
    await client.close();
  });

  test("started with npx as in the README config: works, and closeAll leaves none of its processes behind", async () => {
    process.env.BASTION_TEST_GATEWAY_SECRET = "gateway-only";
    try {
      const { factory, lines } = everything("npx", ["-y", "@modelcontextprotocol/server-everything"]);
      const client = await connectClient(factory);
      const env = envOf(await client.callTool({ name: "get-env", arguments: {} }));
      // npm adds its own npm_* variables (and HOME) for what it runs; nothing comes from the gateway.
      assert.equal(env.BASTION_TEST_GATEWAY_SECRET, undefined);
      const npxPid = lines.find((l) => l.event === "upstream.started")?.pid as number;
      const tree = [npxPid, ...descendants(npxPid)];
      assert.ok(tree.length >= 2, `npx runs the server as a child: ${tree.join(",")}`);
      await factory.closeAll();
      await eventually(() => tree.every((pid) => !isRunning(pid)), "every process of the tree is gone");
    } finally {
      delete process.env.BASTION_TEST_GATEWAY_SECRET;
    }
  });
});
