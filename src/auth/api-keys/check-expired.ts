import type { ApiKeyMetadata } from "../../store/types.js";
import { AuthError } from "../errors.js";

/** Expired from the instant `expiresAt` (valid while now < expiresAt). No clock skew: the clock is ours. */
export function isExpired(key: ApiKeyMetadata, now: number): boolean {
  return key.expiresAt !== undefined && now >= key.expiresAt;
}

export function checkNotExpired(key: ApiKeyMetadata, now: number): void {
  if (isExpired(key, now)) throw new AuthError("expired_credentials", "API key has expired");
}
