import { compactVerify, errors } from "jose";
import { AuthError } from "../errors.js";
import type { VerificationKey } from "./key-set.js";

/**
 * Verifies the compact JWS's signature with `key`, for exactly the algorithm already checked
 * against the allow-list. Returns the signed payload bytes. Any failure (tampered signature, a
 * key of the wrong type for the algorithm, an RSA key under 2048 bits) is a refusal.
 */
export async function verifySignature(token: string, key: VerificationKey, algorithm: string): Promise<Uint8Array> {
  try {
    const { payload } = await compactVerify(token, key, { algorithms: [algorithm] });
    return payload;
  } catch (error) {
    if (error instanceof errors.JWSSignatureVerificationFailed) throw new AuthError("invalid_token", "The token's signature does not verify");
    throw new AuthError("invalid_token", "The token's signature cannot be verified");
  }
}
