import { createHash } from "node:crypto";
import type { Authenticator } from "../credentials.js";
import { AuthError } from "../errors.js";
import { checkAudience } from "../jwt/check-audience.js";
import { checkExpiry } from "../jwt/check-expiry.js";
import { checkIssuedAt } from "../jwt/check-issued-at.js";
import { checkNotBefore } from "../jwt/check-not-before.js";
import { checkSubject } from "../jwt/check-subject.js";
import { mapClaims } from "../jwt/claim-mapping.js";
import type { Principal } from "../principal.js";
import { createMemoryIntrospectionCache, type IntrospectionCache, type IntrospectionOutcome } from "./cache.js";
import { checkActive } from "./check-active.js";
import { checkIssuerIfPresent } from "./check-issuer-if-present.js";
import { checkTokenType } from "./check-token-type.js";
import { createIntrospectionClient } from "./client.js";
import type { IntrospectionConfig } from "./config.js";

export interface IntrospectionAuthenticatorOptions extends IntrospectionConfig {
  /** This gateway's resource URI (RFC 8707): the audience unless `audience` is set. */
  resource: string;
  /** Where answers are kept (default: in memory, `cacheMaxEntries`). */
  cache?: IntrospectionCache;
  fetch?: typeof fetch;
}

/**
 * Opaque bearer tokens, checked with the authorization server's introspection endpoint
 * (RFC 7662) -> Principal `introspection:<issuer>#<sub>`. The answer must say `active: true`
 * and pass the same iss / aud / exp / nbf / iat checks as a JWT. Answers are cached by token
 * hash: an active one until the token's `exp` or `cacheMaxTtl`, whichever comes first (and the
 * time checks run again on every use); a refusal for `negativeCacheTtl`. An endpoint that cannot
 * answer is never cached. Concurrent requests with one token share one introspection.
 */
export function createIntrospectionAuthenticator(options: IntrospectionAuthenticatorOptions): Authenticator {
  const introspect = createIntrospectionClient({
    endpoint: options.endpoint,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    clientAuthMethod: options.clientAuthMethod,
    timeout: options.timeout,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const cache = options.cache ?? createMemoryIntrospectionCache(options.cacheMaxEntries);
  const audience = options.audience ?? options.resource;
  const inFlight = new Map<string, Promise<IntrospectionOutcome>>();

  function judgeTimes(claims: Readonly<Record<string, unknown>>, now: number): number | undefined {
    const expiresAt = claims.exp === undefined && !options.requireExpiry ? undefined : checkExpiry(claims, now, options.clockSkew);
    checkNotBefore(claims, now, options.clockSkew);
    checkIssuedAt(claims, now, options.clockSkew);
    return expiresAt;
  }

  function judge(response: Readonly<Record<string, unknown>>, now: number): number | undefined {
    checkActive(response);
    checkTokenType(response);
    checkIssuerIfPresent(response, options.issuer);
    if (options.requireAudience || response.aud !== undefined) checkAudience(response, audience);
    const expiresAt = judgeTimes(response, now);
    checkSubject(response);
    return expiresAt;
  }

  async function introspectAndJudge(key: string, token: string, now: number): Promise<IntrospectionOutcome> {
    const response = await introspect(token);
    let outcome: IntrospectionOutcome;
    let cacheUntil: number;
    try {
      const expiresAt = judge(response, now);
      outcome = { active: true, claims: response };
      cacheUntil = Math.min(now + options.cacheMaxTtl, expiresAt ?? Number.POSITIVE_INFINITY);
    } catch (error) {
      if (!(error instanceof AuthError)) throw error;
      outcome = { active: false, code: error.code, message: error.message };
      cacheUntil = now + options.negativeCacheTtl;
    }
    if (cacheUntil > now) cache.set(key, outcome, cacheUntil);
    return outcome;
  }

  return {
    kinds: ["bearer"],
    accepts: (credential) => credential.kind === "bearer",
    async authenticate(credential, context): Promise<Principal> {
      if (credential.kind !== "bearer") throw new AuthError("invalid_token", "Not a bearer token");
      const now = context.now;
      const key = createHash("sha256").update(credential.token).digest("base64url");
      let outcome = cache.get(key, now);
      if (!outcome) {
        let pending = inFlight.get(key);
        if (!pending) {
          pending = introspectAndJudge(key, credential.token, now).finally(() => inFlight.delete(key));
          inFlight.set(key, pending);
        }
        outcome = await pending;
      }
      if (!outcome.active) throw new AuthError(outcome.code, outcome.message);
      const claims = outcome.claims;
      const expiresAt = judgeTimes(claims, now);
      const subject = checkSubject(claims);
      const mapped = mapClaims(claims, options.claims);
      const principal: Principal = {
        id: `introspection:${options.issuer}#${subject}`,
        method: "introspection",
        roles: mapped.roles,
        scopes: mapped.scopes,
        attributes: { ...mapped.attributes, issuer: options.issuer, subject },
        authenticatedAt: now,
        ...(expiresAt !== undefined ? { expiresAt } : {}),
        ...(mapped.mfaAt !== undefined ? { mfaAt: mapped.mfaAt } : {}),
        ...(typeof claims.jti === "string" && claims.jti.length <= 256 ? { credentialId: claims.jti } : {}),
      };
      return Object.freeze(principal);
    },
  };
}
