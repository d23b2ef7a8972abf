import { randomBytes } from "node:crypto";
import Database from "better-sqlite3";
import { MEMORY_STORE_PATH } from "../config.js";
import { StoreError } from "../errors.js";
import type { Store } from "../types.js";
import { SqliteApiKeyStore } from "./api-keys.js";
import { createEnvelope, SECRET_KEY_BYTES, type Envelope } from "./envelope.js";
import { prepareStoreFile } from "./file.js";
import { migrate, type MigrationResult } from "./migrate.js";
import { SqliteKeyStore, SqliteOidcStore } from "./oidc.js";
import { loadOrCreateSecretKey } from "./secret-key.js";
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
  /**
   * The key (32 bytes) that seals secrets at rest: the authorization server's records, signing keys
   * and secrets are kept here only with one. Else `secretKeyFile` is read, or made (0600) if missing.
   * With neither, a ":memory:" store gets a random key; a file store keeps no such secrets (`oidc`
   * and `signingKeys` are absent).
   */
  readonly secretKey?: Buffer;
  readonly secretKeyFile?: string;
}

export interface SqliteStore extends Store {
  /** What opening did to the schema. */
  readonly migration: MigrationResult;
}

const CHECK_CONTEXT = "secret_key_check";
const CHECK_VALUE = Buffer.from("mcp-bastion secret key check v1", "utf8");

/** Seals a known value the first time; later opens must open it, or the key is not the store's. */
function checkSecretKey(db: Database.Database, envelope: Envelope): void {
  db.transaction(() => {
    const row = db.prepare<[], { sealed: Buffer }>("SELECT sealed FROM secret_key_check WHERE id = 1").get();
    if (row === undefined) {
      db.prepare<[Buffer]>("INSERT INTO secret_key_check (id, sealed) VALUES (1, ?)").run(envelope.seal(CHECK_VALUE, CHECK_CONTEXT));
      return;
    }
    let opened: Buffer;
    try {
      opened = envelope.open(row.sealed, CHECK_CONTEXT);
    } catch {
      throw new StoreError("wrong_secret_key", "the secret key (BASTION_SECRET_KEY or the secret key file) is not the one this store was written with");
    }
    if (!opened.equals(CHECK_VALUE)) throw new StoreError("wrong_secret_key", "the store's secret key check does not match");
  }).immediate();
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
    const secretKey =
      options.secretKey ?? (options.secretKeyFile !== undefined ? loadOrCreateSecretKey(options.secretKeyFile) : path === MEMORY_STORE_PATH ? randomBytes(SECRET_KEY_BYTES) : undefined);
    let sealed: { oidc: SqliteOidcStore; signingKeys: SqliteKeyStore } | undefined;
    if (secretKey !== undefined) {
      const envelope = createEnvelope(secretKey);
      checkSecretKey(db, envelope);
      sealed = { oidc: new SqliteOidcStore(db, envelope, now), signingKeys: new SqliteKeyStore(db, envelope) };
    }
    return {
      apiKeys,
      users,
      ...sealed,
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
