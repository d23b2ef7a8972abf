/**
 * The SQLite schema, as numbered, named steps. A step is applied once, in its own transaction, and
 * recorded in `schema_migrations`; a step is never edited after release (add a new one instead).
 * Versions are 1, 2, 3, ... with no gaps (a test checks).
 *
 * api_keys: a rotation chain shares one lineage_id; generation counts rotations (0 for the first
 * key) and is unique within a chain, so a chain is a line and "this key and every earlier one" is
 * a range, whatever the clock said.
 *
 * Tables are STRICT (a value of the wrong type is an error, not silently stored) and every time is
 * an INTEGER of ms since the epoch.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "create api_keys",
    sql: `
      CREATE TABLE api_keys (
        id            TEXT    PRIMARY KEY NOT NULL,
        lineage_id    TEXT    NOT NULL,
        generation    INTEGER NOT NULL CHECK (generation >= 0),
        name          TEXT    NOT NULL,
        role          TEXT    NOT NULL,
        scopes        TEXT    NOT NULL CHECK (json_valid(scopes) AND json_type(scopes) = 'array'),
        hash_scheme   TEXT    NOT NULL,
        secret_hash   BLOB    NOT NULL CHECK (length(secret_hash) >= 32),
        created_at    INTEGER NOT NULL,
        expires_at    INTEGER,
        revoked_at    INTEGER,
        last_used_at  INTEGER,
        rotated_from  TEXT    REFERENCES api_keys(id) DEFERRABLE INITIALLY DEFERRED,
        replaced_by   TEXT    REFERENCES api_keys(id) DEFERRABLE INITIALLY DEFERRED,
        overlap_until INTEGER,
        CHECK ((replaced_by IS NULL) = (overlap_until IS NULL))
      ) STRICT;
      CREATE UNIQUE INDEX api_keys_by_lineage ON api_keys(lineage_id, generation);
    `,
  },
  {
    version: 2,
    name: "create users",
    sql: `
      CREATE TABLE users (
        id            TEXT    PRIMARY KEY NOT NULL,
        username      TEXT    NOT NULL UNIQUE,
        password_hash TEXT    NOT NULL,
        roles         TEXT    NOT NULL CHECK (json_valid(roles) AND json_type(roles) = 'array'),
        created_at    INTEGER NOT NULL,
        disabled_at   INTEGER
      ) STRICT;
    `,
  },
  {
    version: 3,
    name: "create authorization server tables",
    // oidc_records: oidc-provider's models. id_digest and user_code_digest are keyed HMACs (the
    // ids of codes, refresh tokens and sessions are credentials); payload is AES-256-GCM sealed.
    // as_signing_keys / as_secrets: private JWKs and server secrets, sealed. secret_key_check: one
    // sealed value that tells, at open, whether the secret key given is the one that wrote the store.
    sql: `
      CREATE TABLE oidc_records (
        model            TEXT    NOT NULL,
        id_digest        TEXT    NOT NULL,
        payload          BLOB    NOT NULL,
        grant_id         TEXT,
        uid              TEXT,
        user_code_digest TEXT,
        expires_at       INTEGER,
        consumed_at      INTEGER,
        PRIMARY KEY (model, id_digest)
      ) STRICT;
      CREATE INDEX oidc_records_by_grant ON oidc_records(grant_id) WHERE grant_id IS NOT NULL;
      CREATE INDEX oidc_records_by_uid ON oidc_records(model, uid) WHERE uid IS NOT NULL;
      CREATE INDEX oidc_records_by_user_code ON oidc_records(model, user_code_digest) WHERE user_code_digest IS NOT NULL;
      CREATE INDEX oidc_records_by_expiry ON oidc_records(expires_at) WHERE expires_at IS NOT NULL;
      CREATE TABLE as_signing_keys (
        kid         TEXT    PRIMARY KEY NOT NULL,
        alg         TEXT    NOT NULL,
        private_jwk BLOB    NOT NULL,
        created_at  INTEGER NOT NULL,
        retired_at  INTEGER
      ) STRICT;
      CREATE TABLE as_secrets (
        name  TEXT PRIMARY KEY NOT NULL,
        value BLOB NOT NULL
      ) STRICT;
      CREATE TABLE secret_key_check (
        id     INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
        sealed BLOB    NOT NULL
      ) STRICT;
    `,
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.length;
