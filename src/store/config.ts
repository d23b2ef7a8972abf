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
    },
    { error: "an object { path }" },
  )
  .default({});

export type StoreConfigInput = z.input<typeof storeConfigSchema>;
export type StoreConfig = z.output<typeof storeConfigSchema>;

/** The absolute store path: config's, else the default, resolved against `cwd`; ":memory:" kept. */
export function resolveStorePath(path: string | undefined, cwd: string): string {
  const chosen = path ?? DEFAULT_STORE_PATH;
  if (chosen === MEMORY_STORE_PATH) return chosen;
  return isAbsolute(chosen) ? chosen : resolve(cwd, chosen);
}
