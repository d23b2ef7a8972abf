import { AuthError } from "../errors.js";
import { numericDateClaim } from "./numeric-date.js";

/**
 * If `iat` is present it must not be in the future (beyond the skew). With `maxAge`, `iat` is
 * required and the token must be younger than that. `now`, `skew` and `maxAge` in ms.
 */
export function checkIssuedAt(claims: Readonly<Record<string, unknown>>, now: number, skew: number, maxAge?: number): void {
  const iat = numericDateClaim(claims, "iat");
  if (iat === undefined) {
    if (maxAge !== undefined) throw new AuthError("invalid_token", 'The token has no "iat"');
    return;
  }
  const issuedAt = iat * 1000;
  if (issuedAt > now + skew) throw new AuthError("invalid_token", "The token was issued in the future");
  if (maxAge !== undefined && now - issuedAt > maxAge + skew) throw new AuthError("expired_credentials", "The token is too old");
}
