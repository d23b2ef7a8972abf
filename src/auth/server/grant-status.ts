import type { StaticClientConfig } from "./config.js";
import type { OidcStore } from "./store.js";
import type { UserDirectory } from "./users.js";

/**
 * Whether an access token of this authorization server is still backed by a live grant, asked at
 * request time by the gateway (in process: one store read, no HTTP). Our access tokens are JWTs
 * (RFC 9068) that nothing stores, so without this they would outlive the grant they came from
 * until `exp`: signing out, a reused refresh token, a revocation and a disabled user must end them
 * at once.
 *
 * A user's token carries its grant's id in GRANT_CLAIM (provider-config.ts puts it there). The
 * grant must still exist (sign-out, reuse detection and revocation destroy it), belong to the same
 * user and client, and the user must exist and be enabled. A client-credentials token has no grant:
 * its subject is the client, which must be a configured client allowed that grant. Anything else
 * (a user token without the claim) is refused.
 */

/** The private claim naming the grant an access token was issued under. */
export const GRANT_CLAIM = "grant_id";

/** oidc-provider models whose records belong to a grant (revoked with it). */
export const GRANT_MEMBERS = ["AccessToken", "AuthorizationCode", "RefreshToken", "DeviceCode", "BackchannelAuthenticationRequest", "PreAuthorizedCode"] as const;

/**
 * Ends a grant at once: every record issued under it, then the grant itself, which the gateway's
 * check below then no longer finds (so the grant's access tokens stop on their next request).
 */
export async function revokeGrant(store: Pick<OidcStore, "revokeByGrantId" | "destroy">, grantId: string): Promise<void> {
  for (const model of GRANT_MEMBERS) await store.revokeByGrantId(model, grantId);
  await store.destroy("Grant", grantId);
}

/** Why a token is no longer good, or undefined if it is. */
export type GrantRefusal = "grant_revoked" | "grant_mismatch" | "user_unavailable" | "client_unavailable" | "no_grant";

export interface GrantStatusOptions {
  store: OidcStore;
  users: Pick<UserDirectory, "findById">;
  clients: readonly StaticClientConfig[];
}

export type GrantStatus = (claims: Readonly<Record<string, unknown>>) => Promise<GrantRefusal | undefined>;

const MAX_ID_LENGTH = 256;
const idOf = (value: unknown): string | undefined => (typeof value === "string" && value !== "" && value.length <= MAX_ID_LENGTH ? value : undefined);

export function createGrantStatus(options: GrantStatusOptions): GrantStatus {
  const clientCredentialsClients = new Set(options.clients.filter((c) => c.grantTypes.includes("client_credentials")).map((c) => c.clientId));
  return async (claims) => {
    const subject = idOf(claims.sub);
    const clientId = idOf(claims.client_id);
    if (subject === undefined || clientId === undefined) return "no_grant";
    const grantId = claims[GRANT_CLAIM];
    if (grantId === undefined) {
      // Client credentials: no grant, no user; the subject is the client itself.
      if (subject !== clientId) return "no_grant";
      return clientCredentialsClients.has(clientId) ? undefined : "client_unavailable";
    }
    const id = idOf(grantId);
    if (id === undefined) return "no_grant";
    const grant = (await options.store.find("Grant", id))?.payload;
    if (grant === undefined) return "grant_revoked";
    if (grant.accountId !== subject || grant.clientId !== clientId) return "grant_mismatch";
    const user = await options.users.findById(subject);
    if (user === undefined || user.disabled) return "user_unavailable";
    return undefined;
  };
}
