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

export interface JwtVerifierOptions {
  /** Trusted issuers (parsed by `jwtIssuerSchema`). */
  issuers: readonly JwtIssuerConfig[];
  /** This gateway's resource URI (RFC 8707): the audience unless an issuer names its own. */
  resource: string;
  /** Clock for the key caches (ms since the epoch); default Date.now. */
  now?: () => number;
  /** Fetch used for JWKS (default: global fetch). */
  fetch?: typeof fetch;
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

  return {
    trusts: (issuer) => typeof issuer === "string" && issuers.has(issuer),
    async verify(token, now) {
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

      const skew = trusted.config.clockSkew;
      checkIssuer(claims, trusted.config.issuer);
      checkAudience(claims, trusted.audience);
      const expiresAt = checkExpiry(claims, now, skew);
      checkNotBefore(claims, now, skew);
      checkIssuedAt(claims, now, skew, trusted.config.maxTokenAge);
      const subject = checkSubject(claims);
      return { issuer: trusted.config, header, claims, subject, expiresAt };
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
