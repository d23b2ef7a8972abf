import type { JsonRpcMessage } from "../jsonrpc.js";

/** The key in `params._meta` by which a 2026-07-28 request names its protocol revision. */
export const PROTOCOL_VERSION_META_KEY = "io.modelcontextprotocol/protocolVersion";

/**
 * Headers the transport derives itself (from the session or from the message body). Configured
 * headers cannot set them: a stale or forged value would desynchronise the session or make the
 * upstream's header/body cross-checks fail. Hop-by-hop and framing headers are fetch's business.
 */
const RESERVED = new Set([
  "accept",
  "content-type",
  "content-length",
  "host",
  "connection",
  "transfer-encoding",
  "last-event-id",
  "mcp-session-id",
  "mcp-protocol-version",
  "mcp-method",
  "mcp-name",
]);

/** Which body field `Mcp-Name` mirrors, per method (2026-07-28 Streamable HTTP). */
const NAME_SOURCE: Readonly<Record<string, string>> = {
  "tools/call": "name",
  "prompts/get": "name",
  "resources/read": "uri",
  "tasks/get": "taskId",
  "tasks/update": "taskId",
  "tasks/cancel": "taskId",
};

/** The gateway's own credentials for an upstream, without anything the transport owns. */
export function credentialHeaders(configured: Readonly<Record<string, string>>): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(configured)) {
    if (!RESERVED.has(name.toLowerCase())) headers.set(name, value);
  }
  return headers;
}

/** The protocol revision a 2026-07-28-style message claims in its `_meta`, if any. */
export function envelopeVersion(message: JsonRpcMessage): string | undefined {
  if (!("method" in message)) return undefined;
  const meta = message.params?._meta;
  if (typeof meta !== "object" || meta === null) return undefined;
  const version = (meta as Record<string, unknown>)[PROTOCOL_VERSION_META_KEY];
  return typeof version === "string" ? version : undefined;
}

/**
 * Sets the per-message headers: for a message carrying a revision in `_meta` (2026-07-28), the
 * mirrored `MCP-Protocol-Version`, `Mcp-Method` and, where the method has one, `Mcp-Name`;
 * otherwise the session's negotiated version, if there is one.
 */
export function applyMessageHeaders(headers: Headers, message: JsonRpcMessage, negotiatedVersion: string | undefined): void {
  const claimed = envelopeVersion(message);
  if (claimed === undefined) {
    if (negotiatedVersion !== undefined) headers.set("mcp-protocol-version", negotiatedVersion);
    return;
  }
  headers.set("mcp-protocol-version", claimed);
  if (!("method" in message)) return;
  headers.set("mcp-method", message.method);
  const field = Object.hasOwn(NAME_SOURCE, message.method) ? NAME_SOURCE[message.method] : undefined;
  const value = field === undefined ? undefined : message.params?.[field];
  if (typeof value === "string") headers.set("mcp-name", encodeHeaderValue(value));
}

/**
 * A value safe as a plain HTTP field passes unchanged; anything else (non-ASCII, control
 * characters, edge whitespace, empty, or a value that looks like the sentinel itself) is sent as
 * `=?base64?{base64 of UTF-8}?=`, the encoding the 2026-07-28 transport defines.
 */
export function encodeHeaderValue(value: string): string {
  const sentinel = value.startsWith("=?base64?") && value.endsWith("?=");
  let plain = value.length > 0 && !sentinel && value === value.trim();
  for (let i = 0; plain && i < value.length; i++) {
    const c = value.charCodeAt(i);
    plain = c === 0x09 || (c >= 0x20 && c <= 0x7e);
  }
  return plain ? value : `=?base64?${Buffer.from(value, "utf8").toString("base64")}?=`;
}
