/**
 * The built-in authorization server's state in SQLite: migration 3 on an existing store, the
 * OidcStore semantics (expiry, lookups, grant revocation, an atomic consume), the KeyStore, and
 * encryption at rest: with a real authorization server writing to a store file, no private key,
 * client secret, refresh token or server secret appears in the file's bytes; another key does not
 * open the store; the secret key file is made 0600 once and reused.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import Database from "better-sqlite3";
import { createUserDirectory, type OidcStore } from "../../src/auth/server/index.js";
import { openSqliteStore, StoreError, SqliteOidcStore } from "../../src/store/index.js";
import { migrate } from "../../src/store/sqlite/migrate.js";
import { MIGRATIONS } from "../../src/store/sqlite/migrations.js";
import { PASSWORD, registerClient, signedInClient, startServer } from "../auth/server/helpers.js";

const dir = mkdtempSync(join(tmpdir(), "bastion-store-as-"));
after(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;
const fresh = () => join(dir, `store-${counter++}.db`);

describe("migration 3 (authorization server tables)", () => {
  test("a version-2 store with users is upgraded in place; its users stay", async () => {
    const path = fresh();
    const db = new Database(path);
    migrate(db, 1, MIGRATIONS.slice(0, 2));
    db.prepare("INSERT INTO users (id, username, password_hash, roles, created_at) VALUES ('u1', 'alice', 'scrypt$x', '[]', 5)").run();
    db.close();
    const store = openSqliteStore({ path, secretKey: randomBytes(32) });
    try {
      assert.deepEqual({ from: store.migration.from, to: store.migration.to }, { from: 2, to: 3 });
      assert.equal((await store.users.findByUsername("alice"))?.id, "u1");
      assert.ok(store.oidc && store.signingKeys);
    } finally {
      await store.close();
    }
  });

  test("without a secret key, a file store opens for API keys and users but keeps no authorization server state", async () => {
    const store = openSqliteStore({ path: fresh() });
    try {
      assert.equal(store.oidc, undefined);
      assert.equal(store.signingKeys, undefined);
    } finally {
      await store.close();
    }
  });
});

describe("the SQLite OidcStore", () => {
  let clock = 1_000_000;
  const open = (path: string, key: Buffer) => openSqliteStore({ path, secretKey: key, now: () => clock });

  test("upsert, find, findByUid, findByUserCode, destroy, expiry and count", async () => {
    const store = open(":memory:", randomBytes(32));
    const oidc = store.oidc!;
    await oidc.upsert("Session", "s1", { payload: { uid: "u-1", accountId: "a" }, expiresAt: clock + 1000 });
    await oidc.upsert("DeviceCode", "d1", { payload: { userCode: "ABCD-EFGH" }, expiresAt: clock + 1000 });
    await oidc.upsert("Client", "c1", { payload: { client_id: "c1" } });
    assert.deepEqual(await oidc.find("Session", "s1"), { payload: { uid: "u-1", accountId: "a" }, expiresAt: clock + 1000 });
    assert.deepEqual((await oidc.findByUid("Session", "u-1"))?.payload, { uid: "u-1", accountId: "a" });
    assert.deepEqual((await oidc.findByUserCode("DeviceCode", "ABCD-EFGH"))?.payload, { userCode: "ABCD-EFGH" });
    assert.equal(await oidc.find("Grant", "s1"), undefined, "records are per model");
    assert.equal(await oidc.count("Client"), 1);
    assert.equal(await oidc.count("Session"), 1);
    clock += 1000;
    assert.equal(await oidc.find("Session", "s1"), undefined, "expired at expiresAt");
    assert.equal(await oidc.findByUid("Session", "u-1"), undefined);
    assert.equal(await oidc.count("Session"), 0);
    assert.deepEqual((await oidc.find("Client", "c1"))?.payload, { client_id: "c1" }, "no expiry: kept");
    await oidc.destroy("Client", "c1");
    assert.equal(await oidc.find("Client", "c1"), undefined);
    await store.close();
  });

  test("revokeByGrantId removes that grant's records of that model only", async () => {
    const store = open(":memory:", randomBytes(32));
    const oidc = store.oidc!;
    await oidc.upsert("RefreshToken", "r1", { payload: { grantId: "g1" }, expiresAt: clock + 10_000 });
    await oidc.upsert("RefreshToken", "r2", { payload: { grantId: "g2" }, expiresAt: clock + 10_000 });
    await oidc.upsert("AuthorizationCode", "c1", { payload: { grantId: "g1" }, expiresAt: clock + 10_000 });
    await oidc.revokeByGrantId("RefreshToken", "g1");
    assert.equal(await oidc.find("RefreshToken", "r1"), undefined);
    assert.ok(await oidc.find("RefreshToken", "r2"));
    assert.ok(await oidc.find("AuthorizationCode", "c1"));
    await store.close();
  });

  test("consume marks the record with the first consumption time; of many consumers on two connections exactly one wins", async () => {
    const path = fresh();
    const key = randomBytes(32);
    const a = open(path, key);
    const b = open(path, key);
    try {
      await a.oidc!.upsert("RefreshToken", "rt", { payload: { grantId: "g" }, expiresAt: clock + 60_000 });
      const stores = [a.oidc as SqliteOidcStore, b.oidc as SqliteOidcStore];
      const wins = await Promise.all(Array.from({ length: 20 }, (_, i) => Promise.resolve().then(() => stores[i % 2]!.consumeOnce("RefreshToken", "rt", 100 + i))));
      assert.equal(wins.filter(Boolean).length, 1);
      assert.equal(wins.indexOf(true), 0);
      assert.equal((await b.oidc!.find("RefreshToken", "rt"))?.payload.consumed, 100);
      await a.oidc!.consume("RefreshToken", "rt", 999);
      assert.equal((await a.oidc!.find("RefreshToken", "rt"))?.payload.consumed, 100, "a second consume keeps the first time");
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe("encryption at rest", () => {
  test("no private key, client secret, refresh token or server secret is in the store file; another key cannot open it", async () => {
    const path = fresh();
    const keyFile = join(dir, "keys", `secret-${counter}.key`);
    let store = openSqliteStore({ path, secretKeyFile: keyFile });
    const server = await startServer({ deps: { oidcStore: store.oidc!, keyStore: store.signingKeys!, userStore: store.users } });
    let secrets: string[];
    try {
      await createUserDirectory(store.users).createUser({ username: "alice", password: PASSWORD });
      const { tokens } = await signedInClient(server);
      assert.equal(tokens.status, 200);
      const refreshToken = String(tokens.body.refresh_token);
      const registered = await registerClient(server, { redirect_uris: ["http://127.0.0.1:9/cb"], token_endpoint_auth_method: "client_secret_basic" });
      assert.equal(registered.status, 201);
      const clientSecret = String(registered.body.client_secret);
      const keys = await store.signingKeys!.listSigningKeys();
      assert.ok(keys.length >= 1);
      const privateParts = keys.map((k) => String(k.privateJwk.d));
      const cookieKey = (await store.signingKeys!.putSecretIfAbsent("cookie-signing-key", Buffer.alloc(32))).toString("base64url");
      const csrfKey = (await store.signingKeys!.putSecretIfAbsent("csrf-key", Buffer.alloc(32)));
      secrets = [refreshToken, clientSecret, cookieKey, ...privateParts];
      for (const secret of secrets) assert.ok(secret.length >= 20, "a real secret to look for");
      // Every secret, in the forms a store could hold it: as text, and as the raw bytes.
      const files = () => [path, `${path}-wal`].filter(existsSync).map((f) => readFileSync(f));
      const check = () => {
        for (const bytes of files()) {
          for (const secret of secrets) {
            assert.equal(bytes.indexOf(Buffer.from(secret)), -1, "a secret is in the store file as text");
            assert.equal(bytes.indexOf(Buffer.from(secret, "base64url")), -1, "a secret is in the store file as bytes");
          }
          assert.equal(bytes.indexOf(csrfKey), -1);
        }
      };
      check(); // while open (the WAL holds recent pages)
      await server.close();
      await store.close();
      check(); // and after the checkpoint
      // The check can fail: the user's name is stored in the clear, and is found.
      assert.notEqual(readFileSync(path).indexOf(Buffer.from("alice")), -1);
    } finally {
      await server.close().catch(() => undefined);
      await store.close();
    }

    // The key file: made once, 0600, in a 0700 directory; the same key reopens the store.
    assert.equal(statSync(keyFile).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, "keys")).mode & 0o777, 0o700);
    const before = readFileSync(keyFile, "utf8");
    store = openSqliteStore({ path, secretKeyFile: keyFile });
    assert.equal(readFileSync(keyFile, "utf8"), before);
    assert.ok((await store.signingKeys!.listSigningKeys()).length >= 1, "the same key opens what it sealed");
    await store.close();

    // Another key: refused at open, before anything is served.
    assert.throws(() => openSqliteStore({ path, secretKey: randomBytes(32) }), (error: unknown) => error instanceof StoreError && error.code === "wrong_secret_key");
  });

  test("a sealed value copied onto another row does not open there (the row is bound into the seal)", async () => {
    const path = fresh();
    const key = randomBytes(32);
    const store = openSqliteStore({ path, secretKey: key });
    await store.oidc!.upsert("Client", "victim", { payload: { client_id: "victim" } });
    await store.oidc!.upsert("Client", "attacker", { payload: { client_id: "attacker" } });
    await store.close();
    const db = new Database(path);
    const rows = db.prepare("SELECT id_digest, payload FROM oidc_records WHERE model = 'Client' ORDER BY rowid").all() as Array<{ id_digest: string; payload: Buffer }>;
    db.prepare("UPDATE oidc_records SET payload = ? WHERE id_digest = ?").run(rows[1]!.payload, rows[0]!.id_digest);
    db.close();
    const reopened = openSqliteStore({ path, secretKey: key });
    try {
      await assert.rejects(reopened.oidc!.find("Client", "victim"), (error: unknown) => error instanceof StoreError && error.code === "wrong_secret_key");
      assert.equal((await reopened.oidc!.find("Client", "attacker"))?.payload.client_id, "attacker");
    } finally {
      await reopened.close();
    }
  });
});
