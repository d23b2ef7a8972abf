import { authErrorResponse, type ChallengeOptions } from "../auth/challenge.js";
import type { AuthError } from "../auth/errors.js";
import type { JsonRpcId } from "./jsonrpc.js";

/**
 * Every refusal the gateway makes at the HTTP layer, with its stable code, HTTP status and
 * JSON-RPC error code, in one table (DESIGN.md: errors map to one status in one place).
 */
export const GATEWAY_ERRORS = {
  HOST_NOT_ALLOWED: { status: 421, rpc: -32000 },
  ORIGIN_NOT_ALLOWED: { status: 403, rpc: -32000 },
  ROUTE_NOT_FOUND: { status: 404, rpc: -32000 },
  METHOD_NOT_ALLOWED: { status: 405, rpc: -32000 },
  NOT_ACCEPTABLE: { status: 406, rpc: -32000 },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, rpc: -32000 },
  BODY_TOO_LARGE: { status: 413, rpc: -32000 },
  PARSE_ERROR: { status: 400, rpc: -32700 },
  INVALID_REQUEST: { status: 400, rpc: -32600 },
  SESSION_REQUIRED: { status: 400, rpc: -32000 },
  SESSION_NOT_FOUND: { status: 404, rpc: -32001 },
  SESSION_CONFLICT: { status: 409, rpc: -32000 },
  UNSUPPORTED_PROTOCOL_VERSION: { status: 400, rpc: -32000 },
  /** 2026-07-28: the request names a revision this endpoint does not serve. */
  UNSUPPORTED_REVISION: { status: 400, rpc: -32022 },
  /** 2026-07-28: the per-request `_meta` envelope is missing or malformed. */
  INVALID_ENVELOPE: { status: 400, rpc: -32602 },
  /** 2026-07-28 (SEP-2243): MCP-Protocol-Version / Mcp-Method / Mcp-Name disagree with the body or are missing. */
  HEADER_MISMATCH: { status: 400, rpc: -32020 },
  METHOD_NOT_FOUND: { status: 404, rpc: -32601 },
  PII_OPT_OUT_FORBIDDEN: { status: 403, rpc: -32003 },
  /** Step 2: no valid credential (401 + WWW-Authenticate pointing at the Protected Resource Metadata). */
  UNAUTHENTICATED: { status: 401, rpc: -32000 },
  /** Step 2: the credential lacks a scope the request needs (403 + insufficient_scope challenge). */
  INSUFFICIENT_SCOPE: { status: 403, rpc: -32000 },
  /** Step 2: too many failed authentications from this address or for this key (429 + Retry-After). */
  AUTH_LOCKED_OUT: { status: 429, rpc: -32000 },
  TOO_MANY_SESSIONS: { status: 503, rpc: -32000 },
  SHUTTING_DOWN: { status: 503, rpc: -32000 },
  UPSTREAM_UNAVAILABLE: { status: 502, rpc: -32001 },
  INTERNAL: { status: 500, rpc: -32603 },
} as const satisfies Record<string, { status: number; rpc: number }>;

export type GatewayErrorCode = keyof typeof GATEWAY_ERRORS;

export class GatewayError extends Error {
  readonly code: GatewayErrorCode;
  readonly status: number;
  readonly rpcCode: number;
  /** The JSON-RPC id to echo, when the request's id could be read. */
  readonly id: JsonRpcId | null;
  readonly data: unknown;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    code: GatewayErrorCode,
    message: string,
    options: { id?: JsonRpcId | null; data?: unknown; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.code = code;
    this.status = GATEWAY_ERRORS[code].status;
    this.rpcCode = GATEWAY_ERRORS[code].rpc;
    this.id = options.id ?? null;
    this.data = options.data;
    this.headers = options.headers ?? {};
  }
}

/**
 * An authentication refusal (src/auth's AuthError) as the gateway's error: 401 with the
 * `WWW-Authenticate` challenge (resource_metadata and scope; error="invalid_token" when a
 * credential was presented and refused), 403 insufficient_scope, 429 with Retry-After. The
 * message is AuthError's, which never echoes the credential. `challenge` is undefined when this
 * gateway has no resource URI (API keys on a plain-HTTP non-loopback listener): then the
 * challenge is RFC 6750's without resource_metadata.
 */
export function authFailure(error: AuthError, challenge: ChallengeOptions | undefined): GatewayError {
  const code: GatewayErrorCode = error.code === "locked_out" ? "AUTH_LOCKED_OUT" : error.code === "insufficient_scope" ? "INSUFFICIENT_SCOPE" : "UNAUTHENTICATED";
  const headers = challenge === undefined ? bareChallenge(error) : authErrorResponse(error, challenge).headers;
  return new GatewayError(code, error.message, { headers });
}

function bareChallenge(error: AuthError): Record<string, string> {
  // Retry-After does not depend on the challenge options.
  if (error.code === "locked_out") return authErrorResponse(error, { resourceMetadataUrl: "http://localhost/" }).headers;
  if (error.code === "missing_credentials") return { "www-authenticate": 'Bearer realm="mcp-bastion"' };
  const kind = error.code === "insufficient_scope" ? "insufficient_scope" : error.code === "malformed_credentials" || error.code === "multiple_credentials" || error.code === "token_in_query" ? "invalid_request" : "invalid_token";
  return { "www-authenticate": `Bearer realm="mcp-bastion", error="${kind}"` };
}
