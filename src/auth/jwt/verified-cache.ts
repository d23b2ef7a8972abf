import { createHash } from "node:crypto";
import type { VerificationKey } from "./key-set.js";

/**
 * Tokens whose signature was verified, so a client sending the same bearer token on every request
 * pays the signature check once (an ES256 verify costs ~150 us of CPU; a hit costs a SHA-256).
 *
 * Safe by construction:
 *   - keyed by SHA-256 of the whole token: any other token (a changed byte anywhere, a shared
 *     prefix) is another key; the token itself is not kept;
 *   - an entry remembers the key object that verified it, and is used only while the issuer's key
 *     set still yields that very object for the token (a refetched or rotated JWKS yields new key
 *     objects: the entry is dropped and the token verified afresh);
 *   - the last token and its digest are kept to spare hashing it twice per request (one token
 *     in memory, as the request itself holds it);
 *   - it holds only what does not depend on time: exp, nbf and iat are checked again on every
 *     hit, by the same checks, and an entry never outlives the token's exp (plus the skew);
 *   - bounded: the oldest entries go first.
 */
export interface VerifiedEntry<T> {
  readonly key: VerificationKey;
  /** Until when (ms) the entry may be used: the token's exp plus the clock skew. */
  readonly usableUntil: number;
  readonly value: T;
}

export interface VerifiedTokenCache<T> {
  /** The entry for `token`, unless it is past `usableUntil` at `now` (then it is dropped). */
  get(token: string, now: number): VerifiedEntry<T> | undefined;
  /** Whether `token` has an entry (however old): a token of a trusted issuer, verified once. */
  has(token: string): boolean;
  set(token: string, entry: VerifiedEntry<T>): void;
  delete(token: string): void;
  readonly size: number;
}

export const DEFAULT_VERIFIED_CACHE_ENTRIES = 10_000;

export function createVerifiedTokenCache<T>(maxEntries = DEFAULT_VERIFIED_CACHE_ENTRIES): VerifiedTokenCache<T> {
  if (!(Number.isInteger(maxEntries) && maxEntries >= 0)) throw new RangeError("maxEntries must be a whole number >= 0");
  const entries = new Map<string, VerifiedEntry<T>>();
  // A request's token is looked up twice (routing, then verifying): the last digest is reused.
  let lastToken = "";
  let lastDigest = "";
  const digestOf = (token: string): string => {
    if (token !== lastToken) {
      lastDigest = createHash("sha256").update(token).digest("base64url");
      lastToken = token;
    }
    return lastDigest;
  };
  return {
    get(token, now) {
      if (maxEntries === 0) return undefined;
      const digest = digestOf(token);
      const entry = entries.get(digest);
      if (entry === undefined) return undefined;
      if (now >= entry.usableUntil) {
        entries.delete(digest);
        return undefined;
      }
      return entry;
    },
    has(token) {
      return maxEntries > 0 && entries.has(digestOf(token));
    },
    set(token, entry) {
      if (maxEntries === 0) return;
      const digest = digestOf(token);
      entries.delete(digest);
      while (entries.size >= maxEntries) {
        const oldest = entries.keys().next().value;
        if (oldest === undefined) break;
        entries.delete(oldest);
      }
      entries.set(digest, entry);
    },
    delete(token) {
      entries.delete(digestOf(token));
    },
    get size() {
      return entries.size;
    },
  };
}
