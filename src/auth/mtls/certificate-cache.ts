/**
 * Parsed certificates by the SHA-256 of their DER: a client presents the same chain on every
 * request, so each certificate is read once. Keyed by the hash of the exact bytes, so a cached
 * entry can only ever stand for identical input. Bounded; the oldest entry goes first.
 */
import { createHash } from "node:crypto";
import { readCertificate, type CertificateFields } from "./certificate-fields.js";

export type ReadCertificate = (der: Uint8Array) => CertificateFields;

export function createCertificateCache(max = 1024): ReadCertificate {
  const entries = new Map<string, CertificateFields>();
  return (der) => {
    const key = createHash("sha256").update(der).digest("base64");
    const hit = entries.get(key);
    if (hit) return hit;
    const fields = readCertificate(der);
    if (entries.size >= max) entries.delete(entries.keys().next().value!);
    entries.set(key, fields);
    return fields;
  };
}
