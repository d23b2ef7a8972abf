import { AuthError } from "../errors.js";

/** No extension is understood, so any `crit` header (even an empty list) is refused (RFC 7515 §4.1.11). */
export function checkNoCriticalHeaders(header: Readonly<Record<string, unknown>>): void {
  if (Object.hasOwn(header, "crit")) throw new AuthError("invalid_token", 'The token has a "crit" header this gateway does not understand');
}
