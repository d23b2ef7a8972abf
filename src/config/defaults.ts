import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { UpstreamConfig } from "../gateway/upstream/types.js";

export const DEFAULTS = {
  host: "127.0.0.1",
  port: 8080,
  requestTimeoutMs: 60_000,
  idleTimeoutMs: 30 * 60_000,
  absoluteTimeoutMs: 24 * 3_600_000,
  /** Each 2025-era session runs its own stdio children (one per server): keep the default modest. */
  maxSessions: 64,
  maxBodyBytes: 4 * 1024 * 1024,
  shutdownTimeoutMs: 10_000,
} as const;

/** Host names that only ever reach this machine: the default Host and Origin allow-lists. */
export const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "[::1]"] as const;

/** A server package's entry point run with this Node from node_modules, or fetched by npx when it is not installed. */
function npmServer(pkg: string, args: string[]): UpstreamConfig {
  try {
    const require = createRequire(import.meta.url);
    const manifest = require.resolve(`${pkg}/package.json`);
    return { kind: "stdio", command: process.execPath, args: [join(dirname(manifest), "dist", "index.js"), ...args], env: {}, requestTimeoutMs: DEFAULTS.requestTimeoutMs };
  } catch {
    // not installed beside us: npx fetches it on first start
    return { kind: "stdio", command: "npx", args: ["-y", pkg, ...args], env: {}, requestTimeoutMs: DEFAULTS.requestTimeoutMs };
  }
}

/**
 * The embedded default upstreams, real MCP servers from npm: @modelcontextprotocol/server-everything
 * (tools, resources, prompts, sampling, elicitation) and @modelcontextprotocol/server-filesystem
 * allowed into `sampleFolder` only (see sample.ts; `bastion serve` makes the folder).
 */
export function defaultServers(sampleFolder: string): Record<string, UpstreamConfig> {
  return {
    everything: npmServer("@modelcontextprotocol/server-everything", ["stdio"]),
    filesystem: npmServer("@modelcontextprotocol/server-filesystem", [sampleFolder]),
  };
}
