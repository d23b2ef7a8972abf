/**
 * The fields of an X.509 certificate (RFC 5280 4.1) that authentication looks at, read from the
 * DER bytes themselves. Node renders subjects and SANs as text (`CN=...\nO=...`, `DNS:a, URI:b`),
 * and text renderings of attacker-chosen names invite injection ("CN=a\nO=Admin"); reading the
 * structure leaves no such ambiguity.
 */
import { createHash } from "node:crypto";
import {
  childrenOf,
  contextTag,
  DerError,
  expectTag,
  readBitStringBytes,
  readDirectoryString,
  readIntegerHex,
  readOid,
  readSingle,
  readTime,
  TAG,
  type DerElement,
} from "./der.js";

export const OID = {
  commonName: "2.5.4.3",
  organizationName: "2.5.4.10",
  organizationalUnitName: "2.5.4.11",
  subjectAltName: "2.5.29.17",
  basicConstraints: "2.5.29.19",
  extKeyUsage: "2.5.29.37",
  clientAuth: "1.3.6.1.5.5.7.3.2",
  anyExtendedKeyUsage: "2.5.29.37.0",
} as const;

/** One attribute of a distinguished name; `value` is undefined when it could not be decoded. */
export interface NameAttribute {
  readonly type: string;
  readonly value: string | undefined;
}

export interface DistinguishedName {
  /** The DER encoding of the Name: compared byte for byte to match a CRL's issuer to a CA. */
  readonly der: Uint8Array;
  readonly attributes: readonly NameAttribute[];
}

export interface SubjectAltNames {
  readonly dns: readonly string[];
  readonly email: readonly string[];
  readonly uri: readonly string[];
  /** Dotted IPv4 or colon hex IPv6 (not compressed). */
  readonly ip: readonly string[];
}

export interface CertificateFields {
  /** SHA-256 of the DER certificate, lower-case hex. */
  readonly fingerprint256: string;
  /** Upper-case hex, as OpenSSL prints it. */
  readonly serial: string;
  readonly issuer: DistinguishedName;
  readonly subject: DistinguishedName;
  readonly notBefore: number;
  readonly notAfter: number;
  readonly subjectAltNames: SubjectAltNames;
  /** basicConstraints cA. */
  readonly isCa: boolean;
  /** Extended key usages, or undefined when the extension is absent (any usage). */
  readonly extendedKeyUsages: readonly string[] | undefined;
  /** The DER of the whole certificate. */
  readonly der: Uint8Array;
}

/** Every value of one attribute type, in order (undecodable values left out). */
export function valuesOf(name: DistinguishedName, type: string): string[] {
  const out: string[] = [];
  for (const attribute of name.attributes) if (attribute.type === type && attribute.value !== undefined) out.push(attribute.value);
  return out;
}

/** True when some value of `type` could not be decoded (so a match on it must fail). */
export function hasUndecodable(name: DistinguishedName, type: string): boolean {
  return name.attributes.some((attribute) => attribute.type === type && attribute.value === undefined);
}

export function readName(element: DerElement): DistinguishedName {
  expectTag(element, TAG.SEQUENCE, "name");
  const attributes: NameAttribute[] = [];
  for (const rdn of childrenOf(element)) {
    expectTag(rdn, TAG.SET, "relative distinguished name");
    for (const pair of childrenOf(rdn)) {
      const [type, value, extra] = childrenOf(expectTag(pair, TAG.SEQUENCE, "attribute"));
      if (value === undefined || extra !== undefined) throw new DerError("malformed attribute");
      attributes.push({ type: readOid(expectTag(type, TAG.OID, "attribute type")), value: readDirectoryString(value) });
    }
  }
  return { der: element.bytes, attributes };
}

function readIp(bytes: Uint8Array): string | undefined {
  if (bytes.length === 4) return Array.from(bytes).join(".");
  if (bytes.length === 16) {
    const groups: string[] = [];
    for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
    return groups.join(":");
  }
  return undefined;
}

function readSubjectAltNames(extnValue: Uint8Array): SubjectAltNames {
  const dns: string[] = [];
  const email: string[] = [];
  const uri: string[] = [];
  const ip: string[] = [];
  const names = expectTag(readSingle(extnValue), TAG.SEQUENCE, "subjectAltName");
  for (const general of childrenOf(names)) {
    // IA5String contents: ASCII only; anything else is not a name we can match.
    const ascii = general.content.every((b) => b < 0x80) ? Buffer.from(general.content).toString("latin1") : undefined;
    if (general.tag === contextTag(1, false) && ascii !== undefined) email.push(ascii);
    else if (general.tag === contextTag(2, false) && ascii !== undefined) dns.push(ascii);
    else if (general.tag === contextTag(6, false) && ascii !== undefined) uri.push(ascii);
    else if (general.tag === contextTag(7, false)) {
      const address = readIp(general.content);
      if (address !== undefined) ip.push(address);
    }
    // otherName, directoryName, x400Address, ediPartyName, registeredID: not used for mapping.
  }
  return { dns, email, uri, ip };
}

function readBasicConstraintsCa(extnValue: Uint8Array): boolean {
  const fields = childrenOf(expectTag(readSingle(extnValue), TAG.SEQUENCE, "basicConstraints"));
  const first = fields[0];
  if (first?.tag === TAG.BOOLEAN) return first.content.length === 1 && first.content[0] !== 0;
  return false;
}

function readExtendedKeyUsages(extnValue: Uint8Array): string[] {
  return childrenOf(expectTag(readSingle(extnValue), TAG.SEQUENCE, "extKeyUsage")).map(readOid);
}

/** Parses a DER certificate; throws DerError on anything malformed. */
export function readCertificate(der: Uint8Array): CertificateFields {
  const certificate = expectTag(readSingle(der), TAG.SEQUENCE, "certificate");
  const [tbs, signatureAlgorithm, signature, extra] = childrenOf(certificate);
  expectTag(tbs, TAG.SEQUENCE, "tbsCertificate");
  expectTag(signatureAlgorithm, TAG.SEQUENCE, "signatureAlgorithm");
  readBitStringBytes(expectTag(signature, TAG.BIT_STRING, "signature"));
  if (extra !== undefined) throw new DerError("trailing data in certificate");

  const fields = childrenOf(tbs!);
  let index = 0;
  if (fields[0]?.tag === contextTag(0, true)) index += 1; // version
  const serial = readIntegerHex(expectTag(fields[index++], TAG.INTEGER, "serialNumber"));
  expectTag(fields[index++], TAG.SEQUENCE, "signature");
  const issuer = readName(expectTag(fields[index++], TAG.SEQUENCE, "issuer"));
  const validity = childrenOf(expectTag(fields[index++], TAG.SEQUENCE, "validity"));
  if (validity.length !== 2) throw new DerError("malformed validity");
  const notBefore = readTime(validity[0]!);
  const notAfter = readTime(validity[1]!);
  const subject = readName(expectTag(fields[index++], TAG.SEQUENCE, "subject"));
  expectTag(fields[index++], TAG.SEQUENCE, "subjectPublicKeyInfo");

  let subjectAltNames: SubjectAltNames = { dns: [], email: [], uri: [], ip: [] };
  let isCa = false;
  let extendedKeyUsages: string[] | undefined;
  const seen = new Set<string>();
  for (; index < fields.length; index += 1) {
    const field = fields[index]!;
    if (field.tag !== contextTag(3, true)) continue; // issuerUniqueID / subjectUniqueID
    const [extensions, more] = childrenOf(field);
    if (more !== undefined) throw new DerError("malformed extensions");
    for (const extension of childrenOf(expectTag(extensions, TAG.SEQUENCE, "extensions"))) {
      const parts = childrenOf(expectTag(extension, TAG.SEQUENCE, "extension"));
      const oid = readOid(expectTag(parts[0], TAG.OID, "extnID"));
      if (seen.has(oid)) throw new DerError("duplicate extension"); // RFC 5280 4.2
      seen.add(oid);
      const value = expectTag(parts[parts.length - 1], TAG.OCTET_STRING, "extnValue").content;
      if (oid === OID.subjectAltName) subjectAltNames = readSubjectAltNames(value);
      else if (oid === OID.basicConstraints) isCa = readBasicConstraintsCa(value);
      else if (oid === OID.extKeyUsage) extendedKeyUsages = readExtendedKeyUsages(value);
    }
  }

  return {
    fingerprint256: createHash("sha256").update(der).digest("hex"),
    serial,
    issuer,
    subject,
    notBefore,
    notAfter,
    subjectAltNames,
    isCa,
    extendedKeyUsages,
    der,
  };
}
