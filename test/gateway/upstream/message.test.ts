import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { parseJsonRpcText, toJsonRpcMessage } from "../../../src/gateway/upstream/message.js";

describe("toJsonRpcMessage", () => {
  test("accepts the four shapes and keeps ids as they are", () => {
    assert.deepEqual(toJsonRpcMessage({ jsonrpc: "2.0", id: "a", method: "ping" }), { jsonrpc: "2.0", id: "a", method: "ping" });
    assert.deepEqual(toJsonRpcMessage({ jsonrpc: "2.0", id: 0, method: "m", params: { x: 1 } }), { jsonrpc: "2.0", id: 0, method: "m", params: { x: 1 } });
    assert.deepEqual(toJsonRpcMessage({ jsonrpc: "2.0", method: "notifications/x" }), { jsonrpc: "2.0", method: "notifications/x" });
    assert.deepEqual(toJsonRpcMessage({ jsonrpc: "2.0", id: 1, result: {} }), { jsonrpc: "2.0", id: 1, result: {} });
    assert.deepEqual(toJsonRpcMessage({ jsonrpc: "2.0", id: null, error: { code: -32700, message: "parse" } }), {
      jsonrpc: "2.0",
      id: null,
      error: { code: -32700, message: "parse" },
    });
    assert.deepEqual(toJsonRpcMessage({ jsonrpc: "2.0", id: 2, error: { code: 1, message: "m", data: [1] } }), {
      jsonrpc: "2.0",
      id: 2,
      error: { code: 1, message: "m", data: [1] },
    });
  });

  test("drops unknown top-level members (nothing but the envelope is relayed from the top level)", () => {
    assert.deepEqual(toJsonRpcMessage({ jsonrpc: "2.0", id: 1, result: { a: 1 }, extra: "x" }), { jsonrpc: "2.0", id: 1, result: { a: 1 } });
  });

  test("rejects what is not JSON-RPC 2.0 as MCP uses it", () => {
    const bad: unknown[] = [
      null,
      [],
      "x",
      { id: 1, method: "m" },
      { jsonrpc: "1.0", id: 1, method: "m" },
      { jsonrpc: "2.0", id: null, method: "m" },
      { jsonrpc: "2.0", id: {}, method: "m" },
      { jsonrpc: "2.0", id: 1, method: "m", params: [1, 2] },
      { jsonrpc: "2.0", id: 1, method: 5 },
      { jsonrpc: "2.0", id: 1, result: null },
      { jsonrpc: "2.0", id: 1, result: [] },
      { jsonrpc: "2.0", result: {} },
      { jsonrpc: "2.0", id: 1, error: { code: "x", message: "m" } },
      { jsonrpc: "2.0", id: 1, error: { code: 1.5, message: "m" } },
      { jsonrpc: "2.0", id: 1, error: { code: 1 } },
      { jsonrpc: "2.0", id: 1 },
      { jsonrpc: "2.0", id: Number.NaN, method: "m" },
    ];
    for (const value of bad) assert.equal(toJsonRpcMessage(value), undefined, JSON.stringify(value));
  });

  test("never throws, whatever JSON it is given", () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => void toJsonRpcMessage(value)));
  });
});

describe("parseJsonRpcText", () => {
  test("parses single messages and batches, counting what it had to drop", () => {
    assert.deepEqual(parseJsonRpcText('{"jsonrpc":"2.0","method":"a"}'), { messages: [{ jsonrpc: "2.0", method: "a" }], invalid: 0 });
    assert.deepEqual(parseJsonRpcText('[{"jsonrpc":"2.0","method":"a"},{"nope":1}]'), { messages: [{ jsonrpc: "2.0", method: "a" }], invalid: 1 });
    assert.deepEqual(parseJsonRpcText("not json"), { messages: [], invalid: 1 });
  });
});
