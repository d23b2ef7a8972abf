/**
 * The certificate's validity period, against the injected clock (RFC 5280 4.1.2.5: valid from
 * notBefore through notAfter, both inclusive). OpenSSL checked it at handshake time with the
 * system clock; a long-lived connection can outlast the certificate.
 */
import { AuthError } from "../errors.js";
import type { CertificateFields } from "./certificate-fields.js";

export function checkCertificateValidity(fields: CertificateFields, now: number): void {
  if (now < fields.notBefore) throw new AuthError("invalid_client_certificate", "The client certificate is not valid yet");
  if (now > fields.notAfter) throw new AuthError("invalid_client_certificate", "The client certificate has expired");
}
