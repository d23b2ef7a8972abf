import type { JWSHeaderParameters } from "jose";
import { AuthError } from "../errors.js";
import { checkAlgorithm } from "./check-algorithm.js";
import { checkAudience } from "./check-audience.js";
import { checkNoCriticalHeaders } from "./check-critical.js";
import { checkNoEmbeddedKeys } from "./check-embedded-keys.js";
import { checkExpiry } from "./check-expiry.js";
import { checkIssuedAt } from "./check-issued-at.js";
import { checkIssuer } from "./check-issuer.js";
import { checkNotBefore } from "./check-not-before.js";
import { checkSubject } from "./check-subject.js";
import { checkType } from "./check-type.js";
import { decodeCompactJws } from "./compact.js";
import type { JwtIssuerConfig } from "./config.js";
import { createStaticKeySet, type KeySet } from "./key-set.js";
import { createRemoteKeySet } from "./remote-key-set.js";
import { verifySignature } from "./verify-signature.js";
import { createVerifiedTokenCache, DEFAULT_VERIFIED_CACHE_ENTRIES } from "./verified-cache.js";

export interface JwtVerifierOptions {
  /** Trusted issuers (parsed by `jwtIssuerSchema`). */
  issuers: readonly JwtIssuerConfig[];
  /** This gateway's resource URI (RFC 8707): the audience unless an issuer names its own. */
  resource: string;
  /** Clock for the key caches (ms since the epoch); default Date.now. */
  now?: () => number;
  /** Fetch used for JWKS (default: global fetch). */
  fetch?: typeof fetch;
  /** Verified tokens remembered (verified-cache.ts), so a repeated token skips the signature check; 0: none. */
  verifiedCacheEntries?: number;
}

/** A token whose signature and claims have been verified. */
export interface VerifiedJwt {
  readonly issuer: JwtIssuerConfig;
  readonly header: Readonly<Record<string, unknown>>;
  readonly claims: Readonly<Record<string, unknown>>;
  readonly subject: string;
  /** From `exp`, in ms. */
  readonly expiresAt: number;
}

export interface JwtVerifier {
  /** Verifies `token` at time `now` (ms); throws AuthError. */
  verify(token: string, now: number): Promise<VerifiedJwt>;
  /** Whether `issuer` is one of the configured issuers (exact match). */
  trusts(issuer: unknown): boolean;
  /** Verified tokens remembered now (verified-cache.ts). */
  readonly cachedTokens: number;
  /** Whether this very token was verified before (so its issuer is trusted); it is still verified again. */
  remembers(token: string): boolean;
}

interface TrustedIssuer {
  config: JwtIssuerConfig;
  algorithms: ReadonlySet<string>;
  audience: string;
  keys: KeySet;
}

/**
 * The bearer JWT verifier. Checks, in order, each in its own module:
 *   structure (compact JWS, JSON header and payload)  compact.ts
 *   no crit header                                    check-critical.ts
 *   no jku / jwk / x5u / x5c header                   check-embedded-keys.ts
 *   typ                                               check-type.ts
 *   issuer trusted (by the unverified iss)            here: only to choose the keys
 *   alg in the issuer's asymmetric allow-list         check-algorithm.ts
 *   key from the issuer's JWKS, by kid                key-set.ts, remote-key-set.ts
 *   signature                                         verify-signature.ts
 *   then, on the verified payload: iss exact, aud, exp (required), nbf, iat, sub.
 * Claims are judged only after the signature verifies, so a forged token learns nothing.
 * A token that passed is remembered (verified-cache.ts): the same token again skips the signature
 * while its issuer still yields the same key; exp, nbf and iat are checked every time.
 */
export function createJwtVerifier(options: JwtVerifierOptions): JwtVerifier {
  const issuers = new Map<string, TrustedIssuer>();
  for (const config of options.issuers) {
    const keys = config.jwksUri !== undefined
      ? createRemoteKeySet({
          url: config.jwksUri,
          cacheMaxAge: config.jwksCacheMaxAge,
          cooldown: config.jwksCooldown,
          timeout: config.jwksTimeout,
          ...(options.now ? { now: options.now } : {}),
          ...(options.fetch ? { fetch: options.fetch } : {}),
        })
      : createStaticKeySet(config.jwks);
    issuers.set(config.issuer, { config, algorithms: new Set(config.algorithms), audience: config.audience ?? options.resource, keys });
  }
  const verified = createVerifiedTokenCache<{ trusted: TrustedIssuer; result: VerifiedJwt }>(options.verifiedCacheEntries ?? DEFAULT_VERIFIED_CACHE_ENTRIES);

  /** The checks that depend on the time: run on every verification, cached or not. */
  const checkTimes = (claims: Readonly<Record<string, unknown>>, trusted: TrustedIssuer, now: number): number => {
    const skew = trusted.config.clockSkew;
    const expiresAt = checkExpiry(claims, now, skew);
    checkNotBefore(claims, now, skew);
    checkIssuedAt(claims, now, skew, trusted.config.maxTokenAge);
    return expiresAt;
  };

  return {
    trusts: (issuer) => typeof issuer === "string" && issuers.has(issuer),
    get cachedTokens() {
      return verified.size;
    },
    remembers: (token) => verified.has(token),
    async verify(token, now) {
      // This very token verified before: valid while the issuer's keys still give the same key.
      const hit = verified.get(token, now);
      if (hit !== undefined) {
        const { trusted, result } = hit.value;
        const header = result.header as JWSHeaderParameters;
        const key = trusted.keys.knownKey?.(header) ?? (await trusted.keys.getKey(header).catch(() => undefined));
        if (key === hit.key) {
          checkTimes(result.claims, trusted, now);
          return result;
        }
        verified.delete(token); // keys rotated or unavailable: verify from scratch (and refuse if it fails)
      }
      const { header, claims: unverified } = decodeCompactJws(token);
      checkNoCriticalHeaders(header);
      checkNoEmbeddedKeys(header);
      if (header.kid !== undefined && (typeof header.kid !== "string" || header.kid === "")) {
        throw new AuthError("invalid_token", 'The token\'s "kid" is not a string');
      }
      const iss = unverified.iss;
      const trusted = typeof iss === "string" ? issuers.get(iss) : undefined;
      if (!trusted) throw new AuthError("invalid_token", "The token's issuer is not trusted");
      checkType(header, trusted.config.requireAtJwt);
      const algorithm = checkAlgorithm(header, trusted.algorithms);

      const key = await trusted.keys.getKey(header as JWSHeaderParameters);
      const payload = await verifySignature(token, key, algorithm);
      const claims = parseVerifiedClaims(payload);

      checkIssuer(claims, trusted.config.issuer);
      checkAudience(claims, trusted.audience);
      const expiresAt = checkTimes(claims, trusted, now);
      const subject = checkSubject(claims);
      const result: VerifiedJwt = Object.freeze({ issuer: trusted.config, header, claims: Object.freeze(claims), subject, expiresAt });
      verified.set(token, { key, usableUntil: expiresAt + trusted.config.clockSkew, value: { trusted, result } });
      return result;
    },
  };
}

function parseVerifiedClaims(payload: Uint8Array): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(payload));
  } catch {
    throw new AuthError("invalid_token", "The token's payload is not JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new AuthError("invalid_token", "The token's payload is not a JSON object");
  return value as Record<string, unknown>;
}
