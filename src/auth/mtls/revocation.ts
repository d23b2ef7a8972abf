/**
 * The CRLs in force, indexed by issuer, so the authenticator can check every request's
 * certificate again (OpenSSL checks once per handshake; a keep-alive connection or a resumed TLS
 * session made before a CRL reload would otherwise keep a revoked certificate working).
 */
import type { CrlFields } from "./crl.js";

export type RevocationStatus =
  /** Listed in a current CRL of its issuer. */
  | "revoked"
  /** No CRL from its issuer is loaded. */
  | "no-crl"
  /** Every CRL from its issuer is past nextUpdate, or has none. */
  | "crl-expired"
  /** Every CRL from its issuer has thisUpdate in the future. */
  | "crl-not-yet-valid"
  | "good";

const keyOf = (issuerDer: Uint8Array): string => Buffer.from(issuerDer).toString("hex");

export class RevocationIndex {
  private readonly byIssuer = new Map<string, CrlFields[]>();

  constructor(readonly crls: readonly CrlFields[]) {
    for (const crl of crls) {
      const key = keyOf(crl.issuer.der);
      const list = this.byIssuer.get(key);
      if (list) list.push(crl);
      else this.byIssuer.set(key, [crl]);
    }
  }

  /** The CRLs whose issuer is this name (byte-for-byte DER). */
  crlsFor(issuerDer: Uint8Array): readonly CrlFields[] {
    return this.byIssuer.get(keyOf(issuerDer)) ?? [];
  }

  /**
   * The status of the certificate `serial` issued by `issuerDer`, at `now`. A serial listed in any
   * loaded CRL of that issuer is revoked (even an out-of-date one: revocation is permanent).
   */
  statusOf(issuerDer: Uint8Array, serial: string, now: number): RevocationStatus {
    const crls = this.crlsFor(issuerDer);
    if (crls.length === 0) return "no-crl";
    if (crls.some((crl) => crl.revokedSerials.has(serial))) return "revoked";
    if (crls.some((crl) => crl.thisUpdate <= now && crl.nextUpdate !== undefined && now < crl.nextUpdate)) return "good";
    if (crls.every((crl) => crl.thisUpdate > now)) return "crl-not-yet-valid";
    return "crl-expired";
  }
}

/** Read access to the CRLs in force now. */
export interface RevocationView {
  current(): RevocationIndex;
}

/** A RevocationView whose index the TLS reloader swaps when new CRLs are loaded. */
export class LiveRevocation implements RevocationView {
  constructor(private index: RevocationIndex) {}

  current(): RevocationIndex {
    return this.index;
  }

  replace(index: RevocationIndex): void {
    this.index = index;
  }
}
