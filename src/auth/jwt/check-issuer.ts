import { AuthError } from "../errors.js";

/** `iss` must be exactly the configured issuer: no normalization, no trailing-slash leniency. */
export function checkIssuer(claims: Readonly<Record<string, unknown>>, expected: string): void {
  if (claims.iss !== expected) throw new AuthError("invalid_token", 'The token\'s "iss" is not the expected issuer');
}
