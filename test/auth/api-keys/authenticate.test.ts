import { describe, test, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApiKeyAuthenticator, hashApiKey, type IssuedApiKey } from "../../../src/auth/api-keys/index.js";
import { AuthError } from "../../../src/auth/errors.js";
import type { Credential } from "../../../src/auth/credentials.js";
import { authError, DAY, harness, HOUR, SECOND, secretOf, T0, type Harness } from "./helpers.js";

describe("API key authentication", () => {
  let h: Harness;
  beforeEach(() => {
    h = harness({ lastUsedIntervalMs: 60 * SECOND });
  });
  afterEach(() => h.close());

  test("a valid key gives its principal: key id, role, scopes, expiry, method, time", async () => {
    const { key, metadata } = await h.service.create({ name: "ci", role: "editor", scopes: "tools:read,tools:call", expiresInMs: 30 * DAY });
    h.clock.advance(5 * SECOND);
    const p = await h.service.authenticate(key, h.clock.now());
    assert.deepEqual(p, {
      id: `key:${metadata.id}`,
      method: "api-key",
      roles: ["editor"],
      scopes: ["tools:read", "tools:call"],
      attributes: { keyName: "ci" },
      authenticatedAt: T0 + 5 * SECOND,
      expiresAt: T0 + 30 * DAY,
      credentialId: metadata.id,
    });
    assert.ok(Object.isFrozen(p) && Object.isFrozen(p.roles) && Object.isFrozen(p.scopes) && Object.isFrozen(p.attributes));
  });

  test("a key without expiry has no expiresAt", async () => {
    const { key } = await h.service.create({ name: "forever", role: "viewer" });
    const p = await h.service.authenticate(key, h.clock.now());
    assert.equal("expiresAt" in p, false);
    assert.deepEqual(p.scopes, []);
  });

  test("unknown id (well-formed key never issued) is unknown_credentials", async () => {
    const { key } = await h.service.create({ name: "real", role: "viewer" });
    const forged = `bst_${"a".repeat(16)}_${secretOf(key)}`;
    await assert.rejects(h.service.authenticate(forged, h.clock.now()), authError("unknown_credentials", secretOf(key)));
  });

  test("right id, wrong secret is refused exactly like an unknown id (no oracle for which ids exist)", async () => {
    const { key } = await h.service.create({ name: "real", role: "admin" });
    const other = (await h.service.create({ name: "other", role: "viewer" })).key;
    const wrongSecret = `${key.slice(0, 21)}${secretOf(other)}`;
    let wrong: AuthError | undefined;
    let unknown: AuthError | undefined;
    await h.service.authenticate(wrongSecret, h.clock.now()).catch((e: AuthError) => (wrong = e));
    await h.service.authenticate(`bst_${"b".repeat(16)}_${secretOf(key)}`, h.clock.now()).catch((e: AuthError) => (unknown = e));
    assert.ok(authError("unknown_credentials", secretOf(key), secretOf(other))(wrong));
    assert.equal(wrong!.message, unknown!.message);
  });

  test("one character off in the secret is refused", async () => {
    const { key } = await h.service.create({ name: "real", role: "admin" });
    const last = key.at(-1) === "A" ? "B" : "A";
    await assert.rejects(h.service.authenticate(key.slice(0, -1) + last, h.clock.now()), authError("unknown_credentials", secretOf(key)));
  });

  test("a wrong secret on a revoked or expired key is still unknown_credentials (state is only told to the key's holder)", async () => {
    const revoked = await h.service.create({ name: "r", role: "admin" });
    await h.service.revoke(revoked.metadata.id);
    const expired = await h.service.create({ name: "e", role: "admin", expiresInMs: HOUR });
    h.clock.advance(2 * HOUR);
    for (const { key } of [revoked, expired]) {
      const wrong = key.slice(0, 21) + "0".repeat(43);
      await assert.rejects(h.service.authenticate(wrong, h.clock.now()), authError("unknown_credentials"));
    }
  });

  test("malformed keys never reach the store", async () => {
    let lookups = 0;
    const store = h.store.apiKeys;
    const spy = { ...store, findById: async (id: string) => (lookups++, store.findById(id)) } as typeof store;
    const { createApiKeyService } = await import("../../../src/auth/api-keys/index.js");
    const service = createApiKeyService({ store: spy, now: h.clock.now });
    for (const text of ["", "bst_", "Bearer bst_x", "x".repeat(100_000), "bst_aaaaaaaaaaaaaaaa_short"]) {
      await assert.rejects(service.authenticate(text, h.clock.now()), authError("malformed_credentials"));
    }
    assert.equal(lookups, 0);
  });

  test("a revoked key is refused at once, by the very next request", async () => {
    const { key, metadata } = await h.service.create({ name: "k", role: "viewer" });
    await h.service.authenticate(key, h.clock.now());
    await h.service.revoke(metadata.id);
    await assert.rejects(h.service.authenticate(key, h.clock.now()), authError("revoked_credentials", secretOf(key)));
  });

  test("revocation through another connection to the same file takes effect at once (no cache)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bastion-keys-"));
    const path = join(dir, "b.db");
    const gateway = harness({}, path);
    const cli = harness({}, path);
    try {
      const { key, metadata } = await gateway.service.create({ name: "k", role: "viewer" });
      await gateway.service.authenticate(key, gateway.clock.now());
      await cli.service.revoke(metadata.id);
      await assert.rejects(gateway.service.authenticate(key, gateway.clock.now()), authError("revoked_credentials"));
    } finally {
      await gateway.close();
      await cli.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("expiry: valid until the last millisecond, refused from expiresAt on", async () => {
    const { key } = await h.service.create({ name: "k", role: "viewer", expiresInMs: DAY });
    h.clock.advance(DAY - 1);
    await h.service.authenticate(key, h.clock.now());
    h.clock.advance(1);
    await assert.rejects(h.service.authenticate(key, h.clock.now()), authError("expired_credentials", secretOf(key)));
    h.clock.advance(365 * DAY);
    await assert.rejects(h.service.authenticate(key, h.clock.now()), authError("expired_credentials"));
  });

  test("rotation: old and new both work during the overlap, then only the new one", async () => {
    const old = await h.service.create({ name: "svc", role: "editor", scopes: ["a"] });
    h.clock.advance(HOUR);
    const rotated = await h.service.rotate(old.metadata.id, { overlapMs: 24 * HOUR });
    assert.equal(rotated.overlapUntil, T0 + 25 * HOUR);
    assert.notEqual(rotated.key, old.key);
    assert.notEqual(rotated.metadata.id, old.metadata.id);

    const during = await h.service.authenticate(old.key, h.clock.now());
    const fresh = await h.service.authenticate(rotated.key, h.clock.now());
    assert.equal(during.expiresAt, T0 + 25 * HOUR, "the old key's principal expires when the overlap ends");
    assert.equal(during.credentialId, old.metadata.id);
    assert.equal(fresh.credentialId, rotated.metadata.id);
    assert.equal(during.id, fresh.id, "one caller across a rotation (sessions survive it)");
    assert.deepEqual(fresh.roles, ["editor"]);
    assert.deepEqual(fresh.scopes, ["a"]);

    h.clock.advance(24 * HOUR - 1);
    await h.service.authenticate(old.key, h.clock.now());
    h.clock.advance(1);
    await assert.rejects(h.service.authenticate(old.key, h.clock.now()), authError("revoked_credentials", secretOf(old.key)));
    await h.service.authenticate(rotated.key, h.clock.now());
    h.clock.advance(400 * DAY);
    await assert.rejects(h.service.authenticate(old.key, h.clock.now()), authError("revoked_credentials"));
    await h.service.authenticate(rotated.key, h.clock.now());
  });

  test("rotation with overlap 0 stops the old key at once", async () => {
    const old = await h.service.create({ name: "svc", role: "editor" });
    const rotated = await h.service.rotate(old.metadata.id, { overlapMs: 0 });
    await assert.rejects(h.service.authenticate(old.key, h.clock.now()), authError("revoked_credentials"));
    await h.service.authenticate(rotated.key, h.clock.now());
  });

  test("revoking the new key during the overlap revokes the old one too", async () => {
    const old = await h.service.create({ name: "svc", role: "editor" });
    const rotated = await h.service.rotate(old.metadata.id, { overlapMs: HOUR });
    await h.service.revoke(rotated.metadata.id);
    await assert.rejects(h.service.authenticate(old.key, h.clock.now()), authError("revoked_credentials"));
    await assert.rejects(h.service.authenticate(rotated.key, h.clock.now()), authError("revoked_credentials"));
  });

  test("revoking the old key during the overlap ends it early and leaves the new one", async () => {
    const old = await h.service.create({ name: "svc", role: "editor" });
    const rotated = await h.service.rotate(old.metadata.id, { overlapMs: HOUR });
    await h.service.revoke(old.metadata.id);
    await assert.rejects(h.service.authenticate(old.key, h.clock.now()), authError("revoked_credentials"));
    await h.service.authenticate(rotated.key, h.clock.now());
  });

  test("last used: written on first use, then at most once per interval", async () => {
    const { key, metadata } = await h.service.create({ name: "k", role: "viewer" });
    const lastUsed = async () => (await h.store.apiKeys.findById(metadata.id))!.lastUsedAt;
    assert.equal(await lastUsed(), undefined);
    await h.service.authenticate(key, h.clock.now());
    assert.equal(await lastUsed(), T0);
    h.clock.advance(59 * SECOND);
    await h.service.authenticate(key, h.clock.now());
    assert.equal(await lastUsed(), T0, "within the interval: not written");
    h.clock.advance(SECOND);
    await h.service.authenticate(key, h.clock.now());
    assert.equal(await lastUsed(), T0 + 60 * SECOND, "a full interval later: written");
  });

  test("last used: a failed write does not fail authentication, and is reported", async () => {
    const errors: unknown[] = [];
    const store = { ...h.store.apiKeys, findById: h.store.apiKeys.findById.bind(h.store.apiKeys), touchLastUsed: async () => Promise.reject(new Error("disk full")) } as typeof h.store.apiKeys;
    const { createApiKeyService } = await import("../../../src/auth/api-keys/index.js");
    const service = createApiKeyService({ store, now: h.clock.now, onLastUsedError: (e) => errors.push(e) });
    const { key } = await h.service.create({ name: "k", role: "viewer" });
    const p = await service.authenticate(key, h.clock.now());
    assert.deepEqual(p.roles, ["viewer"]);
    assert.equal(errors.length, 1);
  });

  test("last used is not written for a refused key", async () => {
    const { key, metadata } = await h.service.create({ name: "k", role: "viewer" });
    await h.service.revoke(metadata.id);
    await assert.rejects(h.service.authenticate(key, h.clock.now()));
    assert.equal((await h.store.apiKeys.findById(metadata.id))!.lastUsedAt, undefined);
  });

  test("a stored hash in an unknown scheme never authenticates, even if the digest matches", async () => {
    const { key, metadata } = await h.service.create({ name: "k", role: "viewer" });
    const raw = (h.store as unknown as { apiKeys: { db: import("better-sqlite3").Database } }).apiKeys.db;
    raw.prepare("UPDATE api_keys SET hash_scheme = ? WHERE id = ?").run("plaintext", metadata.id);
    await assert.rejects(h.service.authenticate(key, h.clock.now()), authError("unknown_credentials"));
  });

  test("the database file holds the key's hash, never the key nor its secret", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bastion-keys-"));
    const path = join(dir, "b.db");
    const fileHarness = harness({}, path);
    try {
      const issued: IssuedApiKey[] = [];
      for (let i = 0; i < 3; i++) issued.push(await fileHarness.service.create({ name: `k${i}`, role: "admin" }));
      const rotated = await fileHarness.service.rotate(issued[0]!.metadata.id);
      issued.push(rotated);
      for (const { key } of issued) await fileHarness.service.authenticate(key, fileHarness.clock.now());
      const readAll = () => Buffer.concat(readdirSync(dir).map((f) => readFileSync(join(dir, f))));
      const check = (bytes: Buffer, mustHoldHashes: boolean) => {
        for (const { key, metadata } of issued) {
          assert.equal(bytes.includes(Buffer.from(secretOf(key))), false, "secret found in the store files");
          assert.equal(bytes.includes(Buffer.from(key)), false, "key found in the store files");
          assert.ok(bytes.includes(Buffer.from(metadata.id)), "the public id is stored");
          if (mustHoldHashes) assert.ok(bytes.includes(hashApiKey(key)), "the hash is stored");
        }
      };
      check(readAll(), false); // while open: main file plus WAL
      await fileHarness.close();
      check(readFileSync(path), true); // closed: everything checkpointed into the main file
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("API key authenticator (the Authenticator interface)", () => {
  let h: Harness;
  beforeEach(() => {
    h = harness();
  });
  afterEach(() => h.close());
  const context = () => ({ now: h.clock.now(), clientAddress: "127.0.0.1" });

  test("declares the api-key kind", () => {
    assert.deepEqual(createApiKeyAuthenticator(h.service).kinds, ["api-key"]);
  });

  test("X-API-Key (an api-key credential) and Authorization: Bearer bst_... both authenticate", async () => {
    const auth = createApiKeyAuthenticator(h.service);
    const { key, metadata } = await h.service.create({ name: "k", role: "admin" });
    for (const credential of [{ kind: "api-key", key }, { kind: "bearer", token: key }] as Credential[]) {
      const p = await auth.authenticate(credential, context());
      assert.equal(p.credentialId, metadata.id);
    }
  });

  test("the context's clock decides expiry", async () => {
    const auth = createApiKeyAuthenticator(h.service);
    const { key } = await h.service.create({ name: "k", role: "admin", expiresInMs: HOUR });
    await auth.authenticate({ kind: "api-key", key }, { now: T0 + HOUR - 1, clientAddress: "::1" });
    await assert.rejects(auth.authenticate({ kind: "api-key", key }, { now: T0 + HOUR, clientAddress: "::1" }), authError("expired_credentials"));
  });

  test("a bearer token that is not an API key, or a client certificate, is refused (fail closed)", async () => {
    const auth = createApiKeyAuthenticator(h.service);
    const refused: Credential[] = [
      { kind: "bearer", token: "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9." },
      { kind: "bearer", token: "" },
      { kind: "client-certificate", certificate: {} as never, authorized: true },
    ];
    for (const credential of refused) await assert.rejects(auth.authenticate(credential, context()), authError("malformed_credentials"));
  });
});
