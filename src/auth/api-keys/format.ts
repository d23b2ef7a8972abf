import { randomBytes as cryptoRandomBytes } from "node:crypto";
import { AuthError } from "../errors.js";
import { base32Lower, base62Fixed } from "./encoding.js";

/**
 * API key format: `bst_<publicId>_<secret>`.
 *   publicId  16 characters of lower-case base32 from 10 random bytes (80 bits): the key's id, found
 *             by primary-key lookup; not secret (it is listed and logged).
 *   secret    43 characters of base62 from 32 random bytes (256 bits), fixed width.
 * Every key is exactly 64 ASCII characters. Neither alphabet has "_", so the parts split one way.
 * The fixed `bst_` prefix lets the credential extractor route `Authorization: Bearer bst_...` to
 * the API-key authenticator, and lets secret scanners recognize a leaked key.
 */
export const API_KEY_PREFIX = "bst_";
export const PUBLIC_ID_BYTES = 10;
export const PUBLIC_ID_LENGTH = 16;
export const SECRET_BYTES = 32;
export const SECRET_LENGTH = 43;
export const API_KEY_LENGTH = API_KEY_PREFIX.length + PUBLIC_ID_LENGTH + 1 + SECRET_LENGTH;

const PUBLIC_ID = /^[a-z2-7]{16}$/;
const API_KEY = /^bst_([a-z2-7]{16})_([0-9A-Za-z]{43})$/;

export type RandomBytes = (size: number) => Uint8Array;

export interface ParsedApiKey {
  readonly publicId: string;
  /** The whole key, as presented (what is hashed). */
  readonly key: string;
}

/** A new key from `random` (crypto.randomBytes unless a test injects another source). */
export function generateApiKey(random: RandomBytes = cryptoRandomBytes): { publicId: string; key: string } {
  const idBytes = random(PUBLIC_ID_BYTES);
  const secretBytes = random(SECRET_BYTES);
  if (idBytes.length !== PUBLIC_ID_BYTES || secretBytes.length !== SECRET_BYTES) throw new RangeError("random source returned the wrong number of bytes");
  const publicId = base32Lower(idBytes);
  return { publicId, key: `${API_KEY_PREFIX}${publicId}_${base62Fixed(secretBytes, SECRET_LENGTH)}` };
}

/** Whether a bearer token is meant as an API key (by its prefix alone: it may still be malformed). */
export function looksLikeApiKey(token: string): boolean {
  return token.startsWith(API_KEY_PREFIX);
}

/** Whether a string has the shape of a key's public id (for CLI arguments such as `keys revoke ID`). */
export function isPublicId(text: string): boolean {
  return PUBLIC_ID.test(text);
}

/**
 * Splits a presented key, or throws AuthError "malformed_credentials". The length is checked before
 * any pattern, so a megabyte of input costs nothing. Messages never echo the input.
 */
export function parseApiKey(text: string): ParsedApiKey {
  if (typeof text !== "string" || text.length !== API_KEY_LENGTH) {
    throw new AuthError("malformed_credentials", `malformed API key: an API key is ${API_KEY_LENGTH} characters`);
  }
  if (!text.startsWith(API_KEY_PREFIX)) throw new AuthError("malformed_credentials", `malformed API key: an API key starts with ${API_KEY_PREFIX}`);
  const match = API_KEY.exec(text);
  if (match === null) throw new AuthError("malformed_credentials", "malformed API key: expected bst_<id>_<secret>");
  return { publicId: match[1]!, key: text };
}
