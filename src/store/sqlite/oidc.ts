import type { Database, Statement } from "better-sqlite3";
import type { KeyStore, OidcRecord, OidcStore, SigningKeyRecord } from "../../auth/server/store.js";
import type { Envelope } from "./envelope.js";

/**
 * The built-in authorization server's state in SQLite (src/auth/server/store.ts's interfaces):
 * oidc-provider's records, its signing keys and its server secrets. Everything secret is sealed
 * (envelope.ts); ids that are credentials are looked up by their keyed digest. Prepared,
 * parameterized statements only.
 */

interface RecordRow {
  payload: Buffer;
  expires_at: number | null;
  consumed_at: number | null;
}

/** Expired records are swept at most this often, on writes. */
const SWEEP_INTERVAL_MS = 60_000;

const recordContext = (model: string, idDigest: string) => `oidc_records\u0000${model}\u0000${idDigest}`;

export class SqliteOidcStore implements OidcStore {
  private readonly upsertStatement: Statement<[string, string, Buffer, string | null, string | null, string | null, number | null, number | null]>;
  private readonly findStatement: Statement<[string, string, number], RecordRow & { id_digest: string }>;
  private readonly findByUidStatement: Statement<[string, string, number], RecordRow & { id_digest: string }>;
  private readonly findByUserCodeStatement: Statement<[string, string, number], RecordRow & { id_digest: string }>;
  private readonly consumeStatement: Statement<[number, string, string]>;
  private readonly destroyStatement: Statement<[string, string]>;
  private readonly revokeStatement: Statement<[string, string]>;
  private readonly countStatement: Statement<[string, number], { n: number }>;
  private readonly sweepStatement: Statement<[number]>;
  private lastSweep = Number.NEGATIVE_INFINITY;

  constructor(
    db: Database,
    private readonly envelope: Envelope,
    private readonly now: () => number,
  ) {
    this.upsertStatement = db.prepare(
      `INSERT OR REPLACE INTO oidc_records (model, id_digest, payload, grant_id, uid, user_code_digest, expires_at, consumed_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const live = "(expires_at IS NULL OR expires_at > ?)";
    this.findStatement = db.prepare(`SELECT id_digest, payload, expires_at, consumed_at FROM oidc_records WHERE model = ? AND id_digest = ? AND ${live}`);
    this.findByUidStatement = db.prepare(`SELECT id_digest, payload, expires_at, consumed_at FROM oidc_records WHERE model = ? AND uid = ? AND ${live} LIMIT 1`);
    this.findByUserCodeStatement = db.prepare(`SELECT id_digest, payload, expires_at, consumed_at FROM oidc_records WHERE model = ? AND user_code_digest = ? AND ${live} LIMIT 1`);
    // One statement: of two requests consuming the same code or refresh token, exactly one changes the row.
    this.consumeStatement = db.prepare("UPDATE oidc_records SET consumed_at = ? WHERE model = ? AND id_digest = ? AND consumed_at IS NULL");
    this.destroyStatement = db.prepare("DELETE FROM oidc_records WHERE model = ? AND id_digest = ?");
    this.revokeStatement = db.prepare("DELETE FROM oidc_records WHERE model = ? AND grant_id = ?");
    this.countStatement = db.prepare(`SELECT count(*) AS n FROM oidc_records WHERE model = ? AND ${live}`);
    this.sweepStatement = db.prepare("DELETE FROM oidc_records WHERE expires_at IS NOT NULL AND expires_at <= ?");
  }

  private sweep(): void {
    const t = this.now();
    if (t - this.lastSweep < SWEEP_INTERVAL_MS) return;
    this.lastSweep = t;
    this.sweepStatement.run(t);
  }

  private record(model: string, row: (RecordRow & { id_digest: string }) | undefined): OidcRecord | undefined {
    if (row === undefined) return undefined;
    const payload = JSON.parse(this.envelope.open(row.payload, recordContext(model, row.id_digest)).toString("utf8")) as Record<string, unknown>;
    if (row.consumed_at !== null) payload.consumed = row.consumed_at;
    return { payload, ...(row.expires_at !== null ? { expiresAt: row.expires_at } : {}) };
  }

  async upsert(model: string, id: string, record: OidcRecord): Promise<void> {
    this.sweep();
    const idDigest = this.envelope.digest(id);
    const { uid, userCode, grantId, consumed } = record.payload;
    const sealed = this.envelope.seal(Buffer.from(JSON.stringify(record.payload), "utf8"), recordContext(model, idDigest));
    this.upsertStatement.run(
      model,
      idDigest,
      sealed,
      typeof grantId === "string" ? grantId : null,
      typeof uid === "string" ? uid : null,
      typeof userCode === "string" ? this.envelope.digest(userCode) : null,
      record.expiresAt ?? null,
      typeof consumed === "number" ? consumed : null,
    );
  }

  async find(model: string, id: string): Promise<OidcRecord | undefined> {
    return this.record(model, this.findStatement.get(model, this.envelope.digest(id), this.now()));
  }

  async findByUid(model: string, uid: string): Promise<OidcRecord | undefined> {
    return this.record(model, this.findByUidStatement.get(model, uid, this.now()));
  }

  async findByUserCode(model: string, userCode: string): Promise<OidcRecord | undefined> {
    return this.record(model, this.findByUserCodeStatement.get(model, this.envelope.digest(userCode), this.now()));
  }

  async consume(model: string, id: string, at: number): Promise<void> {
    this.consumeStatement.run(at, model, this.envelope.digest(id));
  }

  /** Whether the consume took (for tests: exactly one of concurrent consumers wins). */
  consumeOnce(model: string, id: string, at: number): boolean {
    return this.consumeStatement.run(at, model, this.envelope.digest(id)).changes === 1;
  }

  async destroy(model: string, id: string): Promise<void> {
    this.destroyStatement.run(model, this.envelope.digest(id));
  }

  async revokeByGrantId(model: string, grantId: string): Promise<void> {
    this.revokeStatement.run(model, grantId);
  }

  async count(model: string): Promise<number> {
    return this.countStatement.get(model, this.now())!.n;
  }
}

interface SigningKeyRow {
  kid: string;
  alg: string;
  private_jwk: Buffer;
  created_at: number;
  retired_at: number | null;
}

const keyContext = (kid: string) => `as_signing_keys\u0000${kid}`;
const secretContext = (name: string) => `as_secrets\u0000${name}`;

export class SqliteKeyStore implements KeyStore {
  private readonly listStatement: Statement<[], SigningKeyRow>;
  private readonly saveStatement: Statement<[string, string, Buffer, number, number | null]>;
  private readonly deleteStatement: Statement<[string]>;
  private readonly insertSecretStatement: Statement<[string, Buffer]>;
  private readonly readSecretStatement: Statement<[string], { value: Buffer }>;

  constructor(
    private readonly db: Database,
    private readonly envelope: Envelope,
  ) {
    this.listStatement = db.prepare("SELECT kid, alg, private_jwk, created_at, retired_at FROM as_signing_keys ORDER BY created_at, kid");
    this.saveStatement = db.prepare("INSERT OR REPLACE INTO as_signing_keys (kid, alg, private_jwk, created_at, retired_at) VALUES (?, ?, ?, ?, ?)");
    this.deleteStatement = db.prepare("DELETE FROM as_signing_keys WHERE kid = ?");
    this.insertSecretStatement = db.prepare("INSERT OR IGNORE INTO as_secrets (name, value) VALUES (?, ?)");
    this.readSecretStatement = db.prepare("SELECT value FROM as_secrets WHERE name = ?");
  }

  async listSigningKeys(): Promise<SigningKeyRecord[]> {
    return this.listStatement.all().map((row) => ({
      kid: row.kid,
      alg: row.alg,
      privateJwk: JSON.parse(this.envelope.open(row.private_jwk, keyContext(row.kid)).toString("utf8")) as Record<string, unknown>,
      createdAt: row.created_at,
      ...(row.retired_at !== null ? { retiredAt: row.retired_at } : {}),
    }));
  }

  async saveSigningKey(record: SigningKeyRecord): Promise<void> {
    const sealed = this.envelope.seal(Buffer.from(JSON.stringify(record.privateJwk), "utf8"), keyContext(record.kid));
    this.saveStatement.run(record.kid, record.alg, sealed, record.createdAt, record.retiredAt ?? null);
  }

  async deleteSigningKey(kid: string): Promise<void> {
    this.deleteStatement.run(kid);
  }

  async putSecretIfAbsent(name: string, value: Buffer): Promise<Buffer> {
    // Replicas starting together: the first insert wins, every one reads the winner's value.
    return this.db
      .transaction(() => {
        this.insertSecretStatement.run(name, this.envelope.seal(value, secretContext(name)));
        return this.envelope.open(this.readSecretStatement.get(name)!.value, secretContext(name));
      })
      .immediate();
  }
}
