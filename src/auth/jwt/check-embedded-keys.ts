import { AuthError } from "../errors.js";

/** Header parameters that carry or point at a key (RFC 7515 §4.1.2-4.1.6). */
const KEY_BEARING_HEADERS = ["jku", "jwk", "x5u", "x5c"] as const;

/**
 * Keys come only from the issuer's configured JWKS. A token that carries its own key or a URL to
 * one (`jku`, `jwk`, `x5u`, `x5c`) is refused outright rather than ignored: no legitimate access
 * token from a configured issuer needs them, and refusing cannot be got wrong later.
 */
export function checkNoEmbeddedKeys(header: Readonly<Record<string, unknown>>): void {
  for (const name of KEY_BEARING_HEADERS) {
    if (Object.hasOwn(header, name)) throw new AuthError("invalid_token", `The token carries a "${name}" header; keys come only from the issuer's JWKS`);
  }
}
