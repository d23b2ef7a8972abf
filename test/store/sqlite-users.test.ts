import { describe, test, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import { openSqliteStore, StoreError, type NewUser, type SqliteStore } from "../../src/store/index.js";

const alice: NewUser = { id: "u-alice", username: "alice", passwordHash: "scrypt$N=16384$salt$hash", roles: ["admin"], createdAt: 100 };

describe("SQLite user store", () => {
  let store: SqliteStore;
  beforeEach(() => {
    store = openSqliteStore({ path: ":memory:" });
  });
  afterEach(() => store.close());

  test("insert, then find by username and by id", async () => {
    await store.users.insert(alice);
    assert.deepEqual(await store.users.findByUsername("alice"), alice);
    assert.deepEqual(await store.users.findById("u-alice"), alice);
  });

  test("unknown usernames and ids are undefined; lookups are exact (no case folding, no wildcards)", async () => {
    await store.users.insert(alice);
    for (const name of ["Alice", "alice ", "%", "a%", "' OR '1'='1", ""]) assert.equal(await store.users.findByUsername(name), undefined, name);
    assert.equal(await store.users.findById("u-%"), undefined);
  });

  test("a taken username or id is a conflict", async () => {
    await store.users.insert(alice);
    await assert.rejects(store.users.insert({ ...alice, id: "u-other" }), (e: unknown) => e instanceof StoreError && e.code === "conflict");
    await assert.rejects(store.users.insert({ ...alice, username: "bob" }), (e: unknown) => e instanceof StoreError && e.code === "conflict");
  });

  test("a username that is SQL is stored verbatim", async () => {
    const evil = "x'); DROP TABLE users; --";
    await store.users.insert({ ...alice, username: evil });
    assert.equal((await store.users.findByUsername(evil))!.id, "u-alice");
    assert.equal((await store.users.list()).length, 1);
  });

  test("list never carries password hashes", async () => {
    await store.users.insert(alice);
    await store.users.insert({ ...alice, id: "u-bob", username: "bob", createdAt: 200 });
    const all = await store.users.list();
    assert.deepEqual(all.map((u) => u.username), ["alice", "bob"]);
    for (const u of all) assert.equal("passwordHash" in u, false);
  });

  test("password hash change and disable/enable; unknown ids report false", async () => {
    await store.users.insert(alice);
    assert.equal(await store.users.setPasswordHash("u-alice", "scrypt$new"), true);
    assert.equal((await store.users.findById("u-alice"))!.passwordHash, "scrypt$new");
    assert.equal(await store.users.setDisabled("u-alice", 500), true);
    assert.equal((await store.users.findById("u-alice"))!.disabledAt, 500);
    assert.equal(await store.users.setDisabled("u-alice", undefined), true);
    assert.equal((await store.users.findById("u-alice"))!.disabledAt, undefined);
    assert.equal(await store.users.setPasswordHash("ghost", "x"), false);
    assert.equal(await store.users.setDisabled("ghost", 1), false);
  });
});
