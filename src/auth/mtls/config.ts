/**
 * Config sections for TLS and mutual TLS, for src/config to place in the file's schema:
 *
 *   tls:                          # tlsConfigSchema: the HTTPS listener (transport, step 1)
 *     cert: /etc/bastion/server.pem        # server certificate (chain), PEM
 *     key: /etc/bastion/server.key         # its private key, PEM (unencrypted)
 *     minVersion: TLSv1.2                  # or TLSv1.3; nothing older
 *     clientCertificates:
 *       mode: required                     # off | optional | required
 *       ca: [/etc/bastion/clients-ca.pem]  # CA bundle(s): every root and intermediate
 *       crl: [/etc/bastion/clients.crl]    # CRL file(s), PEM or DER: one per CA, all current
 *     reload: { watch: true, interval: 30s }  # poll the files; reload on change (or SIGHUP)
 *
 *   auth:
 *     mtls:                       # mtlsAuthConfigSchema: certificate -> principal (step 2)
 *       rules:                    # first matching rule wins; no match -> 401
 *         - id: prod-agents
 *           match: { o: Acme, ou: agents, uri: "spiffe://acme.test/ns/prod/*" }
 *           name: "{uri}"
 *           roles: [editor]
 *           attributes: { tenant: acme }
 *
 * Paths are used as given (the loader resolves them against the config file's directory).
 */
import { z } from "zod";
import { DURATION_EXPECTED, parseDuration } from "../../config/duration.js";
import { parsePattern, type NameKind } from "./name-patterns.js";

export const CLIENT_CERTIFICATE_MODES = ["off", "optional", "required"] as const;
export type ClientCertificateMode = (typeof CLIENT_CERTIFICATE_MODES)[number];

export const TLS_VERSIONS = ["TLSv1.2", "TLSv1.3"] as const;

const path = z.string({ error: "a file path" }).min(1, { error: "a non-empty file path" });
const paths = z
  .union([path, z.array(path, { error: "a list of file paths" })], { error: "a file path or a list of file paths" })
  .transform((value) => (Array.isArray(value) ? value : [value]));

const duration = z
  .union([z.number(), z.string()])
  .refine((v) => parseDuration(v) !== undefined, { error: DURATION_EXPECTED })
  .transform((v) => parseDuration(v)!);

export const tlsConfigSchema = z
  .strictObject(
    {
      cert: path,
      key: path,
      minVersion: z.enum(TLS_VERSIONS, { error: 'TLSv1.2 or TLSv1.3 (older versions are not offered)' }).default("TLSv1.2"),
      clientCertificates: z
        .strictObject(
          {
            mode: z.enum(CLIENT_CERTIFICATE_MODES, { error: "off, optional or required" }).default("off"),
            ca: paths.default([]),
            crl: paths.default([]),
          },
          { error: "an object { mode, ca, crl }" },
        )
        .default({ mode: "off", ca: [], crl: [] }),
      reload: z
        .strictObject(
          {
            /** Poll every TLS file (server key and certificate, CAs, CRLs) and reload on change. */
            watch: z.boolean({ error: "true or false" }).default(true),
            /** How often the files are polled. */
            interval: duration.default(30_000),
          },
          { error: "an object { watch, interval }" },
        )
        .default({ watch: true, interval: 30_000 }),
    },
    { error: "an object { cert, key, minVersion, clientCertificates, reload }" },
  )
  .superRefine((tls, ctx) => {
    const client = tls.clientCertificates;
    if (client.mode === "off") return;
    if (client.ca.length === 0) {
      ctx.addIssue({ code: "custom", path: ["clientCertificates", "ca"], message: `at least one CA file when client certificates are ${client.mode}` });
    }
    // Fail closed: a certificate is never accepted without revocation checking.
    if (client.crl.length === 0) {
      ctx.addIssue({ code: "custom", path: ["clientCertificates", "crl"], message: `at least one CRL file when client certificates are ${client.mode} (revocation is always checked)` });
    }
  });

export type TlsConfig = z.output<typeof tlsConfigSchema>;
export type TlsConfigInput = z.input<typeof tlsConfigSchema>;

function patternList(kind: NameKind) {
  return z
    .union([z.string({ error: "a string" }), z.array(z.string({ error: "a string" }), { error: "a list of strings" }).min(1, { error: "at least one value" })], {
      error: `a ${kind} value or a list of them (any may match)`,
    })
    .transform((value) => (Array.isArray(value) ? value : [value]))
    .superRefine((values, ctx) => {
      for (const [index, value] of values.entries()) {
        const parsed = parsePattern(kind, value);
        if ("error" in parsed) ctx.addIssue({ code: "custom", path: [index], message: `expected ${parsed.error}, got ${JSON.stringify(value)}` });
      }
    });
}

const issuerMatchSchema = z
  .strictObject({ cn: patternList("cn").optional(), o: patternList("o").optional(), ou: patternList("ou").optional() }, { error: "an object { cn, o, ou }" })
  .refine((m) => m.cn !== undefined || m.o !== undefined || m.ou !== undefined, { error: "at least one of cn, o, ou" });

export const certificateMatchSchema = z
  .strictObject(
    {
      cn: patternList("cn").optional(),
      o: patternList("o").optional(),
      ou: patternList("ou").optional(),
      dns: patternList("dns").optional(),
      email: patternList("email").optional(),
      uri: patternList("uri").optional(),
      /** The issuing CA's subject: tells apart two trusted CAs that could issue the same names. */
      issuer: issuerMatchSchema.optional(),
    },
    { error: "an object { cn, o, ou, dns, email, uri, issuer }" },
  )
  .refine((m) => [m.cn, m.o, m.ou, m.dns, m.email, m.uri].some((v) => v !== undefined), {
    error: "at least one of cn, o, ou, dns, email, uri (a rule that matches every certificate, or every certificate of a CA, is not allowed)",
  });

export const NAME_PLACEHOLDERS = ["cn", "dns", "email", "uri"] as const;
const PLACEHOLDER = /\{([a-z]+)\}/g;
/** Attribute names the authenticator sets itself. */
export const RESERVED_ATTRIBUTES = ["name", "mtlsRule", "certificateIssuer"] as const;

export const mappingRuleSchema = z.strictObject(
  {
    /** Shown in audit events as the principal's `mtlsRule` attribute (default "#<index>"). */
    id: z.string({ error: "a rule id" }).min(1, { error: "a non-empty rule id" }).max(128).optional(),
    match: certificateMatchSchema,
    /**
     * The principal's name: literal text with placeholders {cn} (the single CN), {dns}, {email},
     * {uri} (the SAN that satisfied this rule's matcher, or the certificate's only SAN of that
     * type). A placeholder that cannot be filled makes the rule not match.
     */
    name: z
      .string({ error: "a name (text with optional {cn}, {dns}, {email}, {uri})" })
      .min(1, { error: "a non-empty name" })
      .max(256)
      .refine((text) => [...text.matchAll(PLACEHOLDER)].every((m) => (NAME_PLACEHOLDERS as readonly string[]).includes(m[1]!)), {
        error: "placeholders {cn}, {dns}, {email}, {uri} only",
      })
      .refine((text) => !/[{}]/.test(text.replace(PLACEHOLDER, "")), { error: "a name whose braces are only placeholders" })
      .default("{cn}"),
    roles: z.array(z.string({ error: "a role name" }).min(1, { error: "a non-empty role" }), { error: "a list of roles" }).default([]),
    scopes: z.array(z.string({ error: "a scope" }).min(1, { error: "a non-empty scope" }), { error: "a list of scopes" }).default([]),
    attributes: z
      .record(z.string(), z.union([z.string(), z.array(z.string())], { error: "a string or a list of strings" }), { error: "a map of attribute names to values" })
      .refine((map) => RESERVED_ATTRIBUTES.every((key) => !(key in map)), { error: `no reserved attribute (${RESERVED_ATTRIBUTES.join(", ")})` })
      .default({}),
  },
  { error: "an object { id, match, name, roles, scopes, attributes }" },
);

export type MappingRule = z.output<typeof mappingRuleSchema>;

export const mtlsAuthConfigSchema = z.strictObject(
  {
    /** First matching rule wins; a certificate no rule matches is refused (401). */
    rules: z.array(mappingRuleSchema, { error: "a list of mapping rules" }).default([]),
  },
  { error: "an object { rules }" },
);

export type MtlsAuthConfig = z.output<typeof mtlsAuthConfigSchema>;
export type MtlsAuthConfigInput = z.input<typeof mtlsAuthConfigSchema>;
