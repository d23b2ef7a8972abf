import { ApiKeyAdminError } from "./errors.js";

export const MAX_NAME_LENGTH = 128;
// Control characters (C0, DEL, C1) and the bidirectional overrides that can disguise text in a terminal.
const UNSAFE = /[\p{Cc}\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * A key's name: what the operator calls it, shown in `keys list`. Any text (quotes and SQL are
 * fine: it is only ever a bound parameter) but no control characters or direction overrides that
 * could rewrite a terminal, 1 to 128 characters, not blank. Stored as given.
 */
export function parseKeyName(value: string): string {
  if (typeof value !== "string" || value.trim() === "") throw new ApiKeyAdminError("invalid_name", "a key name must not be empty");
  if ([...value].length > MAX_NAME_LENGTH) throw new ApiKeyAdminError("invalid_name", `a key name is at most ${MAX_NAME_LENGTH} characters`);
  if (UNSAFE.test(value)) throw new ApiKeyAdminError("invalid_name", "a key name must not contain control characters");
  if (LONE_SURROGATE.test(value)) throw new ApiKeyAdminError("invalid_name", "a key name must be well-formed Unicode");
  return value;
}
