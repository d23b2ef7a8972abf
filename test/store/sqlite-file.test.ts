import { describe, test, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  DEFAULT_STORE_PATH,
  openSqliteStore,
  resolveStorePath,
  storeConfigSchema,
  StoreError,
} from "../../src/store/index.js";

const mode = (path: string) => statSync(path).mode & 0o777;

describe("SQLite store file", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "bastion-file-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test("a new store file is 0600 in a new 0700 directory, in WAL mode", async () => {
    const path = join(dir, "nested", ".bastion", "bastion.db");
    const store = openSqliteStore({ path });
    assert.equal(mode(path), 0o600);
    assert.equal(mode(join(dir, "nested", ".bastion")), 0o700);
    assert.equal(mode(join(dir, "nested")), 0o700);
    await store.apiKeys.insert({
      id: "k",
      lineageId: "k",
      name: "n",
      role: "viewer",
      scopes: [],
      hashScheme: "sha256",
      secretHash: new Uint8Array(32),
      createdAt: 1,
    });
    // While open, SQLite's WAL and shared-memory files carry the database file's permissions.
    const sidecars = readdirSync(join(dir, "nested", ".bastion")).filter((f) => f !== "bastion.db");
    assert.ok(sidecars.includes("bastion.db-wal"), `expected a WAL file, got ${sidecars.join(", ")}`);
    for (const f of sidecars) assert.equal(mode(join(dir, "nested", ".bastion", f)), 0o600, f);
    await store.close();
  });

  test("an existing store file readable by others is tightened to 0600", async () => {
    const path = join(dir, "loose.db");
    writeFileSync(path, "");
    chmodSync(path, 0o644);
    const store = openSqliteStore({ path });
    assert.equal(mode(path), 0o600);
    await store.close();
  });

  test("reopening keeps the data", async () => {
    const path = join(dir, "b.db");
    const first = openSqliteStore({ path });
    await first.users.insert({ id: "u1", username: "alice", passwordHash: "scrypt$x", roles: ["admin"], createdAt: 1 });
    await first.close();
    const second = openSqliteStore({ path });
    assert.equal((await second.users.findByUsername("alice"))!.id, "u1");
    await second.close();
  });

  test("create: false refuses a missing file and creates nothing", () => {
    const path = join(dir, "absent", "b.db");
    assert.throws(() => openSqliteStore({ path, create: false }), (e: unknown) => e instanceof StoreError && e.code === "store_missing");
    assert.equal(existsSync(join(dir, "absent")), false);
  });

  test("a file that is not a SQLite database is refused (not overwritten)", () => {
    const path = join(dir, "notes.txt");
    writeFileSync(path, "these are my notes, not a database, and they are long enough to have a header ".repeat(10));
    assert.throws(() => openSqliteStore({ path }), /not a database/);
    assert.match(readFileSync(path, "utf8"), /^these are my notes/);
  });

  test("':memory:' touches no file", async () => {
    const store = openSqliteStore({ path: ":memory:" });
    assert.equal(store.location, ":memory:");
    assert.equal(existsSync(":memory:"), false);
    await store.close();
  });

  test("close is idempotent", async () => {
    const store = openSqliteStore({ path: ":memory:" });
    await store.close();
    await store.close();
  });
});

describe("store config", () => {
  test("the default path is .bastion/bastion.db under the working directory", () => {
    assert.equal(DEFAULT_STORE_PATH, join(".bastion", "bastion.db"));
    assert.equal(resolveStorePath(undefined, "/srv/app"), "/srv/app/.bastion/bastion.db");
    assert.equal(resolveStorePath("data/x.db", "/srv/app"), "/srv/app/data/x.db");
    assert.equal(resolveStorePath("/var/lib/bastion.db", "/srv/app"), "/var/lib/bastion.db");
    assert.equal(resolveStorePath(":memory:", "/srv/app"), ":memory:");
  });

  test("schema: path optional, non-empty, no NUL, no unknown keys", () => {
    assert.deepEqual(storeConfigSchema.parse(undefined), {});
    assert.deepEqual(storeConfigSchema.parse({ path: "x.db" }), { path: "x.db" });
    for (const bad of [{ path: "" }, { path: "a\0b" }, { path: 3 }, { pth: "x.db" }, "x.db"]) {
      assert.equal(storeConfigSchema.safeParse(bad).success, false, JSON.stringify(bad));
    }
  });
});
