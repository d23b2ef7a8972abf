/**
 * Which configured CA issued a CRL: same issuer name (byte for byte) and a signature that its key
 * verifies. A CRL from no configured CA, or one whose signature no such CA's key verifies, is a
 * configuration error (OpenSSL would ignore it and refuse every certificate for want of a CRL).
 */
import type { X509Certificate } from "node:crypto";
import type { CertificateFields } from "./certificate-fields.js";
import type { CrlFields } from "./crl.js";
import { checkCrlSignature } from "./crl-signature.js";

export interface CaCertificate {
  readonly path: string;
  readonly fields: CertificateFields;
  readonly x509: X509Certificate;
}

export type CrlIssuerCheck =
  | { ok: true; issuer: CaCertificate; signatureChecked: boolean }
  | { ok: false; problem: string };

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(Buffer.from(b));

export function checkCrlIssuer(crl: CrlFields, cas: readonly CaCertificate[]): CrlIssuerCheck {
  const named = cas.filter((ca) => sameBytes(ca.fields.subject.der, crl.issuer.der));
  if (named.length === 0) return { ok: false, problem: "was issued by no configured CA (its issuer name matches none of the CA certificates)" };
  let unsupported: CaCertificate | undefined;
  for (const ca of named) {
    const check = checkCrlSignature(crl, ca.x509.publicKey);
    if (check === "valid") return { ok: true, issuer: ca, signatureChecked: true };
    if (check === "unsupported-algorithm") unsupported ??= ca;
  }
  // An algorithm node:crypto cannot check here (RSA-PSS, ...) is checked by OpenSSL at handshake.
  if (unsupported) return { ok: true, issuer: unsupported, signatureChecked: false };
  return { ok: false, problem: "has a signature that the key of the CA it names does not verify" };
}
