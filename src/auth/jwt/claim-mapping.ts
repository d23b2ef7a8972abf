import type { ClaimPath } from "./config-values.js";
import type { ClaimMapping } from "./config.js";

/** What a token's claims say about its holder, for the Principal. */
export interface MappedClaims {
  roles: string[];
  scopes: string[];
  attributes: Record<string, string | string[]>;
  /** When the holder last completed MFA (ms), if the claims say so. */
  mfaAt?: number;
}

/** Bounds on what claims may put into a Principal. */
const MAX_VALUES = 256;
const MAX_VALUE_LENGTH = 256;
/** Attribute names that would reach the object's prototype if assigned. */
const UNSAFE_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/** The value at a claim path: a top-level name (which may itself contain dots), or a path of names through objects. */
export function claimAt(claims: Readonly<Record<string, unknown>>, path: ClaimPath): unknown {
  const names = typeof path === "string" ? [path] : path;
  let value: unknown = claims;
  for (const name of names) {
    if (typeof value !== "object" || value === null || Array.isArray(value) || !Object.hasOwn(value, name)) return undefined;
    value = (value as Record<string, unknown>)[name];
  }
  return value;
}

/** A claim's value as a list of strings: a string is one value, a list keeps its string members; anything else is nothing. */
function stringsOf(value: unknown): string[] {
  const list = typeof value === "string" ? [value] : Array.isArray(value) ? value : [];
  return list.filter((item): item is string => typeof item === "string" && item !== "" && item.length <= MAX_VALUE_LENGTH).slice(0, MAX_VALUES);
}

/** Scopes from `scope` (space-separated, RFC 8693 / RFC 9068) and `scp` (a list, or space-separated). */
export function scopesOf(claims: Readonly<Record<string, unknown>>): string[] {
  const scopes = new Set<string>();
  for (const name of ["scope", "scp"]) {
    const value = claims[name];
    const items = typeof value === "string" ? value.split(" ") : Array.isArray(value) ? value : [];
    for (const item of items) {
      if (typeof item === "string" && item !== "" && item.length <= MAX_VALUE_LENGTH && scopes.size < MAX_VALUES) scopes.add(item);
    }
  }
  return [...scopes];
}

function unique(values: Iterable<string>): string[] {
  return [...new Set(values)];
}

/** Applies an issuer's claim mapping: roles, groups, tenant, extra attributes, scopes, MFA time. */
export function mapClaims(claims: Readonly<Record<string, unknown>>, mapping: ClaimMapping): MappedClaims {
  const claimed = mapping.roles.flatMap((path) => stringsOf(claimAt(claims, path)));
  const roleMap = mapping.roleMap;
  const mappedRoles = roleMap ? claimed.flatMap((value) => (Object.hasOwn(roleMap, value) ? roleMap[value]! : [])) : claimed;
  const roles = unique([...mapping.defaultRoles, ...mappedRoles]).slice(0, MAX_VALUES);

  const attributes: Record<string, string | string[]> = {};
  for (const [name, path] of Object.entries(mapping.attributes)) {
    if (UNSAFE_KEYS.has(name)) continue;
    const value = claimAt(claims, path);
    if (typeof value === "string" && value !== "" && value.length <= MAX_VALUE_LENGTH) attributes[name] = value;
    else if (Array.isArray(value)) attributes[name] = stringsOf(value);
  }
  const groups = unique(mapping.groups.flatMap((path) => stringsOf(claimAt(claims, path))));
  if (groups.length > 0) attributes.groups = groups;
  if (mapping.tenant !== undefined) {
    const [tenant] = stringsOf(claimAt(claims, mapping.tenant));
    if (tenant !== undefined) attributes.tenant = tenant;
  }
  const clientId = typeof claims.client_id === "string" ? claims.client_id : typeof claims.azp === "string" ? claims.azp : undefined;
  if (clientId !== undefined && clientId.length <= MAX_VALUE_LENGTH) attributes.client_id = clientId;

  const result: MappedClaims = { roles, scopes: scopesOf(claims), attributes };
  const amr = stringsOf(claims.amr);
  if (typeof claims.auth_time === "number" && Number.isFinite(claims.auth_time) && amr.some((value) => mapping.mfaAmrValues.includes(value))) {
    result.mfaAt = claims.auth_time * 1000;
  }
  return result;
}
