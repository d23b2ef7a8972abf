import { ApiKeyAdminError } from "./errors.js";

/** The roles an API key may carry (authorization maps each to its permissions). */
export const API_KEY_ROLES = ["viewer", "editor", "admin"] as const;
export type ApiKeyRole = (typeof API_KEY_ROLES)[number];

export function isApiKeyRole(value: string): value is ApiKeyRole {
  return (API_KEY_ROLES as readonly string[]).includes(value);
}

export function parseRole(value: string): ApiKeyRole {
  if (!isApiKeyRole(value)) throw new ApiKeyAdminError("invalid_role", `unknown role ${JSON.stringify(value)}: expected one of ${API_KEY_ROLES.join(", ")}`);
  return value;
}
