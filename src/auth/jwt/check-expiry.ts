import { AuthError } from "../errors.js";
import { numericDateClaim } from "./numeric-date.js";

/**
 * `exp` is required, and now must be before it (plus the skew). Returns the expiry in ms.
 * `now` and `skew` are in milliseconds.
 */
export function checkExpiry(claims: Readonly<Record<string, unknown>>, now: number, skew: number): number {
  const exp = numericDateClaim(claims, "exp");
  if (exp === undefined) throw new AuthError("invalid_token", 'The token has no "exp"');
  const expiresAt = exp * 1000;
  if (now >= expiresAt + skew) throw new AuthError("expired_credentials", "The token has expired");
  return expiresAt;
}
