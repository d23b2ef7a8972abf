import type { ApiKeyMetadata } from "../../store/types.js";
import { AuthError } from "../errors.js";

/** Replaced by rotation and past its overlap (valid while now < overlapUntil, then never again). */
export function isRotatedOut(key: ApiKeyMetadata, now: number): boolean {
  if (key.replacedById === undefined) return false;
  return key.overlapUntil === undefined || now >= key.overlapUntil;
}

export function checkNotRotatedOut(key: ApiKeyMetadata, now: number): void {
  if (isRotatedOut(key, now)) throw new AuthError("revoked_credentials", "API key was replaced by rotation and its overlap has ended");
}
