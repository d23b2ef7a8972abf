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

/**
 * The embedded default upstream: @modelcontextprotocol/server-everything, run with this Node from
 * node_modules when it is installed (no network needed), otherwise fetched by npx.
 */
export function defaultServers(): Record<string, UpstreamConfig> {
  let command = "npx";
  let args = ["-y", "@modelcontextprotocol/server-everything", "stdio"];
  try {
    const require = createRequire(import.meta.url);
    const manifest = require.resolve("@modelcontextprotocol/server-everything/package.json");
    command = process.execPath;
    args = [join(dirname(manifest), "dist", "index.js"), "stdio"];
  } catch {
    // not installed beside us: npx fetches it on first start
  }
  return { everything: { kind: "stdio", command, args, env: {}, requestTimeoutMs: DEFAULTS.requestTimeoutMs } };
}
