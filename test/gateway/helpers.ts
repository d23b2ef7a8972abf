/** Shared set-up for the gateway tests: a real gateway on a free port in front of real MCP servers. */
import assert from "node:assert/strict";
import type { IncomingMessage } from "node:http";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import pino, { type Logger } from "pino";
import { loadConfig, type GatewayConfig } from "../../src/config/index.js";
import type { TlsOptions } from "../../src/auth/mtls/index.js";
import type { GatewayLogger } from "../../src/gateway/logger.js";
import type { Store } from "../../src/store/types.js";
import { GatewayError } from "../../src/gateway/errors.js";
import { ANONYMOUS, type PipelineSteps } from "../../src/gateway/principal.js";
import { createGateway, type Gateway } from "../../src/gateway/server.js";
import type { UpstreamConfig } from "../../src/gateway/upstream/types.js";
import { createUpstreamFactory, type UpstreamDeps } from "../../src/gateway/upstream/index.js";

const require = createRequire(import.meta.url);
const modulesDir = (pkg: string) => dirname(require.resolve(`${pkg}/package.json`));

/** @modelcontextprotocol/server-everything over stdio, run with this Node. */
export const EVERYTHING: UpstreamConfig = {
  kind: "stdio",
  command: process.execPath,
  args: [join(modulesDir("@modelcontextprotocol/server-everything"), "dist", "index.js"), "stdio"],
  env: {},
  requestTimeoutMs: 30_000,
};

/** @modelcontextprotocol/server-filesystem over stdio, allowed to touch `root` only. */
export function filesystemServer(root: string): UpstreamConfig {
  return {
    kind: "stdio",
    command: process.execPath,
    args: [join(modulesDir("@modelcontextprotocol/server-filesystem"), "dist", "index.js"), root],
    env: {},
    requestTimeoutMs: 30_000,
  };
}

/** test/gateway/fixtures/dual-era-server.ts: a v2-SDK server speaking both revisions over stdio. */
export const DUAL_ERA: UpstreamConfig = {
  kind: "stdio",
  command: process.execPath,
  args: ["--import", "tsx", join(import.meta.dirname, "fixtures", "dual-era-server.ts")],
  env: {},
  requestTimeoutMs: 30_000,
};

/** test/gateway/fixtures/noisy-server.ts: echoes its arguments, and writes them to stderr and (as non-JSON) to stdout. */
export const NOISY: UpstreamConfig = {
  kind: "stdio",
  command: process.execPath,
  args: ["--import", "tsx", join(import.meta.dirname, "fixtures", "noisy-server.ts")],
  env: {},
  requestTimeoutMs: 30_000,
};

/**
 * The embedded defaults, on a free port, with the servers given. Authentication is not required
 * (these tests are about relaying; test/e2e/gateway-auth*.test.ts runs with it on): a request
 * without credentials is the anonymous principal.
 */
export function testConfig(servers: Record<string, UpstreamConfig>, overrides: Partial<GatewayConfig> = {}): GatewayConfig {
  const base = loadConfig({ env: {} });
  return { ...base, listen: { host: "127.0.0.1", port: 0 }, servers, shutdownTimeoutMs: 5_000, auth: { ...base.auth, required: false }, ...overrides };
}

export interface RunningGateway {
  gateway: Gateway;
  url: string;
  close(): Promise<void>;
}

export const quietLogger = pino({ level: "silent" });

export async function startGateway(options: {
  config: GatewayConfig;
  steps?: Partial<PipelineSteps>;
  now?: () => number;
  logger?: GatewayLogger;
  /** The upstream connections' logger (stderr tails, invalid output, restarts); silent by default. */
  upstreamLogger?: Logger;
  /** More of the upstream factories' settings (restart policy, shared-upstream idle close). */
  upstreamDeps?: Omit<UpstreamDeps, "logger">;
  /** The store holding API keys (authentication accepts API keys only with one). */
  store?: Store;
  tls?: TlsOptions;
  fetch?: typeof fetch;
}): Promise<RunningGateway> {
  const gateway = createGateway({
    config: options.config,
    logger: options.logger ?? quietLogger,
    createUpstreamFactory: (name, upstream) => createUpstreamFactory(name, upstream, { ...options.upstreamDeps, logger: options.upstreamLogger ?? quietLogger }),
    sweepIntervalMs: 0,
    ...(options.steps ? { steps: options.steps } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.store ? { store: options.store } : {}),
    ...(options.tls ? { tls: options.tls } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const { url } = await gateway.listen();
  return { gateway, url, close: () => gateway.close() };
}

/** Headers of a well-formed Streamable HTTP POST. */
export const POST_HEADERS = { "content-type": "application/json", accept: "application/json, text/event-stream" } as const;

export const INITIALIZE = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "raw-test", version: "1.0.0" } },
} as const;

/** POSTs one JSON-RPC body (an object, or raw text) and returns status, headers and parsed body. */
export async function post(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; json: unknown; text: string }> {
  const response = await fetch(url, {
    method: "POST",
    headers: { ...POST_HEADERS, ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text === "" ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, json, text };
}

/** Opens a raw 2025-11-25 session and returns its id. */
export async function openRawSession(url: string, headers: Record<string, string> = {}): Promise<string> {
  const opened = await post(url, INITIALIZE, headers);
  const id = opened.headers.get("mcp-session-id");
  if (opened.status !== 200 || id === null) throw new Error(`initialize failed: ${opened.status} ${opened.text}`);
  await post(url, { jsonrpc: "2.0", method: "notifications/initialized" }, { ...headers, "mcp-session-id": id });
  return id;
}

/** The 2026-07-28 envelope and mirrored headers for a stateless request. */
export const MODERN_META = {
  "io.modelcontextprotocol/protocolVersion": "2026-07-28",
  "io.modelcontextprotocol/clientInfo": { name: "raw-test", version: "1.0.0" },
  "io.modelcontextprotocol/clientCapabilities": {},
} as const;

export function modernRequest(id: number, method: string, params: Record<string, unknown> = {}) {
  return { jsonrpc: "2.0", id, method, params: { ...params, _meta: { ...MODERN_META } } };
}

export function modernHeaders(method: string, name?: string): Record<string, string> {
  return { "mcp-protocol-version": "2026-07-28", "mcp-method": method, ...(name === undefined ? {} : { "mcp-name": name }) };
}

export const EMAIL = "jane.doe@example.com";

/** Authentication stood in for by a header: the principal is whatever X-Test-Principal names; none: refused (401). */
export const headerPrincipalSteps: Partial<PipelineSteps> = {
  authenticate: async (req: IncomingMessage) => {
    const id = req.headers["x-test-principal"];
    if (typeof id !== "string") throw new GatewayError("UNAUTHENTICATED", "Unauthorized");
    return { ...ANONYMOUS, id, method: "api-key" as const };
  },
};

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits (at most ~5 s) until `check` holds, else fails with `what`. */
export async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 250 && !check(); i++) await sleep(20);
  assert.ok(check(), what);
}
