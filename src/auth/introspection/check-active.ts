import { AuthError } from "../errors.js";

/** `active` must be the boolean true (RFC 7662 §2.2): "true", 1, or a missing member is not active. */
export function checkActive(response: Readonly<Record<string, unknown>>): void {
  if (response.active !== true) throw new AuthError("invalid_token", "The token is not active");
}
