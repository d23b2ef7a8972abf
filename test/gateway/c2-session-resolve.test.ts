/**
 * Session lookup has two paths: at once for the in-process store (peek/touchNow), and through
 * promises for a shared store. They must decide alike: found, or the same 404 for a wrong caller,
 * a wrong route, an unknown, malformed, ended or expired id; and a lookup keeps a session alive.
 * The shared path is driven by the same memory store with peek/touchNow left out, as a store in
 * another process has none.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { GatewayError } from "../../src/gateway/errors.js";
import { silentLogger } from "../../src/gateway/logger.js";
import { SessionRegistry } from "../../src/gateway/session/registry.js";
import { createMemorySessionStore, type SessionStore } from "../../src/gateway/session/store.js";

const TIMEOUTS = { idleTimeoutMs: 1_000, absoluteTimeoutMs: 5_000 };

function sharedStore(): SessionStore {
  const { create, get, touch, delete: remove, count } = createMemorySessionStore();
  return { create, get, touch, delete: remove, count };
}

function registryWith(store: SessionStore) {
  let time = 1_000_000;
  const registry = new SessionRegistry({ store, timeouts: TIMEOUTS, max: 100, now: () => time, logger: silentLogger });
  return { registry, advance: (ms: number) => (time += ms) };
}

async function outcome(run: Promise<unknown>): Promise<string> {
  try {
    await run;
    return "found";
  } catch (error) {
    assert.ok(error instanceof GatewayError, String(error));
    return error.code;
  }
}

type Step =
  | { kind: "open"; principal: number; route: number }
  | { kind: "resolve"; session: number; principal: number; route: number; mangle: "none" | "unknown" | "malformed" }
  | { kind: "advance"; ms: number }
  | { kind: "end"; session: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant("open" as const), principal: fc.nat(2), route: fc.nat(1) }),
  fc.record({ kind: fc.constant("resolve" as const), session: fc.nat(5), principal: fc.nat(2), route: fc.nat(1), mangle: fc.constantFrom("none" as const, "none" as const, "unknown" as const, "malformed" as const) }),
  fc.record({ kind: fc.constant("advance" as const), ms: fc.integer({ min: 0, max: 1_500 }) }),
  fc.record({ kind: fc.constant("end" as const), session: fc.nat(5) }),
);

const PRINCIPALS = ["key:alice", "key:bob", "jwt:https://i#carol"];
const ROUTES = ["everything", "*"];

/** Runs the steps on one registry; what each lookup answered, in order. */
async function play(store: SessionStore, steps: readonly Step[]): Promise<string[]> {
  const { registry, advance } = registryWith(store);
  const sessions: Array<{ id: string; end(reason: string): Promise<void> }> = [];
  const seen: string[] = [];
  for (const s of steps) {
    if (s.kind === "open") {
      const session = await registry.open(PRINCIPALS[s.principal]!, ROUTES[s.route]!);
      await registry.register(session);
      sessions.push(session);
    } else if (s.kind === "advance") advance(s.ms);
    else if (s.kind === "end") await sessions[s.session % Math.max(1, sessions.length)]?.end("ended by the test");
    else {
      const target = sessions[s.session % Math.max(1, sessions.length)];
      const id = target === undefined || s.mangle === "unknown" ? "a".repeat(43) : s.mangle === "malformed" ? `${target.id} ` : target.id;
      seen.push(await outcome(registry.resolve(id, PRINCIPALS[s.principal]!, ROUTES[s.route]!)));
    }
  }
  seen.push(`open ${registry.size}`);
  return seen;
}

describe("session lookup: in-process and shared paths decide alike", () => {
  test("property: any sequence of opens, lookups, ends and time gives the same answers on both paths", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 40 }), async (steps) => {
        assert.deepEqual(await play(createMemorySessionStore(), steps), await play(sharedStore(), steps));
      }),
      { numRuns: 150 },
    );
  });

  for (const [name, makeStore] of [["in-process", createMemorySessionStore], ["shared", sharedStore]] as const) {
    test(`${name}: found for its opener on its route; 404 for another caller, another route, unknown, malformed, idle-expired (and then ended)`, async () => {
      const { registry, advance } = registryWith(makeStore());
      const session = await registry.open("key:alice", "everything");
      await registry.register(session);
      assert.equal(await registry.resolve(session.id, "key:alice", "everything"), session);
      assert.equal(await outcome(registry.resolve(session.id, "key:bob", "everything")), "SESSION_NOT_FOUND");
      assert.equal(await outcome(registry.resolve(session.id, "key:alice", "*")), "SESSION_NOT_FOUND");
      assert.equal(await outcome(registry.resolve("b".repeat(43), "key:alice", "everything")), "SESSION_NOT_FOUND");
      assert.equal(await outcome(registry.resolve(`${session.id}\n`, "key:alice", "everything")), "SESSION_NOT_FOUND");
      // A lookup keeps it alive: 900 ms, lookup, 900 ms is within the 1 s idle timeout each time.
      advance(900);
      assert.equal(await outcome(registry.resolve(session.id, "key:alice", "everything")), "found");
      advance(900);
      assert.equal(await outcome(registry.resolve(session.id, "key:alice", "everything")), "found");
      advance(1_000);
      assert.equal(await outcome(registry.resolve(session.id, "key:alice", "everything")), "SESSION_NOT_FOUND");
      assert.equal(session.isEnded, true, "an expired session found by a lookup is ended");
      assert.equal(registry.size, 0);
    });
  }
});
