/** Text encodings for the parts of an API key: both alphabets exclude "_", the key's separator. */

const BASE32_LOWER = "abcdefghijklmnopqrstuvwxyz234567";
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** RFC 4648 base32, lower case, no padding: 5 bytes -> 8 characters. */
export function base32Lower(bytes: Uint8Array): string {
  let out = "";
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += BASE32_LOWER[(buffer >>> bits) & 31];
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32_LOWER[(buffer << (5 - bits)) & 31];
  return out;
}

/** The bytes as one big-endian number in base 62, left-padded with "0" to exactly `width` digits. */
export function base62Fixed(bytes: Uint8Array, width: number): string {
  let n = 0n;
  for (const byte of bytes) n = (n << 8n) | BigInt(byte);
  let out = "";
  while (n > 0n) {
    out = BASE62[Number(n % 62n)]! + out;
    n /= 62n;
  }
  if (out.length > width) throw new RangeError(`${bytes.length} bytes do not fit in ${width} base62 digits`);
  return out.padStart(width, "0");
}
