import { createLocalJWKSet, errors, type JSONWebKeySet, type JWK, type JWSHeaderParameters } from "jose";
import { AuthError } from "../errors.js";

type LocalKeySet = ReturnType<typeof createLocalJWKSet>;

/** A public key ready to verify a signature (what jose's key lookup yields). */
export type VerificationKey = Awaited<ReturnType<LocalKeySet>>;

/** The keys an issuer signs with. `getKey` finds the one key for a token's header or throws. */
export interface KeySet {
  getKey(header: JWSHeaderParameters): Promise<VerificationKey>;
  /**
   * The key getKey would give for `header` right now, when that is known without waiting (no fetch
   * due or in flight, the same alg and kid as the last lookup); undefined: ask getKey. Spares a
   * verified token's repeat visit the promises and ticks of the asynchronous lookup.
   */
  knownKey?(header: JWSHeaderParameters): VerificationKey | undefined;
}

/**
 * The issuer's keys could not be had (network, HTTP status, not a JWKS). Not the caller's fault:
 * it is not counted as a failed authentication, but the request is still refused.
 */
export class KeySetUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "KeySetUnavailableError";
  }
}

/** Members of a JWK that only a private or secret key has. */
const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"] as const;

/**
 * Reads a JWKS document, keeping only public asymmetric keys: a symmetric (`oct`) key or a private
 * key in an issuer's JWKS is dropped, never used to verify. Throws if it is not a JWKS.
 */
export function publicKeysOf(document: unknown): JSONWebKeySet {
  if (typeof document !== "object" || document === null || Array.isArray(document)) throw new Error("not a JWKS: not a JSON object");
  const keys = (document as { keys?: unknown }).keys;
  if (!Array.isArray(keys)) throw new Error('not a JWKS: no "keys" list');
  const usable = keys.filter((key): key is JWK => {
    if (typeof key !== "object" || key === null || Array.isArray(key)) return false;
    const jwk = key as Record<string, unknown>;
    if (jwk.kty !== "RSA" && jwk.kty !== "EC" && jwk.kty !== "OKP") return false;
    return !PRIVATE_MEMBERS.some((member) => Object.hasOwn(jwk, member));
  });
  return { keys: usable };
}

/** Finds the key for a header in a parsed set, turning jose's lookup errors into refusals. */
export async function keyFromSet(local: LocalKeySet, header: JWSHeaderParameters): Promise<VerificationKey> {
  try {
    return await local(header);
  } catch (error) {
    if (error instanceof errors.JWKSNoMatchingKey) throw new AuthError("invalid_token", "No trusted key matches the token");
    if (error instanceof errors.JWKSMultipleMatchingKeys) throw new AuthError("invalid_token", 'Several trusted keys match the token; it must name one with "kid"');
    throw new AuthError("invalid_token", "The token's key cannot be used");
  }
}

/** A fixed set of keys from configuration. */
export function createStaticKeySet(document: unknown): KeySet {
  const local = createLocalJWKSet(publicKeysOf(document));
  return { getKey: (header) => keyFromSet(local, header) };
}
