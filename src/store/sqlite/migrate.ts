import type { Database } from "better-sqlite3";
import { StoreError } from "../errors.js";
import { MIGRATIONS, type Migration } from "./migrations.js";

interface AppliedRow {
  version: number;
  name: string;
}

export interface MigrationResult {
  /** The schema version before and after. */
  readonly from: number;
  readonly to: number;
  /** The versions applied by this call (empty when the database was already current). */
  readonly applied: readonly number[];
}

/**
 * Brings the database to the newest schema this code knows. Each pending step runs in its own
 * IMMEDIATE transaction (taking the write lock first), re-reading the history inside it, so two
 * processes opening the same file at once apply each step exactly once. Refuses a database that is
 * newer than this code, or whose history names differ from ours: never guess at a schema.
 */
export function migrate(db: Database, now: number, migrations: readonly Migration[] = MIGRATIONS): MigrationResult {
  db.exec(
    `CREATE TABLE IF NOT EXISTS schema_migrations (
       version    INTEGER PRIMARY KEY NOT NULL,
       name       TEXT    NOT NULL,
       applied_at INTEGER NOT NULL
     ) STRICT`,
  );
  const readApplied = db.prepare<[], AppliedRow>("SELECT version, name FROM schema_migrations ORDER BY version");
  const record = db.prepare<[number, string, number]>("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)");
  const latest = migrations.length === 0 ? 0 : migrations[migrations.length - 1]!.version;

  /** The current version, after checking the history against ours. */
  const currentVersion = (): number => {
    const applied = readApplied.all();
    let version = 0;
    for (const row of applied) {
      if (row.version > latest) {
        throw new StoreError(
          "database_too_new",
          `the database has schema version ${row.version}, newer than this version of mcp-bastion knows (${latest}); upgrade mcp-bastion to use it`,
        );
      }
      const ours = migrations.find((m) => m.version === row.version);
      if (ours === undefined || ours.name !== row.name || row.version !== version + 1) {
        throw new StoreError(
          "migration_mismatch",
          `the database's migration ${row.version} ("${row.name}") does not match this version of mcp-bastion's history`,
        );
      }
      version = row.version;
    }
    return version;
  };

  const from = currentVersion();
  const applied: number[] = [];
  for (;;) {
    const step = db
      .transaction((): number | undefined => {
        const version = currentVersion();
        const next = migrations.find((m) => m.version === version + 1);
        if (next === undefined) return undefined;
        db.exec(next.sql);
        record.run(next.version, next.name, now);
        return next.version;
      })
      .immediate();
    if (step === undefined) break;
    applied.push(step);
  }
  return { from, to: applied.length > 0 ? applied[applied.length - 1]! : from, applied };
}
