import type { z } from "zod";
import { authorizationServerConfigSchema, resolveAuthorizationServerConfig, type AuthorizationServerConfig } from "../auth/server/config.js";

/**
 * The built-in OAuth 2.1 authorization server (issue 4, "the embedded default"), as the gateway
 * mounts it: on the gateway's own listener under `<resource origin>/oauth`, issuing tokens for
 * this gateway's resource, trusted by the gateway as a JWT issuer and listed in its Protected
 * Resource Metadata.
 *
 * The `authorizationServer` section of the config file is src/auth/server's own schema
 * (authorizationServerConfigSchema), plus `enabled`, with `issuer` and `resources` optional:
 *   issuer     default `<origin of auth.resource>/oauth` (the listen origin unless auth.resource says otherwise)
 *   resources  default one: auth.resource, with auth.scopesSupported (else ["mcp"]) as its scopes
 *   enabled    default: on unless an external issuer is configured (auth.jwt, auth.introspection or
 *              auth.authorizationServers), so a team without an identity provider gets one.
 */

/** Scopes of the gateway's resource when auth.scopesSupported names none. */
export const DEFAULT_RESOURCE_SCOPES = ["mcp"] as const;

/** The issuer's path on the gateway's origin. */
export const EMBEDDED_ISSUER_PATH = "/oauth";

/** The section as validated at load: everything but `enabled`, issuer and resources possibly absent. */
export interface EmbeddedAuthorizationServerSettings {
  readonly section: Readonly<Record<string, unknown>>;
}

/** The issuer when the section names none. */
export function defaultIssuerFor(resource: string): string {
  return `${new URL(resource).origin}${EMBEDDED_ISSUER_PATH}`;
}

/**
 * The input the authorization server's schema gets: the section with issuer and resources filled
 * in. `routeResources` are the gateway's other MCP endpoints' resources (/servers/NAME/mcp, see
 * src/auth/route-resources.ts): by default tokens can be had for each of them too.
 */
function inputFor(section: Readonly<Record<string, unknown>>, resource: string, scopesSupported: readonly string[] | undefined, routeResources: readonly string[] = []): Record<string, unknown> {
  const scopes = scopesSupported !== undefined && scopesSupported.length > 0 ? [...scopesSupported] : [...DEFAULT_RESOURCE_SCOPES];
  return {
    ...section,
    issuer: section.issuer ?? defaultIssuerFor(resource),
    resources: section.resources ?? [...new Set([resource, ...routeResources])].map((uri) => ({ uri, scopes })),
  };
}

/** Validates the section against src/auth/server's schema (zod issues, paths relative to the section). */
export function checkEmbeddedAuthorizationServer(section: Readonly<Record<string, unknown>>, resource: string, scopesSupported: readonly string[] | undefined): z.core.$ZodIssue[] {
  const parsed = authorizationServerConfigSchema.safeParse(inputFor(section, resource, scopesSupported));
  if (!parsed.success) return parsed.error.issues;
  const resources = parsed.data.resources.map((r) => r.uri);
  if (!resources.includes(resource)) {
    return [{ code: "custom", path: ["resources"], message: `a list that includes this gateway's resource ${resource} (auth.resource)`, input: undefined } as z.core.$ZodIssue];
  }
  return [];
}

/** The authorization server's settings for a gateway whose resource URI is `resource` (now known). */
export function resolveEmbeddedAuthorizationServer(
  settings: EmbeddedAuthorizationServerSettings,
  resource: string,
  scopesSupported: readonly string[] | undefined,
  routeResources: readonly string[] = [],
): AuthorizationServerConfig {
  return resolveAuthorizationServerConfig(authorizationServerConfigSchema.parse(inputFor(settings.section, resource, scopesSupported, routeResources)));
}
