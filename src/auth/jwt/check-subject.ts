import { AuthError } from "../errors.js";

export const MAX_SUBJECT_LENGTH = 1024;

/** `sub` is required (RFC 9068 §2.2): a non-empty string, which names the principal. */
export function checkSubject(claims: Readonly<Record<string, unknown>>): string {
  const sub = claims.sub;
  if (typeof sub !== "string" || sub === "") throw new AuthError("invalid_token", 'The token has no "sub"');
  if (sub.length > MAX_SUBJECT_LENGTH) throw new AuthError("invalid_token", 'The token\'s "sub" is too long');
  return sub;
}
