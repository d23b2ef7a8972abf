import { timingSafeEqual } from "node:crypto";

/**
 * Compares two digests in time that depends only on their length (crypto.timingSafeEqual). Both are
 * SHA-256 digests in practice; a length mismatch (a corrupt row) is simply unequal, decided before
 * any byte is compared, and says nothing about the secret.
 */
export function digestsEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length || a.length === 0) return false;
  return timingSafeEqual(a, b);
}
