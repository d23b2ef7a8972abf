/**
 * OpenSSL's verdict on the handshake: the certificate chains to a configured CA, is within its
 * validity period, and no CRL in force at handshake time revokes it. Any other verdict (unknown
 * CA, revoked, expired, no CRL) is a refusal; so is a missing or non-boolean verdict.
 */
import type { Credential } from "../credentials.js";
import { AuthError } from "../errors.js";

type CertificateCredential = Extract<Credential, { kind: "client-certificate" }>;

/** OpenSSL verification codes are upper-case identifiers; anything else is not echoed. */
const VERIFY_CODE = /^[A-Z][A-Z0-9_]{0,63}$/;

export function checkCertificateAuthorized(credential: CertificateCredential): void {
  if (credential.authorized === true && (credential.authorizationError === undefined || credential.authorizationError === null)) return;
  const reason = typeof credential.authorizationError === "string" && VERIFY_CODE.test(credential.authorizationError) ? credential.authorizationError : "UNVERIFIED";
  throw new AuthError("invalid_client_certificate", `The client certificate was not accepted (${reason})`);
}
