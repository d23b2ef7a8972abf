/** How a caller proved who it is. */
export type AuthMethod = "api-key" | "jwt" | "introspection" | "mtls" | "session" | "none";

/**
 * Who is calling: what authentication produces and what authorization and audit consume.
 * Immutable; built once per request by an authenticator.
 */
export interface Principal {
  /** Stable subject id, namespaced by how it was issued: "key:<keyId>", "jwt:<issuer>#<sub>", "cert:<sha256>", "user:<name>". */
  readonly id: string;
  readonly method: AuthMethod;
  /** Roles (viewer, editor, admin, or mapped from claims / certificate subjects). */
  readonly roles: readonly string[];
  /** OAuth scopes or API key scopes, as granted. */
  readonly scopes: readonly string[];
  /** Attributes for attribute-based policies: tenant, groups, department, ... */
  readonly attributes: Readonly<Record<string, string | readonly string[]>>;
  /** When this request was authenticated (ms since the epoch). */
  readonly authenticatedAt: number;
  /** When the caller last completed multi-factor authentication, if known (ms since the epoch). */
  readonly mfaAt?: number;
  /** When the credential stops being valid (ms since the epoch), if it expires. */
  readonly expiresAt?: number;
  /** The credential's own id (API key id, token jti, certificate serial): for revocation and audit. */
  readonly credentialId?: string;
}

export const ANONYMOUS_PRINCIPAL: Principal = Object.freeze({
  id: "anonymous",
  method: "none",
  roles: Object.freeze([]) as readonly string[],
  scopes: Object.freeze([]) as readonly string[],
  attributes: Object.freeze({}),
  authenticatedAt: 0,
});
