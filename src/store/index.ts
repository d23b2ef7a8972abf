/** State behind small interfaces (DESIGN.md, "State"), and the embedded SQLite implementation. */
export type {
  ApiKeyMetadata,
  ApiKeyRecord,
  ApiKeyStore,
  NewApiKey,
  NewUser,
  RevokeOutcome,
  RotateOutcome,
  Store,
  UserRecord,
  UserStore,
} from "./types.js";
export { StoreError, type StoreFailureCode } from "./errors.js";
export { DEFAULT_STORE_PATH, MEMORY_STORE_PATH, resolveStorePath, storeConfigSchema, type StoreConfig, type StoreConfigInput } from "./config.js";
export { openSqliteStore, type OpenSqliteStoreOptions, type SqliteStore } from "./sqlite/open.js";
export { LATEST_SCHEMA_VERSION } from "./sqlite/migrations.js";
export { SqliteKeyStore, SqliteOidcStore } from "./sqlite/oidc.js";
export { loadOrCreateSecretKey } from "./sqlite/secret-key.js";
export { parseSecretKey, SECRET_KEY_FILE_NAME } from "./config.js";
