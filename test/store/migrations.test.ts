import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { migrate } from "../../src/store/sqlite/migrate.js";
import { LATEST_SCHEMA_VERSION, MIGRATIONS, type Migration } from "../../src/store/sqlite/migrations.js";
import { openSqliteStore, StoreError } from "../../src/store/index.js";

function schemaOf(db: Database.Database): unknown[] {
  return db.prepare("SELECT type, name, sql FROM sqlite_master ORDER BY name").all();
}

function history(db: Database.Database): Array<{ version: number; name: string; applied_at: number }> {
  return db.prepare("SELECT version, name, applied_at FROM schema_migrations ORDER BY version").all() as never;
}

describe("migrations", () => {
  test("versions are 1..N with no gaps, names are unique and non-empty", () => {
    assert.deepEqual(
      MIGRATIONS.map((m) => m.version),
      Array.from({ length: MIGRATIONS.length }, (_, i) => i + 1),
    );
    assert.equal(new Set(MIGRATIONS.map((m) => m.name)).size, MIGRATIONS.length);
    assert.ok(MIGRATIONS.every((m) => m.name.trim().length > 0));
    assert.equal(LATEST_SCHEMA_VERSION, MIGRATIONS.length);
  });

  test("a fresh database gets every step, each recorded once with its name and time", () => {
    const db = new Database(":memory:");
    const result = migrate(db, 1234);
    assert.deepEqual(result, { from: 0, to: LATEST_SCHEMA_VERSION, applied: MIGRATIONS.map((m) => m.version) });
    assert.deepEqual(history(db), MIGRATIONS.map((m) => ({ version: m.version, name: m.name, applied_at: 1234 })));
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    assert.deepEqual(tables, ["api_keys", "as_secrets", "as_signing_keys", "oidc_records", "schema_migrations", "secret_key_check", "users"]);
  });

  test("migrating twice is a no-op: nothing applied, history and schema unchanged", () => {
    const db = new Database(":memory:");
    migrate(db, 1);
    const schemaBefore = schemaOf(db);
    const historyBefore = history(db);
    const again = migrate(db, 2);
    assert.deepEqual(again, { from: LATEST_SCHEMA_VERSION, to: LATEST_SCHEMA_VERSION, applied: [] });
    assert.deepEqual(schemaOf(db), schemaBefore);
    assert.deepEqual(history(db), historyBefore);
  });

  test("a partly migrated database gets only the missing steps", () => {
    const db = new Database(":memory:");
    migrate(db, 1, MIGRATIONS.slice(0, 1));
    const result = migrate(db, 2);
    assert.deepEqual(result.applied, MIGRATIONS.slice(1).map((m) => m.version));
    assert.deepEqual(history(db).map((h) => h.applied_at), [1, ...MIGRATIONS.slice(1).map(() => 2)]);
  });

  test("a database newer than the code is refused, and left untouched", () => {
    const db = new Database(":memory:");
    migrate(db, 1);
    db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)").run(LATEST_SCHEMA_VERSION + 1, "from the future", 9);
    const before = schemaOf(db);
    assert.throws(() => migrate(db, 2), (e: unknown) => e instanceof StoreError && e.code === "database_too_new" && /upgrade mcp-bastion/.test(e.message));
    assert.deepEqual(schemaOf(db), before);
    assert.equal(history(db).length, LATEST_SCHEMA_VERSION + 1);
  });

  test("opening a newer database file through openSqliteStore is refused too", () => {
    const dir = mkdtempSync(join(tmpdir(), "bastion-store-"));
    try {
      const path = join(dir, "b.db");
      openSqliteStore({ path }).close();
      const raw = new Database(path);
      raw.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)").run(LATEST_SCHEMA_VERSION + 7, "later", 1);
      raw.close();
      assert.throws(() => openSqliteStore({ path }), (e: unknown) => e instanceof StoreError && e.code === "database_too_new");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a history that differs from ours (same version, another name) is refused", () => {
    const db = new Database(":memory:");
    migrate(db, 1);
    db.prepare("UPDATE schema_migrations SET name = ? WHERE version = 1").run("something else");
    assert.throws(() => migrate(db, 2), (e: unknown) => e instanceof StoreError && e.code === "migration_mismatch");
  });

  test("a history with a gap is refused", () => {
    const db = new Database(":memory:");
    migrate(db, 1);
    db.prepare("DELETE FROM schema_migrations WHERE version = 1").run();
    assert.throws(() => migrate(db, 2), (e: unknown) => e instanceof StoreError && e.code === "migration_mismatch");
  });

  test("each step runs in a transaction: a failing step leaves nothing behind and is not recorded", () => {
    const db = new Database(":memory:");
    const steps: Migration[] = [
      { version: 1, name: "one", sql: "CREATE TABLE one (x INTEGER) STRICT;" },
      { version: 2, name: "two, broken halfway", sql: "CREATE TABLE two (x INTEGER) STRICT; INSERT INTO nowhere VALUES (1);" },
    ];
    assert.throws(() => migrate(db, 5, steps), /no such table: nowhere/);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    assert.deepEqual(tables, ["one", "schema_migrations"]);
    assert.deepEqual(history(db).map((h) => h.version), [1]);
  });

  test("two connections to one file: the second finds everything applied", () => {
    const dir = mkdtempSync(join(tmpdir(), "bastion-store-"));
    try {
      const path = join(dir, "b.db");
      const first = openSqliteStore({ path });
      const second = openSqliteStore({ path });
      assert.deepEqual(first.migration.applied, MIGRATIONS.map((m) => m.version));
      assert.deepEqual(second.migration.applied, []);
      first.close();
      second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
