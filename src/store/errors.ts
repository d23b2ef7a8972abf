/**
 * Why the store refused or failed. `code` is stable (tests and the CLI match on it); `message`
 * names paths and versions, never a stored secret or hash.
 */
export type StoreFailureCode =
  /** The database was written by a newer mcp-bastion (a schema version this code does not know). */
  | "database_too_new"
  /** The database's migration history does not match this code's (same version, another name). */
  | "migration_mismatch"
  /** The store file does not exist and the caller asked not to create it. */
  | "store_missing"
  /** A record with the same unique id already exists. */
  | "conflict"
  /** The secret key given does not open what the store encrypted (another key wrote it), or a sealed value was altered. */
  | "wrong_secret_key"
  /** The secret key file is unusable (not 32 bytes in base64 or hex, unreadable, or readable by others and not ours to fix). */
  | "bad_secret_key_file";

export class StoreError extends Error {
  constructor(
    readonly code: StoreFailureCode,
    message: string,
  ) {
    super(message);
    this.name = "StoreError";
  }
}
