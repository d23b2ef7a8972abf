/**
 * Whether a CRL was signed by a given CA's key. OpenSSL checks this again during every handshake;
 * checking it when the CRL is loaded turns "every client certificate is refused" into a clear
 * start-up error naming the file.
 */
import { verify, type KeyObject } from "node:crypto";
import type { CrlFields } from "./crl.js";

/** Signature algorithm OID -> the digest node:crypto's verify() takes (null for EdDSA). */
const DIGESTS: Readonly<Record<string, string | null>> = {
  "1.2.840.113549.1.1.11": "sha256", // sha256WithRSAEncryption
  "1.2.840.113549.1.1.12": "sha384",
  "1.2.840.113549.1.1.13": "sha512",
  "1.2.840.10045.4.3.2": "sha256", // ecdsa-with-SHA256
  "1.2.840.10045.4.3.3": "sha384",
  "1.2.840.10045.4.3.4": "sha512",
  "1.3.101.112": null, // Ed25519
  "1.3.101.113": null, // Ed448
};

export type CrlSignatureCheck = "valid" | "invalid" | "unsupported-algorithm";

export function checkCrlSignature(crl: CrlFields, caPublicKey: KeyObject): CrlSignatureCheck {
  if (!(crl.signatureAlgorithm in DIGESTS)) return "unsupported-algorithm";
  const digest = DIGESTS[crl.signatureAlgorithm]!;
  try {
    return verify(digest, crl.signed, caPublicKey, crl.signature) ? "valid" : "invalid";
  } catch {
    // Wrong key type for the algorithm, malformed signature: not signed by this key.
    return "invalid";
  }
}
