/**
 * Deadlines of the pending table: every call ends at its own deadline, whatever order the calls
 * came in and whichever ended before; a call in flight keeps the process alive until its timeout,
 * and a table with nothing timed in flight does not hold the process open.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { JsonRpcErrorCode, type JsonRpcRequest, type JsonRpcResponse } from "../../../src/gateway/jsonrpc.js";
import { REQUEST_CANCELLED_CODE, createPendingRequests } from "../../../src/gateway/upstream/pending.js";

const call = (id: string | number): JsonRpcRequest => ({ jsonrpc: "2.0", id, method: "tools/call" });
const codeOf = (answer: JsonRpcResponse): number | undefined => ("error" in answer ? answer.error.code : undefined);

describe("createPendingRequests: deadlines", () => {
  test("calls end at their own deadlines, in deadline order, whatever order they were added in", async () => {
    const pending = createPendingRequests("srv");
    const order: string[] = [];
    const onEnded = (why: string, request: JsonRpcRequest): void => void order.push(`${why} ${String(request.id)}`);
    const slow = pending.add(call("slow"), { timeoutMs: 300, onEnded });
    // Added later with a shorter timeout: the table's timer must be brought forward for it.
    const fast = pending.add(call("fast"), { timeoutMs: 30, onEnded });
    const middle = pending.add(call("middle"), { timeoutMs: 120, onEnded });
    const untimed = pending.add(call("untimed"), { timeoutMs: 0, onEnded });
    const answers = await Promise.all([fast.response, middle.response, slow.response]);
    assert.deepEqual(answers.map(codeOf), [JsonRpcErrorCode.UpstreamTimeout, JsonRpcErrorCode.UpstreamTimeout, JsonRpcErrorCode.UpstreamTimeout]);
    assert.deepEqual(order, ["timeout fast", "timeout middle", "timeout slow"]);
    const first = answers[0]!;
    assert.ok("error" in first);
    assert.match(first.error.message, /did not answer within 30 ms/);
    assert.deepEqual(first.error.data, { server: "srv", method: "tools/call", timeoutMs: 30 });
    // A call without a timeout is never swept.
    assert.equal(pending.has("untimed"), true);
    assert.equal(pending.settle({ jsonrpc: "2.0", id: "untimed", result: {} }), true);
    assert.deepEqual(await untimed.response, { jsonrpc: "2.0", id: "untimed", result: {} });
  });

  test("a call answered or cancelled before its deadline is not timed out; the others still are", async () => {
    const pending = createPendingRequests("s");
    const ended: string[] = [];
    const onEnded = (why: string, request: JsonRpcRequest): void => void ended.push(`${why} ${String(request.id)}`);
    const controller = new AbortController();
    const answered = pending.add(call(1), { timeoutMs: 40, onEnded });
    const cancelled = pending.add(call(2), { timeoutMs: 40, signal: controller.signal, onEnded });
    const late = pending.add(call(3), { timeoutMs: 80, onEnded });
    assert.equal(pending.settle({ jsonrpc: "2.0", id: 1, result: { ok: true } }), true);
    controller.abort();
    assert.deepEqual(await answered.response, { jsonrpc: "2.0", id: 1, result: { ok: true } });
    assert.equal(codeOf(await cancelled.response), REQUEST_CANCELLED_CODE);
    assert.equal(codeOf(await late.response), JsonRpcErrorCode.UpstreamTimeout);
    assert.deepEqual(ended, ["cancelled 2", "timeout 3"]);
    assert.equal(pending.size, 0);
  });

  test("calls added one after another (each answered) and then one left unanswered: it still times out", async () => {
    const pending = createPendingRequests("s");
    for (let i = 0; i < 50; i++) {
      pending.add(call(i), { timeoutMs: 25 });
      assert.equal(pending.settle({ jsonrpc: "2.0", id: i, result: {} }), true);
    }
    const { response } = pending.add(call("last"), { timeoutMs: 25 });
    assert.equal(codeOf(await response), JsonRpcErrorCode.UpstreamTimeout);
  });

  test("after its timed calls ended, a table does not keep the process alive", () => {
    // A call with a long timeout, answered: the process must exit at once, not when the timeout would have passed.
    const pendingModule = fileURLToPath(new URL("../../../src/gateway/upstream/pending.ts", import.meta.url));
    const script = `
      const { createPendingRequests } = await import(${JSON.stringify(pendingModule)});
      const pending = createPendingRequests("s");
      const { response } = pending.add({ jsonrpc: "2.0", id: 1, method: "x" }, { timeoutMs: 600000 });
      pending.settle({ jsonrpc: "2.0", id: 1, result: {} });
      await response;
      const untimed = pending.add({ jsonrpc: "2.0", id: 2, method: "x" }, { timeoutMs: 0 });
      console.log("done");
    `;
    const run = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8", timeout: 60_000 });
    assert.equal(run.signal, null, "the process had to be killed: something held it open");
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout.trim(), "done");
  });

  test("while a timed call is in flight, the table keeps the process alive until its timeout", () => {
    const pendingModule = fileURLToPath(new URL("../../../src/gateway/upstream/pending.ts", import.meta.url));
    const script = `
      const { createPendingRequests } = await import(${JSON.stringify(pendingModule)});
      const pending = createPendingRequests("s");
      pending.add({ jsonrpc: "2.0", id: 0, method: "x" }, { timeoutMs: 600000 });
      pending.settle({ jsonrpc: "2.0", id: 0, result: {} });
      const { response } = pending.add({ jsonrpc: "2.0", id: 1, method: "x" }, { timeoutMs: 50 });
      response.then((answer) => console.log(answer.error.code));
    `;
    const run = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8", timeout: 60_000 });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout.trim(), String(JsonRpcErrorCode.UpstreamTimeout));
  });
});
