import { z } from "zod";
import { AUTH_DURATION_EXPECTED, parseAuthDuration } from "./duration.js";

/**
 * The `authorizationServer` section of the config file: the built-in OAuth 2.1 authorization server.
 * Strict like the rest of the config (an unknown key is an error). `parseAuthorizationServerConfig`
 * turns a parsed section into the resolved settings (`AuthorizationServerConfig`, durations in ms).
 *
 *   authorizationServer:
 *     issuer: https://gateway.example.com/oauth      # from config only, never from Host headers
 *     resources:
 *       - uri: https://gateway.example.com/mcp       # access tokens' `aud` (RFC 8707)
 *         scopes: [mcp:tools, mcp:resources]
 *     clients:                                       # optional pre-registered clients
 *       - clientId: ci-robot
 *         clientSecret: ${CI_ROBOT_SECRET}
 *         grantTypes: [client_credentials]
 *         scope: mcp:tools
 *         roles: [automation]
 */

export const SIGNING_ALGORITHMS = ["ES256", "PS256", "RS256", "EdDSA"] as const;
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];

export const STATIC_GRANT_TYPES = ["authorization_code", "refresh_token", "client_credentials"] as const;
export type StaticGrantType = (typeof STATIC_GRANT_TYPES)[number];

/** RFC 6749 §3.3 scope-token: printable ASCII except space, `"` and `\`. */
export const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]{1,128}$/;
/** Scopes oidc-provider gives a meaning of its own; a resource must not reuse them. */
const RESERVED_SCOPES = new Set(["openid", "offline_access"]);

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "[::1]", "localhost"]);

const duration = (fallback: string) =>
  z
    .union([z.number(), z.string()], { error: AUTH_DURATION_EXPECTED })
    .default(fallback)
    .refine((v) => parseAuthDuration(v) !== undefined, { error: AUTH_DURATION_EXPECTED })
    .transform((v) => parseAuthDuration(v)!);

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/** https, or http on a loopback host (local use and tests); no query, no fragment, no credentials. */
function isServerUrl(value: string): boolean {
  const url = parseUrl(value);
  if (!url || url.username || url.password || url.search || url.hash || value.includes("#") || value.includes("?")) return false;
  if (url.protocol === "https:") return true;
  return url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname);
}

const issuerUrl = z
  .string({ error: "the issuer URL (https, or http on a loopback host)" })
  .refine(isServerUrl, { error: "an https URL (http only on 127.0.0.1, [::1] or localhost) without query or fragment" })
  .refine((v) => !v.endsWith("/"), { error: 'an issuer without a trailing "/" (clients compare it exactly)' });

const resourceUri = z
  .string({ error: "the resource URI (the gateway's MCP endpoint)" })
  .refine(isServerUrl, { error: "an https URL (http only on 127.0.0.1, [::1] or localhost) without query or fragment" });

const scopeToken = z
  .string({ error: "a scope (a string)" })
  .regex(SCOPE_TOKEN, { error: 'a scope token: printable ASCII without spaces, quotes or "\\"' })
  .refine((s) => !RESERVED_SCOPES.has(s), { error: '"openid" and "offline_access" are reserved' });

const positiveCount = (max: number) => z.number({ error: "a number" }).int({ error: "a whole number" }).min(1, { error: "at least 1" }).max(max, { error: `at most ${max}` });

const resourceSchema = z.strictObject(
  {
    uri: resourceUri,
    scopes: z.array(scopeToken, { error: "a list of scopes" }).min(1, { error: "at least one scope" }).max(64, { error: "at most 64 scopes" }),
    /** Scopes a request that names none gets (the MCP spec lets clients omit `scope`); defaults to all of `scopes`. */
    defaultScopes: z.array(scopeToken, { error: "a list of scopes" }).optional(),
  },
  { error: "an object { uri, scopes, defaultScopes }" },
);

const redirectUri = z.string({ error: "a redirect URI" }).refine((v) => {
  const url = parseUrl(v);
  return url !== undefined && !v.includes("#");
}, { error: "an absolute URI without a fragment" });

const staticClientSchema = z
  .strictObject(
    {
      clientId: z.string({ error: "a client id" }).regex(/^[A-Za-z0-9._~-]{1,128}$/, { error: "1 to 128 letters, digits, '.', '_', '~' or '-'" }),
      /** A confidential client's secret (at least 32 characters); none makes a public client (PKCE only). */
      clientSecret: z.string({ error: "a secret (a string)" }).min(32, { error: "at least 32 characters" }).max(512, { error: "at most 512 characters" }).optional(),
      name: z.string({ error: "a display name" }).min(1).max(128).optional(),
      redirectUris: z.array(redirectUri, { error: "a list of redirect URIs" }).max(16).default([]),
      grantTypes: z.array(z.enum(STATIC_GRANT_TYPES, { error: `one of ${STATIC_GRANT_TYPES.join(", ")}` })).min(1).default(["authorization_code", "refresh_token"]),
      /** Scopes this client may ask for (space-separated, like the OAuth parameter). */
      scope: z.string({ error: "space-separated scopes" }).optional(),
      /** Roles its client-credentials tokens carry (the `roles` claim). */
      roles: z.array(z.string().min(1).max(64), { error: "a list of role names" }).max(32).default([]),
    },
    { error: "an object { clientId, clientSecret, name, redirectUris, grantTypes, scope, roles }" },
  )
  .refine((c) => !c.grantTypes.includes("client_credentials") || c.clientSecret !== undefined, {
    error: "client_credentials needs a clientSecret (a public client cannot authenticate)",
  })
  .refine((c) => !c.grantTypes.includes("authorization_code") || c.redirectUris.length > 0, {
    error: "authorization_code needs at least one redirect URI",
  })
  .refine((c) => c.scope === undefined || c.scope.split(" ").every((s) => SCOPE_TOKEN.test(s)), { error: "scope: space-separated scope tokens" });

export const authorizationServerConfigSchema = z
  .strictObject(
    {
      issuer: issuerUrl,
      resources: z.array(resourceSchema, { error: "a list of resources { uri, scopes }" }).min(1, { error: "at least one resource" }).max(32),
      signingAlgorithm: z.enum(SIGNING_ALGORITHMS, { error: `one of ${SIGNING_ALGORITHMS.join(", ")}` }).default("ES256"),
      accessTokenTtl: duration("10m"),
      authorizationCodeTtl: duration("60s"),
      refreshTokenIdleTtl: duration("14d"),
      refreshTokenAbsoluteTtl: duration("90d"),
      interactionTtl: duration("10m"),
      sessionIdleTimeout: duration("30m"),
      sessionAbsoluteTimeout: duration("12h"),
      registration: z
        .strictObject(
          {
            enabled: z.boolean({ error: "true or false" }).default(true),
            /** If set, registration needs `Authorization: Bearer <this>` (RFC 7591 initial access token). */
            initialAccessToken: z.string({ error: "a token" }).min(32, { error: "at least 32 characters" }).optional(),
            maxClients: positiveCount(1_000_000).default(10_000),
          },
          { error: "an object { enabled, initialAccessToken, maxClients }" },
        )
        .default({ enabled: true, maxClients: 10_000 }),
      clientIdMetadataDocuments: z
        .strictObject(
          {
            enabled: z.boolean({ error: "true or false" }).default(true),
            /** Host names whose documents may be fetched; empty allows any public host. */
            allowedHosts: z.array(z.string().min(1).max(253), { error: "a list of host names" }).default([]),
            maxBytes: positiveCount(64 * 1024).default(5 * 1024),
            fetchTimeout: duration("3s"),
          },
          { error: "an object { enabled, allowedHosts, maxBytes, fetchTimeout }" },
        )
        .default({ enabled: true, allowedHosts: [], maxBytes: 5 * 1024, fetchTimeout: 3000 }),
      clients: z.array(staticClientSchema, { error: "a list of clients" }).max(1000).default([]),
      login: z
        .strictObject(
          {
            maxFailures: positiveCount(1000).default(5),
            maxFailuresPerAddress: positiveCount(100_000).default(50),
            failureWindow: duration("15m"),
            lockoutDuration: duration("15m"),
          },
          { error: "an object { maxFailures, maxFailuresPerAddress, failureWindow, lockoutDuration }" },
        )
        .default({ maxFailures: 5, maxFailuresPerAddress: 50, failureWindow: 900_000, lockoutDuration: 900_000 }),
      /** Host header values accepted for the authorization server's pages; default: the issuer's host. `*` accepts any. */
      allowedHosts: z.array(z.string().min(1), { error: "a list of host names" }).optional(),
    },
    { error: "an object { issuer, resources, clients, ... }" },
  )
  .superRefine((config, issues) => {
    const uris = new Set<string>();
    config.resources.forEach((resource, i) => {
      if (uris.has(resource.uri)) issues.addIssue({ code: "custom", path: ["resources", i, "uri"], message: "listed twice" });
      uris.add(resource.uri);
      for (const [j, scope] of (resource.defaultScopes ?? []).entries()) {
        if (!resource.scopes.includes(scope)) issues.addIssue({ code: "custom", path: ["resources", i, "defaultScopes", j], message: "not one of this resource's scopes" });
      }
    });
    const ids = new Set<string>();
    config.clients.forEach((client, i) => {
      if (ids.has(client.clientId)) issues.addIssue({ code: "custom", path: ["clients", i, "clientId"], message: "listed twice" });
      ids.add(client.clientId);
    });
    if (config.refreshTokenAbsoluteTtl < config.refreshTokenIdleTtl) {
      issues.addIssue({ code: "custom", path: ["refreshTokenAbsoluteTtl"], message: "at least refreshTokenIdleTtl" });
    }
    if (config.sessionAbsoluteTimeout < config.sessionIdleTimeout) {
      issues.addIssue({ code: "custom", path: ["sessionAbsoluteTimeout"], message: "at least sessionIdleTimeout" });
    }
  });

/** The section as written in the config file. */
export type AuthorizationServerConfigInput = z.input<typeof authorizationServerConfigSchema>;

export interface ResourceConfig {
  readonly uri: string;
  readonly scopes: readonly string[];
  readonly defaultScopes: readonly string[];
}

export interface StaticClientConfig {
  readonly clientId: string;
  readonly clientSecret?: string;
  readonly name?: string;
  readonly redirectUris: readonly string[];
  readonly grantTypes: readonly StaticGrantType[];
  readonly scope?: string;
  readonly roles: readonly string[];
}

/** The resolved settings: durations in milliseconds, defaults filled in. */
export interface AuthorizationServerConfig {
  readonly issuer: string;
  readonly resources: readonly ResourceConfig[];
  readonly signingAlgorithm: SigningAlgorithm;
  readonly accessTokenTtlMs: number;
  readonly authorizationCodeTtlMs: number;
  readonly refreshTokenIdleTtlMs: number;
  readonly refreshTokenAbsoluteTtlMs: number;
  readonly interactionTtlMs: number;
  readonly sessionIdleTimeoutMs: number;
  readonly sessionAbsoluteTimeoutMs: number;
  readonly registration: { readonly enabled: boolean; readonly initialAccessToken?: string; readonly maxClients: number };
  readonly clientIdMetadataDocuments: { readonly enabled: boolean; readonly allowedHosts: readonly string[]; readonly maxBytes: number; readonly fetchTimeoutMs: number };
  readonly clients: readonly StaticClientConfig[];
  readonly login: { readonly maxFailures: number; readonly maxFailuresPerAddress: number; readonly failureWindowMs: number; readonly lockoutDurationMs: number };
  readonly allowedHosts: readonly string[];
}

/** Validates a config section (throws zod's error with paths) and resolves it. */
export function parseAuthorizationServerConfig(input: unknown): AuthorizationServerConfig {
  return resolveAuthorizationServerConfig(authorizationServerConfigSchema.parse(input));
}

/** The section as the schema outputs it (for a config loader that nests the schema in its own). */
export type ParsedAuthorizationServerConfig = z.output<typeof authorizationServerConfigSchema>;

/** Resolves a section the schema has already parsed (durations to ms fields, default hosts). */
export function resolveAuthorizationServerConfig(c: ParsedAuthorizationServerConfig): AuthorizationServerConfig {
  return {
    issuer: c.issuer,
    resources: c.resources.map((r) => ({ uri: r.uri, scopes: [...r.scopes], defaultScopes: [...(r.defaultScopes ?? r.scopes)] })),
    signingAlgorithm: c.signingAlgorithm,
    accessTokenTtlMs: c.accessTokenTtl,
    authorizationCodeTtlMs: c.authorizationCodeTtl,
    refreshTokenIdleTtlMs: c.refreshTokenIdleTtl,
    refreshTokenAbsoluteTtlMs: c.refreshTokenAbsoluteTtl,
    interactionTtlMs: c.interactionTtl,
    sessionIdleTimeoutMs: c.sessionIdleTimeout,
    sessionAbsoluteTimeoutMs: c.sessionAbsoluteTimeout,
    registration: { enabled: c.registration.enabled, maxClients: c.registration.maxClients, ...(c.registration.initialAccessToken !== undefined ? { initialAccessToken: c.registration.initialAccessToken } : {}) },
    clientIdMetadataDocuments: {
      enabled: c.clientIdMetadataDocuments.enabled,
      allowedHosts: c.clientIdMetadataDocuments.allowedHosts.map((h) => h.toLowerCase()),
      maxBytes: c.clientIdMetadataDocuments.maxBytes,
      fetchTimeoutMs: c.clientIdMetadataDocuments.fetchTimeout,
    },
    clients: c.clients.map((client) => ({ ...client })),
    login: { maxFailures: c.login.maxFailures, maxFailuresPerAddress: c.login.maxFailuresPerAddress, failureWindowMs: c.login.failureWindow, lockoutDurationMs: c.login.lockoutDuration },
    allowedHosts: c.allowedHosts ?? [new URL(c.issuer).host],
  };
}
