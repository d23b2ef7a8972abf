import { GatewayError } from "../errors.js";
import type { JsonRpcMessage } from "../jsonrpc.js";
import {
  SUPPORTED_MODERN_REVISIONS,
  envelopeIssue,
  hasEnvelopeClaim,
  isModernRevision,
  isPlainObject,
  metaOf,
  META,
} from "./envelope.js";

/**
 * Which protocol revision one POSTed message speaks, decided from the body first (the envelope
 * claim) with the headers as a cross-check, as the SDK's HTTP entry decides it. Legacy traffic
 * (2025-11-25 and earlier) goes to sessions; modern traffic (2026-07-28) is served statelessly.
 * Every disagreement is refused here, before anything reaches an upstream.
 */

export interface StandardHeaders {
  protocolVersion?: string | undefined;
  mcpMethod?: string | undefined;
  mcpName?: string | undefined;
}

export type Era = { era: "legacy" } | { era: "modern"; revision: string };

const LEGACY: Era = { era: "legacy" };

function mismatch(id: string | number | null, header: string, body: string): GatewayError {
  return new GatewayError("HEADER_MISMATCH", `Bad Request: the request headers and body disagree: ${body}`, {
    id,
    data: { mismatch: { header, body } },
  });
}

const idOf = (message: JsonRpcMessage): string | number | null => ("id" in message && message.id !== undefined ? message.id : null);

export function classifyMessage(message: JsonRpcMessage, headers: StandardHeaders): Era {
  if (!("method" in message)) return LEGACY; // a response to a server request: only sessions have those
  const id = idOf(message);
  const params = message.params;
  const headerVersion = headers.protocolVersion;
  const headerIsModern = headerVersion !== undefined && isModernRevision(headerVersion);
  const isRequest = "id" in message;

  if (isRequest && message.method === "initialize" && !hasValidModernClaim(params)) {
    if (headerIsModern) throw mismatch(id, headerVersion, "an initialize request (the 2025 handshake) was sent with a 2026-07-28 MCP-Protocol-Version header");
    return LEGACY;
  }
  if (hasEnvelopeClaim(params)) {
    const meta = metaOf(params);
    const claimed = meta?.[META.protocolVersion];
    if (isRequest) {
      const issue = envelopeIssue(meta);
      if (issue) {
        throw new GatewayError("INVALID_ENVELOPE", `Invalid _meta envelope for protocol revision 2026-07-28: ${issue.key}: ${issue.problem}`, {
          id,
          data: { envelope: issue },
        });
      }
    } else if (typeof claimed !== "string") {
      throw new GatewayError("INVALID_ENVELOPE", `Invalid _meta envelope for protocol revision 2026-07-28: ${META.protocolVersion}: expected a string`, { id });
    }
    const revision = claimed as string;
    if (headerVersion !== undefined && headerVersion !== revision) {
      throw mismatch(id, headerVersion, `the body envelope names protocol version ${revision} but the MCP-Protocol-Version header names ${headerVersion}`);
    }
    if (!isModernRevision(revision) && !isRequest) return LEGACY;
    if (headers.mcpMethod !== undefined && headers.mcpMethod !== message.method) {
      throw mismatch(id, headers.mcpMethod, `the body names method ${message.method} but the Mcp-Method header names ${headers.mcpMethod}`);
    }
    return { era: "modern", revision };
  }
  if (headerIsModern) {
    if (!isRequest) {
      if (headers.mcpMethod !== undefined && headers.mcpMethod !== message.method) {
        throw mismatch(id, headers.mcpMethod, `the notification body names method ${message.method} but the Mcp-Method header names ${headers.mcpMethod}`);
      }
      return { era: "modern", revision: headerVersion };
    }
    const issue = envelopeIssue(metaOf(params));
    throw new GatewayError(
      "INVALID_ENVELOPE",
      `Invalid params: the MCP-Protocol-Version header names protocol revision ${headerVersion}, but the request is missing the required per-request envelope key ${issue?.key ?? META.protocolVersion}`,
      { id, data: { envelope: { missing: [issue?.key ?? META.protocolVersion] } } },
    );
  }
  return LEGACY;
}

function hasValidModernClaim(params: unknown): boolean {
  if (!hasEnvelopeClaim(params)) return false;
  const meta = metaOf(params);
  const version = meta?.[META.protocolVersion];
  return typeof version === "string" && isModernRevision(version) && envelopeIssue(meta) === undefined;
}

/** The modern request's revision must be one this gateway serves. */
export function checkSupportedRevision(revision: string, id: string | number | null): void {
  if (!SUPPORTED_MODERN_REVISIONS.includes(revision)) {
    throw new GatewayError("UNSUPPORTED_REVISION", `Unsupported protocol version: ${revision} (supported: ${SUPPORTED_MODERN_REVISIONS.join(", ")})`, {
      id,
      data: { supported: [...SUPPORTED_MODERN_REVISIONS], requested: revision },
    });
  }
}

/** Which body field `Mcp-Name` mirrors, per method (SEP-2243 and the tasks extension). */
const NAME_SOURCE: Readonly<Record<string, string>> = {
  "tools/call": "name",
  "prompts/get": "name",
  "resources/read": "uri",
  "tasks/get": "taskId",
  "tasks/update": "taskId",
  "tasks/cancel": "taskId",
};

const BASE64_CANONICAL = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Decodes the `=?base64?...?=` sentinel a header uses for values HTTP cannot carry; undefined if malformed. */
export function decodeHeaderValue(value: string): string | undefined {
  if (!(value.startsWith("=?base64?") && value.endsWith("?="))) return value;
  const b64 = value.slice(9, value.length - 2);
  if (!BASE64_CANONICAL.test(b64)) return undefined;
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.from(b64, "base64"));
  } catch {
    return undefined;
  }
}

/**
 * The standard-header rung for modern requests: MCP-Protocol-Version and Mcp-Method must be
 * present, and Mcp-Name must be present and equal the body's name/uri where the method has one.
 * Notifications are exempt, as the spec reads "all requests".
 */
export function checkStandardHeaders(message: JsonRpcMessage, headers: StandardHeaders): void {
  if (!("method" in message) || !("id" in message)) return;
  const id = message.id;
  if (headers.protocolVersion === undefined) {
    throw mismatch(id, "(missing)", "the body carries a 2026-07-28 envelope but the required MCP-Protocol-Version header is absent");
  }
  if (headers.mcpMethod === undefined) {
    throw mismatch(id, "(missing)", `the body names method ${message.method} but the required Mcp-Method header is absent`);
  }
  const field = Object.hasOwn(NAME_SOURCE, message.method) ? NAME_SOURCE[message.method] : undefined;
  if (field === undefined) return;
  const raw = isPlainObject(message.params) ? message.params[field] : undefined;
  const bodyValue = typeof raw === "string" ? raw : undefined;
  if (headers.mcpName === undefined) {
    if (bodyValue === undefined) return;
    throw mismatch(id, "(missing)", `the body carries params.${field}="${bodyValue}" but the required Mcp-Name header is absent`);
  }
  const decoded = decodeHeaderValue(headers.mcpName);
  if (decoded === undefined) throw mismatch(id, headers.mcpName, "the Mcp-Name header carries an invalid Base64 sentinel value");
  if (bodyValue !== undefined && decoded !== bodyValue) {
    throw mismatch(id, headers.mcpName, `the body carries params.${field}="${bodyValue}" but the Mcp-Name header names "${decoded}"`);
  }
}
