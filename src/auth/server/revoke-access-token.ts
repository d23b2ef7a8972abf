import { createLocalJWKSet, jwtVerify } from "jose";
import { GRANT_CLAIM, revokeGrant } from "./grant-status.js";
import type { OidcStore } from "./store.js";

export interface RevokeAccessTokenInput {
  /** The `token` parameter of the revocation request (anything). */
  token: unknown;
  /** The client that authenticated to the revocation endpoint. */
  clientId: string;
  issuer: string;
  /** This server's published keys: only a token it signed is acted on. */
  jwks: { keys: Record<string, unknown>[] };
  algorithm: string;
  store: OidcStore;
}

const JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** What became of a revocation request's token: `signed` when this server signed it, `grantId` when its grant was revoked. */
export interface AccessTokenRevocation {
  signed: boolean;
  grantId?: string;
}

/**
 * For the revocation endpoint (RFC 7009): if `token` is an access token this server signed for
 * this client and it names a grant, that grant and everything issued under it are revoked. The
 * signature is checked first, so a made-up token cannot name someone else's grant; a token of
 * another client is left alone (RFC 7009 §2.1: a client revokes only its own), as is an expired
 * one (nothing left to revoke through it).
 */
export async function revokeGrantOfAccessToken(input: RevokeAccessTokenInput): Promise<AccessTokenRevocation> {
  if (typeof input.token !== "string" || input.token.length > 8192 || !JWS.test(input.token)) return { signed: false };
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(input.token, createLocalJWKSet(input.jwks as Parameters<typeof createLocalJWKSet>[0]), { issuer: input.issuer, typ: "at+jwt", algorithms: [input.algorithm] }));
  } catch {
    return { signed: false };
  }
  const grantId = payload[GRANT_CLAIM];
  if (payload.client_id !== input.clientId || typeof grantId !== "string" || grantId === "") return { signed: true };
  await revokeGrant(input.store, grantId);
  return { signed: true, grantId };
}
