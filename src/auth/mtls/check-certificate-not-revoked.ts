/**
 * Revocation, checked again per request against the CRLs in force now. OpenSSL checked the chain
 * at handshake time, against the CRLs of that moment; this catches a certificate revoked since
 * (a keep-alive connection, a resumed TLS session) and a CRL that went stale since.
 *
 * Walks the chain when the certificate carries it (`getPeerCertificate(true)`); a self-issued
 * certificate (the root) is the end of the chain and has no CRL entry of its own.
 */
import type { PeerCertificate } from "node:tls";
import { readCertificate } from "./certificate-fields.js";
import type { ReadCertificate } from "./certificate-cache.js";
import type { RevocationIndex, RevocationStatus } from "./revocation.js";

export interface RevocationProblem {
  readonly status: Exclude<RevocationStatus, "good">;
  /** 0 for the client's own certificate, 1 for its issuer, ... */
  readonly depth: number;
}

/** The chain from the leaf up, as far as the certificate object links it (at most 10 deep). */
export function chainOf(certificate: PeerCertificate): PeerCertificate[] {
  const chain: PeerCertificate[] = [];
  let current: PeerCertificate | undefined = certificate;
  while (current !== undefined && chain.length < 10 && !chain.includes(current)) {
    chain.push(current);
    const next: unknown = (current as { issuerCertificate?: unknown }).issuerCertificate;
    current = next !== null && typeof next === "object" && Buffer.isBuffer((next as PeerCertificate).raw) ? (next as PeerCertificate) : undefined;
  }
  return chain;
}

/** The first revocation problem in the chain, or undefined when every certificate is good. */
export function findRevocationProblem(
  certificate: PeerCertificate,
  index: RevocationIndex,
  now: number,
  read: ReadCertificate = readCertificate,
): RevocationProblem | undefined {
  const chain = chainOf(certificate);
  for (const [depth, link] of chain.entries()) {
    const fields = read(link.raw);
    const selfIssued = Buffer.from(fields.subject.der).equals(Buffer.from(fields.issuer.der));
    if (selfIssued && depth > 0) break;
    const status = index.statusOf(fields.issuer.der, fields.serial, now);
    if (status !== "good") return { status, depth };
  }
  return undefined;
}
