import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { lockoutConfigSchema } from "../../../src/auth/lockout/config.js";
import { addressKey, createLockout, LockedOutError, lockoutOptionsFrom } from "../../../src/auth/lockout/lockout.js";
import { createMemoryLockoutStore } from "../../../src/auth/lockout/store.js";

const T0 = Date.UTC(2026, 0, 15);
const rules = {
  address: { maxFailures: 5, windowMs: 60_000, lockoutMs: 300_000 },
  subject: { maxFailures: 3, windowMs: 60_000, lockoutMs: 600_000 },
};

async function isLocked(lockout: ReturnType<typeof createLockout>, target: { address: string; subject?: string }, now: number): Promise<LockedOutError | undefined> {
  try {
    await lockout.check(target, now);
    return undefined;
  } catch (error) {
    assert.ok(error instanceof LockedOutError, String(error));
    return error;
  }
}

describe("lockout per client address", () => {
  test("the failure that reaches the maximum locks the address for the lockout duration", async () => {
    const lockout = createLockout(rules);
    const target = { address: "203.0.113.7" };
    for (let i = 0; i < 4; i += 1) assert.deepEqual(await lockout.recordFailure(target, T0 + i), {});
    assert.equal(await isLocked(lockout, target, T0 + 4), undefined);
    assert.deepEqual(await lockout.recordFailure(target, T0 + 4), { lockedUntil: T0 + 4 + 300_000 });
    const error = await isLocked(lockout, target, T0 + 5);
    assert.equal(error?.code, "locked_out");
    assert.equal(error?.status, 429);
    assert.equal(error?.retryAfterSeconds, 300);
    assert.ok(await isLocked(lockout, target, T0 + 4 + 299_999), "still locked just before the end");
    assert.equal(await isLocked(lockout, target, T0 + 4 + 300_000), undefined);
  });
  test("another address is not affected", async () => {
    const lockout = createLockout(rules);
    for (let i = 0; i < 5; i += 1) await lockout.recordFailure({ address: "203.0.113.7" }, T0);
    assert.equal(await isLocked(lockout, { address: "203.0.113.8" }, T0), undefined);
  });
  test("failures spread over more than the window do not lock", async () => {
    const lockout = createLockout(rules);
    for (let i = 0; i < 20; i += 1) await lockout.recordFailure({ address: "203.0.113.7" }, T0 + i * 20_000);
    // 3 failures per 60 s window at most: never 5.
    assert.equal(await isLocked(lockout, { address: "203.0.113.7" }, T0 + 400_000), undefined);
  });
  test("a success does not wash out an address's failures", async () => {
    const lockout = createLockout(rules);
    const target = { address: "203.0.113.7" };
    for (let i = 0; i < 4; i += 1) await lockout.recordFailure(target, T0);
    await lockout.recordSuccess({ ...target, subject: "key:aaaa" }, T0);
    await lockout.recordFailure(target, T0);
    assert.ok(await isLocked(lockout, target, T0), "locked after the fifth failure");
  });
  test("IPv6 clients are counted per /64; IPv4-mapped IPv6 is the IPv4 address", async () => {
    assert.equal(addressKey("2001:db8:1:2:aaaa::1"), addressKey("2001:db8:1:2:ffff:ffff:ffff:ffff"));
    assert.notEqual(addressKey("2001:db8:1:2::1"), addressKey("2001:db8:1:3::1"));
    assert.equal(addressKey("::ffff:192.0.2.1"), addressKey("192.0.2.1"));
    assert.equal(addressKey("not an address"), "addr:not an address");
    const lockout = createLockout(rules);
    for (let i = 0; i < 5; i += 1) await lockout.recordFailure({ address: `2001:db8:1:2::${i + 1}` }, T0);
    assert.ok(await isLocked(lockout, { address: "2001:db8:1:2::99" }, T0), "the whole /64 is locked");
    assert.equal(await isLocked(lockout, { address: "2001:db8:1:3::1" }, T0), undefined);
  });
});

describe("lockout per subject (API key id, user)", () => {
  test("guesses at one key id from many addresses lock that key id", async () => {
    const lockout = createLockout(rules);
    for (let i = 0; i < 3; i += 1) await lockout.recordFailure({ address: `198.51.100.${i}`, subject: "key:victim" }, T0);
    const error = await isLocked(lockout, { address: "198.51.100.200", subject: "key:victim" }, T0);
    assert.equal(error?.retryAfterSeconds, 600);
    assert.equal(await isLocked(lockout, { address: "198.51.100.200", subject: "key:other" }, T0), undefined);
    assert.equal(await isLocked(lockout, { address: "198.51.100.200" }, T0), undefined);
  });
  test("a success clears the subject's failures (not a lock)", async () => {
    const lockout = createLockout(rules);
    const target = { address: "198.51.100.1", subject: "user:alice" };
    await lockout.recordFailure(target, T0);
    await lockout.recordFailure(target, T0);
    await lockout.recordSuccess(target, T0);
    await lockout.recordFailure(target, T0);
    assert.equal(await isLocked(lockout, target, T0), undefined);
    await lockout.recordFailure(target, T0);
    await lockout.recordFailure(target, T0);
    assert.ok(await isLocked(lockout, target, T0), "locked after three failures in a row");
    await lockout.recordSuccess(target, T0);
    assert.ok(await isLocked(lockout, target, T0), "a success does not lift a lock");
  });
});

describe("memory lockout store", () => {
  test("is bounded: spent entries go first, then the oldest", async () => {
    const store = createMemoryLockoutStore(100);
    const rule = { maxFailures: 1000, windowMs: 1_000, lockoutMs: 1_000 };
    for (let i = 0; i < 500; i += 1) await store.recordFailure(`k${i}`, T0 + i * 10, rule);
    assert.ok(store.size <= 100, `size ${store.size}`);
  });
  test("a lock survives the window's end until its own end", async () => {
    const store = createMemoryLockoutStore();
    const rule = { maxFailures: 2, windowMs: 1_000, lockoutMs: 10_000 };
    await store.recordFailure("k", T0, rule);
    assert.equal((await store.recordFailure("k", T0, rule)).lockedUntil, T0 + 10_000);
    assert.equal(await store.lockedUntil("k", T0 + 5_000), T0 + 10_000);
    assert.equal(await store.lockedUntil("k", T0 + 10_000), undefined);
  });
});

describe("lockout config", () => {
  test("defaults: 20 per address in 5 min, 10 per subject in 15 min, 15 min locks", () => {
    const config = lockoutConfigSchema.parse({});
    assert.deepEqual(config.address, { maxFailures: 20, window: 300_000, duration: 900_000 });
    assert.deepEqual(config.subject, { maxFailures: 10, window: 900_000, duration: 900_000 });
    const options = lockoutOptionsFrom(config);
    assert.deepEqual(options.address, { maxFailures: 20, windowMs: 300_000, lockoutMs: 900_000 });
  });
  test("durations and limits are validated", () => {
    assert.equal(lockoutConfigSchema.parse({ address: { window: "1m" } }).address.window, 60_000);
    assert.equal(lockoutConfigSchema.safeParse({ address: { maxFailures: 0 } }).success, false);
    assert.equal(lockoutConfigSchema.safeParse({ subject: { duration: "forever" } }).success, false);
    assert.equal(lockoutConfigSchema.safeParse({ adress: {} }).success, false);
  });
});
