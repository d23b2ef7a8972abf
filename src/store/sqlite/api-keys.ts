import type { Database, Statement } from "better-sqlite3";
import { StoreError } from "../errors.js";
import type { ApiKeyMetadata, ApiKeyRecord, ApiKeyStore, NewApiKey, RevokeOutcome, RotateOutcome } from "../types.js";
import { isUniqueViolation, optional, parseStringArray } from "./rows.js";

interface ApiKeyRow {
  id: string;
  lineage_id: string;
  name: string;
  role: string;
  scopes: string;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
  last_used_at: number | null;
  rotated_from: string | null;
  replaced_by: string | null;
  overlap_until: number | null;
}

interface ApiKeyRowWithHash extends ApiKeyRow {
  hash_scheme: string;
  secret_hash: Buffer;
}

const METADATA_COLUMNS =
  "id, lineage_id, name, role, scopes, created_at, expires_at, revoked_at, last_used_at, rotated_from, replaced_by, overlap_until";

type InsertParams = [string, string, number, string, string, string, string, Buffer, number, number | null, string | null];

function metadataOf(row: ApiKeyRow): ApiKeyMetadata {
  return Object.freeze({
    id: row.id,
    lineageId: row.lineage_id,
    name: row.name,
    role: row.role,
    scopes: Object.freeze(parseStringArray(row.scopes, "api_keys.scopes")),
    createdAt: row.created_at,
    ...optional("expiresAt", row.expires_at),
    ...optional("revokedAt", row.revoked_at),
    ...optional("lastUsedAt", row.last_used_at),
    ...optional("rotatedFromId", row.rotated_from),
    ...optional("replacedById", row.replaced_by),
    ...optional("overlapUntil", row.overlap_until),
  });
}

function insertParams(key: NewApiKey, generation: number): InsertParams {
  return [
    key.id,
    key.lineageId,
    generation,
    key.name,
    key.role,
    JSON.stringify(key.scopes),
    key.hashScheme,
    Buffer.from(key.secretHash),
    key.createdAt,
    key.expiresAt ?? null,
    key.rotatedFromId ?? null,
  ];
}

/** API keys in SQLite: prepared, parameterized statements only. */
export class SqliteApiKeyStore implements ApiKeyStore {
  private readonly insertStatement: Statement<InsertParams>;
  private readonly insertIfNoneStatement: Statement<InsertParams>;
  private readonly findStatement: Statement<[string], ApiKeyRowWithHash>;
  private readonly listStatement: Statement<[], ApiKeyRow>;
  private readonly countStatement: Statement<[], { n: number }>;
  private readonly chainStatement: Statement<[string], { revoked_at: number | null; lineage_id: string; generation: number }>;
  private readonly revokeChainStatement: Statement<[number, string, number]>;
  private readonly markReplacedStatement: Statement<[string, number, string, number]>;
  private readonly touchStatement: Statement<[number, string, number]>;

  constructor(private readonly db: Database) {
    const columns = "(id, lineage_id, generation, name, role, scopes, hash_scheme, secret_hash, created_at, expires_at, rotated_from)";
    this.insertStatement = db.prepare(`INSERT INTO api_keys ${columns} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.insertIfNoneStatement = db.prepare(
      `INSERT INTO api_keys ${columns} SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM api_keys)`,
    );
    this.findStatement = db.prepare(`SELECT ${METADATA_COLUMNS}, hash_scheme, secret_hash FROM api_keys WHERE id = ?`);
    this.listStatement = db.prepare(`SELECT ${METADATA_COLUMNS} FROM api_keys ORDER BY created_at, rowid`);
    this.countStatement = db.prepare("SELECT count(*) AS n FROM api_keys");
    this.chainStatement = db.prepare("SELECT revoked_at, lineage_id, generation FROM api_keys WHERE id = ?");
    // The key and every earlier key of its rotation chain (a chain is a line: only its newest key can be rotated).
    this.revokeChainStatement = db.prepare(
      "UPDATE api_keys SET revoked_at = ? WHERE lineage_id = ? AND generation <= ? AND revoked_at IS NULL",
    );
    this.markReplacedStatement = db.prepare(
      `UPDATE api_keys SET replaced_by = ?, overlap_until = ?
       WHERE id = ? AND revoked_at IS NULL AND replaced_by IS NULL AND (expires_at IS NULL OR expires_at > ?)`,
    );
    this.touchStatement = db.prepare(
      "UPDATE api_keys SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)",
    );
  }

  async insert(key: NewApiKey): Promise<void> {
    try {
      this.insertStatement.run(...insertParams(key, 0));
    } catch (error) {
      if (isUniqueViolation(error)) throw new StoreError("conflict", "an API key with this id already exists");
      throw error;
    }
  }

  async insertIfNone(key: NewApiKey): Promise<boolean> {
    // One statement: SQLite runs it under one write lock, so two processes cannot both insert.
    return this.db.transaction(() => this.insertIfNoneStatement.run(...insertParams(key, 0)).changes === 1).immediate();
  }

  async findById(id: string): Promise<ApiKeyRecord | undefined> {
    const row = this.findStatement.get(id);
    if (row === undefined) return undefined;
    return Object.freeze({ ...metadataOf(row), hashScheme: row.hash_scheme, secretHash: new Uint8Array(row.secret_hash) });
  }

  async list(): Promise<ApiKeyMetadata[]> {
    return this.listStatement.all().map(metadataOf);
  }

  async count(): Promise<number> {
    return this.countStatement.get()!.n;
  }

  async revoke(id: string, at: number): Promise<RevokeOutcome> {
    return this.db
      .transaction((): RevokeOutcome => {
        const row = this.chainStatement.get(id);
        if (row === undefined) return "not-found";
        if (row.revoked_at !== null) return "already-revoked";
        this.revokeChainStatement.run(at, row.lineage_id, row.generation);
        return "revoked";
      })
      .immediate();
  }

  async rotate(oldId: string, replacement: NewApiKey, overlapUntil: number, now: number): Promise<RotateOutcome> {
    try {
      return this.db
        .transaction((): RotateOutcome => {
          // Claim the old key (a compare-and-set on its state), then add its replacement; the
          // foreign keys between them are checked at commit.
          const old = this.chainStatement.get(oldId);
          if (old === undefined) return "not-found";
          if (replacement.lineageId !== old.lineage_id) throw new Error("a replacement key must continue its predecessor's lineage");
          if (this.markReplacedStatement.run(replacement.id, overlapUntil, oldId, now).changes !== 1) return "not-rotatable";
          this.insertStatement.run(...insertParams(replacement, old.generation + 1));
          return "rotated";
        })
        .immediate();
    } catch (error) {
      if (isUniqueViolation(error)) throw new StoreError("conflict", "an API key with this id already exists");
      throw error;
    }
  }

  async touchLastUsed(id: string, at: number, notBefore: number): Promise<boolean> {
    return this.touchStatement.run(at, id, notBefore).changes === 1;
  }
}
