import { isAbsolute, join, resolve } from "node:path";
import { z } from "zod";

/** The embedded store's file, relative to the working directory, when config names none. */
export const DEFAULT_STORE_PATH = join(".bastion", "bastion.db");

/** SQLite's in-memory database: nothing on disk, gone when closed (tests). */
export const MEMORY_STORE_PATH = ":memory:";

/**
 * The `store` section of the config file. Today the embedded SQLite file; a PostgreSQL `url`
 * would be a sibling key when that implementation exists.
 */
export const storeConfigSchema = z
  .strictObject(
    {
      path: z
        .string({ error: 'a file path for the SQLite store (or ":memory:")' })
        .min(1, { error: "a non-empty file path" })
        .refine((p) => !p.includes("\0"), { error: "a file path without NUL characters" })
        .optional(),
      /**
       * The file holding the key that encrypts secrets at rest (signing keys, client secrets, the
       * authorization server's records); made (0600, random) at first start. Default: secret.key
       * beside the store file. BASTION_SECRET_KEY (32 bytes, base64 or hex) replaces it; the key
       * itself is never read from the config file.
       */
      secretKeyFile: z
        .string({ error: "a file path" })
        .min(1, { error: "a non-empty file path" })
        .refine((p) => !p.includes("\0"), { error: "a file path without NUL characters" })
        .optional(),
    },
    { error: "an object { path, secretKeyFile }" },
  )
  .default({});

/** A secret key as written (64 hex digits, or base64 / base64url of 32 bytes), or undefined if it is not one. */
export function parseSecretKey(text: string): Buffer | undefined {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Buffer.from(t, "hex");
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(t)) {
    const bytes = Buffer.from(t.replace(/-/g, "+").replace(/_/g, "/"), "base64");
    return bytes.length === 32 ? bytes : undefined;
  }
  return undefined;
}

/** The secret key file when config names none: beside the store file (".bastion/secret.key" by default). */
export const SECRET_KEY_FILE_NAME = "secret.key";

export type StoreConfigInput = z.input<typeof storeConfigSchema>;
export type StoreConfig = z.output<typeof storeConfigSchema>;

/** The absolute store path: config's, else the default, resolved against `cwd`; ":memory:" kept. */
export function resolveStorePath(path: string | undefined, cwd: string): string {
  const chosen = path ?? DEFAULT_STORE_PATH;
  if (chosen === MEMORY_STORE_PATH) return chosen;
  return isAbsolute(chosen) ? chosen : resolve(cwd, chosen);
}
