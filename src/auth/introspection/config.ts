import { z } from "zod";
import { claimMappingSchema, MAX_CLOCK_SKEW_MS } from "../jwt/config.js";
import { absoluteUri, durationMs, durationOrZeroMs, fetchUrl } from "../jwt/config-values.js";

/**
 * Config for opaque bearer tokens checked by token introspection, RFC 7662 (the
 * `auth.introspection` section). Parsing yields the options `createIntrospectionAuthenticator` takes.
 */
export const introspectionConfigSchema = z.strictObject(
  {
    /** The authorization server's introspection endpoint. */
    endpoint: fetchUrl,
    /** The issuer the tokens come from: the response's `iss`, when given, must equal it; it also names principals. */
    issuer: absoluteUri,
    /** The gateway's own client credentials at the authorization server. */
    clientId: z.string().min(1),
    clientSecret: z.string().min(1),
    /** How the client authenticates to the endpoint (RFC 6749 §2.3.1). */
    clientAuthMethod: z.enum(["client_secret_basic", "client_secret_post"]).default("client_secret_basic"),
    /** The `aud` tokens must carry; default: the gateway's resource URI. */
    audience: absoluteUri.optional(),
    /** Refuse a response without `aud` (a response with an `aud` must always name this resource). */
    requireAudience: z.boolean().default(true),
    /** Refuse a response without `exp` (otherwise the cache's max TTL bounds it). */
    requireExpiry: z.boolean().default(true),
    clockSkew: durationOrZeroMs.default(30_000).refine((ms) => ms <= MAX_CLOCK_SKEW_MS, { error: "at most 5 minutes" }),
    timeout: durationMs.default(5_000),
    /** Longest an active token's answer is reused (never past the token's `exp`). */
    cacheMaxTtl: durationMs.default(60_000),
    /** How long an inactive or refused token's answer is reused. */
    negativeCacheTtl: durationMs.default(5_000),
    cacheMaxEntries: z.number().int().min(0).max(1_000_000).default(10_000),
    claims: claimMappingSchema.default(() => claimMappingSchema.parse({})),
  },
  { error: "an object { endpoint, issuer, clientId, clientSecret, ... }" },
);
export type IntrospectionConfig = z.infer<typeof introspectionConfigSchema>;
