import { z } from "zod";
import { absoluteUri, claimPath, durationMs, durationOrZeroMs, fetchUrl } from "./config-values.js";

/**
 * Config for bearer JWT verification (the `auth.jwt` section). Parsing yields the options
 * `createJwtAuthenticator` takes (durations in milliseconds), with defaults filled in.
 */

/** Signature algorithms a JWKS issuer's tokens may use: asymmetric only (no `none`, no HMAC). */
export const ASYMMETRIC_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA", "Ed25519"] as const;
export type AsymmetricAlgorithm = (typeof ASYMMETRIC_ALGORITHMS)[number];

export const DEFAULT_ALGORITHMS: AsymmetricAlgorithm[] = ["RS256", "PS256", "ES256", "EdDSA", "Ed25519"];

/** Largest clock skew allowed (5 minutes): a skew is for drifting clocks, not for accepting stale tokens. */
export const MAX_CLOCK_SKEW_MS = 300_000;

export const claimMappingSchema = z.strictObject(
  {
    /** Claims whose values (a string or a list of strings) are roles. */
    roles: z.array(claimPath).max(16).default([]),
    /** Claims whose values are groups (the `groups` attribute). */
    groups: z.array(claimPath).max(16).default([]),
    /** The claim naming the tenant (the `tenant` attribute). */
    tenant: claimPath.optional(),
    /** If set, only claim values listed here give roles, as the roles they map to. */
    roleMap: z.record(z.string().min(1), z.array(z.string().min(1)).max(32)).optional(),
    /** Roles every principal from this issuer has. */
    defaultRoles: z.array(z.string().min(1)).max(32).default([]),
    /** More attributes for policies: attribute name -> claim. */
    attributes: z.record(z.string().min(1), claimPath).default({}),
    /** `amr` values that mean the user completed multi-factor authentication (then `auth_time` is the MFA time). */
    mfaAmrValues: z.array(z.string().min(1)).max(16).default(["mfa"]),
  },
  { error: "an object { roles, groups, tenant, roleMap, defaultRoles, attributes, mfaAmrValues }" },
);
export type ClaimMapping = z.infer<typeof claimMappingSchema>;

const jwksDocument = z.object({ keys: z.array(z.record(z.string(), z.unknown())).min(1).max(100) }, { error: "a JWKS document { keys: [...] }" });

export const jwtIssuerSchema = z
  .strictObject(
    {
      /** The `iss` value, compared exactly. */
      issuer: absoluteUri,
      /** Where the issuer publishes its keys (fetched, cached, refetched on an unknown kid at most once per cooldown). */
      jwksUri: fetchUrl.optional(),
      /** Or the issuer's public keys, inline. */
      jwks: jwksDocument.optional(),
      /** The `aud` this issuer's tokens must carry; default: the gateway's resource URI. */
      audience: absoluteUri.optional(),
      algorithms: z.array(z.enum(ASYMMETRIC_ALGORITHMS, { error: `one of ${ASYMMETRIC_ALGORITHMS.join(", ")} (asymmetric algorithms only)` })).min(1).default(DEFAULT_ALGORITHMS),
      /** Require the RFC 9068 `typ` header `at+jwt`. */
      requireAtJwt: z.boolean().default(false),
      /** Clock skew allowed on exp, nbf and iat. */
      clockSkew: durationOrZeroMs.default(30_000).refine((ms) => ms <= MAX_CLOCK_SKEW_MS, { error: "at most 5 minutes" }),
      /** If set, `iat` is required and a token older than this is refused. */
      maxTokenAge: durationMs.optional(),
      /** How long fetched keys are used before they are fetched again. */
      jwksCacheMaxAge: durationMs.default(600_000),
      /** At most one JWKS fetch per cooldown (an unknown kid refetches only after it). */
      jwksCooldown: durationMs.default(30_000),
      jwksTimeout: durationMs.default(5_000),
      claims: claimMappingSchema.default(() => claimMappingSchema.parse({})),
    },
    { error: "an object { issuer, jwksUri | jwks, audience, algorithms, requireAtJwt, clockSkew, ... }" },
  )
  .refine((value) => (value.jwksUri === undefined) !== (value.jwks === undefined), {
    error: "exactly one of jwksUri and jwks",
  });
export type JwtIssuerConfig = z.infer<typeof jwtIssuerSchema>;

export const jwtConfigSchema = z
  .strictObject({ issuers: z.array(jwtIssuerSchema).min(1, { error: "at least one issuer" }).max(32) }, { error: "an object { issuers: [...] }" })
  .refine((value) => new Set(value.issuers.map((i) => i.issuer)).size === value.issuers.length, { error: "each issuer at most once" });
export type JwtConfig = z.infer<typeof jwtConfigSchema>;
