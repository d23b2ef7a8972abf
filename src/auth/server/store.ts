/**
 * The authorization server's state, behind small interfaces (DESIGN.md, "State"). In-memory
 * implementations are in memory-store.ts; the SQLite ones belong under src/store (see each
 * interface for the table it needs). Every piece of state a second replica would need lives here,
 * never in a module-level variable.
 */

/** One record of oidc-provider's (a session, grant, code, refresh token, interaction, client, ...). */
export interface OidcRecord {
  /** The payload oidc-provider gave us, stored as JSON. */
  readonly payload: Record<string, unknown>;
  /** When it stops existing (ms since the epoch); undefined keeps it until destroyed (clients). */
  readonly expiresAt?: number;
}

/**
 * Storage for oidc-provider's models. SQLite: one table
 * `oidc_records(model TEXT, id TEXT, payload TEXT, grant_id TEXT, uid TEXT, user_code TEXT,
 * expires_at INTEGER, consumed_at INTEGER, PRIMARY KEY (model, id))` with indexes on grant_id and
 * (model, uid) and (model, user_code), plus a periodic `DELETE ... WHERE expires_at <= now`.
 * `consume` must be atomic (one UPDATE), `revokeByGrantId` one DELETE.
 */
export interface OidcStore {
  upsert(model: string, id: string, record: OidcRecord): Promise<void>;
  /** The record, or undefined if there is none or it has expired. */
  find(model: string, id: string): Promise<OidcRecord | undefined>;
  findByUid(model: string, uid: string): Promise<OidcRecord | undefined>;
  findByUserCode(model: string, userCode: string): Promise<OidcRecord | undefined>;
  /** Marks the record consumed (sets payload.consumed to `at`, whole seconds). */
  consume(model: string, id: string, at: number): Promise<void>;
  destroy(model: string, id: string): Promise<void>;
  /** Removes every record of this model that belongs to the grant. */
  revokeByGrantId(model: string, grantId: string): Promise<void>;
  /** How many records of a model exist now (used to cap dynamically registered clients). */
  count(model: string): Promise<number>;
}

/** A signing key pair, as stored. The private part never leaves the store and the provider. */
export interface SigningKeyRecord {
  readonly kid: string;
  readonly alg: string;
  /** The private JWK (with `d`). SQLite: keep it encrypted at rest (the store's envelope key). */
  readonly privateJwk: Record<string, unknown>;
  readonly createdAt: number;
  /** Set when a newer key took over signing; the key stays published until `retiredAt + retention`. */
  readonly retiredAt?: number;
}

/**
 * Signing keys and server secrets (cookie-signing keys, the CSRF key). SQLite: tables
 * `as_signing_keys(kid PRIMARY KEY, alg, private_jwk, created_at, retired_at)` and
 * `as_secrets(name PRIMARY KEY, value BLOB)`; `putSecretIfAbsent` is `INSERT OR IGNORE` then `SELECT`,
 * so replicas starting together agree on one value.
 */
export interface KeyStore {
  listSigningKeys(): Promise<SigningKeyRecord[]>;
  /** Inserts or replaces by kid. */
  saveSigningKey(record: SigningKeyRecord): Promise<void>;
  deleteSigningKey(kid: string): Promise<void>;
  /** Stores `value` under `name` unless a value is there already; returns the stored value. */
  putSecretIfAbsent(name: string, value: Buffer): Promise<Buffer>;
}

/**
 * A local user of the login page. The same shape as src/store's `UserRecord` (A1), so its SQLite
 * user store can be passed straight in.
 */
export interface UserRecord {
  /** Random, stable: the `sub` of this user's tokens. */
  readonly id: string;
  /** Normalized (NFC, lower case): unique. */
  readonly username: string;
  /** PHC-style scrypt string (passwords.ts). */
  readonly passwordHash: string;
  readonly roles: readonly string[];
  readonly createdAt: number;
  /** Set while the user is disabled. */
  readonly disabledAt?: number;
}

/**
 * Local users. Structurally the UserStore of src/store/types.ts (A1: SQLite table `users`), plus two
 * optional operations that store may add (`setRoles`, `delete`); without them the directory refuses
 * those changes. `insert` refuses a taken id or username by throwing UsernameTakenError or any
 * error with `code === "conflict"` (src/store's StoreError).
 */
export interface UserStore {
  insert(user: Omit<UserRecord, "disabledAt">): Promise<void>;
  findByUsername(username: string): Promise<UserRecord | undefined>;
  findById(id: string): Promise<UserRecord | undefined>;
  list(): Promise<Omit<UserRecord, "passwordHash">[]>;
  /** False if there is no such user. */
  setPasswordHash(id: string, passwordHash: string): Promise<boolean>;
  /** Disables (at a time) or re-enables (undefined); false if there is no such user. */
  setDisabled(id: string, at: number | undefined): Promise<boolean>;
  setRoles?(id: string, roles: readonly string[]): Promise<boolean>;
  delete?(id: string): Promise<boolean>;
}

export class UsernameTakenError extends Error {
  readonly code = "conflict";
  constructor() {
    super("A user with this name exists already");
    this.name = "UsernameTakenError";
  }
}
