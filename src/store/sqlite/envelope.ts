import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from "node:crypto";
import { StoreError } from "../errors.js";

/**
 * Encryption at rest for what the store must keep secret (signing private keys, client secrets,
 * the authorization server's records): AES-256-GCM under a key derived (HKDF-SHA256) from the
 * store's secret key, with a fresh random 96-bit IV per value and the row's identity as additional
 * data, so a sealed value moved to another row does not open. Lookup ids that are themselves
 * credentials (refresh tokens, codes, session ids) are stored as an HMAC-SHA256 under a second
 * derived key: the table can be searched, the file does not hold the credential.
 *
 * Sealed layout: version (1 byte, 1) | IV (12) | tag (16) | ciphertext.
 */
export interface Envelope {
  seal(plaintext: Buffer, context: string): Buffer;
  /** Throws StoreError "wrong_secret_key" when the value does not open under this key and context. */
  open(sealed: Buffer, context: string): Buffer;
  /** A stable, keyed digest of an identifier (base64url). */
  digest(value: string): string;
}

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export const SECRET_KEY_BYTES = 32;

export function createEnvelope(secretKey: Buffer): Envelope {
  if (secretKey.length !== SECRET_KEY_BYTES) throw new StoreError("bad_secret_key_file", `the store's secret key must be ${SECRET_KEY_BYTES} bytes`);
  const derive = (info: string) => Buffer.from(hkdfSync("sha256", secretKey, Buffer.alloc(0), info, 32));
  const encryptionKey = derive("mcp-bastion store encryption v1");
  const digestKey = derive("mcp-bastion store lookup ids v1");
  return {
    seal(plaintext, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv("aes-256-gcm", encryptionKey, iv);
      cipher.setAAD(Buffer.from(context, "utf8"));
      const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
      return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), ciphertext]);
    },
    open(sealed, context) {
      if (sealed.length < 1 + IV_BYTES + TAG_BYTES || sealed[0] !== VERSION) throw new StoreError("wrong_secret_key", "a sealed value in the store is malformed");
      const iv = sealed.subarray(1, 1 + IV_BYTES);
      const tag = sealed.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
      const decipher = createDecipheriv("aes-256-gcm", encryptionKey, iv);
      decipher.setAAD(Buffer.from(context, "utf8"));
      decipher.setAuthTag(tag);
      try {
        return Buffer.concat([decipher.update(sealed.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]);
      } catch {
        throw new StoreError("wrong_secret_key", "a value in the store does not open with this secret key (was it written with another BASTION_SECRET_KEY or secret.key?)");
      }
    },
    digest(value) {
      return createHmac("sha256", digestKey).update(value, "utf8").digest("base64url");
    },
  };
}
