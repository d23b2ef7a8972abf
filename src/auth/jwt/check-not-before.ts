import { AuthError } from "../errors.js";
import { numericDateClaim } from "./numeric-date.js";

/** If `nbf` is present, now (plus the skew) must not be before it. `now` and `skew` in ms. */
export function checkNotBefore(claims: Readonly<Record<string, unknown>>, now: number, skew: number): void {
  const nbf = numericDateClaim(claims, "nbf");
  if (nbf !== undefined && now + skew < nbf * 1000) throw new AuthError("invalid_token", "The token is not valid yet");
}
