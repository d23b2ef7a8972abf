/**
 * Reading a certificate revocation list (RFC 5280 5.1) from DER: its issuer, thisUpdate,
 * nextUpdate and revoked serial numbers, and the signed bytes so the signature can be checked
 * against the CA before the CRL is trusted for anything.
 */
import { childrenOf, contextTag, DerError, expectTag, readBitStringBytes, readIntegerHex, readOid, readSingle, readTime, TAG } from "./der.js";
import { readName, type DistinguishedName } from "./certificate-fields.js";

const DELTA_CRL_INDICATOR = "2.5.29.27";
const ISSUING_DISTRIBUTION_POINT = "2.5.29.28";
const CERTIFICATE_ISSUER = "2.5.29.29";

export interface CrlFields {
  readonly issuer: DistinguishedName;
  /** thisUpdate (ms since the epoch). */
  readonly thisUpdate: number;
  /** nextUpdate (ms since the epoch), or undefined when the CRL has none. */
  readonly nextUpdate: number | undefined;
  /** Revoked serial numbers, upper-case hex as OpenSSL prints them. */
  readonly revokedSerials: ReadonlySet<string>;
  /** The signed part (tbsCertList), its signature algorithm OID and the signature bytes. */
  readonly signed: Uint8Array;
  readonly signatureAlgorithm: string;
  readonly signature: Uint8Array;
  /** Set when the CRL is a delta CRL or an indirect CRL: both unsupported (see loadTlsMaterial). */
  readonly unsupported?: string;
}

export function readCrl(der: Uint8Array): CrlFields {
  const list = expectTag(readSingle(der), TAG.SEQUENCE, "certificateList");
  const [tbs, algorithm, signatureValue, extra] = childrenOf(list);
  if (extra !== undefined) throw new DerError("trailing data in CRL");
  expectTag(tbs, TAG.SEQUENCE, "tbsCertList");
  const signatureAlgorithm = readOid(expectTag(childrenOf(expectTag(algorithm, TAG.SEQUENCE, "signatureAlgorithm"))[0], TAG.OID, "algorithm"));
  const signature = readBitStringBytes(expectTag(signatureValue, TAG.BIT_STRING, "signatureValue"));

  const fields = childrenOf(tbs!);
  let index = 0;
  if (fields[0]?.tag === TAG.INTEGER) index += 1; // version (v2)
  expectTag(fields[index++], TAG.SEQUENCE, "signature");
  const issuer = readName(expectTag(fields[index++], TAG.SEQUENCE, "issuer"));
  const thisUpdateField = fields[index++];
  if (thisUpdateField === undefined) throw new DerError("missing thisUpdate");
  const thisUpdate = readTime(thisUpdateField);
  let nextUpdate: number | undefined;
  const maybeNext = fields[index];
  if (maybeNext !== undefined && (maybeNext.tag === TAG.UTC_TIME || maybeNext.tag === TAG.GENERALIZED_TIME)) {
    nextUpdate = readTime(maybeNext);
    index += 1;
  }
  const revokedSerials = new Set<string>();
  let unsupported: string | undefined;
  if (fields[index]?.tag === TAG.SEQUENCE) {
    for (const entry of childrenOf(fields[index]!)) {
      const parts = childrenOf(expectTag(entry, TAG.SEQUENCE, "revoked certificate"));
      revokedSerials.add(readIntegerHex(expectTag(parts[0], TAG.INTEGER, "userCertificate")));
      if (parts[1] === undefined) throw new DerError("missing revocationDate");
      readTime(parts[1]);
      const entryExtensions = parts[2];
      if (entryExtensions !== undefined) {
        for (const extension of childrenOf(expectTag(entryExtensions, TAG.SEQUENCE, "crlEntryExtensions"))) {
          if (readOid(childrenOf(expectTag(extension, TAG.SEQUENCE, "extension"))[0]!) === CERTIFICATE_ISSUER) {
            unsupported = "an indirect CRL (entries for another issuer)";
          }
        }
      }
    }
    index += 1;
  }
  const extensionsField = fields[index];
  if (extensionsField !== undefined) {
    expectTag(extensionsField, contextTag(0, true), "crlExtensions");
    const [extensions] = childrenOf(extensionsField);
    for (const extension of childrenOf(expectTag(extensions, TAG.SEQUENCE, "extensions"))) {
      const oid = readOid(childrenOf(expectTag(extension, TAG.SEQUENCE, "extension"))[0]!);
      if (oid === DELTA_CRL_INDICATOR) unsupported = "a delta CRL";
      // A partitioned or indirect CRL scopes itself with an issuingDistributionPoint; a full CRL
      // for the issuer is what OpenSSL and this module expect.
      else if (oid === ISSUING_DISTRIBUTION_POINT) unsupported = "a CRL with an issuingDistributionPoint (partitioned or indirect)";
    }
    index += 1;
  }
  if (index !== fields.length) throw new DerError("unexpected fields in tbsCertList");

  return {
    issuer,
    thisUpdate,
    nextUpdate,
    revokedSerials,
    signed: tbs!.bytes,
    signatureAlgorithm,
    signature,
    ...(unsupported === undefined ? {} : { unsupported }),
  };
}
