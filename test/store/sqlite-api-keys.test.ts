import { describe, test, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import { openSqliteStore, StoreError, type NewApiKey, type SqliteStore } from "../../src/store/index.js";

let counter = 0;
function key(overrides: Partial<NewApiKey> = {}): NewApiKey {
  const id = overrides.id ?? `id${String(counter++).padStart(14, "a")}`;
  return {
    id,
    lineageId: id,
    name: "a key",
    role: "viewer",
    scopes: ["tools:read"],
    hashScheme: "sha256",
    secretHash: new Uint8Array(32).fill(7),
    createdAt: 1000,
    ...overrides,
  };
}

describe("SQLite API key store", () => {
  let store: SqliteStore;
  beforeEach(() => {
    store = openSqliteStore({ path: ":memory:" });
  });
  afterEach(() => store.close());

  test("insert then find by id returns every field; an unknown id is undefined", async () => {
    const k = key({ expiresAt: 5000, scopes: ["a", "b"] });
    await store.apiKeys.insert(k);
    const found = await store.apiKeys.findById(k.id);
    assert.deepEqual({ ...found, secretHash: Buffer.from(found!.secretHash) }, { ...k, secretHash: Buffer.from(k.secretHash) });
    assert.equal(await store.apiKeys.findById("nosuchid"), undefined);
    assert.equal(await store.apiKeys.findById(""), undefined);
  });

  test("a second key with the same id is a conflict, and the first is unchanged", async () => {
    const k = key();
    await store.apiKeys.insert(k);
    await assert.rejects(store.apiKeys.insert({ ...k, name: "other" }), (e: unknown) => e instanceof StoreError && e.code === "conflict");
    assert.equal((await store.apiKeys.findById(k.id))!.name, "a key");
  });

  test("SQL in a name or a scope is stored verbatim (parameterized statements) and the tables survive", async () => {
    const evil = "x'); DROP TABLE api_keys; --";
    const k = key({ name: evil, scopes: ["' OR 1=1 --", 'x"); DELETE FROM users; --'], role: "viewer' --" });
    await store.apiKeys.insert(k);
    const found = await store.apiKeys.findById(k.id);
    assert.equal(found!.name, evil);
    assert.deepEqual(found!.scopes, ["' OR 1=1 --", 'x"); DELETE FROM users; --']);
    assert.equal(found!.role, "viewer' --");
    assert.equal(await store.apiKeys.count(), 1);
    // An id that is SQL finds nothing (and drops nothing).
    assert.equal(await store.apiKeys.findById("' OR '1'='1"), undefined);
    assert.equal(await store.apiKeys.revoke("' OR '1'='1", 5), "not-found");
    assert.equal((await store.apiKeys.list()).length, 1);
  });

  test("list returns metadata only: no hash, no scheme, oldest first", async () => {
    await store.apiKeys.insert(key({ id: "second", createdAt: 2000 }));
    await store.apiKeys.insert(key({ id: "first", createdAt: 1000 }));
    const all = await store.apiKeys.list();
    assert.deepEqual(all.map((k) => k.id), ["first", "second"]);
    for (const k of all) {
      assert.equal("secretHash" in k, false);
      assert.equal("hashScheme" in k, false);
    }
  });

  test("keys created in the same millisecond list in insertion order", async () => {
    for (const id of ["zzz", "aaa", "mmm"]) await store.apiKeys.insert(key({ id, createdAt: 5 }));
    assert.deepEqual((await store.apiKeys.list()).map((k) => k.id), ["zzz", "aaa", "mmm"]);
  });

  test("a hash shorter than 32 bytes is refused by the schema", async () => {
    await assert.rejects(store.apiKeys.insert(key({ secretHash: new Uint8Array(8) })), /CHECK constraint failed/);
  });

  test("revoke: revoked, then already-revoked (time kept), unknown id not-found", async () => {
    const k = key();
    await store.apiKeys.insert(k);
    assert.equal(await store.apiKeys.revoke(k.id, 5000), "revoked");
    assert.equal(await store.apiKeys.revoke(k.id, 6000), "already-revoked");
    assert.equal((await store.apiKeys.findById(k.id))!.revokedAt, 5000);
    assert.equal(await store.apiKeys.revoke("nosuch", 1), "not-found");
  });

  test("revoking a rotated key's replacement revokes the old key too; revoking the old one leaves the new one", async () => {
    const old = key({ id: "old", createdAt: 1000 });
    await store.apiKeys.insert(old);
    const fresh = key({ id: "new", lineageId: "old", rotatedFromId: "old", createdAt: 2000 });
    assert.equal(await store.apiKeys.rotate("old", fresh, 9000, 2000), "rotated");
    const other = key({ id: "other", createdAt: 1500 });
    await store.apiKeys.insert(other);

    assert.equal(await store.apiKeys.revoke("old", 2500), "revoked");
    assert.equal((await store.apiKeys.findById("new"))!.revokedAt, undefined);

    assert.equal(await store.apiKeys.revoke("new", 3000), "revoked");
    assert.equal((await store.apiKeys.findById("old"))!.revokedAt, 2500, "an earlier revocation time is kept");
    assert.equal((await store.apiKeys.findById("other"))!.revokedAt, undefined, "another key is untouched");
  });

  test("revoking the newest key of a chain revokes every earlier one still live", async () => {
    await store.apiKeys.insert(key({ id: "k1", createdAt: 1 }));
    await store.apiKeys.rotate("k1", key({ id: "k2", lineageId: "k1", rotatedFromId: "k1", createdAt: 2 }), 100, 2);
    await store.apiKeys.rotate("k2", key({ id: "k3", lineageId: "k1", rotatedFromId: "k2", createdAt: 3 }), 100, 3);
    assert.equal(await store.apiKeys.revoke("k3", 50), "revoked");
    for (const id of ["k1", "k2", "k3"]) assert.equal((await store.apiKeys.findById(id))!.revokedAt, 50, id);
  });

  test("rotate links old and new and sets the overlap", async () => {
    await store.apiKeys.insert(key({ id: "old" }));
    assert.equal(await store.apiKeys.rotate("old", key({ id: "new", lineageId: "old", rotatedFromId: "old", createdAt: 2000 }), 7000, 2000), "rotated");
    const old = await store.apiKeys.findById("old");
    const fresh = await store.apiKeys.findById("new");
    assert.equal(old!.replacedById, "new");
    assert.equal(old!.overlapUntil, 7000);
    assert.equal(fresh!.rotatedFromId, "old");
    assert.equal(fresh!.lineageId, "old");
  });

  const refusals: Array<[string, (s: SqliteStore) => Promise<void>, number]> = [
    ["revoked", async (s) => void (await s.apiKeys.revoke("old", 1500)), 2000],
    ["expired", async () => undefined, 6000],
    ["already replaced", async (s) => void (await s.apiKeys.rotate("old", key({ id: "first-new", lineageId: "old" }), 3000, 2000)), 2000],
  ];
  for (const [why, arrange, now] of refusals) {
    test(`rotate refuses a ${why} key atomically: the replacement is not inserted`, async () => {
      await store.apiKeys.insert(key({ id: "old", expiresAt: 5000 }));
      await arrange(store);
      const before = await store.apiKeys.count();
      assert.equal(await store.apiKeys.rotate("old", key({ id: "new", lineageId: "old" }), 9000, now), "not-rotatable");
      assert.equal(await store.apiKeys.findById("new"), undefined);
      assert.equal(await store.apiKeys.count(), before);
    });
  }

  test("rotate is one transaction: if the replacement cannot be inserted, the old key is not marked replaced", async () => {
    await store.apiKeys.insert(key({ id: "old" }));
    await store.apiKeys.insert(key({ id: "taken" }));
    await assert.rejects(store.apiKeys.rotate("old", key({ id: "taken", lineageId: "old" }), 9000, 2000), (e: unknown) => e instanceof StoreError && e.code === "conflict");
    const old = await store.apiKeys.findById("old");
    assert.equal(old!.replacedById, undefined);
    assert.equal(old!.overlapUntil, undefined);
    assert.equal(await store.apiKeys.rotate("old", key({ id: "new", lineageId: "old" }), 9000, 2000), "rotated");
  });

  test("a replacement must continue the old key's lineage", async () => {
    await store.apiKeys.insert(key({ id: "old" }));
    await assert.rejects(store.apiKeys.rotate("old", key({ id: "new", lineageId: "elsewhere" }), 9000, 2000), /lineage/);
    assert.equal((await store.apiKeys.findById("old"))!.replacedById, undefined);
  });

  test("rotate of an unknown id is not-found and inserts nothing", async () => {
    assert.equal(await store.apiKeys.rotate("ghost", key({ id: "new" }), 9000, 1), "not-found");
    assert.equal(await store.apiKeys.count(), 0);
  });

  test("touchLastUsed writes only when unset or older than notBefore", async () => {
    await store.apiKeys.insert(key({ id: "k" }));
    assert.equal(await store.apiKeys.touchLastUsed("k", 10_000, 9_001), true);
    assert.equal((await store.apiKeys.findById("k"))!.lastUsedAt, 10_000);
    assert.equal(await store.apiKeys.touchLastUsed("k", 10_500, 9_501), false);
    assert.equal((await store.apiKeys.findById("k"))!.lastUsedAt, 10_000);
    assert.equal(await store.apiKeys.touchLastUsed("k", 11_000, 10_001), true);
    assert.equal((await store.apiKeys.findById("k"))!.lastUsedAt, 11_000);
    assert.equal(await store.apiKeys.touchLastUsed("ghost", 1, 1), false);
  });

  test("insertIfNone inserts into an empty table only", async () => {
    assert.equal(await store.apiKeys.insertIfNone(key({ id: "boot" })), true);
    assert.equal(await store.apiKeys.insertIfNone(key({ id: "boot2" })), false);
    assert.deepEqual((await store.apiKeys.list()).map((k) => k.id), ["boot"]);
  });

  test("records are frozen (no caller can change a cached copy)", async () => {
    await store.apiKeys.insert(key({ id: "k" }));
    const found = await store.apiKeys.findById("k");
    assert.ok(Object.isFrozen(found));
    assert.ok(Object.isFrozen(found!.scopes));
  });
});
