import { AuthError } from "../errors.js";

/** RFC 7662 makes `iss` optional; when the response has one, it must be exactly the configured issuer. */
export function checkIssuerIfPresent(response: Readonly<Record<string, unknown>>, expected: string): void {
  if (response.iss !== undefined && response.iss !== expected) throw new AuthError("invalid_token", 'The token\'s "iss" is not the expected issuer');
}
