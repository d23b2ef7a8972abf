/**
 * A tiny DER writer for tests: certificates and CRLs with exactly the oddities an attacker or a
 * careless CA could produce (several CNs, a NUL in a name, a CRL without nextUpdate, a delta
 * CRL), signed with a real key when a test needs OpenSSL or our signature check to accept them.
 */
import { createPublicKey, generateKeyPairSync, sign, type KeyObject } from "node:crypto";

function lengthBytes(length: number): number[] {
  if (length < 0x80) return [length];
  const out: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) out.unshift(n % 256);
  return [0x80 | out.length, ...out];
}

export function tlv(tag: number, content: Uint8Array | number[]): Buffer {
  const body = Buffer.from(content);
  return Buffer.concat([Buffer.from([tag, ...lengthBytes(body.length)]), body]);
}

export const seq = (...items: Buffer[]): Buffer => tlv(0x30, Buffer.concat(items));
export const set = (...items: Buffer[]): Buffer => tlv(0x31, Buffer.concat(items));
export const ctx = (n: number, constructed: boolean, content: Buffer): Buffer => tlv(0x80 | (constructed ? 0x20 : 0) | n, content);
export const octets = (content: Buffer): Buffer => tlv(0x04, content);
export const bitString = (content: Buffer): Buffer => tlv(0x03, Buffer.concat([Buffer.from([0]), content]));
export const bool = (value: boolean): Buffer => tlv(0x01, [value ? 0xff : 0x00]);
export const utf8 = (text: string): Buffer => tlv(0x0c, Buffer.from(text, "utf8"));
export const printable = (text: string): Buffer => tlv(0x13, Buffer.from(text, "latin1"));
export const ia5 = (text: string): Buffer => tlv(0x16, Buffer.from(text, "latin1"));
export const bmp = (text: string): Buffer => tlv(0x1e, Buffer.from(text, "utf16le").swap16());

export function oid(dotted: string): Buffer {
  const arcs = dotted.split(".").map(Number);
  const out: number[] = [40 * arcs[0]! + arcs[1]!];
  for (const arc of arcs.slice(2)) {
    const bytes: number[] = [arc & 0x7f];
    for (let n = Math.floor(arc / 128); n > 0; n = Math.floor(n / 128)) bytes.unshift(0x80 | (n & 0x7f));
    out.push(...bytes);
  }
  return tlv(0x06, out);
}

/** A positive INTEGER from hex (a leading 00 added when the top bit is set). */
export function integer(hex: string): Buffer {
  let bytes = Buffer.from(hex.length % 2 ? `0${hex}` : hex, "hex");
  while (bytes.length > 1 && bytes[0] === 0 && bytes[1]! < 0x80) bytes = bytes.subarray(1);
  if (bytes[0]! >= 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return tlv(0x02, bytes);
}

export function utcTime(date: Date): Buffer {
  const iso = date.toISOString();
  return tlv(0x17, Buffer.from(`${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`, "latin1"));
}

export const OIDS = {
  cn: "2.5.4.3",
  o: "2.5.4.10",
  ou: "2.5.4.11",
  ecdsaSha256: "1.2.840.10045.4.3.2",
  ecPublicKey: "1.2.840.10045.2.1",
  subjectAltName: "2.5.29.17",
  basicConstraints: "2.5.29.19",
  extKeyUsage: "2.5.29.37",
  clientAuth: "1.3.6.1.5.5.7.3.2",
  serverAuth: "1.3.6.1.5.5.7.3.1",
  crlNumber: "2.5.29.20",
  deltaCrlIndicator: "2.5.29.27",
  issuingDistributionPoint: "2.5.29.28",
};

/** A Name from [type, encoded value] pairs, one RDN each. */
export function name(...attributes: Array<[string, Buffer]>): Buffer {
  return seq(...attributes.map(([type, value]) => set(seq(oid(type), value))));
}

export const extension = (id: string, value: Buffer, critical = false): Buffer => seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));

export interface SanEntry {
  kind: "email" | "dns" | "uri" | "ip";
  value: string | Buffer;
}

export function subjectAltName(entries: SanEntry[]): Buffer {
  const tags = { email: 1, dns: 2, uri: 6, ip: 7 } as const;
  return extension(OIDS.subjectAltName, seq(...entries.map((e) => ctx(tags[e.kind], false, typeof e.value === "string" ? Buffer.from(e.value, "latin1") : e.value))));
}

const ALGORITHM = seq(oid(OIDS.ecdsaSha256));

/** A throwaway key for certificates whose signature no test checks. */
const THROWAWAY = (() => {
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  return { privateKey, spki: createPublicKey(privateKey).export({ format: "der", type: "spki" }) };
})();

export interface CertificateSpec {
  serial?: string;
  issuer: Buffer;
  subject: Buffer;
  notBefore?: Date;
  notAfter?: Date;
  extensions?: Buffer[];
  /** Signs with this key (ECDSA P-256); a throwaway key otherwise. */
  signWith?: KeyObject;
}

export function certificate(spec: CertificateSpec): Buffer {
  const key = THROWAWAY;
  const tbs = seq(
    ctx(0, true, integer("02")),
    integer(spec.serial ?? "1A2B3C"),
    ALGORITHM,
    spec.issuer,
    seq(utcTime(spec.notBefore ?? new Date(Date.now() - 86_400_000)), utcTime(spec.notAfter ?? new Date(Date.now() + 86_400_000))),
    spec.subject,
    key.spki,
    ...(spec.extensions && spec.extensions.length > 0 ? [ctx(3, true, seq(...spec.extensions))] : []),
  );
  const signature = sign("sha256", tbs, spec.signWith ?? key.privateKey);
  return seq(tbs, ALGORITHM, bitString(signature));
}

export interface CrlSpec {
  issuer: Buffer;
  thisUpdate: Date;
  nextUpdate?: Date;
  revoked?: string[];
  extensions?: Buffer[];
  signWith: KeyObject;
}

export function crl(spec: CrlSpec): Buffer {
  const revoked = spec.revoked ?? [];
  const tbs = seq(
    integer("01"),
    ALGORITHM,
    spec.issuer,
    utcTime(spec.thisUpdate),
    ...(spec.nextUpdate ? [utcTime(spec.nextUpdate)] : []),
    ...(revoked.length > 0 ? [seq(...revoked.map((serial) => seq(integer(serial), utcTime(spec.thisUpdate))))] : []),
    ...(spec.extensions && spec.extensions.length > 0 ? [ctx(0, true, seq(...spec.extensions))] : []),
  );
  return seq(tbs, ALGORITHM, bitString(sign("sha256", tbs, spec.signWith)));
}
