import type { KeyStore, OidcStore } from "../auth/server/store.js";

/**
 * State behind small interfaces (DESIGN.md, "State"): one interface per kind of state, async so a
 * PostgreSQL implementation can follow the SQLite one without changing callers. Every time is ms
 * since the epoch, supplied by the caller (the store never reads a clock), so tests move clocks.
 */

/** An API key as listed: everything but the secret's hash. */
export interface ApiKeyMetadata {
  /** The key's public id: the `<publicId>` part of `bst_<publicId>_<secret>`. Not secret. */
  readonly id: string;
  /** The id of the first key of this key's rotation chain (its own id if never rotated). */
  readonly lineageId: string;
  readonly name: string;
  readonly role: string;
  readonly scopes: readonly string[];
  readonly createdAt: number;
  readonly expiresAt?: number;
  readonly revokedAt?: number;
  readonly lastUsedAt?: number;
  /** The key this one replaced by rotation. */
  readonly rotatedFromId?: string;
  /** The key that replaced this one by rotation. */
  readonly replacedById?: string;
  /** Set with `replacedById`: this key stays valid until then (the rotation overlap). */
  readonly overlapUntil?: number;
}

/** An API key with the hash of its secret: what authentication reads, by id, and nothing else. */
export interface ApiKeyRecord extends ApiKeyMetadata {
  /** How `secretHash` was computed (e.g. "sha256"); an unknown scheme never authenticates. */
  readonly hashScheme: string;
  readonly secretHash: Uint8Array;
}

export type NewApiKey = Omit<ApiKeyRecord, "revokedAt" | "lastUsedAt" | "replacedById" | "overlapUntil">;

export type RevokeOutcome = "revoked" | "already-revoked" | "not-found";
export type RotateOutcome = "rotated" | "not-found" | "not-rotatable";

export interface ApiKeyStore {
  /** Adds a key; StoreError "conflict" if the id is taken. */
  insert(key: NewApiKey): Promise<void>;
  /** Adds a key only if there are no keys at all (atomically); true if it was added. */
  insertIfNone(key: NewApiKey): Promise<boolean>;
  /** One key by its public id (a primary-key lookup: never a scan). */
  findById(id: string): Promise<ApiKeyRecord | undefined>;
  /** Every key, oldest first (ties in insertion order), without hashes. */
  list(): Promise<ApiKeyMetadata[]>;
  count(): Promise<number>;
  /**
   * Revokes a key at `at`, and with it the keys it replaced by rotation (older keys of its chain
   * still in their overlap): revoking a key revokes every earlier version of it.
   */
  revoke(id: string, at: number): Promise<RevokeOutcome>;
  /**
   * Atomically: if `oldId` is neither revoked, expired at `now`, nor already replaced, marks it
   * replaced by `replacement` (valid until `overlapUntil`) and inserts `replacement`.
   */
  rotate(oldId: string, replacement: NewApiKey, overlapUntil: number, now: number): Promise<RotateOutcome>;
  /** Sets last-used to `at` if it is unset or earlier than `notBefore` (one conditional UPDATE); true if written. */
  touchLastUsed(id: string, at: number, notBefore: number): Promise<boolean>;
}

/** A local user of the built-in authorization server's login page. */
export interface UserRecord {
  /** Random, stable id (the token subject); usernames may change, this does not. */
  readonly id: string;
  readonly username: string;
  /** A self-describing password hash (e.g. "scrypt$..."): the store never sees a password. */
  readonly passwordHash: string;
  readonly roles: readonly string[];
  readonly createdAt: number;
  readonly disabledAt?: number;
}

export type NewUser = Omit<UserRecord, "disabledAt">;

export interface UserStore {
  /** Adds a user; StoreError "conflict" if the id or username is taken. */
  insert(user: NewUser): Promise<void>;
  findByUsername(username: string): Promise<UserRecord | undefined>;
  findById(id: string): Promise<UserRecord | undefined>;
  /** Every user, oldest first, without password hashes. */
  list(): Promise<Omit<UserRecord, "passwordHash">[]>;
  /** False if there is no such user. */
  setPasswordHash(id: string, passwordHash: string): Promise<boolean>;
  /** Disables (at a time) or re-enables (undefined) a user; false if there is no such user. */
  setDisabled(id: string, at: number | undefined): Promise<boolean>;
}

/** Every kind of state, from one backing database. */
export interface Store {
  readonly apiKeys: ApiKeyStore;
  readonly users: UserStore;
  /** The built-in authorization server's records (sessions, grants, codes, refresh tokens, clients), when this store keeps them. */
  readonly oidc?: OidcStore;
  /** The built-in authorization server's signing keys and secrets (encrypted at rest), when this store keeps them. */
  readonly signingKeys?: KeyStore;
  /** Where the state lives, for messages (a file path or ":memory:"; never credentials). */
  readonly location: string;
  close(): Promise<void>;
}
