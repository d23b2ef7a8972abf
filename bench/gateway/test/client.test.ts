import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { runGroup, type GroupSpec, type Target } from "../client.js";
import { freePort } from "../systems.js";

const upstream = join(import.meta.dirname, "..", "upstream.ts");
const stdioUpstream: Target = { kind: "stdio", command: process.execPath, args: ["--import", "tsx", upstream] };

const spec = (target: Target, concurrency: number): GroupSpec => ({
  target,
  concurrency,
  payloads: ["echo", "pii"],
  warmup: 5,
  requests: 30,
  callTimeoutMs: 10_000,
  burstDeadlineMs: 20_000,
});

describe("the load generator", { timeout: 60_000 }, () => {
  test("drives the upstream over raw stdio: every call answered, echo intact, PII readable", async () => {
    const { cells } = await runGroup(spec(stdioUpstream, 3));
    assert.deepEqual(cells.map((c) => c.payload), ["echo", "pii"]);
    for (const cell of cells) {
      assert.equal(cell.completed, 30);
      assert.equal(cell.errors, 0, cell.firstError);
      assert.equal(cell.latencyMs.count, 30);
      assert.ok(cell.rps > 0 && cell.latencyMs.p50 > 0 && cell.latencyMs.p99 >= cell.latencyMs.p50);
    }
    assert.equal(cells[0]!.echoIntact, true);
    assert.ok(cells[1]!.sample.emailsVisible > 0 && cells[1]!.sample.bytes > 2000);
  });

  test("gives each client an upstream process of its own when asked, and counts their CPU as upstream", async () => {
    const { cells } = await runGroup({ ...spec({ ...stdioUpstream, processPerClient: true } as Target, 2), payloads: ["pii"] });
    assert.equal(cells[0]!.completed, 30);
    assert.equal(cells[0]!.errors, 0, cells[0]!.firstError);
    assert.ok(cells[0]!.cpuUsPerCall !== undefined);
    assert.equal(cells[0]!.cpuUsPerCall.front, 0);
  });

  test("drives the SDK's Streamable HTTP server with one session per client", async () => {
    const port = await freePort();
    const server = spawn(process.execPath, ["--import", "tsx", upstream, "--http", String(port)], { stdio: ["pipe", "ignore", "pipe"] });
    after(() => server.kill("SIGKILL"));
    await new Promise<void>((resolve, reject) => {
      server.stderr.on("data", (chunk: Buffer) => chunk.toString().includes("listening") && resolve());
      server.once("exit", (code) => reject(new Error(`exited ${code}`)));
    });
    const { cells } = await runGroup(spec({ kind: "http", url: `http://127.0.0.1:${port}/mcp` }, 2));
    for (const cell of cells) {
      assert.equal(cell.completed, 30);
      assert.equal(cell.errors, 0, cell.firstError);
    }
    assert.equal(cells[0]!.echoIntact, true);
    server.stdin.end(); // ends the server
  });

  test("counts calls answered with an error, and does not count them as throughput", async () => {
    // A stdio "server" that answers initialize, then every call with a JSON-RPC error.
    const script = `
      let held = "";
      process.stdin.on("data", (c) => {
        held += c;
        let nl;
        while ((nl = held.indexOf("\\n")) >= 0) {
          const m = JSON.parse(held.slice(0, nl)); held = held.slice(nl + 1);
          if (m.id === undefined) continue;
          const answer = m.method === "initialize" ? { result: { protocolVersion: "2025-11-25", capabilities: {}, serverInfo: { name: "e", version: "1" } } } : { error: { code: -32000, message: "nope" } };
          process.stdout.write(JSON.stringify({ jsonrpc: "2.0", id: m.id, ...answer }) + "\\n");
        }
      });
      process.stdin.on("end", () => process.exit(0));`;
    const { cells } = await runGroup({ ...spec({ kind: "stdio", command: process.execPath, args: ["-e", script] }, 2), payloads: ["echo"] });
    assert.equal(cells[0]!.completed, 30);
    assert.equal(cells[0]!.errors, 30);
    assert.equal(cells[0]!.rps, 0);
    assert.match(cells[0]!.firstError ?? "", /-32000 nope/);
  });
});
