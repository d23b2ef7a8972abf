import { z } from "zod";
import { apiKeysConfigSchema } from "../auth/api-keys/config.js";
import { trustedProxiesSchema } from "../auth/client-address/trusted-proxies.js";
import { introspectionConfigSchema } from "../auth/introspection/config.js";
import { jwtConfigSchema } from "../auth/jwt/config.js";
import { absoluteUri } from "../auth/jwt/config-values.js";
import { lockoutConfigSchema } from "../auth/lockout/config.js";
import { mtlsAuthConfigSchema, tlsConfigSchema } from "../auth/mtls/config.js";
import { isResourceIdentifier } from "../auth/resource-metadata.js";
import { storeConfigSchema } from "../store/config.js";
import { SHARE_MODES } from "../gateway/upstream/shared/share-mode.js";
import { DURATION_EXPECTED, parseDuration } from "./duration.js";

/**
 * The config file's shape. Every object is strict: a key we do not know is an error (a typo must
 * not silently leave a security setting at its default). Each `error` text says what was expected;
 * the loader adds the key path and the value it got.
 */

export const PII_MODES = ["replace", "tokens", "hash", "partial", "remove"] as const;
export type PiiMode = (typeof PII_MODES)[number];

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The level of the one line per relayed MCP message (method, name, arguments, a result summary), or off. */
export const MESSAGE_LOG_LEVELS = ["debug", "info", "off"] as const;
export type MessageLogLevel = (typeof MESSAGE_LOG_LEVELS)[number];

/**
 * Server names become the prefix of namespaced tool names (`NAME__tool`) on the aggregated route,
 * so they must not contain the separator `__` nor end in `_`: then the first `__` in a namespaced
 * name always ends the server name, and no two servers' names can collide.
 */
export const SERVER_NAME = /^[A-Za-z0-9]+(?:[-_][A-Za-z0-9]+)*$/;
export const SERVER_NAME_EXPECTED =
  "letters and digits, single '-' or '_' between them (no '__', no leading or trailing '-'/'_'), at most 64 characters";

const duration = z.union([z.number(), z.string()], { error: DURATION_EXPECTED }).refine((v) => parseDuration(v) !== undefined, {
  error: DURATION_EXPECTED,
});

const bool = z.boolean({ error: "true or false" });

const stringMap = (what: string) => z.record(z.string(), z.string({ error: `a string (${what})` }), { error: `a map of names to strings (${what})` });

/** Who may share one upstream connection (src/gateway/upstream/shared/share-mode.ts). */
const shareMode = z.enum(SHARE_MODES, { error: 'who may share one upstream connection: "none" (one per session, the default), "principal" or "all"' });

export const stdioServerSchema = z.strictObject(
  {
    command: z.string({ error: "a command to run (a string)" }).min(1, { error: "a non-empty command" }),
    args: z.array(z.string({ error: "a string" }), { error: "a list of strings" }).default([]),
    env: stringMap("environment variables for the child").default({}),
    cwd: z.string({ error: "a directory path" }).min(1, { error: "a non-empty directory path" }).optional(),
    requestTimeout: duration.optional(),
    share: shareMode.optional(),
    /** With share: how long a shared connection stays open after its last session ends (default 30s). */
    shareIdleClose: duration.optional(),
  },
  { error: "an object" },
);

const httpUrl = z.string({ error: "an http(s) URL" }).refine(
  (value) => {
    try {
      const url = new URL(value);
      return url.protocol === "http:" || url.protocol === "https:";
    } catch {
      return false;
    }
  },
  { error: "an http:// or https:// URL" },
);

export const remoteServerSchema = z.strictObject(
  {
    url: httpUrl,
    transport: z.enum(["streamable-http", "sse"], { error: 'a transport: "streamable-http" (default) or "sse" (legacy HTTP+SSE)' }).default("streamable-http"),
    headers: stringMap("HTTP headers the gateway sends upstream").default({}),
    requestTimeout: duration.optional(),
    share: shareMode.optional(),
    /** With share: how long a shared connection stays open after its last session ends (default 30s). */
    shareIdleClose: duration.optional(),
  },
  { error: "an object" },
);

const hostList = z.array(z.string({ error: "a host name" }).min(1, { error: "a non-empty host name" }), {
  error: 'a list of host names (e.g. ["localhost", "mcp.example.com"], or ["*"] for any)',
});

/** RFC 6749 §3.3 scope-token characters. */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/**
 * Step 2 of the path: who may call. The sub-sections are the auth modules' own schemas
 * (src/auth/*), so the file is checked by exactly what the authenticators consume.
 */
export const authSchema = z.strictObject(
  {
    /** Every request must authenticate (default). false: a request with no credential is the anonymous principal (local experiments only). */
    required: bool.default(true),
    /** API keys from the store (`bastion keys`); on by default. */
    apiKeys: apiKeysConfigSchema,
    /** Bearer JWTs from trusted issuers (JWKS). */
    jwt: jwtConfigSchema.optional(),
    /** Opaque bearer tokens checked by token introspection (RFC 7662). */
    introspection: introspectionConfigSchema.optional(),
    /** Client certificate -> principal rules (the certificates themselves are checked by `tls.clientCertificates`). */
    mtls: mtlsAuthConfigSchema.default({ rules: [] }),
    /** Failed-authentication lockout per client address and per key id / user. */
    lockout: lockoutConfigSchema.default(() => lockoutConfigSchema.parse({})),
    /** This gateway's resource URI (RFC 8707 audience, RFC 9728 metadata); default derived from listen (http://127.0.0.1:8080/mcp). */
    resource: z.string({ error: "a URL" }).refine(isResourceIdentifier, { error: "an https:// URL without query, fragment or credentials (http:// only for 127.0.0.1, [::1] or localhost)" }).optional(),
    /** Issuers clients may get tokens from (the metadata's authorization_servers). */
    authorizationServers: z.array(absoluteUri).max(32).default([]),
    /** Scopes clients may ask for; the default `scope` of a 401 challenge. */
    scopesSupported: z.array(z.string().regex(SCOPE_TOKEN, { error: "a scope token (no spaces, quotes or backslashes)" })).max(256).optional(),
    /** A human-readable name in the metadata. */
    resourceName: z.string().min(1).max(200).optional(),
  },
  { error: "an object { required, apiKeys, jwt, introspection, mtls, lockout, resource, authorizationServers, scopesSupported, resourceName }" },
);

export const configFileSchema = z.strictObject(
  {
    listen: z
      .strictObject(
        {
          host: z.string({ error: "a host or IP address to listen on" }).min(1, { error: "a non-empty host" }).optional(),
          port: z.number({ error: "a port number" }).int({ error: "a whole port number" }).min(0, { error: "a port from 0 to 65535" }).max(65535, { error: "a port from 0 to 65535" }).optional(),
          /** Reverse proxies whose X-Forwarded-For / Forwarded headers are believed (addresses or CIDR blocks); none by default. */
          trustedProxies: trustedProxiesSchema.optional(),
        },
        { error: "an object { host, port, trustedProxies }" },
      )
      .optional(),
    servers: z.record(z.string(), z.unknown(), { error: "a map of server names to server settings" }).optional(),
    pii: z
      .strictObject(
        {
          beforeLlm: bool.optional(),
          inLogs: bool.optional(),
          mode: z.enum(PII_MODES, { error: `one of ${PII_MODES.join(", ")}` }).optional(),
          allowOptOut: bool.optional(),
        },
        { error: "an object { beforeLlm, inLogs, mode, allowOptOut }" },
      )
      .optional(),
    sessions: z
      .strictObject(
        {
          idleTimeout: duration.optional(),
          absoluteTimeout: duration.optional(),
          max: z.number({ error: "a number of sessions" }).int({ error: "a whole number" }).min(1, { error: "at least 1" }).max(100_000, { error: "at most 100000" }).optional(),
        },
        { error: "an object { idleTimeout, absoluteTimeout, max }" },
      )
      .optional(),
    limits: z
      .strictObject(
        {
          maxBodyBytes: z.number({ error: "a number of bytes" }).int({ error: "a whole number of bytes" }).min(1024, { error: "at least 1024 bytes" }).max(256 * 1024 * 1024, { error: "at most 268435456 bytes (256 MiB)" }).optional(),
        },
        { error: "an object { maxBodyBytes }" },
      )
      .optional(),
    allowedHosts: hostList.optional(),
    allowedOrigins: z.array(z.string({ error: "an origin" }).min(1, { error: "a non-empty origin" }), {
      error: 'a list of origins or host names (e.g. ["http://localhost:5173", "app.example.com"])',
    }).optional(),
    log: z
      .strictObject(
        {
          level: z.enum(LOG_LEVELS, { error: `one of ${LOG_LEVELS.join(", ")}` }).optional(),
          messages: z.enum(MESSAGE_LOG_LEVELS, { error: `one of ${MESSAGE_LOG_LEVELS.join(", ")}` }).optional(),
        },
        { error: "an object { level, messages }" },
      )
      .optional(),
    shutdownTimeout: duration.optional(),
    /** The embedded store (API keys, users): a SQLite file. */
    store: storeConfigSchema,
    auth: authSchema.default(() => authSchema.parse({})),
    /** An HTTPS listener (and client certificates for mutual TLS). */
    tls: tlsConfigSchema.optional(),
    /**
     * The built-in OAuth 2.1 authorization server (src/auth/server's schema plus `enabled`; issuer
     * and resources default from auth.resource): see authorization-server.ts. Checked by the loader.
     */
    authorizationServer: z.record(z.string(), z.unknown(), { error: "an object { enabled, issuer, resources, clients, ... }" }).optional(),
  },
  { error: "an object (a mapping of settings)" },
);

export type ConfigFile = z.infer<typeof configFileSchema>;
