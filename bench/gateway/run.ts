import { execFileSync, fork, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { GroupResult, GroupSpec } from "./client.js";
import { formatProfile, summarizeProfile } from "./profile.js";
import { median } from "./stats.js";
import { buildRows, checkTargets, exposureTable, resultsTable, targetsTable, type Measurement } from "./report.js";
import { startBenchIssuer } from "./jwt-issuer.js";
import { ALL_SYSTEMS, SYSTEMS, startSystem, type RunningSystem, type SystemName } from "./systems.js";
import { PAYLOADS, type Payload } from "./wire.js";
import { buildUpstream } from "./build-upstream.js";

/**
 * The gateway benchmark (issue 3): tools/call throughput and p50/p99 latency at concurrency 1, 16
 * and 64, for a small echo and a ~2 KB result full of PII, side by side in one run: the upstream
 * alone (raw stdio, and the SDK's own Streamable HTTP), mcp-bastion with masking on, and
 * mcp-proxy in front of the same stdio upstream. See bench/gateway/README.md.
 *
 *   node --import tsx bench/gateway/run.ts [--rounds 3] [--requests 3000] [--warmup 500]
 *        [--concurrency 1,16,64] [--systems a,b] [--payloads echo,pii] [--quick] [--no-build]
 *        [--profile] [--quiet IDLE% [--quiet-wait S]] [--max-minutes 30]
 *        [--against DIR]   (another checkout with a built dist/, measured as mcp-bastion-baseline in the same rounds)
 */

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const resultsDir = join(here, "results");

interface Options {
  rounds: number;
  requests: number;
  warmup: number;
  concurrency: number[];
  systems: SystemName[];
  payloads: Payload[];
  build: boolean;
  profile: boolean;
  maxMinutes: number;
  /** Whether --concurrency was given (a profile run otherwise profiles concurrency 16 only). */
  concurrencyGiven: boolean;
  /** Whether --systems was given (a profile run otherwise profiles mcp-bastion only). */
  systemsGiven: boolean;
  /** Before each group, wait (up to quietWaitSeconds) until the machine was at least this % idle for a second. 0: never wait. */
  quietIdlePercent: number;
  quietWaitSeconds: number;
  /** jwt (default): mcp-bastion requires a bearer JWT and the clients send one; none: the anonymous principal. */
  auth: "jwt" | "none";
  /** --against DIR: a baseline checkout, measured as mcp-bastion-baseline in the same rounds. */
  against?: string;
}

function parseArgs(argv: readonly string[]): Options {
  const options: Options = { rounds: 3, requests: 3000, warmup: 500, concurrency: [1, 16, 64], systems: [...SYSTEMS], payloads: [...PAYLOADS], build: true, profile: false, maxMinutes: 30, concurrencyGiven: false, systemsGiven: false, quietIdlePercent: 0, quietWaitSeconds: 120, auth: "jwt" };
  const int = (flag: string, text: string | undefined, min: number, max: number): number => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${flag}: expected a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`);
    return value;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const next = () => argv[++i];
    switch (flag) {
      case "--rounds":
        options.rounds = int(flag, next(), 1, 20);
        break;
      case "--requests":
        options.requests = int(flag, next(), 10, 200_000);
        break;
      case "--warmup":
        options.warmup = int(flag, next(), 0, 100_000);
        break;
      case "--concurrency":
        options.concurrency = (next() ?? "").split(",").map((c) => int(flag, c, 1, 256));
        options.concurrencyGiven = true;
        break;
      case "--systems": {
        const names = (next() ?? "").split(",");
        for (const name of names) if (!(ALL_SYSTEMS as readonly string[]).includes(name)) throw new Error(`--systems: unknown system ${JSON.stringify(name)} (known: ${ALL_SYSTEMS.join(", ")})`);
        options.systems = names as SystemName[];
        options.systemsGiven = true;
        break;
      }
      case "--payloads": {
        const names = (next() ?? "").split(",");
        for (const name of names) if (!(PAYLOADS as readonly string[]).includes(name)) throw new Error(`--payloads: unknown payload ${JSON.stringify(name)}`);
        options.payloads = names as Payload[];
        break;
      }
      case "--quick":
        options.rounds = 1;
        options.requests = 1000;
        options.warmup = 200;
        break;
      case "--no-build":
        options.build = false;
        break;
      case "--profile":
        options.profile = true;
        break;
      case "--quiet":
        options.quietIdlePercent = int(flag, next(), 0, 100);
        break;
      case "--quiet-wait":
        options.quietWaitSeconds = int(flag, next(), 1, 3600);
        break;
      case "--auth": {
        const mode = next();
        if (mode !== "jwt" && mode !== "none") throw new Error(`--auth: expected jwt or none, got ${JSON.stringify(mode)}`);
        options.auth = mode;
        break;
      }
      case "--against": {
        // Another checkout whose dist/ is built (its own run.ts builds it): measured side by side as mcp-bastion-baseline.
        const dir = next();
        if (dir === undefined || !existsSync(join(dir, "dist", "cli", "main.js"))) throw new Error(`--against: expected a checkout with dist/cli/main.js, got ${JSON.stringify(dir)}`);
        options.against = dir;
        break;
      }
      case "--max-minutes":
        options.maxMinutes = int(flag, next(), 1, 240);
        break;
      default:
        throw new Error(`unknown flag ${flag}`);
    }
  }
  if (options.against !== undefined && !options.systems.includes("mcp-bastion-baseline")) options.systems = [...options.systems, "mcp-bastion-baseline"];
  if (options.against === undefined && options.systems.includes("mcp-bastion-baseline")) throw new Error("--systems mcp-bastion-baseline needs --against DIR");
  return options;
}

const log = (line: string) => process.stderr.write(`${line}\n`);

/** dist/ from the current sources (tsc emits even when someone else's unfinished file has type errors). */
function buildGateway(): void {
  const started = Date.now();
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
  const result = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { cwd: root, encoding: "utf8" });
  const main = join(root, "dist", "cli", "main.js");
  const pipeline = join(root, "dist", "gateway", "pipeline.js");
  if (!existsSync(main) || statSync(pipeline).mtimeMs < started - 1000) {
    throw new Error(`the build did not produce dist/: ${result.stdout}${result.stderr}`);
  }
  if (result.status !== 0) log(`note: tsc reported type errors (files were emitted; first lines):\n${result.stdout.split("\n").slice(0, 5).join("\n")}`);
}

/** The load generator, forked once: each group is one message, answered in order. */
class LoadClient {
  private readonly child: ChildProcess;
  private seq = 0;
  private readonly waiting = new Map<number, { resolve: (r: GroupResult) => void; reject: (e: Error) => void }>();
  readonly ready: Promise<void>;

  constructor() {
    this.child = fork(join(here, "client.ts"), [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
    this.ready = new Promise((resolve, reject) => {
      this.child.once("error", reject);
      this.child.on("message", (message: { type: string; seq?: number; result?: GroupResult; error?: string }) => {
        if (message.type === "ready") return resolve();
        const waiter = this.waiting.get(message.seq!);
        if (!waiter) return;
        this.waiting.delete(message.seq!);
        if (message.type === "result") waiter.resolve(message.result!);
        else waiter.reject(new Error(message.error));
      });
      this.child.once("exit", (code) => {
        for (const waiter of this.waiting.values()) waiter.reject(new Error(`the load generator exited (${code})`));
        reject(new Error(`the load generator exited (${code})`));
      });
    });
  }

  run(spec: GroupSpec): Promise<GroupResult> {
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      this.waiting.set(seq, { resolve, reject });
      this.child.send({ type: "group", seq, spec });
    });
  }

  close(): void {
    if (this.child.connected) this.child.send({ type: "exit" });
    setTimeout(() => this.child.kill("SIGKILL"), 2_000).unref();
  }
}

function gitCommit(): string {
  try {
    const head = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "src/gateway", "src/pii"], { cwd: root, encoding: "utf8" }).trim() !== "";
    return dirty ? `${head} (src/gateway or src/pii modified)` : head;
  } catch {
    return "unknown";
  }
}

const stamp = () => new Date().toISOString().replace(/[:.]/g, "-");

function cpuTimes(): { idle: number; total: number } | undefined {
  try {
    const fields = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0); // idle + iowait
    return { idle, total: fields.reduce((a, b) => a + b, 0) };
  } catch {
    return undefined;
  }
}

/** The share of the machine's CPU time that was idle over the next second (while the benchmark itself is idle), in percent. */
async function idleShare(): Promise<number | undefined> {
  const before = cpuTimes();
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const after = cpuTimes();
  if (before === undefined || after === undefined || after.total === before.total) return undefined;
  return (100 * (after.idle - before.idle)) / (after.total - before.total);
}

/** Waits until the machine was at least `percent` idle for one second, or `maxSeconds` went by; returns the last idle share seen. */
async function waitForQuiet(percent: number, maxSeconds: number, deadline: number): Promise<number | undefined> {
  const giveUp = Math.min(deadline, Date.now() + maxSeconds * 1000);
  let idle = await idleShare();
  while (idle !== undefined && idle < percent && Date.now() < giveUp) idle = await idleShare();
  return idle;
}

/** The share of the last 10 s in which some runnable task waited for a CPU (Linux PSI), in percent. */
function cpuPressure(): number | undefined {
  try {
    const match = /^some avg10=([\d.]+)/m.exec(readFileSync("/proc/pressure/cpu", "utf8"));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const deadline = Date.now() + options.maxMinutes * 60_000;
  const started = new Date();
  const load: { start: number[]; end?: number[] } = { start: loadavg() };
  log(`gateway benchmark: node ${process.version} (${process.execPath}), ${cpus().length} CPUs, load ${load.start.map((l) => l.toFixed(2)).join(" ")}`);
  if (options.build) {
    log("building dist/ (tsc -p tsconfig.build.json) ...");
    buildGateway();
  }
  const upstreamScript = buildUpstream();
  const workDir = join(resultsDir, `run-${stamp()}`);
  mkdirSync(workDir, { recursive: true });
  const profileDir = options.profile ? join(workDir, "profile") : undefined;
  if (profileDir) {
    rmSync(profileDir, { recursive: true, force: true });
    mkdirSync(profileDir, { recursive: true });
    // A profile is taken on a run of its own: profiling slows the process it watches.
    const bastions = options.systems.filter((name) => name.startsWith("mcp-bastion"));
    options.systems = options.systemsGiven && bastions.length > 0 ? bastions : ["mcp-bastion"];
    if (!options.concurrencyGiven) options.concurrency = [16];
    options.rounds = 1;
  }

  const issuer = options.auth === "jwt" ? await startBenchIssuer() : undefined;
  const client = new LoadClient();
  await client.ready;
  const running = new Map<SystemName, RunningSystem>();
  const measurements: Measurement[] = [];
  const pressures: number[] = [];
  const idles: number[] = [];
  try {
    for (const name of options.systems) {
      const system = await startSystem(name, {
        root,
        node: process.execPath,
        upstreamScript,
        workDir,
        ...(profileDir ? { cpuProfileDir: profileDir } : {}),
        ...(issuer ? { issuer, tokenLifetimeSeconds: options.maxMinutes * 60 + 600 } : {}),
        ...(options.against !== undefined ? { baselineRoot: options.against } : {}),
      });
      running.set(name, system);
      log(`started ${name}${system.pid ? ` (pid ${system.pid})` : ""}: ${system.command}`);
    }
    for (let round = 0; round < options.rounds; round++) {
      for (const concurrency of options.concurrency) {
        // Interleaved: every system once per round and concurrency, in an order that rotates.
        const order = options.systems.map((_, i) => options.systems[(i + round) % options.systems.length]!);
        for (const name of order) {
          if (Date.now() > deadline) throw new Error(`stopped: the run took longer than --max-minutes ${options.maxMinutes}`);
          const system = running.get(name)!;
          const idleBefore = options.quietIdlePercent > 0 ? await waitForQuiet(options.quietIdlePercent, options.quietWaitSeconds, deadline) : undefined;
          if (idleBefore !== undefined) idles.push(idleBefore);
          const result = await client.run({
            target: system.target,
            concurrency,
            payloads: options.payloads,
            warmup: options.warmup,
            requests: options.requests,
            callTimeoutMs: 30_000,
            burstDeadlineMs: 120_000,
            ...(system.pid !== undefined ? { serverPid: system.pid, serverIsUpstream: name === "upstream-http" } : {}),
          });
          const pressure = cpuPressure();
          if (pressure !== undefined) pressures.push(pressure);
          for (const cell of result.cells) {
            measurements.push({
              round,
              system: name,
              concurrency,
              cell,
              ...(pressure !== undefined ? { cpuPressureAvg10: pressure } : {}),
              ...(idleBefore !== undefined ? { machineIdleBefore: idleBefore } : {}),
            });
            log(
              `round ${round + 1}/${options.rounds}  c=${String(concurrency).padStart(2)}  ${cell.payload.padEnd(4)}  ${name.padEnd(14)}  ` +
                `${cell.rps.toFixed(0).padStart(6)} req/s  p50 ${cell.latencyMs.p50.toFixed(3)} ms  p99 ${cell.latencyMs.p99.toFixed(3)} ms` +
                `${cell.errors > 0 ? `  ERRORS ${cell.errors}: ${cell.firstError}` : ""}  (setup ${result.setupSeconds.toFixed(1)} s)`,
            );
          }
        }
      }
    }
  } finally {
    client.close();
    await Promise.all([...running.values()].map((system) => system.stop()));
    await issuer?.close();
  }
  load.end = loadavg();

  const rows = buildRows(measurements, options.payloads, options.concurrency, options.systems);
  const checks = options.profile ? [] : checkTargets(rows, options.payloads);
  const output = [
    "",
    `Gateway benchmark, ${started.toISOString()}: ${options.rounds} round(s), ${options.requests} measured calls per cell after ${options.warmup} warm-up calls; medians over rounds.`,
    `node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? "?"}), load average ${load.start[0]!.toFixed(2)} at start, ${(load.end?.[0] ?? Number.NaN).toFixed(2)} at end; commit ${gitCommit()}`,
    ...(pressures.length > 0
      ? [`CPU pressure (/proc/pressure/cpu "some" avg10 after each cell; the benchmark's own processes count too): median ${median(pressures).toFixed(0)}%, range ${Math.min(...pressures).toFixed(0)}-${Math.max(...pressures).toFixed(0)}%`]
      : []),
    ...(idles.length > 0
      ? [`Machine idle over the second before each group (waited up to ${options.quietWaitSeconds} s for >= ${options.quietIdlePercent}%): median ${median(idles).toFixed(0)}%, range ${Math.min(...idles).toFixed(0)}-${Math.max(...idles).toFixed(0)}%`]
      : []),
    options.auth === "jwt"
      ? "mcp-bastion: authentication required; every request carries a bearer JWT (ES256, typ at+jwt) verified against the issuer's JWKS on 127.0.0.1, audience = the route's resource. share: principal (the clients are one principal)."
      : "mcp-bastion: auth.required false (--auth none): no credential, the anonymous principal. share: principal.",
    "",
    resultsTable(rows),
    "",
    ...(checks.length > 0 ? ["Targets:", "", targetsTable(checks), ""] : []),
    "What the model sees of the PII payload (first answer):",
    "",
    exposureTable(rows),
    "",
  ].join("\n");
  process.stdout.write(output);

  let profileText: string | undefined;
  if (profileDir) {
    const files = readdirSync(profileDir).filter((f) => f.endsWith(".cpuprofile"));
    if (files.length === 0) log("no CPU profile was written (did the gateway exit cleanly?)");
    const texts: string[] = [];
    for (const file of files) {
      // node names the file CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile
      const pid = Number(file.split(".")[3]);
      const system = [...running.values()].find((s) => s.pid === pid)?.name ?? `pid ${pid}`;
      const text = formatProfile(summarizeProfile(JSON.parse(readFileSync(join(profileDir, file), "utf8")), root));
      texts.push(`${system}:\n${text}`);
      process.stdout.write(`\nCPU profile of ${system} (${join(profileDir, file)}):\n${text}\n`);
    }
    profileText = texts.join("\n\n");
  }

  const file = join(resultsDir, `gateway-${options.profile ? "profile-" : ""}${stamp()}.json`);
  writeFileSync(
    file,
    `${JSON.stringify(
      {
        started: started.toISOString(),
        node: process.version,
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model,
        loadavg: load,
        commit: gitCommit(),
        options,
        commands: Object.fromEntries([...running.values()].map((s) => [s.name, s.command])),
        rows,
        targets: checks,
        measurements,
        ...(profileText !== undefined ? { profile: profileText } : {}),
      },
      null,
      2,
    )}\n`,
  );
  log(`results: ${file}\nserver logs: ${workDir}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`gateway benchmark failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
