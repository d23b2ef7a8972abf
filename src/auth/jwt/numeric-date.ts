import { AuthError } from "../errors.js";

/** A NumericDate claim (seconds since the epoch), or undefined if absent. Anything but a finite non-negative number is refused. */
export function numericDateClaim(claims: Readonly<Record<string, unknown>>, name: "exp" | "nbf" | "iat"): number | undefined {
  const value = claims[name];
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new AuthError("invalid_token", `The token's "${name}" is not a NumericDate`);
  }
  return value;
}
