import { readFileSync, mkdirSync } from "node:fs";
import { Agent, request } from "node:http";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { startBenchIssuer } from "./jwt-issuer.js";
import { treeCpu } from "./proc-cpu.js";
import { median, percentile } from "./stats.js";
import { startSystem, type RunningSystem } from "./systems.js";
import { INITIALIZED_BODY, callBody, checkCallResult, initializeBody, messagesOf, type Payload } from "./wire.js";
import { buildUpstream } from "./build-upstream.js";

/**
 * A/B of two gateway builds, call by call: mcp-bastion from this checkout (A) and from another
 * checkout (B, `--against DIR`, its dist/ built), run side by side at concurrency 1, the calls
 * alternating A, B, A, B... so both see the same neighbours at every moment. What it reports, per
 * payload, over all measured calls:
 *
 *   - main-thread CPU per call of each gateway, from /proc/PID/task/PID/schedstat (nanoseconds:
 *     where the JavaScript runs), and the whole process's, from /proc/PID/stat (10 ms ticks);
 *   - the median of the per-block differences (blocks of --block pairs), and its spread, so a
 *     difference can be told from noise;
 *   - p50 latency of each and the median of the paired (same moment) latency differences.
 *
 *   node --import tsx bench/gateway/ab.ts --against /tmp/before [--payloads pii,echo] [--calls 20000] [--block 500]
 *
 * Everything listens on 127.0.0.1; both gateways are stopped at the end (or killed if this dies).
 */

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..", "..");

interface Options {
  against: string;
  payloads: Payload[];
  calls: number;
  warmup: number;
  block: number;
}

/** A whole number within [min, max], or an error naming the option. */
function bounded(name: string, value: string | undefined, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be a whole number from ${min} to ${max}`);
  return n;
}

function parseArgs(argv: readonly string[]): Options {
  const options: Options = { against: "", payloads: ["pii", "echo"], calls: 20_000, warmup: 1_000, block: 500 };
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1];
    switch (argv[i]) {
      case "--against":
        options.against = resolve(value ?? "");
        i++;
        break;
      case "--payloads":
        options.payloads = (value ?? "").split(",").filter((p): p is Payload => p === "pii" || p === "echo");
        i++;
        break;
      case "--calls":
        options.calls = bounded("--calls", value, 100, 1_000_000);
        i++;
        break;
      case "--warmup":
        options.warmup = bounded("--warmup", value, 0, 100_000);
        i++;
        break;
      case "--block":
        options.block = bounded("--block", value, 10, 100_000);
        i++;
        break;
      default:
        throw new Error(`unknown option ${argv[i]}`);
    }
  }
  if (options.against === "") throw new Error("--against DIR is required (another checkout with dist/ built)");
  return options;
}

/** Nanoseconds the process's main thread has run (where its JavaScript runs). */
function mainThreadNs(pid: number): number {
  return Number(readFileSync(`/proc/${pid}/task/${pid}/schedstat`, "utf8").split(" ")[0]);
}

interface Sample {
  mainNs: number;
  processMs: number;
  upstreamMs: number;
}

function sample(pid: number): Sample {
  const tree = treeCpu(pid);
  return { mainNs: mainThreadNs(pid), processMs: tree?.selfMs ?? NaN, upstreamMs: tree?.descendantsMs ?? NaN };
}

function post(agent: Agent, url: URL, headers: Record<string, string>, body: string): Promise<{ status: number; body: string; contentType?: string; sessionId?: string }> {
  return new Promise((resolvePost, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname, method: "POST", agent, headers: { ...headers, "content-length": String(Buffer.byteLength(body)) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const session = res.headers["mcp-session-id"];
          resolvePost({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString("utf8"),
            ...(res.headers["content-type"] ? { contentType: res.headers["content-type"] } : {}),
            ...(typeof session === "string" ? { sessionId: session } : {}),
          });
        });
        res.on("error", reject);
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error("no answer within 30 s")));
    req.on("error", reject);
    req.end(body);
  });
}

type Call = (payload: Payload, n: number) => Promise<void>;

async function openSession(system: RunningSystem): Promise<{ call: Call; close(): void }> {
  if (system.target.kind !== "http") throw new Error(`${system.name}: not an HTTP target`);
  const url = new URL(system.target.url);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const base = { "content-type": "application/json", accept: "application/json, text/event-stream", ...system.target.headers };
  const init = await post(agent, url, base, initializeBody(0));
  if (init.status !== 200 || init.sessionId === undefined) throw new Error(`${system.name} initialize: HTTP ${init.status} ${init.body.slice(0, 200)}`);
  const headers = { ...base, "mcp-session-id": init.sessionId, "mcp-protocol-version": "2025-11-25" };
  await post(agent, url, headers, INITIALIZED_BODY);
  let id = 1;
  return {
    async call(payload, n) {
      const callId = id++;
      const reply = await post(agent, url, headers, callBody(payload, callId, n));
      const outcome = reply.status === 200 ? checkCallResult(messagesOf(reply.body, reply.contentType), callId) : { ok: false as const, problem: `HTTP ${reply.status}` };
      if (!outcome.ok) throw new Error(`${system.name}: ${outcome.problem}`);
    },
    close: () => agent.destroy(),
  };
}

const us = (ns: number): string => (ns / 1000).toFixed(1);

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const workDir = join(here, "results", `ab-${new Date().toISOString().replace(/[:.]/g, "-")}`);
  mkdirSync(workDir, { recursive: true });
  const issuer = await startBenchIssuer();
  const common = { root, node: process.execPath, upstreamScript: buildUpstream(), workDir, issuer, tokenLifetimeSeconds: 7_200, baselineRoot: options.against };
  const systems: RunningSystem[] = [];
  const sessions: Array<{ close(): void }> = [];
  try {
    const a = await startSystem("mcp-bastion", common);
    systems.push(a);
    const b = await startSystem("mcp-bastion-baseline", common);
    systems.push(b);
    const pids = [a.pid!, b.pid!] as const;
    const [callA, callB] = [await openSession(a), await openSession(b)];
    sessions.push(callA, callB);
    const calls = [callA.call, callB.call] as const;
    console.log(`A = ${root} (pid ${pids[0]}), B = ${options.against} (pid ${pids[1]}); ${options.calls} calls each per payload, alternating, blocks of ${options.block}`);
    for (const payload of options.payloads) {
      for (let i = 0; i < options.warmup; i++) {
        await calls[0](payload, i);
        await calls[1](payload, i);
      }
      const latency = [new Float64Array(options.calls), new Float64Array(options.calls)];
      const blockDiffNs: number[] = [];
      const totals = [{ mainNs: 0, processMs: 0, upstreamMs: 0 }, { mainNs: 0, processMs: 0, upstreamMs: 0 }];
      for (let start = 0, block = 0; start < options.calls; start += options.block, block++) {
        const end = Math.min(options.calls, start + options.block);
        const before = [sample(pids[0]), sample(pids[1])];
        // Who goes first alternates by block, so neither always runs right after the other.
        const order = block % 2 === 0 ? [0, 1] : [1, 0];
        for (let n = start; n < end; n++) {
          for (const which of order) {
            const t0 = process.hrtime.bigint();
            await calls[which]!(payload, n);
            latency[which]![n] = Number(process.hrtime.bigint() - t0) / 1e6;
          }
        }
        const after = [sample(pids[0]), sample(pids[1])];
        for (const which of [0, 1]) {
          totals[which]!.mainNs += after[which]!.mainNs - before[which]!.mainNs;
          totals[which]!.processMs += after[which]!.processMs - before[which]!.processMs;
          totals[which]!.upstreamMs += Math.max(0, after[which]!.upstreamMs - before[which]!.upstreamMs);
        }
        blockDiffNs.push((after[0]!.mainNs - before[0]!.mainNs - (after[1]!.mainNs - before[1]!.mainNs)) / (end - start));
      }
      const n = options.calls;
      const paired = Array.from({ length: n }, (_, i) => latency[0]![i]! - latency[1]![i]!);
      const sortedDiffs = [...blockDiffNs].sort((x, y) => x - y);
      console.log(
        `${payload.padEnd(4)} main-thread CPU us/call: A ${us(totals[0]!.mainNs / n)}  B ${us(totals[1]!.mainNs / n)}  A-B ${us((totals[0]!.mainNs - totals[1]!.mainNs) / n)}` +
          `  (per-block A-B: median ${us(median(blockDiffNs))}, quartiles ${us(percentile(sortedDiffs, 25))}..${us(percentile(sortedDiffs, 75))}, ${blockDiffNs.length} blocks)`,
      );
      console.log(
        `${payload.padEnd(4)} process CPU us/call (10 ms ticks): A ${((totals[0]!.processMs * 1000) / n).toFixed(1)}  B ${((totals[1]!.processMs * 1000) / n).toFixed(1)}` +
          `  upstream A ${((totals[0]!.upstreamMs * 1000) / n).toFixed(1)}  B ${((totals[1]!.upstreamMs * 1000) / n).toFixed(1)}`,
      );
      console.log(
        `${payload.padEnd(4)} latency p50 ms: A ${percentile(latency[0]!, 50).toFixed(3)}  B ${percentile(latency[1]!, 50).toFixed(3)}  paired A-B median ${(median(paired) * 1000).toFixed(1)} us`,
      );
    }
  } finally {
    for (const session of sessions) session.close();
    await Promise.all(systems.map((system) => system.stop().catch(() => undefined)));
    await issuer.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
