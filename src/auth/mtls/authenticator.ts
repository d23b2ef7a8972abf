/**
 * The mTLS authenticator: a client certificate -> a Principal, or AuthError. Checks, in order,
 * each in its own module:
 *
 *   1. check-certificate-authorized   OpenSSL accepted the chain at handshake (socket.authorized)
 *   2. certificate-fields             the DER certificate parses
 *   3. check-certificate-usage        a client certificate, not a CA certificate
 *   4. check-certificate-validity     notBefore <= now <= notAfter (injected clock)
 *   5. check-certificate-not-revoked  not revoked by the CRLs in force NOW (they may be newer than the handshake)
 *   6. map-certificate                the first matching rule gives the name and roles; no rule -> 401
 *
 * The principal: id "cert:<sha256 of the DER certificate>", method "mtls", the rule's roles and
 * scopes, attributes { name, mtlsRule, certificateIssuer?, ...rule attributes },
 * credentialId = serial (upper-case hex), expiresAt = notAfter.
 */
import { createHash } from "node:crypto";
import type { AuthContext, Authenticator, Credential } from "../credentials.js";
import { AuthError } from "../errors.js";
import type { Principal } from "../principal.js";
import { createCertificateCache, type ReadCertificate } from "./certificate-cache.js";
import { OID, valuesOf, type CertificateFields } from "./certificate-fields.js";
import { checkCertificateAuthorized } from "./check-certificate-authorized.js";
import { findRevocationProblem } from "./check-certificate-not-revoked.js";
import { checkCertificateUsage } from "./check-certificate-usage.js";
import { checkCertificateValidity } from "./check-certificate-validity.js";
import type { MappingRule } from "./config.js";
import { compileRules, mapCertificate } from "./map-certificate.js";
import type { RevocationView } from "./revocation.js";

export interface MtlsAuthenticatorOptions {
  /** Mapping rules, in order (mtlsAuthConfigSchema's `rules`). */
  rules: readonly MappingRule[];
  /** The CRLs in force (createTlsOptions(...).revocation). Required: no revocation check, no mTLS. */
  revocation: RevocationView;
}

const REVOCATION_MESSAGES = {
  revoked: "The client certificate has been revoked",
  "no-crl": "No revocation list is in force for the client certificate's issuer",
  "crl-expired": "The revocation list for the client certificate's issuer is out of date",
  "crl-not-yet-valid": "The revocation list for the client certificate's issuer is not valid yet",
} as const;

function parse(raw: unknown, read: ReadCertificate): CertificateFields {
  if (!Buffer.isBuffer(raw) || raw.length === 0) throw new AuthError("invalid_client_certificate", "The client certificate is missing or empty");
  try {
    return read(raw);
  } catch {
    throw new AuthError("invalid_client_certificate", "The client certificate could not be read");
  }
}

export function createMtlsAuthenticator(options: MtlsAuthenticatorOptions): Authenticator {
  const rules = compileRules(options.rules);
  const { revocation } = options;
  const read = createCertificateCache();

  return {
    kinds: Object.freeze(["client-certificate"] as const),

    /** Failed attempts count against the certificate too (its public fingerprint, as in the principal id). */
    lockoutSubject(credential: Credential): string | undefined {
      if (credential.kind !== "client-certificate" || !Buffer.isBuffer(credential.certificate?.raw)) return undefined;
      return `cert:${createHash("sha256").update(credential.certificate.raw).digest("hex")}`;
    },

    async authenticate(credential: Credential, context: AuthContext): Promise<Principal> {
      if (credential.kind !== "client-certificate") throw new AuthError("malformed_credentials", "Not a client certificate");
      checkCertificateAuthorized(credential);
      const fields = parse(credential.certificate?.raw, read);
      checkCertificateUsage(fields);
      checkCertificateValidity(fields, context.now);

      let problem;
      try {
        problem = findRevocationProblem(credential.certificate, revocation.current(), context.now, read);
      } catch {
        throw new AuthError("invalid_client_certificate", "The client certificate chain could not be read");
      }
      if (problem !== undefined) throw new AuthError("invalid_client_certificate", REVOCATION_MESSAGES[problem.status]);

      const mapping = mapCertificate(fields, rules);
      if (mapping === undefined) throw new AuthError("unknown_credentials", "The client certificate is not mapped to any principal");

      const issuerCn = valuesOf(fields.issuer, OID.commonName);
      const attributes: Record<string, string | readonly string[]> = {
        ...mapping.rule.attributes,
        name: mapping.name,
        mtlsRule: mapping.ruleId,
        ...(issuerCn.length === 1 ? { certificateIssuer: issuerCn[0]! } : {}),
      };
      return Object.freeze({
        id: `cert:${fields.fingerprint256}`,
        method: "mtls",
        roles: Object.freeze([...new Set(mapping.rule.roles)]),
        scopes: Object.freeze([...new Set(mapping.rule.scopes)]),
        attributes: Object.freeze(attributes),
        authenticatedAt: context.now,
        expiresAt: fields.notAfter,
        credentialId: fields.serial,
      });
    },
  };
}
