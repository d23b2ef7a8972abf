import type { ApiKeyMetadata } from "../../store/types.js";
import { isExpired } from "./check-expired.js";
import { isRevoked } from "./check-revoked.js";
import { isRotatedOut } from "./check-rotated-out.js";

/**
 * A key's state at a moment, from the same checks authentication uses:
 *   active    authenticates
 *   rotating  replaced by rotation, still authenticates until its overlap ends
 *   rotated   replaced by rotation, overlap over: refused
 *   expired   refused
 *   revoked   refused
 */
export type ApiKeyStatus = "active" | "rotating" | "rotated" | "expired" | "revoked";

export function apiKeyStatus(key: ApiKeyMetadata, now: number): ApiKeyStatus {
  if (isRevoked(key)) return "revoked";
  if (isRotatedOut(key, now)) return "rotated";
  if (isExpired(key, now)) return "expired";
  if (key.replacedById !== undefined) return "rotating";
  return "active";
}

/** The instant the key stops authenticating, if it will: its expiry, or the end of its overlap. */
export function apiKeyValidUntil(key: ApiKeyMetadata): number | undefined {
  const ends = [key.expiresAt, key.replacedById !== undefined ? key.overlapUntil : undefined].filter((t): t is number => t !== undefined);
  return ends.length === 0 ? undefined : Math.min(...ends);
}
