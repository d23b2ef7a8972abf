import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { createCrashWindow, restartDelay } from "../../../src/gateway/upstream/backoff.js";
import { resolveDeps } from "../../../src/gateway/upstream/options.js";
import { memoryLogger } from "./helpers.js";

const policy = { initialDelayMs: 100, maxDelayMs: 5_000, maxCrashes: 3, windowMs: 10_000 };

describe("restartDelay", () => {
  test("grows exponentially, jitters within [ceiling/2, ceiling], and is capped", () => {
    assert.equal(restartDelay(1, policy, () => 0), 50);
    assert.equal(restartDelay(1, policy, () => 0.999999), 100);
    assert.equal(restartDelay(2, policy, () => 0), 100);
    assert.equal(restartDelay(3, policy, () => 0), 200);
    assert.equal(restartDelay(50, policy, () => 0.999999), 5_000);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.double({ min: 0, max: 1, noNaN: true }), (attempt, r) => {
        const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.min(attempt - 1, 30));
        const delay = restartDelay(attempt, policy, () => r);
        assert.ok(delay >= Math.floor(ceiling / 2) && delay <= ceiling, `${attempt} ${r} -> ${delay}`);
      }),
    );
  });

  test("the jitter actually varies the delay", () => {
    assert.notEqual(restartDelay(4, policy, () => 0.1), restartDelay(4, policy, () => 0.9));
  });
});

describe("createCrashWindow", () => {
  test("counts crashes inside the window and gives up at maxCrashes", () => {
    const window = createCrashWindow(policy);
    assert.equal(window.record(0), 1);
    assert.equal(window.exhausted(0), false);
    assert.equal(window.record(1_000), 2);
    assert.equal(window.exhausted(1_000), false);
    assert.equal(window.record(2_000), 3);
    assert.equal(window.exhausted(2_000), true);
  });

  test("crashes older than the window are forgotten (the clock is injectable)", () => {
    const window = createCrashWindow(policy);
    window.record(0);
    window.record(5_000);
    // At 10 s the first crash leaves the window: the third counts as the second.
    assert.equal(window.record(10_000), 2);
    assert.equal(window.exhausted(10_000), false);
    assert.equal(window.record(30_000), 1);
  });
});

describe("resolveDeps", () => {
  test("refuses a restart policy that cannot work", () => {
    const { logger } = memoryLogger();
    assert.throws(() => resolveDeps({ logger, restart: { initialDelayMs: 10, maxDelayMs: 5 } }), RangeError);
    assert.throws(() => resolveDeps({ logger, restart: { maxCrashes: 0 } }), RangeError);
    assert.throws(() => resolveDeps({ logger, restart: { windowMs: 0 } }), RangeError);
    assert.equal(resolveDeps({ logger }).restart.maxCrashes, 5);
  });
});
