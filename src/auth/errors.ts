/**
 * Why authentication failed. Every failure is a 401 (or 403 for insufficient scope) with a
 * WWW-Authenticate challenge; `code` is stable and logged, `message` is safe to show the caller
 * (it never echoes the credential).
 */
export type AuthFailureCode =
  | "missing_credentials"
  | "malformed_credentials"
  | "multiple_credentials"
  | "token_in_query"
  | "invalid_token"
  | "expired_credentials"
  | "revoked_credentials"
  | "unknown_credentials"
  | "invalid_client_certificate"
  | "locked_out"
  | "insufficient_scope";

export class AuthError extends Error {
  constructor(
    readonly code: AuthFailureCode,
    message: string,
    /** For insufficient_scope: the scopes the request needs. */
    readonly requiredScopes?: readonly string[],
  ) {
    super(message);
    this.name = "AuthError";
  }

  get status(): 401 | 403 | 429 {
    if (this.code === "insufficient_scope") return 403;
    if (this.code === "locked_out") return 429;
    return 401;
  }
}
