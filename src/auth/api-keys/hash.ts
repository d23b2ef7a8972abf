import { createHash } from "node:crypto";

/**
 * How a key is stored: SHA-256 of the whole key (prefix, public id and secret), 32 bytes.
 *
 * Why a plain fast hash, with no pepper and no slow KDF: the secret is 256 bits from
 * crypto.randomBytes, so there is no dictionary to try and 2^256 guesses to make; slow hashes and
 * peppers exist to protect low-entropy passwords from offline guessing, which cannot happen here.
 * A slow hash would instead cost CPU on every request (a denial-of-service lever on the hot path),
 * and a pepper would be one more secret every replica must share, whose loss or rotation silently
 * invalidates every key. The database alone (a stolen backup) yields no usable key either way.
 * Hashing the whole key binds the digest to its public id, so a row's hash cannot be moved to
 * another id. The scheme is stored per key ("sha256") so a later scheme can be added beside it.
 */
export const HASH_SCHEME = "sha256";
export const DIGEST_BYTES = 32;

export function hashApiKey(key: string): Buffer {
  return createHash("sha256").update(key, "utf8").digest();
}
