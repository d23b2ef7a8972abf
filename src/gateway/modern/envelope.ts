/**
 * The 2026-07-28 revision's per-request `_meta` envelope (SEP-2575): every request carries its
 * protocol version and client capabilities itself, so no session is needed.
 */

export const MODERN_REVISION = "2026-07-28";
export const SUPPORTED_MODERN_REVISIONS: readonly string[] = [MODERN_REVISION];

export const META = {
  protocolVersion: "io.modelcontextprotocol/protocolVersion",
  clientInfo: "io.modelcontextprotocol/clientInfo",
  clientCapabilities: "io.modelcontextprotocol/clientCapabilities",
  logLevel: "io.modelcontextprotocol/logLevel",
  serverInfo: "io.modelcontextprotocol/serverInfo",
  subscriptionId: "io.modelcontextprotocol/subscriptionId",
} as const;

/** The reserved prefix of envelope keys: stripped before a request goes to a 2025-era upstream. */
export const RESERVED_META_PREFIX = "io.modelcontextprotocol/";

const LOG_LEVELS = new Set(["debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"]);

export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/** The `_meta` object of a message's params, when there is one. */
export function metaOf(params: unknown): Record<string, unknown> | undefined {
  if (!isPlainObject(params)) return undefined;
  const meta = params["_meta"];
  return isPlainObject(meta) ? meta : undefined;
}

/** A message claims the 2026-07-28 envelope exactly when `_meta` carries the protocol-version key. */
export function hasEnvelopeClaim(params: unknown): boolean {
  const meta = metaOf(params);
  return meta !== undefined && META.protocolVersion in meta;
}

export const isModernRevision = (version: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(version) && version >= MODERN_REVISION;

export interface EnvelopeIssue {
  key: string;
  problem: string;
}

/** The first problem with an envelope (required keys first, then their shapes), or undefined if it is valid. */
export function envelopeIssue(meta: Record<string, unknown> | undefined): EnvelopeIssue | undefined {
  if (meta === undefined) return { key: "_meta", problem: "missing" };
  if (!(META.protocolVersion in meta)) return { key: META.protocolVersion, problem: "missing" };
  if (!(META.clientCapabilities in meta)) return { key: META.clientCapabilities, problem: "missing" };
  if (typeof meta[META.protocolVersion] !== "string") return { key: META.protocolVersion, problem: "expected a string" };
  if (!isPlainObject(meta[META.clientCapabilities])) return { key: META.clientCapabilities, problem: "expected an object" };
  const info = meta[META.clientInfo];
  if (info !== undefined && !(isPlainObject(info) && typeof info["name"] === "string" && typeof info["version"] === "string")) {
    return { key: META.clientInfo, problem: "expected { name, version }" };
  }
  const level = meta[META.logLevel];
  if (level !== undefined && !(typeof level === "string" && LOG_LEVELS.has(level))) return { key: META.logLevel, problem: "expected a log level" };
  return undefined;
}
