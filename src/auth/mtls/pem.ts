/**
 * Splitting PEM bundles into single objects. Node's `crl` option reads only the FIRST CRL of a
 * string (OpenSSL's PEM_read_bio_X509_CRL), so a bundle must be passed as an array of one CRL
 * each; certificates are split the same way so every CA is seen and checked.
 */

export interface PemBlock {
  /** The block as PEM text (BEGIN line to END line, with a final newline). */
  readonly pem: string;
  readonly der: Buffer;
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END ([A-Z0-9 ]+)-----/g;
const BASE64_BODY = /^[A-Za-z0-9+/=\r\n]+$/;

/**
 * The blocks labelled `label` ("CERTIFICATE", "X509 CRL"), in order. Throws when the text holds a
 * block with a mismatched END line or a body that is not base64 (a damaged file must not be
 * read as fewer objects than it has).
 */
export function splitPem(text: string, label: string): PemBlock[] {
  const out: PemBlock[] = [];
  let blocks = 0;
  for (const match of text.matchAll(BLOCK)) {
    blocks += 1;
    const [, begin, body, end] = match as unknown as [string, string, string, string];
    if (begin !== end) throw new Error(`PEM block BEGIN ${begin} ends with END ${end}`);
    if (begin !== label) continue;
    if (!BASE64_BODY.test(body)) throw new Error(`PEM block ${label} has a body that is not base64 (encrypted or damaged)`);
    const der = Buffer.from(body.replace(/[\r\n]/g, ""), "base64");
    if (der.length === 0) throw new Error(`empty PEM block ${label}`);
    out.push({ pem: toPem(der, label), der });
  }
  if (blocks !== text.split("-----BEGIN ").length - 1) throw new Error("a PEM block has no matching END line");
  return out;
}

/** Base64 lines of 64 characters between BEGIN and END lines. */
export function toPem(der: Uint8Array, label: string): string {
  const base64 = Buffer.from(der).toString("base64");
  const lines: string[] = [];
  for (let i = 0; i < base64.length; i += 64) lines.push(base64.slice(i, i + 64));
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

/**
 * The objects in a file: PEM blocks labelled `label`, or, when the file holds no PEM at all,
 * the whole file as one DER object (CRLs are often published as DER).
 */
export function readPemOrDer(bytes: Buffer, label: string): PemBlock[] {
  const text = bytes.toString("latin1");
  if (!text.includes("-----BEGIN ")) return bytes.length === 0 ? [] : [{ pem: toPem(bytes, label), der: Buffer.from(bytes) }];
  return splitPem(text, label);
}
