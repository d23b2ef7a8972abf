import { AuthError } from "../errors.js";

/** `typ` values a JWT access token may have when `at+jwt` is not required (RFC 7519 §5.1, RFC 9068 §2.1). */
const ACCESS_TOKEN_OR_GENERIC = new Set(["jwt", "at+jwt"]);

/** The media type a `typ` names, lower-cased, without the optional "application/" prefix (RFC 7515 §4.1.9). */
function mediaTypeOf(typ: string): string {
  const lower = typ.toLowerCase();
  return lower.startsWith("application/") ? lower.slice("application/".length) : lower;
}

/**
 * With `requireAtJwt`, `typ` must be `at+jwt` (RFC 9068). Without it, `typ` may be absent, `JWT`
 * or `at+jwt`; any other explicit type (`dpop+jwt`, `logout+jwt`, `secevent+jwt`, ...) is a JWT
 * made for something else and is refused (RFC 8725 §3.11).
 */
export function checkType(header: Readonly<Record<string, unknown>>, requireAtJwt: boolean): void {
  const typ = header.typ;
  if (typ === undefined) {
    if (requireAtJwt) throw new AuthError("invalid_token", 'The token\'s "typ" must be "at+jwt"');
    return;
  }
  if (typeof typ !== "string") throw new AuthError("invalid_token", 'The token\'s "typ" is not a string');
  const type = mediaTypeOf(typ);
  if (requireAtJwt ? type !== "at+jwt" : !ACCESS_TOKEN_OR_GENERIC.has(type)) {
    throw new AuthError("invalid_token", requireAtJwt ? 'The token\'s "typ" must be "at+jwt"' : 'The token\'s "typ" is not an access token type');
  }
}
