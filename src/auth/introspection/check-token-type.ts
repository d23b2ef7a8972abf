import { AuthError } from "../errors.js";

/** Token types that are access tokens usable as bearer tokens. */
const BEARER_ACCESS_TOKEN_TYPES = new Set(["bearer", "access_token", "urn:ietf:params:oauth:token-type:access_token"]);

/**
 * If the response names a `token_type`, it must be a bearer access token: a refresh token, an ID
 * token, or a sender-constrained (DPoP) token presented as a bearer token is refused.
 */
export function checkTokenType(response: Readonly<Record<string, unknown>>): void {
  const type = response.token_type;
  if (type === undefined) return;
  if (typeof type !== "string" || !BEARER_ACCESS_TOKEN_TYPES.has(type.toLowerCase())) {
    throw new AuthError("invalid_token", "The token is not a bearer access token");
  }
}
