import { ApiKeyAdminError } from "./errors.js";

/** An OAuth scope token (RFC 6749 section 3.3: printable ASCII but space, '"' and '\'), without ','. */
const SCOPE = /^[\x21\x23-\x2B\x2D-\x5B\x5D-\x7E]{1,128}$/;
export const MAX_SCOPES = 64;

/**
 * Scopes from a comma-separated list ("a,b") or an array: each an RFC 6749 scope token without
 * commas, at most 128 characters, at most 64 of them; duplicates dropped, order kept.
 */
export function parseScopes(input: string | readonly string[] | undefined): string[] {
  if (input === undefined) return [];
  const items = typeof input === "string" ? (input.trim() === "" ? [] : input.split(",").map((s) => s.trim())) : [...input];
  const scopes: string[] = [];
  for (const item of items) {
    if (typeof item !== "string" || !SCOPE.test(item)) {
      throw new ApiKeyAdminError(
        "invalid_scopes",
        `invalid scope ${JSON.stringify(String(item).slice(0, 40))}: a scope is 1 to 128 printable ASCII characters without spaces, quotes, backslashes or commas`,
      );
    }
    if (!scopes.includes(item)) scopes.push(item);
  }
  if (scopes.length > MAX_SCOPES) throw new ApiKeyAdminError("invalid_scopes", `too many scopes (${scopes.length}); at most ${MAX_SCOPES}`);
  return scopes;
}
