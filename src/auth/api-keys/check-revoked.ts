import type { ApiKeyMetadata } from "../../store/types.js";
import { AuthError } from "../errors.js";

/** Revoked at any time, even a moment ago (revocation takes effect at once: nothing is cached). */
export function isRevoked(key: ApiKeyMetadata): boolean {
  return key.revokedAt !== undefined;
}

export function checkNotRevoked(key: ApiKeyMetadata): void {
  if (isRevoked(key)) throw new AuthError("revoked_credentials", "API key has been revoked");
}
