import { AuthError } from "../errors.js";

/**
 * `aud` must name this resource (RFC 8707, RFC 9068 §4): a string equal to it, or a list of
 * strings containing it. Missing, empty, or of any other type is refused; a token for another
 * resource is refused.
 */
export function checkAudience(claims: Readonly<Record<string, unknown>>, expected: string): void {
  const aud = claims.aud;
  if (typeof aud === "string") {
    if (aud === expected) return;
  } else if (Array.isArray(aud)) {
    if (aud.every((value) => typeof value === "string") && aud.includes(expected)) return;
  } else if (aud === undefined) {
    throw new AuthError("invalid_token", 'The token has no "aud"');
  }
  throw new AuthError("invalid_token", 'The token\'s "aud" does not name this resource');
}
