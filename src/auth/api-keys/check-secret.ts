import type { ApiKeyRecord } from "../../store/types.js";
import { AuthError } from "../errors.js";
import { digestsEqual } from "./digests-equal.js";
import { DIGEST_BYTES, HASH_SCHEME } from "./hash.js";

/** Compared against when no key has the presented id, so an unknown id costs the same as a wrong secret. */
const NO_SUCH_KEY_DIGEST = new Uint8Array(DIGEST_BYTES);

/**
 * The presented key's digest must equal the stored one (constant time). An unknown id, a wrong
 * secret and a digest in a scheme we do not know all fail the same way, with the same message:
 * the caller learns nothing about which ids exist. Only after this check may any other property
 * of the key (revoked, expired) be revealed, since only the key's holder gets past it.
 */
export function checkSecret(record: ApiKeyRecord | undefined, presentedDigest: Uint8Array): ApiKeyRecord {
  const stored = record?.secretHash ?? NO_SUCH_KEY_DIGEST;
  const equal = digestsEqual(stored, presentedDigest);
  if (record === undefined || !equal || record.hashScheme !== HASH_SCHEME) {
    throw new AuthError("unknown_credentials", "unknown API key");
  }
  return record;
}
