/**
 * A minimal, strict DER reader: just enough ASN.1 to read X.509 certificates and CRLs
 * (RFC 5280) without trusting any text rendering of them. Every length is checked against its
 * container; indefinite lengths, high tag numbers and lengths over 4 bytes are refused.
 */

export class DerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DerError";
  }
}

/** Universal tags used by X.509. */
export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  TELETEX_STRING: 0x14,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  VISIBLE_STRING: 0x1a,
  UNIVERSAL_STRING: 0x1c,
  BMP_STRING: 0x1e,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

export interface DerElement {
  /** The identifier octet (class, constructed bit and tag number). */
  readonly tag: number;
  /** The whole element (identifier, length and content). */
  readonly bytes: Uint8Array;
  readonly content: Uint8Array;
}

/** Context-specific tag `[n]`, constructed or primitive. */
export const contextTag = (n: number, constructed: boolean): number => 0x80 | (constructed ? 0x20 : 0) | n;

/** Reads the element at `offset`; returns it and the offset just after it. */
export function readElement(buffer: Uint8Array, offset: number): { element: DerElement; next: number } {
  if (offset >= buffer.length) throw new DerError("unexpected end of data");
  const tag = buffer[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError("high tag numbers are not supported");
  let cursor = offset + 1;
  if (cursor >= buffer.length) throw new DerError("missing length");
  const first = buffer[cursor]!;
  cursor += 1;
  let length: number;
  if (first < 0x80) {
    length = first;
  } else {
    const count = first & 0x7f;
    if (count === 0) throw new DerError("indefinite length is not DER");
    if (count > 4) throw new DerError("length too large");
    if (cursor + count > buffer.length) throw new DerError("truncated length");
    length = 0;
    for (let i = 0; i < count; i += 1) length = length * 256 + buffer[cursor + i]!;
    if (buffer[cursor] === 0 || length < 0x80) throw new DerError("length not minimally encoded");
    cursor += count;
  }
  const end = cursor + length;
  if (end > buffer.length) throw new DerError("element longer than its container");
  return { element: { tag, bytes: buffer.subarray(offset, end), content: buffer.subarray(cursor, end) }, next: end };
}

/** Parses `buffer` as exactly one element with nothing after it. */
export function readSingle(buffer: Uint8Array): DerElement {
  const { element, next } = readElement(buffer, 0);
  if (next !== buffer.length) throw new DerError("trailing data after the element");
  return element;
}

/** The elements inside a constructed element, in order; they must fill it exactly. */
export function childrenOf(element: DerElement): DerElement[] {
  if ((element.tag & 0x20) === 0) throw new DerError("expected a constructed element");
  const out: DerElement[] = [];
  let offset = 0;
  while (offset < element.content.length) {
    const { element: child, next } = readElement(element.content, offset);
    out.push(child);
    offset = next;
  }
  return out;
}

/** Asserts the element's tag. */
export function expectTag(element: DerElement | undefined, tag: number, what: string): DerElement {
  if (element === undefined) throw new DerError(`missing ${what}`);
  if (element.tag !== tag) throw new DerError(`${what}: unexpected tag 0x${element.tag.toString(16)}`);
  return element;
}

/** A dotted object identifier ("2.5.4.3"). */
export function readOid(element: DerElement): string {
  expectTag(element, TAG.OID, "object identifier");
  const bytes = element.content;
  if (bytes.length === 0) throw new DerError("empty object identifier");
  const arcs: number[] = [];
  let value = 0;
  let started = false;
  for (let i = 0; i < bytes.length; i += 1) {
    const byte = bytes[i]!;
    if (!started && byte === 0x80) throw new DerError("object identifier arc not minimally encoded");
    started = true;
    value = value * 128 + (byte & 0x7f);
    if (value > Number.MAX_SAFE_INTEGER / 128) throw new DerError("object identifier arc too large");
    if ((byte & 0x80) === 0) {
      arcs.push(value);
      value = 0;
      started = false;
    }
  }
  if (started) throw new DerError("truncated object identifier");
  const first = arcs.shift()!;
  const head = first < 40 ? [0, first] : first < 80 ? [1, first - 40] : [2, first - 80];
  return [...head, ...arcs].join(".");
}

/**
 * An INTEGER as upper-case hex, as OpenSSL and Node print serial numbers. A negative serial
 * (non-conforming, but seen) is "-" and its two's-complement bytes, so it never equals a positive one.
 */
export function readIntegerHex(element: DerElement): string {
  expectTag(element, TAG.INTEGER, "integer");
  const bytes = element.content;
  if (bytes.length === 0) throw new DerError("empty integer");
  if (bytes.length > 1 && ((bytes[0] === 0 && bytes[1]! < 0x80) || (bytes[0] === 0xff && bytes[1]! >= 0x80))) {
    throw new DerError("integer not minimally encoded");
  }
  // Whole bytes, as OpenSSL's BN_bn2hex and Node's serialNumber print them ("0F3A..."), without
  // the 00 byte that keeps a positive integer's top bit clear.
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start += 1;
  const hex = Buffer.from(bytes.subarray(start)).toString("hex").toUpperCase();
  if (hex === "00") return "0";
  return bytes[0]! >= 0x80 ? `-${hex}` : hex;
}

const UTC_TIME = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/;
const GENERALIZED_TIME = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/;

/** A Time (UTCTime or GeneralizedTime, RFC 5280 4.1.2.5) in ms since the epoch. */
export function readTime(element: DerElement): number {
  const text = Buffer.from(element.content).toString("latin1");
  let parts: RegExpExecArray | null;
  let year: number;
  if (element.tag === TAG.UTC_TIME) {
    parts = UTC_TIME.exec(text);
    if (!parts) throw new DerError("malformed UTCTime");
    const yy = Number(parts[1]);
    year = yy >= 50 ? 1900 + yy : 2000 + yy;
  } else if (element.tag === TAG.GENERALIZED_TIME) {
    parts = GENERALIZED_TIME.exec(text);
    if (!parts) throw new DerError("malformed GeneralizedTime");
    year = Number(parts[1]);
  } else {
    throw new DerError("expected a time");
  }
  const [month, day, hour, minute, second] = parts.slice(2).map(Number) as [number, number, number, number, number];
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(ms);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    throw new DerError("time out of range");
  }
  return ms;
}

/** A BIT STRING's bits as bytes; only whole bytes (unused bits 0) are accepted. */
export function readBitStringBytes(element: DerElement): Uint8Array {
  expectTag(element, TAG.BIT_STRING, "bit string");
  if (element.content.length === 0 || element.content[0] !== 0) throw new DerError("bit string with unused bits");
  return element.content.subarray(1);
}

const utf8 = new TextDecoder("utf-8", { fatal: true });
const utf16be = new TextDecoder("utf-16be", { fatal: true });

/**
 * A directory string's text, or undefined when it cannot be decoded faithfully (invalid UTF-8,
 * non-ASCII in an ASCII-only type, an unknown string type). Callers treat undefined as a value
 * that matches nothing.
 */
export function readDirectoryString(element: DerElement): string | undefined {
  const bytes = element.content;
  try {
    switch (element.tag) {
      case TAG.UTF8_STRING:
        return utf8.decode(bytes);
      case TAG.PRINTABLE_STRING:
      case TAG.IA5_STRING:
      case TAG.VISIBLE_STRING:
        return bytes.every((b) => b < 0x80) ? Buffer.from(bytes).toString("latin1") : undefined;
      case TAG.TELETEX_STRING:
        return Buffer.from(bytes).toString("latin1");
      case TAG.BMP_STRING:
        return utf16be.decode(bytes);
      case TAG.UNIVERSAL_STRING: {
        if (bytes.length % 4 !== 0) return undefined;
        let out = "";
        for (let i = 0; i < bytes.length; i += 4) {
          const codePoint = ((bytes[i]! << 24) | (bytes[i + 1]! << 16) | (bytes[i + 2]! << 8) | bytes[i + 3]!) >>> 0;
          if (codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) return undefined;
          out += String.fromCodePoint(codePoint);
        }
        return out;
      }
      default:
        return undefined;
    }
  } catch {
    return undefined;
  }
}
