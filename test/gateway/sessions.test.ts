/**
 * Sessions: identifiers, expiry (idle and absolute, on a clock the test moves), DELETE, and the
 * binding of a session to the principal and route that opened it.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { IncomingMessage } from "node:http";
import { newSessionId, isWellFormedSessionId } from "../../src/gateway/session/ids.js";
import { createMemorySessionStore, isExpired, type SessionRecord } from "../../src/gateway/session/store.js";
import { GatewayError } from "../../src/gateway/errors.js";
import { ANONYMOUS } from "../../src/gateway/principal.js";
import { EVERYTHING, openRawSession, post, startGateway, testConfig, type RunningGateway } from "./helpers.js";

describe("session ids", () => {
  test("192 random bits as 32 visible ASCII characters, never repeated", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const id = newSessionId();
      assert.match(id, /^[A-Za-z0-9_-]{32}$/);
      assert.ok(isWellFormedSessionId(id));
      seen.add(id);
    }
    assert.equal(seen.size, 2000);
  });

  test("ids a client may present: visible ASCII, 1-128 characters", () => {
    assert.ok(isWellFormedSessionId("!~"));
    for (const bad of ["", "has space", "tab\there", "é", "x".repeat(129), "line\nbreak"]) assert.equal(isWellFormedSessionId(bad), false, JSON.stringify(bad));
  });
});

describe("session store and expiry rule", () => {
  const timeouts = { idleTimeoutMs: 1000, absoluteTimeoutMs: 5000 };
  const record = (createdAt: number, lastActiveAt: number): SessionRecord => ({ id: "s", principal: "p", route: "r", protocolVersion: "2025-11-25", createdAt, lastActiveAt });

  test("idle past the idle timeout, or older than the absolute timeout, is expired", () => {
    assert.equal(isExpired(record(0, 0), 999, timeouts), false);
    assert.equal(isExpired(record(0, 0), 1000, timeouts), true);
    assert.equal(isExpired(record(0, 4500), 4999, timeouts), false);
    assert.equal(isExpired(record(0, 4999), 5000, timeouts), true);
  });

  test("the memory store keeps copies and only moves lastActiveAt forward", async () => {
    const store = createMemorySessionStore();
    const r = record(10, 10);
    await store.create(r);
    r.lastActiveAt = 999; // the caller's object is not the stored one
    assert.equal((await store.get("s"))?.lastActiveAt, 10);
    await store.touch("s", 50);
    await store.touch("s", 20);
    assert.equal((await store.get("s"))?.lastActiveAt, 50);
    assert.equal(await store.count(), 1);
    await store.delete("s");
    assert.equal(await store.get("s"), undefined);
  });
});

describe("sessions through the gateway", () => {
  let clock = 1_000_000;
  let running: RunningGateway;
  let endpoint: string;

  before(async () => {
    running = await startGateway({
      config: testConfig({ everything: EVERYTHING }, { sessions: { idleTimeoutMs: 60_000, absoluteTimeoutMs: 300_000, max: 20 } }),
      now: () => clock,
      // A test stands in for authentication: the principal is named by a header (gateway-auth tests use real credentials).
      steps: {
        authenticate: async (req: IncomingMessage) => {
          const who = req.headers["x-test-principal"];
          if (typeof who !== "string") throw new GatewayError("INVALID_REQUEST", "no principal");
          return { ...ANONYMOUS, id: who };
        },
      },
    });
    endpoint = `${running.url}/servers/everything/mcp`;
  });
  after(() => running.close());

  const as = (who: string, session?: string) => ({ "x-test-principal": who, ...(session ? { "mcp-session-id": session } : {}) });
  const list = (who: string, session: string, url = endpoint) => post(url, { jsonrpc: "2.0", id: 2, method: "tools/list" }, as(who, session));

  test("a session presented by another principal is 404, as if it did not exist", async () => {
    const session = await openRawSession(endpoint, as("alice"));
    assert.equal((await list("alice", session)).status, 200);
    const stolen = await list("mallory", session);
    assert.equal(stolen.status, 404);
    assert.equal((await list("alice", session)).status, 200, "the owner is unaffected");
    const deleteByOther = await fetch(endpoint, { method: "DELETE", headers: as("mallory", session) });
    assert.equal(deleteByOther.status, 404);
    const getByOther = await fetch(endpoint, { headers: { accept: "text/event-stream", ...as("mallory", session) } });
    assert.equal(getByOther.status, 404);
    assert.equal((await fetch(endpoint, { method: "DELETE", headers: as("alice", session) })).status, 200);
  });

  test("a session is bound to its route: another route does not know it", async () => {
    const session = await openRawSession(endpoint, as("alice"));
    assert.equal((await list("alice", session, `${running.url}/mcp`)).status, 404);
    assert.equal((await fetch(endpoint, { method: "DELETE", headers: as("alice", session) })).status, 200);
  });

  test("idle past the idle timeout: 404, and the session is gone", async () => {
    const session = await openRawSession(endpoint, as("alice"));
    clock += 59_000;
    assert.equal((await list("alice", session)).status, 200, "activity resets the idle clock");
    clock += 59_000;
    assert.equal((await list("alice", session)).status, 200);
    clock += 60_000;
    assert.equal((await list("alice", session)).status, 404);
    clock += 1;
    assert.equal((await list("alice", session)).status, 404);
  });

  test("older than the absolute timeout: 404 however active", async () => {
    const session = await openRawSession(endpoint, as("alice"));
    for (let step = 0; step < 5; step++) {
      clock += 59_000; // 295 s in all, never idle for a minute
      assert.equal((await list("alice", session)).status, 200);
    }
    clock += 5_000; // 300 s since it opened
    assert.equal((await list("alice", session)).status, 404);
  });

  test("the sweep ends idle sessions without a request, and stops their upstreams", async () => {
    const before = running.gateway.sessionCount;
    const session = await openRawSession(endpoint, as("alice"));
    assert.equal(running.gateway.sessionCount, before + 1);
    clock += 61_000;
    await running.gateway.sweep();
    assert.equal(running.gateway.sessionCount, 0);
    assert.equal((await list("alice", session)).status, 404);
  });

  test("a refused authentication stops the request before any session work", async () => {
    const reply = await post(endpoint, { jsonrpc: "2.0", id: 1, method: "tools/list" });
    assert.equal(reply.status, 400);
    assert.match(reply.text, /no principal/);
  });
});
