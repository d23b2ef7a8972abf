import type { Authenticator, Credential } from "../credentials.js";
import { AuthError } from "../errors.js";
import type { Principal } from "../principal.js";
import { mapClaims, type MappedClaims } from "./claim-mapping.js";
import { decodeCompactJws, looksLikeCompactJws } from "./compact.js";
import { createJwtVerifier, type JwtVerifierOptions } from "./verifier.js";

export type JwtAuthenticatorOptions = JwtVerifierOptions;

/**
 * Bearer JWT access tokens from trusted issuers -> Principal `jwt:<iss>#<sub>`, with roles,
 * groups, tenant and scopes from the issuer's claim mapping.
 *
 * Takes bearer tokens shaped like a compact JWS whose (unverified) `iss` is a configured issuer,
 * or that cannot be read at all (so it refuses them). Any other bearer token - opaque, or a JWT
 * from an issuer not configured here - is left to the next authenticator (introspection), which
 * verifies it in its own way; the unverified `iss` only routes, it never grants anything.
 */
export function createJwtAuthenticator(options: JwtAuthenticatorOptions): Authenticator {
  const verifier = createJwtVerifier(options);
  // The verifier hands back the same frozen result for a token it remembers, and the mapping is a
  // pure function of its claims and issuer: mapped once per verified token, not once per request.
  const mappedOf = new WeakMap<object, Readonly<MappedClaims>>();
  const mapOnce = (verified: Awaited<ReturnType<typeof verifier.verify>>): Readonly<MappedClaims> => {
    let mapped = mappedOf.get(verified);
    if (mapped === undefined) {
      const fresh = mapClaims(verified.claims, verified.issuer.claims);
      mapped = Object.freeze({ ...fresh, roles: Object.freeze(fresh.roles) as string[], scopes: Object.freeze(fresh.scopes) as string[], attributes: Object.freeze(fresh.attributes) });
      mappedOf.set(verified, mapped);
    }
    return mapped;
  };
  return {
    kinds: ["bearer"],
    accepts: (credential: Credential) => {
      if (credential.kind !== "bearer") return false;
      // A token this verifier verified before came from a trusted issuer (and was shaped like a
      // compact JWS then, as the very same text is now): no need to look at it again to route it.
      if (verifier.remembers(credential.token)) return true;
      if (!looksLikeCompactJws(credential.token)) return false;
      try {
        return verifier.trusts(decodeCompactJws(credential.token).claims.iss);
      } catch {
        return true;
      }
    },
    async authenticate(credential, context): Promise<Principal> {
      if (credential.kind !== "bearer") throw new AuthError("invalid_token", "Not a bearer token");
      const verified = await verifier.verify(credential.token, context.now);
      const mapped = mapOnce(verified);
      const principal: Principal = {
        id: `jwt:${verified.issuer.issuer}#${verified.subject}`,
        method: "jwt",
        roles: mapped.roles,
        scopes: mapped.scopes,
        attributes: { ...mapped.attributes, issuer: verified.issuer.issuer, subject: verified.subject },
        authenticatedAt: context.now,
        expiresAt: verified.expiresAt,
        ...(mapped.mfaAt !== undefined ? { mfaAt: mapped.mfaAt } : {}),
        ...(typeof verified.claims.jti === "string" && verified.claims.jti.length <= 256 ? { credentialId: verified.claims.jti } : {}),
      };
      return Object.freeze(principal);
    },
  };
}
