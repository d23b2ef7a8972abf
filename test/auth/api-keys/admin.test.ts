import { describe, test, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ApiKeyAdminError,
  apiKeysConfigSchema,
  BOOTSTRAP_KEY_NAME,
  createApiKeyService,
  ensureBootstrapAdminKey,
  MAX_KEY_LIFETIME_MS,
  parseKeyLifetime,
  parseRotationOverlap,
  parseScopes,
  parseKeyName,
} from "../../../src/auth/api-keys/index.js";
import { openSqliteStore } from "../../../src/store/index.js";
import { DAY, harness, HOUR, T0, type Harness } from "./helpers.js";

const adminError = (code: string) => (e: unknown) => e instanceof ApiKeyAdminError && e.code === code;

describe("API key administration", () => {
  let h: Harness;
  beforeEach(() => {
    h = harness();
  });
  afterEach(() => h.close());

  test("create returns the key once, with metadata that holds no secret or hash", async () => {
    const issued = await h.service.create({ name: "ci", role: "viewer", scopes: ["a", "b", "a"], expiresInMs: DAY });
    assert.deepEqual(issued.metadata, {
      id: issued.key.slice(4, 20),
      lineageId: issued.key.slice(4, 20),
      name: "ci",
      role: "viewer",
      scopes: ["a", "b"],
      createdAt: T0,
      expiresAt: T0 + DAY,
    });
  });

  test("list: every key with its status, never a key, secret or hash", async () => {
    const a = await h.service.create({ name: "a", role: "viewer" });
    const b = await h.service.create({ name: "b", role: "editor", expiresInMs: HOUR });
    const c = await h.service.create({ name: "c", role: "admin" });
    const d = await h.service.create({ name: "d", role: "admin" });
    await h.service.revoke(c.metadata.id);
    const e = await h.service.rotate(d.metadata.id, { overlapMs: 2 * HOUR });
    h.clock.advance(HOUR);
    const statuses = Object.fromEntries((await h.service.list()).map((k) => [k.id, k.status]));
    assert.deepEqual(statuses, {
      [a.metadata.id]: "active",
      [b.metadata.id]: "expired",
      [c.metadata.id]: "revoked",
      [d.metadata.id]: "rotating",
      [e.metadata.id]: "active",
    });
    h.clock.advance(HOUR);
    assert.equal((await h.service.list()).find((k) => k.id === d.metadata.id)!.status, "rotated");
    const text = JSON.stringify(await h.service.list());
    for (const { key } of [a, b, c, d, e]) assert.equal(text.includes(key.slice(21)), false);
    assert.equal(/secretHash|hashScheme/.test(text), false);
  });

  const invalidCreates: Array<[string, Parameters<Harness["service"]["create"]>[0], string]> = [
    ["unknown role", { name: "x", role: "root" }, "invalid_role"],
    ["role in another case", { name: "x", role: "Admin" }, "invalid_role"],
    ["empty role", { name: "x", role: "" }, "invalid_role"],
    ["empty name", { name: "", role: "viewer" }, "invalid_name"],
    ["blank name", { name: "   ", role: "viewer" }, "invalid_name"],
    ["name too long", { name: "n".repeat(129), role: "viewer" }, "invalid_name"],
    ["name with a newline", { name: "a\nb", role: "viewer" }, "invalid_name"],
    ["name with an ANSI escape", { name: "\u001b[31mred", role: "viewer" }, "invalid_name"],
    ["name with a bidi override", { name: "abc\u202Edef", role: "viewer" }, "invalid_name"],
    ["name with a lone surrogate", { name: "a\uD800b", role: "viewer" }, "invalid_name"],
    ["scope with a space", { name: "x", role: "viewer", scopes: ["tools read"] }, "invalid_scopes"],
    ["scope with a quote", { name: "x", role: "viewer", scopes: ['a"b'] }, "invalid_scopes"],
    ["empty scope in a list", { name: "x", role: "viewer", scopes: "a,,b" }, "invalid_scopes"],
    ["non-ASCII scope", { name: "x", role: "viewer", scopes: ["tööls"] }, "invalid_scopes"],
    ["too many scopes", { name: "x", role: "viewer", scopes: Array.from({ length: 65 }, (_, i) => `s${i}`) }, "invalid_scopes"],
    ["zero lifetime", { name: "x", role: "viewer", expiresInMs: 0 }, "invalid_duration"],
    ["negative lifetime", { name: "x", role: "viewer", expiresInMs: -1 }, "invalid_duration"],
    ["fractional lifetime", { name: "x", role: "viewer", expiresInMs: 1.5 }, "invalid_duration"],
    ["lifetime beyond 10 years", { name: "x", role: "viewer", expiresInMs: MAX_KEY_LIFETIME_MS + 1 }, "invalid_duration"],
  ];
  for (const [why, input, code] of invalidCreates) {
    test(`create refuses ${why} (${code}) and stores nothing`, async () => {
      await assert.rejects(h.service.create(input), adminError(code));
      assert.equal(await h.store.apiKeys.count(), 0);
    });
  }

  test("create accepts every role, unicode names, quotes and SQL in names", async () => {
    for (const role of ["viewer", "editor", "admin"]) await h.service.create({ name: role, role });
    const evil = "x'); DROP TABLE api_keys; --";
    const k = await h.service.create({ name: evil, role: "viewer" });
    await h.service.create({ name: "Zürich – 東京 👋", role: "viewer" });
    assert.equal((await h.store.apiKeys.findById(k.metadata.id))!.name, evil);
    assert.equal(await h.store.apiKeys.count(), 5);
  });

  test("revoke: unknown id not_found; malformed id invalid_id; twice is fine", async () => {
    await assert.rejects(h.service.revoke("aaaaaaaaaaaaaaaa"), adminError("not_found"));
    await assert.rejects(h.service.revoke("' OR 1=1 --"), adminError("invalid_id"));
    const { metadata } = await h.service.create({ name: "k", role: "viewer" });
    assert.deepEqual(await h.service.revoke(metadata.id), { id: metadata.id, alreadyRevoked: false });
    assert.deepEqual(await h.service.revoke(metadata.id), { id: metadata.id, alreadyRevoked: true });
  });

  test("rotate keeps name, role and scopes; the new key gets the old key's lifetime from now", async () => {
    const old = await h.service.create({ name: "svc", role: "editor", scopes: "x,y", expiresInMs: 30 * DAY });
    h.clock.advance(10 * DAY);
    const r = await h.service.rotate(old.metadata.id, { overlapMs: HOUR });
    assert.equal(r.metadata.name, "svc");
    assert.equal(r.metadata.role, "editor");
    assert.deepEqual(r.metadata.scopes, ["x", "y"]);
    assert.equal(r.metadata.expiresAt, T0 + 40 * DAY);
    assert.equal(r.metadata.rotatedFromId, old.metadata.id);
    assert.equal(r.metadata.lineageId, old.metadata.id);
    assert.equal(r.replacedId, old.metadata.id);
  });

  test("rotate: an explicit lifetime wins; a key without expiry stays without", async () => {
    const a = await h.service.create({ name: "a", role: "viewer" });
    assert.equal((await h.service.rotate(a.metadata.id)).metadata.expiresAt, undefined);
    const b = await h.service.create({ name: "b", role: "viewer" });
    assert.equal((await h.service.rotate(b.metadata.id, { expiresInMs: 7 * DAY })).metadata.expiresAt, T0 + 7 * DAY);
  });

  test("rotate: the default overlap comes from options (24h unless configured)", async () => {
    const a = await h.service.create({ name: "a", role: "viewer" });
    assert.equal((await h.service.rotate(a.metadata.id)).overlapUntil, T0 + 24 * HOUR);
    const custom = createApiKeyService({ store: h.store.apiKeys, now: h.clock.now, rotationOverlapMs: HOUR });
    const b = await custom.create({ name: "b", role: "viewer" });
    assert.equal((await custom.rotate(b.metadata.id)).overlapUntil, T0 + HOUR);
  });

  test("rotate: the overlap never outlives the old key's expiry", async () => {
    const old = await h.service.create({ name: "a", role: "viewer", expiresInMs: 2 * HOUR });
    const r = await h.service.rotate(old.metadata.id, { overlapMs: 24 * HOUR });
    assert.equal(r.overlapUntil, T0 + 2 * HOUR);
    h.clock.advance(2 * HOUR);
    await assert.rejects(h.service.authenticate(old.key, h.clock.now()));
  });

  test("rotate refuses revoked, expired, and already rotated keys, and unknown or malformed ids", async () => {
    const revoked = await h.service.create({ name: "r", role: "viewer" });
    await h.service.revoke(revoked.metadata.id);
    await assert.rejects(h.service.rotate(revoked.metadata.id), (e: unknown) => adminError("not_rotatable")(e) && /revoked/.test((e as Error).message));
    const expiring = await h.service.create({ name: "e", role: "viewer", expiresInMs: HOUR });
    const rotated = await h.service.create({ name: "o", role: "viewer" });
    const successor = await h.service.rotate(rotated.metadata.id);
    await assert.rejects(h.service.rotate(rotated.metadata.id), (e: unknown) => adminError("not_rotatable")(e) && (e as Error).message.includes(successor.metadata.id));
    h.clock.advance(HOUR);
    await assert.rejects(h.service.rotate(expiring.metadata.id), (e: unknown) => adminError("not_rotatable")(e) && /expired/.test((e as Error).message));
    await assert.rejects(h.service.rotate("aaaaaaaaaaaaaaaa"), adminError("not_found"));
    await assert.rejects(h.service.rotate("nope"), adminError("invalid_id"));
    await assert.rejects(h.service.rotate(successor.metadata.id, { overlapMs: -1 }), adminError("invalid_duration"));
    await assert.rejects(h.service.rotate(successor.metadata.id, { overlapMs: 31 * DAY }), adminError("invalid_duration"));
  });

  test("a rotation chain: rotating the successor works, and each key stops after its overlap", async () => {
    const k1 = await h.service.create({ name: "a", role: "viewer" });
    const k2 = await h.service.rotate(k1.metadata.id, { overlapMs: HOUR });
    const k3 = await h.service.rotate(k2.metadata.id, { overlapMs: 2 * HOUR });
    for (const k of [k1, k2, k3]) await h.service.authenticate(k.key, h.clock.now());
    h.clock.advance(HOUR);
    await assert.rejects(h.service.authenticate(k1.key, h.clock.now()));
    await h.service.authenticate(k2.key, h.clock.now());
    h.clock.advance(HOUR);
    await assert.rejects(h.service.authenticate(k2.key, h.clock.now()));
    const p = await h.service.authenticate(k3.key, h.clock.now());
    assert.equal(p.id, `key:${k1.metadata.id}`);
  });

  test("ids come from the injected random source; a clashing id is drawn again", async () => {
    let call = 0;
    const fixed = (n: number) => {
      call++;
      // The first two keys draw the same id bytes; the second draws fresh ones on retry.
      return n === 10 ? new Uint8Array(n).fill(call <= 4 ? 1 : call) : new Uint8Array(n).fill(call);
    };
    const service = createApiKeyService({ store: h.store.apiKeys, now: h.clock.now, random: fixed });
    const a = await service.create({ name: "a", role: "viewer" });
    const b = await service.create({ name: "b", role: "viewer" });
    assert.notEqual(a.metadata.id, b.metadata.id);
    await service.authenticate(b.key, h.clock.now());
  });
});

describe("bootstrap admin key", () => {
  test("an empty store gets one admin key without expiry; the next call does nothing", async () => {
    const h = harness();
    try {
      const first = await ensureBootstrapAdminKey(h.store, { now: h.clock.now });
      assert.equal(first.created, true);
      if (!first.created) return;
      assert.equal(first.metadata.role, "admin");
      assert.equal(first.metadata.name, BOOTSTRAP_KEY_NAME);
      assert.equal(first.metadata.expiresAt, undefined);
      const p = await h.service.authenticate(first.key, h.clock.now());
      assert.deepEqual(p.roles, ["admin"]);
      assert.deepEqual(await ensureBootstrapAdminKey(h.store), { created: false });
      assert.equal(await h.store.apiKeys.count(), 1);
    } finally {
      await h.close();
    }
  });

  test("a store with any key, even a revoked one, gets none", async () => {
    const h = harness();
    try {
      const { metadata } = await h.service.create({ name: "k", role: "viewer" });
      await h.service.revoke(metadata.id);
      assert.deepEqual(await ensureBootstrapAdminKey(h.store), { created: false });
      assert.equal(await h.store.apiKeys.count(), 1);
    } finally {
      await h.close();
    }
  });

  test("two processes starting at once on one file create exactly one key", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bastion-boot-"));
    const path = join(dir, "b.db");
    const a = openSqliteStore({ path });
    const b = openSqliteStore({ path });
    try {
      // Both see an empty table before either inserts (count first, then the conditional insert).
      const results = await Promise.all([ensureBootstrapAdminKey(a), ensureBootstrapAdminKey(b), ensureBootstrapAdminKey(a)]);
      assert.equal(results.filter((r) => r.created).length, 1);
      assert.equal(await a.apiKeys.count(), 1);
    } finally {
      await a.close();
      await b.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("API key input parsers and config", () => {
  test("lifetimes: s, m, h, d, w, y; nothing else", () => {
    assert.equal(parseKeyLifetime("30d"), 30 * DAY);
    assert.equal(parseKeyLifetime("12h"), 12 * HOUR);
    assert.equal(parseKeyLifetime("4w"), 28 * DAY);
    assert.equal(parseKeyLifetime("1y"), 365 * DAY);
    assert.equal(parseKeyLifetime(" 90m "), 90 * 60_000);
    for (const bad of ["", "0", "0d", "-1d", "30", "1.5d", "30 d", "30D", "1e3d", "11y", "forever", "30d;DROP"]) {
      assert.throws(() => parseKeyLifetime(bad), adminError("invalid_duration"), bad);
    }
  });

  test("overlaps: 0 allowed, at most 30 days", () => {
    assert.equal(parseRotationOverlap("0"), 0);
    assert.equal(parseRotationOverlap("24h"), 24 * HOUR);
    assert.equal(parseRotationOverlap("30d"), 30 * DAY);
    for (const bad of ["31d", "-1h", "", "h"]) assert.throws(() => parseRotationOverlap(bad), adminError("invalid_duration"), bad);
  });

  test("scopes from a list or a comma string, deduplicated, order kept", () => {
    assert.deepEqual(parseScopes(undefined), []);
    assert.deepEqual(parseScopes(""), []);
    assert.deepEqual(parseScopes("b, a ,b"), ["b", "a"]);
    assert.deepEqual(parseScopes(["mcp:tools", "pii:unmask"]), ["mcp:tools", "pii:unmask"]);
  });

  test("names are kept as given", () => {
    assert.equal(parseKeyName(" spaced "), " spaced ");
    assert.equal(parseKeyName("n".repeat(128)), "n".repeat(128));
    assert.equal(parseKeyName("👋".repeat(128)), "👋".repeat(128));
  });

  test("config section: defaults, durations to ms, unknown keys and bad values refused", () => {
    assert.deepEqual(apiKeysConfigSchema.parse(undefined), { enabled: true, rotationOverlapMs: 24 * HOUR, lastUsedIntervalMs: 60_000 });
    assert.deepEqual(apiKeysConfigSchema.parse({ rotationOverlap: "1h", lastUsedInterval: 5000, enabled: false }), {
      enabled: false,
      rotationOverlapMs: HOUR,
      lastUsedIntervalMs: 5000,
    });
    for (const bad of [{ rotationOverlap: "soon" }, { lastUsedInterval: -1 }, { enabled: "yes" }, { overlap: "1h" }, "on"]) {
      assert.equal(apiKeysConfigSchema.safeParse(bad).success, false, JSON.stringify(bad));
    }
  });
});
