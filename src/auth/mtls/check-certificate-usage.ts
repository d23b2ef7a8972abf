/**
 * The certificate is one for a TLS client: not a CA certificate (basicConstraints cA), and if it
 * limits its extended key usages, clientAuth (or anyExtendedKeyUsage) is among them. OpenSSL
 * applies the ssl_client purpose at handshake; this keeps the rule when the credential reaches
 * the authenticator another way.
 */
import { AuthError } from "../errors.js";
import { OID, type CertificateFields } from "./certificate-fields.js";

export function checkCertificateUsage(fields: CertificateFields): void {
  if (fields.isCa) throw new AuthError("invalid_client_certificate", "A CA certificate is not a client certificate");
  const usages = fields.extendedKeyUsages;
  if (usages !== undefined && !usages.includes(OID.clientAuth) && !usages.includes(OID.anyExtendedKeyUsage)) {
    throw new AuthError("invalid_client_certificate", "The certificate is not for TLS client authentication (extendedKeyUsage)");
  }
}
