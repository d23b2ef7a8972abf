import Database from "better-sqlite3";
import { MEMORY_STORE_PATH } from "../config.js";
import type { Store } from "../types.js";
import { SqliteApiKeyStore } from "./api-keys.js";
import { prepareStoreFile } from "./file.js";
import { migrate, type MigrationResult } from "./migrate.js";
import { SqliteUserStore } from "./users.js";

export interface OpenSqliteStoreOptions {
  /** An absolute (or cwd-relative) file path, or ":memory:". See resolveStorePath in ../config.ts. */
  readonly path: string;
  /** Create the file (0600) and its directory (0700) when missing; default true. False: StoreError "store_missing". */
  readonly create?: boolean;
  /** Now, in ms (recorded as each migration's applied_at). */
  readonly now?: () => number;
  /** How long to wait for another process's write lock before failing (ms); default 5000. */
  readonly busyTimeoutMs?: number;
}

export interface SqliteStore extends Store {
  /** What opening did to the schema. */
  readonly migration: MigrationResult;
}

/**
 * Opens (creating if allowed) the embedded SQLite store and migrates it to the current schema.
 * WAL journal (readers never block the writer; the CLI can revoke while the gateway serves),
 * foreign keys on, secure_delete on (deleted rows are overwritten, not left in free pages).
 */
export function openSqliteStore(options: OpenSqliteStoreOptions): SqliteStore {
  const { path } = options;
  const now = options.now ?? Date.now;
  if (path !== MEMORY_STORE_PATH) prepareStoreFile(path, options.create ?? true);
  const db = new Database(path, { fileMustExist: path !== MEMORY_STORE_PATH, timeout: options.busyTimeoutMs ?? 5000 });
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("foreign_keys = ON");
    db.pragma("secure_delete = ON");
    db.pragma("trusted_schema = OFF");
    const migration = migrate(db, now());
    const apiKeys = new SqliteApiKeyStore(db);
    const users = new SqliteUserStore(db);
    return {
      apiKeys,
      users,
      location: path,
      migration,
      async close() {
        if (db.open) db.close();
      },
    };
  } catch (error) {
    db.close();
    throw error;
  }
}
