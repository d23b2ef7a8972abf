import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, mkdirSync, openSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { connect, createServer } from "node:net";
import { dirname, join } from "node:path";
import type { Target } from "./client.js";
import type { BenchIssuer } from "./jwt-issuer.js";

/**
 * The systems under test, each a process of its own started by the runner, all in front of the
 * same upstream (the built bench/gateway/upstream.ts) and all on 127.0.0.1:
 *   upstream-stdio  no server: the load generator starts the upstream and speaks raw JSON-RPC
 *   upstream-http   the upstream exposed over Streamable HTTP by the SDK itself
 *   mcp-bastion     `bastion serve` from dist/, masking on, route /servers/bench/mcp; authentication
 *                   required with a bearer JWT (jwt-issuer.ts) unless the run says --auth none; the
 *                   upstream with `share: principal` (the clients are one principal: one child)
 *   mcp-proxy       the npm mcp-proxy CLI (Streamable HTTP endpoint /mcp) over the stdio upstream,
 *                   with its defaults
 * Not run unless named in --systems (for analysis):
 *   upstream-stdio-per-client  raw stdio again, but each client with an upstream process of its
 *                          own (what a gateway that gives each session its own child costs, without the gateway)
 *   mcp-proxy-lean         mcp-proxy with its resumability event store off (--no-eventStore)
 *   mcp-bastion-unshared   mcp-bastion with `share: none`: a child per session (the default)
 *   mcp-bastion-stateless  mcp-bastion driven by 2026-07-28 stateless clients: no sessions, so
 *                          one shared upstream child for all clients (as mcp-proxy always does)
 *   mcp-proxy-stateless    mcp-proxy driven by the same 2026-07-28 stateless clients
 */

export type SystemName =
  | "upstream-stdio"
  | "upstream-stdio-per-client"
  | "upstream-http"
  | "mcp-bastion"
  | "mcp-proxy"
  | "mcp-proxy-lean"
  | "mcp-bastion-unshared"
  | "mcp-bastion-stateless"
  | "mcp-proxy-stateless"
  | "mcp-bastion-baseline";
/** The systems a run measures by default. */
export const SYSTEMS: readonly SystemName[] = ["upstream-stdio", "upstream-http", "mcp-bastion", "mcp-proxy"];
export const ALL_SYSTEMS: readonly SystemName[] = [...SYSTEMS, "upstream-stdio-per-client", "mcp-proxy-lean", "mcp-bastion-unshared", "mcp-bastion-stateless", "mcp-proxy-stateless", "mcp-bastion-baseline"];

export const SYSTEM_LABELS: Readonly<Record<SystemName, string>> = {
  "upstream-stdio": "upstream alone (stdio, raw JSON-RPC)",
  "upstream-stdio-per-client": "upstream alone (stdio, a process per client)",
  "upstream-http": "upstream alone (SDK Streamable HTTP)",
  "mcp-bastion": "mcp-bastion (masking on, share: principal)",
  "mcp-bastion-unshared": "mcp-bastion (masking on, share: none)",
  "mcp-proxy": "mcp-proxy",
  "mcp-proxy-lean": "mcp-proxy --no-eventStore",
  "mcp-bastion-stateless": "mcp-bastion (masking on), 2026-07-28 stateless",
  "mcp-proxy-stateless": "mcp-proxy, 2026-07-28 stateless",
  "mcp-bastion-baseline": "mcp-bastion from --against DIR (baseline build)",
};

export interface RunningSystem {
  name: SystemName;
  target: Target;
  /** The command line, for the report. */
  command: string;
  pid?: number;
  stop(): Promise<void>;
}

export interface SystemOptions {
  /** Repository root (package.json, dist/, node_modules/). */
  root: string;
  /** Node to run every process with (the machine's Node 20). */
  node: string;
  /** The built upstream (results/build/upstream.js). */
  upstreamScript: string;
  /** Where server logs and configs go. */
  workDir: string;
  /** Write a V8 CPU profile of the mcp-bastion process into this directory. */
  cpuProfileDir?: string;
  /** mcp-bastion requires a bearer JWT from this issuer (the clients send one); none: auth.required false. */
  issuer?: BenchIssuer;
  /** How long the clients' token must stay valid (the run's limit, and some). */
  tokenLifetimeSeconds?: number;
  /** mcp-bastion-baseline: another checkout (with its own dist/), run exactly as mcp-bastion is. */
  baselineRoot?: string;
}

/** A free TCP port on 127.0.0.1 (free when asked; the server takes it moments later). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once something accepts TCP connections on the port; rejects after `timeoutMs` or if the child exits. */
async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`exited before listening (${child.exitCode ?? child.signalCode})`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: "127.0.0.1", port });
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`nothing listened on port ${port} within ${timeoutMs} ms`);
}

/** Children still running, killed if the runner dies. */
const live = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of live) child.kill("SIGKILL");
});

function startProcess(name: string, node: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; logFile: string }): ChildProcess {
  const log = openSync(options.logFile, "w");
  // stdin stays a pipe we hold: a server that reads it (the SDK HTTP upstream) ends when we do.
  const child = spawn(node, args, { cwd: options.cwd, env: options.env, stdio: ["pipe", log, log] });
  closeSync(log);
  live.add(child);
  child.once("exit", () => live.delete(child));
  child.once("error", (error) => process.stderr.write(`${name}: ${error.message}\n`));
  return child;
}

async function stopProcess(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Only what the servers need from the environment: no MASK_PII_*, BASTION_* or MCP_PROXY_* leaking in. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const key of ["PATH", "HOME", "TMPDIR", "LANG"]) if (process.env[key] !== undefined) env[key] = process.env[key];
  return env;
}

export async function startSystem(name: SystemName, options: SystemOptions): Promise<RunningSystem> {
  mkdirSync(options.workDir, { recursive: true });
  const logFile = join(options.workDir, `${name}.log`);
  const env = cleanEnv();
  switch (name) {
    case "upstream-stdio":
    case "upstream-stdio-per-client":
      return {
        name,
        target: { kind: "stdio", command: options.node, args: [options.upstreamScript], processPerClient: name === "upstream-stdio-per-client" },
        command: `${options.node} ${options.upstreamScript}`,
        stop: async () => undefined,
      };
    case "upstream-http": {
      const port = await freePort();
      const args = [options.upstreamScript, "--http", String(port)];
      const child = startProcess(name, options.node, args, { cwd: options.root, env, logFile });
      await waitForPort(port, child, 30_000);
      return { name, target: { kind: "http", url: `http://127.0.0.1:${port}/mcp` }, command: `${options.node} ${args.join(" ")}`, pid: child.pid!, stop: () => stopProcess(child) };
    }
    case "mcp-bastion":
    case "mcp-bastion-baseline":
    case "mcp-bastion-unshared":
    case "mcp-bastion-stateless": {
      if (name === "mcp-bastion-baseline" && options.baselineRoot === undefined) throw new Error("mcp-bastion-baseline needs --against DIR");
      const bastionRoot = name === "mcp-bastion-baseline" ? options.baselineRoot! : options.root;
      const port = await freePort();
      const resource = `http://127.0.0.1:${port}/mcp`;
      const issuer = options.issuer;
      const config = {
        listen: { host: "127.0.0.1", port },
        // One principal's sessions share one child (share: principal); unshared, a child per session.
        servers: { bench: { command: options.node, args: [options.upstreamScript], env: {}, share: name === "mcp-bastion-unshared" ? "none" : "principal" } },
        pii: { beforeLlm: true, inLogs: true, mode: "replace" },
        // Issue 4: authentication required, every request carrying a bearer JWT verified against
        // the issuer's JWKS (fetched from 127.0.0.1 and cached), audience = the route's resource.
        // --auth none measures relaying and masking alone (the anonymous principal).
        auth: issuer === undefined ? { required: false } : { required: true, resource, jwt: { issuers: [{ issuer: issuer.issuer, jwksUri: issuer.jwksUri, algorithms: ["ES256"], requireAtJwt: true }] } },
        store: { path: join(options.workDir, `${name}.db`) },
        // Unshared, each 2025-11-25 session runs its own upstream child; 64 clients need 64 sessions,
        // and the previous cell's sessions may still be ending.
        sessions: { max: 512 },
        log: { level: "info" },
      };
      // Each route is its own protected resource (src/auth/route-resources.ts): the token names /servers/bench/mcp.
      const audience = `http://127.0.0.1:${port}/servers/bench/mcp`;
      const headers: Record<string, string> =
        issuer === undefined ? {} : { authorization: `Bearer ${await issuer.token(audience, options.tokenLifetimeSeconds ?? 3_600)}` };
      const configFile = join(options.workDir, `${name}.config.json`);
      writeFileSync(configFile, `${JSON.stringify(config, null, 2)}\n`);
      const profile = options.cpuProfileDir === undefined ? [] : ["--cpu-prof", "--cpu-prof-dir", options.cpuProfileDir];
      // For analysis (e.g. --trace-gc; the output lands in the server's log): extra flags for the gateway's node.
      const extra = (process.env["BENCH_BASTION_NODE_ARGS"] ?? "").split(" ").filter((arg) => arg !== "");
      const args = [...extra, ...profile, join(bastionRoot, "dist", "cli", "main.js"), "serve", "--config", configFile];
      const child = startProcess(name, options.node, args, { cwd: bastionRoot, env, logFile });
      await waitForPort(port, child, 30_000);
      return {
        name,
        target: { kind: name === "mcp-bastion-stateless" ? "http-stateless" : "http", url: `http://127.0.0.1:${port}/servers/bench/mcp`, headers },
        command: `${options.node} ${args.join(" ")}`,
        pid: child.pid!,
        stop: () => stopProcess(child),
      };
    }
    case "mcp-proxy":
    case "mcp-proxy-lean":
    case "mcp-proxy-stateless": {
      const port = await freePort();
      const require = createRequire(join(options.root, "package.json"));
      const proxyDir = dirname(require.resolve("mcp-proxy/package.json"));
      const lean = name === "mcp-proxy-lean" ? ["--no-eventStore"] : [];
      const args = [join(proxyDir, "dist", "bin", "mcp-proxy.mjs"), "--host", "127.0.0.1", "--port", String(port), "--server", "stream", ...lean, "--", options.node, options.upstreamScript];
      const child = startProcess(name, options.node, args, { cwd: options.root, env, logFile });
      await waitForPort(port, child, 60_000);
      const kind = name === "mcp-proxy-stateless" ? "http-stateless" : "http";
      return { name, target: { kind, url: `http://127.0.0.1:${port}/mcp` }, command: `${options.node} ${args.join(" ")}`, pid: child.pid!, stop: () => stopProcess(child) };
    }
  }
}
