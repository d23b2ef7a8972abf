import type { AuthError, AuthFailureCode } from "./errors.js";

/**
 * The `WWW-Authenticate` challenge (RFC 6750 §3, RFC 9728 §5.1) and the status and headers of an
 * authentication refusal, in one place.
 */

export interface ChallengeOptions {
  /** The Protected Resource Metadata URL (`resourceMetadataUrl(resource)`). */
  resourceMetadataUrl: string;
  /** Scopes to suggest on a 401 (usually `scopesSupported`). */
  scopes?: readonly string[];
}

/** RFC 6750 §3: what may appear inside error_description's quotes. */
const DESCRIPTION_CHARS = /[^\x20\x21\x23-\x5B\x5D-\x7E]/g;
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;
const MAX_DESCRIPTION = 200;

/** `error` for each failure (RFC 6750 §3.1). A request with no credential at all gets no error code. */
const ERROR_OF: Record<AuthFailureCode, "invalid_request" | "invalid_token" | "insufficient_scope" | undefined> = {
  missing_credentials: undefined,
  malformed_credentials: "invalid_request",
  multiple_credentials: "invalid_request",
  token_in_query: "invalid_request",
  invalid_token: "invalid_token",
  expired_credentials: "invalid_token",
  revoked_credentials: "invalid_token",
  unknown_credentials: "invalid_token",
  invalid_client_certificate: "invalid_token",
  locked_out: undefined,
  insufficient_scope: "insufficient_scope",
};

function quoted(value: string): string {
  return `"${value}"`;
}

function scopeParam(scopes: readonly string[] | undefined): string | undefined {
  const valid = (scopes ?? []).filter((scope) => SCOPE_TOKEN.test(scope));
  return valid.length > 0 ? valid.join(" ") : undefined;
}

function safeUrl(url: string): string {
  // A URL that went through the URL parser has its quotes and backslashes percent-encoded.
  return new URL(url).href.replace(/["\\]/g, encodeURIComponent);
}

/**
 * `Bearer resource_metadata="...", scope="..."` with, when a credential was presented and refused,
 * `error` and `error_description`; for insufficient scope, the scopes the request needs.
 */
export function wwwAuthenticate(error: AuthError | undefined, options: ChallengeOptions): string {
  const params: string[] = [];
  const code = error ? ERROR_OF[error.code] : undefined;
  if (code !== undefined) {
    params.push(`error=${quoted(code)}`);
    const description = error!.message.replace(DESCRIPTION_CHARS, "").slice(0, MAX_DESCRIPTION);
    if (description !== "") params.push(`error_description=${quoted(description)}`);
  }
  const scope = code === "insufficient_scope" ? scopeParam(error!.requiredScopes) : scopeParam(options.scopes);
  if (scope !== undefined) params.push(`scope=${quoted(scope)}`);
  params.push(`resource_metadata=${quoted(safeUrl(options.resourceMetadataUrl))}`);
  return `Bearer ${params.join(", ")}`;
}

/** The status and headers to refuse with: 401 + challenge, 403 + insufficient_scope challenge, 429 + Retry-After. */
export function authErrorResponse(error: AuthError, options: ChallengeOptions): { status: 401 | 403 | 429; headers: Record<string, string> } {
  if (error.code === "locked_out") {
    const retryAfter = (error as AuthError & { retryAfterSeconds?: unknown }).retryAfterSeconds;
    return { status: 429, headers: { "retry-after": String(typeof retryAfter === "number" && retryAfter > 0 ? Math.ceil(retryAfter) : 60) } };
  }
  return { status: error.status as 401 | 403, headers: { "www-authenticate": wwwAuthenticate(error, options) } };
}
