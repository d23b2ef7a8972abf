import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { JsonRpcErrorCode } from "../../../src/gateway/jsonrpc.js";
import type { JsonRpcRequest } from "../../../src/gateway/jsonrpc.js";
import { REQUEST_CANCELLED_CODE, createUpstreamFactory } from "../../../src/gateway/upstream/index.js";
import type { UpstreamConnection, UpstreamFactory, UpstreamInitiated } from "../../../src/gateway/upstream/index.js";
import {
  errorCode,
  eventually,
  fixtureConfig,
  initializeRequest,
  isRunning,
  memoryLogger,
  request,
  resultText,
  toolCall,
} from "./helpers.js";

/** Fast restarts so a test does not wait for production backoff; the shape is what is tested. */
const FAST_RESTART = { initialDelayMs: 20, maxDelayMs: 200, maxCrashes: 3, windowMs: 60_000 };

const factories: UpstreamFactory[] = [];
after(async () => {
  await Promise.all(factories.map((f) => f.closeAll()));
});

function fixtureFactory(env: Record<string, string> = {}, requestTimeoutMs = 10_000, extra: { killGraceMs?: number; maxMessageBytes?: number } = {}) {
  const { logger, lines } = memoryLogger();
  const factory = createUpstreamFactory("fixture", fixtureConfig(env, requestTimeoutMs), { logger, restart: FAST_RESTART, ...extra });
  factories.push(factory);
  return { factory, lines };
}

/** Opens a connection and performs the client's handshake, as a downstream session would. */
async function initialized(factory: UpstreamFactory, capabilities: Record<string, unknown> = {}): Promise<UpstreamConnection> {
  const connection = await factory.open();
  // Start-up of a fresh child (tsx) may take longer than the short timeouts some tests set.
  const answer = await connection.request(initializeRequest("2025-11-25", capabilities), { timeoutMs: 30_000 });
  assert.ok("result" in answer, JSON.stringify(answer));
  await connection.notify({ jsonrpc: "2.0", method: "notifications/initialized" });
  return connection;
}

describe("stdio upstream", () => {
  test("relays requests and answers with the client's own ids, concurrently and out of order", async () => {
    const { factory } = fixtureFactory();
    const connection = await initialized(factory);
    const slow: JsonRpcRequest = { jsonrpc: "2.0", id: "slow-1", method: "tools/call", params: { name: "sleep", arguments: { ms: 300 } } };
    const fast: JsonRpcRequest = { jsonrpc: "2.0", id: 77, method: "tools/call", params: { name: "echo", arguments: { text: "hi alice@example.com" } } };
    const order: string[] = [];
    const [slowAnswer, fastAnswer] = await Promise.all([
      connection.request(slow).then((a) => (order.push("slow"), a)),
      connection.request(fast).then((a) => (order.push("fast"), a)),
    ]);
    assert.equal(slowAnswer.id, "slow-1");
    assert.equal(fastAnswer.id, 77);
    assert.equal(resultText(fastAnswer), "hi alice@example.com");
    assert.equal(resultText(slowAnswer), "slept 300");
    assert.deepEqual(order, ["fast", "slow"]);
    const list = await connection.request(request("tools/list"));
    assert.ok("result" in list && Array.isArray(list.result.tools));
    await connection.close();
  });

  test("a duplicate id while the first is in flight is refused, and only the first reaches the server", async () => {
    const { factory } = fixtureFactory();
    const connection = await initialized(factory);
    const first: JsonRpcRequest = { jsonrpc: "2.0", id: "dup", method: "tools/call", params: { name: "sleep", arguments: { ms: 200 } } };
    const second: JsonRpcRequest = { jsonrpc: "2.0", id: "dup", method: "tools/call", params: { name: "echo", arguments: { text: "second" } } };
    const [a, b] = await Promise.all([connection.request(first), connection.request(second)]);
    assert.equal(resultText(a), "slept 200");
    assert.equal(errorCode(b), JsonRpcErrorCode.InvalidRequest);
    // Once the first has ended the id is free again.
    const again = await connection.request(second);
    assert.equal(resultText(again), "second");
    await connection.close();
  });

  test("the child gets only its declared variables plus PATH, never the gateway's environment", async () => {
    process.env.BASTION_TEST_GATEWAY_SECRET = "s3cr3t-do-not-leak";
    try {
      const { factory } = fixtureFactory({ UPSTREAM_TOKEN: "declared-value" });
      const connection = await initialized(factory);
      const env = JSON.parse(resultText(await connection.request(toolCall("env")))) as Record<string, string>;
      assert.equal(env.UPSTREAM_TOKEN, "declared-value");
      assert.equal(env.PATH, process.env.PATH);
      assert.equal(env.BASTION_TEST_GATEWAY_SECRET, undefined);
      assert.equal(env.HOME, undefined);
      // Node itself may add nothing but what it was given: the declared keys and PATH.
      assert.deepEqual(Object.keys(env).sort(), ["PATH", "UPSTREAM_TOKEN"]);
      await connection.close();
    } finally {
      delete process.env.BASTION_TEST_GATEWAY_SECRET;
    }
  });

  test("a crash fails the call in flight at once, logs it, and the next call works on a restarted child with the session replayed", async () => {
    const { factory, lines } = fixtureFactory();
    const connection = await initialized(factory);
    const pidBefore = resultText(await connection.request(toolCall("pid")));
    const hanging = connection.request(toolCall("sleep", { ms: 10_000 }));
    const crash = await connection.request(toolCall("crash", { code: 7 }));
    assert.equal(errorCode(crash), JsonRpcErrorCode.UpstreamUnavailable);
    assert.match("error" in crash ? crash.error.message : "", /exited with code 7/);
    // The other call that was in flight ends too, long before its own 10 s.
    assert.equal(errorCode(await hanging), JsonRpcErrorCode.UpstreamUnavailable);

    const after = await connection.request(toolCall("pid"));
    assert.notEqual(resultText(after), pidBefore);
    // The new child was initialized with the client's own initialize (its clientInfo).
    const client = JSON.parse(resultText(await connection.request(toolCall("client")))) as { name: string };
    assert.equal(client.name, "upstream-test");

    const down = lines.find((l) => l.event === "upstream.down");
    assert.ok(down, "the crash is logged");
    assert.equal(down.server, "fixture");
    assert.equal(down.exitCode, 7);
    assert.equal(down.attempt, 1);
    assert.equal(typeof down.delayMs, "number");
    assert.ok(lines.some((l) => l.event === "upstream.restarted" && l.replayed === true));
    await connection.close();
  });

  test("the replayed initialize's answer never reaches the client", async () => {
    const { factory } = fixtureFactory();
    const connection = await initialized(factory);
    const seen: UpstreamInitiated[] = [];
    connection.onInitiated((event) => seen.push(event));
    await connection.request(toolCall("crash"));
    const answer = await connection.request(toolCall("echo", { text: "after" }));
    assert.equal(resultText(answer), "after");
    assert.equal(seen.length, 0, JSON.stringify(seen));
    await connection.close();
  });

  test("a hanging upstream: the call ends with UpstreamTimeout and the upstream is told to cancel", async () => {
    const { factory, lines } = fixtureFactory({}, 300);
    const connection = await initialized(factory);
    const hung: JsonRpcRequest = { jsonrpc: "2.0", id: "hang-1", method: "tools/call", params: { name: "hang", arguments: {} } };
    const answer = await connection.request(hung);
    assert.equal(errorCode(answer), JsonRpcErrorCode.UpstreamTimeout);
    assert.equal(answer.id, "hang-1");
    assert.ok(lines.some((l) => l.event === "upstream.timeout" && l.id === "hang-1"));
    // The connection is still usable, and the server saw notifications/cancelled for that id.
    const cancelled = JSON.parse(resultText(await connection.request(toolCall("cancelled")))) as unknown[];
    assert.deepEqual(cancelled, ["hang-1"]);
    await connection.close();
  });

  test("a per-call timeout overrides the server's", async () => {
    const { factory } = fixtureFactory({}, 60_000);
    const connection = await initialized(factory);
    const answer = await connection.request(toolCall("hang"), { timeoutMs: 200 });
    assert.equal(errorCode(answer), JsonRpcErrorCode.UpstreamTimeout);
    await connection.close();
  });

  test("an aborted call ends at once and notifications/cancelled reaches the upstream", async () => {
    const { factory } = fixtureFactory();
    const connection = await initialized(factory);
    const controller = new AbortController();
    const hung: JsonRpcRequest = { jsonrpc: "2.0", id: 4242, method: "tools/call", params: { name: "hang", arguments: {} } };
    const pending = connection.request(hung, { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 100)); // let it reach the server
    controller.abort();
    assert.equal(errorCode(await pending), REQUEST_CANCELLED_CODE);
    // One pipe, in order: the cancellation is handled before this call is.
    const cancelled = JSON.parse(resultText(await connection.request(toolCall("cancelled")))) as unknown[];
    assert.deepEqual(cancelled, [4242]);
    await connection.close();
  });

  test("a client's own notifications/cancelled ends the call and is relayed", async () => {
    const { factory } = fixtureFactory();
    const connection = await initialized(factory);
    const hung: JsonRpcRequest = { jsonrpc: "2.0", id: "c-1", method: "tools/call", params: { name: "hang", arguments: {} } };
    const pending = connection.request(hung);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await connection.notify({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: "c-1", reason: "user" } });
    assert.equal(errorCode(await pending), REQUEST_CANCELLED_CODE);
    const cancelled = JSON.parse(resultText(await connection.request(toolCall("cancelled")))) as unknown[];
    assert.deepEqual(cancelled, ["c-1"]);
    await connection.close();
  });

  test("server-initiated requests and notifications reach the listener; only answers to real requests go back", async () => {
    const { factory, lines } = fixtureFactory();
    const connection = await initialized(factory, { sampling: {} });
    const events: UpstreamInitiated[] = [];
    connection.onInitiated((event) => {
      events.push(event);
      const { message } = event;
      if ("id" in message && message.method === "sampling/createMessage") {
        // A forged answer for an id the upstream never used is dropped ...
        void connection.respond({ jsonrpc: "2.0", id: "never-asked", result: { role: "assistant", content: { type: "text", text: "forged" }, model: "m" } });
        // ... the real one goes through.
        void connection.respond({ jsonrpc: "2.0", id: message.id, result: { role: "assistant", content: { type: "text", text: "sampled" }, model: "m" } });
      }
    });
    const sampled = await connection.request(toolCall("sample", { prompt: "hello" }));
    assert.deepEqual(JSON.parse(resultText(sampled)), { type: "text", text: "sampled" });
    const logged = await connection.request(toolCall("log", { message: "note for bob@example.com" }));
    assert.equal(resultText(logged), "logged");
    const progress = await connection.request({ jsonrpc: "2.0", id: "p", method: "tools/call", params: { name: "progress", arguments: { steps: 3 }, _meta: { progressToken: "tok" } } });
    assert.equal(resultText(progress), "done 3");
    const methods = events.map((e) => e.message.method);
    assert.ok(methods.includes("sampling/createMessage"));
    assert.ok(methods.includes("notifications/message"));
    assert.equal(methods.filter((m) => m === "notifications/progress").length, 3);
    assert.ok(lines.some((l) => l.event === "upstream.unsolicited_response" && l.id === "never-asked"));
    await connection.close();
  });

  test("after too many crashes in the window it stops restarting, fails calls fast and reports closed", async () => {
    const { factory, lines } = fixtureFactory();
    const connection = await initialized(factory);
    const closed = new Promise<string>((resolve) => connection.onClosed(resolve));
    for (let i = 0; i < FAST_RESTART.maxCrashes; i++) {
      const answer = await connection.request(toolCall("crash"));
      assert.equal(errorCode(answer), JsonRpcErrorCode.UpstreamUnavailable);
    }
    const reason = await closed;
    assert.match(reason, /failed 3 times/);
    const fast = await connection.request(toolCall("echo", { text: "x" }));
    assert.equal(errorCode(fast), JsonRpcErrorCode.UpstreamUnavailable);
    assert.match("error" in fast ? fast.error.message : "", /not restarted/);
    const gaveUp = lines.find((l) => l.event === "upstream.gave_up");
    assert.ok(gaveUp);
    assert.equal(gaveUp.crashes, 3);
    // Attempts 1 and 2 were restarted with growing backoff ceilings.
    const downs = lines.filter((l) => l.event === "upstream.down").map((l) => l.attempt);
    assert.deepEqual(downs, [1, 2]);
  });

  test("a child that dies at start is retried with backoff and then given up; calls made meanwhile end with an error", async () => {
    const { factory, lines } = fixtureFactory({ FIXTURE_EXIT_AT_START: "9" });
    const connection = await factory.open();
    const closed = new Promise<string>((resolve) => connection.onClosed(resolve));
    const answer = await connection.request(initializeRequest());
    assert.equal(errorCode(answer), JsonRpcErrorCode.UpstreamUnavailable);
    await closed;
    assert.ok(lines.filter((l) => l.event === "upstream.down").every((l) => l.exitCode === 9));
  });

  test("a command that does not exist makes open() reject with the reason", async () => {
    const { logger } = memoryLogger();
    const factory = createUpstreamFactory(
      "missing",
      { kind: "stdio", command: "/nonexistent/bastion-no-such-server", args: [], env: {}, requestTimeoutMs: 1000 },
      { logger },
    );
    factories.push(factory);
    await assert.rejects(factory.open(), /could not start "\/nonexistent\/bastion-no-such-server": spawn .* ENOENT/);
  });

  test("non-JSON lines on stdout are ignored and logged, the relay carries on", async () => {
    const { factory, lines } = fixtureFactory({ FIXTURE_BANNER: "1" });
    const connection = await initialized(factory);
    assert.equal(resultText(await connection.request(toolCall("echo", { text: "ok" }))), "ok");
    assert.ok(lines.some((l) => l.event === "upstream.invalid_output"));
    await connection.close();
  });

  test("a message over the size limit stops the child instead of filling memory", async () => {
    const { factory, lines } = fixtureFactory({}, 10_000, { maxMessageBytes: 64 * 1024 });
    const connection = await initialized(factory);
    const small = await connection.request(toolCall("big", { chars: 1000 }));
    assert.equal(resultText(small).length, 1000);
    const big = await connection.request(toolCall("big", { chars: 256 * 1024 }));
    assert.equal(errorCode(big), JsonRpcErrorCode.UpstreamUnavailable);
    assert.ok(lines.some((l) => l.event === "upstream.oversized_message"));
    // Restarted, so the connection still works.
    assert.equal(resultText(await connection.request(toolCall("echo", { text: "fine" }))), "fine");
    await connection.close();
  });

  test("closeAll stops every child, its grandchildren, and one that ignores SIGTERM; open() is then refused", async () => {
    const { factory, lines } = fixtureFactory({ FIXTURE_IGNORE_SIGTERM: "1" }, 10_000, { killGraceMs: 300 });
    const a = await initialized(factory);
    const b = await initialized(factory);
    const pids = [
      Number(resultText(await a.request(toolCall("pid")))),
      Number(resultText(await b.request(toolCall("pid")))),
      Number(resultText(await a.request(toolCall("grandchild")))),
    ];
    assert.ok(pids.every(isRunning));
    const inFlight = a.request(toolCall("hang"));
    const closedReasons: string[] = [];
    a.onClosed((r) => closedReasons.push(r));
    await factory.closeAll();
    assert.equal(errorCode(await inFlight), JsonRpcErrorCode.UpstreamUnavailable);
    await eventually(() => pids.every((pid) => !isRunning(pid)), "all upstream processes are gone");
    assert.deepEqual(closedReasons, ["closed"]);
    assert.ok(lines.some((l) => l.event === "upstream.kill"), "SIGKILL after the grace period is logged");
    await assert.rejects(factory.open(), /shutting down/);
  });

  test("close() of one connection stops its child with SIGTERM and leaves the others running", async () => {
    const { factory } = fixtureFactory();
    const a = await initialized(factory);
    const b = await initialized(factory);
    const pidA = Number(resultText(await a.request(toolCall("pid"))));
    const pidB = Number(resultText(await b.request(toolCall("pid"))));
    await a.close();
    assert.equal(isRunning(pidA), false);
    assert.equal(isRunning(pidB), true);
    assert.equal(errorCode(await a.request(toolCall("pid"))), JsonRpcErrorCode.UpstreamUnavailable);
    assert.equal(Number(resultText(await b.request(toolCall("pid")))), pidB);
    await b.close();
  });
});
