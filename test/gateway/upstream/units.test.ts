import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { JsonRpcErrorCode } from "../../../src/gateway/jsonrpc.js";
import type { JsonRpcRequest } from "../../../src/gateway/jsonrpc.js";
import { childEnvironment } from "../../../src/gateway/upstream/child-env.js";
import { applyMessageHeaders, credentialHeaders, encodeHeaderValue } from "../../../src/gateway/upstream/http-headers.js";
import { REQUEST_CANCELLED_CODE, createPendingRequests } from "../../../src/gateway/upstream/pending.js";
import { createSessionReplay } from "../../../src/gateway/upstream/replay.js";
import { createToolHeaderDeclarations } from "../../../src/gateway/upstream/tool-headers.js";

describe("childEnvironment", () => {
  test("is exactly the declared variables plus the inherited PATH", () => {
    assert.deepEqual({ ...childEnvironment({ A: "1", B: "" }, "/usr/bin") }, { A: "1", B: "", PATH: "/usr/bin" });
  });

  test("a declared PATH wins; no inherited PATH means none is added", () => {
    assert.deepEqual({ ...childEnvironment({ PATH: "/opt/bin" }, "/usr/bin") }, { PATH: "/opt/bin" });
    assert.deepEqual({ ...childEnvironment({ A: "1" }, undefined) }, { A: "1" });
  });

  test("keys such as __proto__ stay plain variables and nothing is inherited through the prototype", () => {
    const env = childEnvironment(JSON.parse('{"__proto__":"x","constructor":"y"}') as Record<string, string>, undefined);
    assert.deepEqual(Object.keys(env).sort(), ["__proto__", "constructor"]);
    assert.equal(Object.getPrototypeOf(env), null);
    assert.equal("toString" in env, false);
  });
});

describe("HTTP upstream headers", () => {
  test("configured credentials are sent, but cannot set what the transport owns", () => {
    const headers = credentialHeaders({
      Authorization: "Bearer upstream-own",
      "X-Api-Key": "k",
      "Mcp-Session-Id": "forged",
      "MCP-Protocol-Version": "1999-01-01",
      "content-type": "text/plain",
      Host: "evil.example",
    });
    assert.equal(headers.get("authorization"), "Bearer upstream-own");
    assert.equal(headers.get("x-api-key"), "k");
    for (const name of ["mcp-session-id", "mcp-protocol-version", "content-type", "host"]) assert.equal(headers.get(name), null, name);
  });

  test("a 2026-07-28 request mirrors its revision, method and name into headers", () => {
    const headers = new Headers();
    const call: JsonRpcRequest = {
      jsonrpc: "2.0",
      id: 1,
      method: "tools/call",
      params: { name: "get weather", arguments: {}, _meta: { "io.modelcontextprotocol/protocolVersion": "2026-07-28" } },
    };
    applyMessageHeaders(headers, call, "2025-11-25");
    assert.equal(headers.get("mcp-protocol-version"), "2026-07-28");
    assert.equal(headers.get("mcp-method"), "tools/call");
    assert.equal(headers.get("mcp-name"), "get weather");
    const read = new Headers();
    applyMessageHeaders(read, { jsonrpc: "2.0", id: 2, method: "resources/read", params: { uri: "file:///é", _meta: { "io.modelcontextprotocol/protocolVersion": "2026-07-28" } } }, undefined);
    assert.equal(read.get("mcp-name"), `=?base64?${Buffer.from("file:///é").toString("base64")}?=`);
  });

  test("a 2025-11-25 message carries the negotiated version only", () => {
    const headers = new Headers();
    applyMessageHeaders(headers, { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "x" } }, "2025-11-25");
    assert.equal(headers.get("mcp-protocol-version"), "2025-11-25");
    assert.equal(headers.get("mcp-method"), null);
    assert.equal(headers.get("mcp-name"), null);
  });

  test("encodeHeaderValue: plain ASCII unchanged; anything else round-trips through base64", () => {
    assert.equal(encodeHeaderValue("get_weather"), "get_weather");
    for (const odd of ["", " lead", "trail ", "tab\x01", "naïve", "=?base64?abc?="]) {
      assert.match(encodeHeaderValue(odd), /^=\?base64\?[A-Za-z0-9+/=]*\?=$/, odd);
    }
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 30 }), (value) => {
        const encoded = encodeHeaderValue(value);
        assert.ok(/^[\t\x20-\x7e]*$/.test(encoded));
        const decoded = encoded.startsWith("=?base64?") && encoded !== value ? Buffer.from(encoded.slice(9, -2), "base64").toString("utf8") : encoded;
        assert.equal(decoded, value);
      }),
    );
  });
});

describe("createPendingRequests", () => {
  const call = (id: string | number): JsonRpcRequest => ({ jsonrpc: "2.0", id, method: "tools/call" });

  test("an answer settles the call with that id; 1 and \"1\" are different ids", async () => {
    const pending = createPendingRequests("s");
    const numeric = pending.add(call(1), { timeoutMs: 0 });
    const text = pending.add(call("1"), { timeoutMs: 0 });
    assert.equal(pending.settle({ jsonrpc: "2.0", id: "1", result: { which: "text" } }), true);
    assert.equal(pending.settle({ jsonrpc: "2.0", id: 1, result: { which: "number" } }), true);
    assert.deepEqual(await numeric.response, { jsonrpc: "2.0", id: 1, result: { which: "number" } });
    assert.deepEqual(await text.response, { jsonrpc: "2.0", id: "1", result: { which: "text" } });
    assert.equal(pending.settle({ jsonrpc: "2.0", id: 1, result: {} }), false, "settles once");
    assert.equal(pending.size, 0);
  });

  test("a duplicate id in flight is answered at once and not tracked", async () => {
    const pending = createPendingRequests("s");
    const first = pending.add(call(5), { timeoutMs: 0 });
    const second = pending.add(call(5), { timeoutMs: 0 });
    assert.equal(first.tracked, true);
    assert.equal(second.tracked, false);
    const answer = await second.response;
    assert.equal("error" in answer && answer.error.code, JsonRpcErrorCode.InvalidRequest);
    assert.equal(pending.size, 1);
  });

  test("a timeout ends the call with UpstreamTimeout and tells the owner", async () => {
    const pending = createPendingRequests("srv");
    const ended: string[] = [];
    const { response } = pending.add(call("t"), { timeoutMs: 20, onEnded: (why, request) => ended.push(`${why} ${String(request.id)}`) });
    const answer = await response;
    assert.equal("error" in answer && answer.error.code, JsonRpcErrorCode.UpstreamTimeout);
    // The owner is told which call ended (one shared callback serves every call).
    assert.deepEqual(ended, ["timeout t"]);
    assert.equal(pending.has("t"), false);
  });

  test("an abort ends the call as cancelled; an already aborted signal is refused up front", async () => {
    const pending = createPendingRequests("s");
    const controller = new AbortController();
    const ended: string[] = [];
    const onEnded = (why: string, request: { id: unknown }): void => void ended.push(`${why} ${String(request.id)}`);
    const { response } = pending.add(call("a"), { timeoutMs: 0, signal: controller.signal, onEnded });
    const other = pending.add(call("c"), { timeoutMs: 0, signal: new AbortController().signal, onEnded });
    controller.abort();
    const answer = await response;
    assert.equal("error" in answer && answer.error.code, REQUEST_CANCELLED_CODE);
    assert.deepEqual(ended, ["cancelled a"]);
    assert.equal(pending.has("c"), true, "another call's signal is not touched");
    pending.settle({ jsonrpc: "2.0", id: "c", result: {} });
    assert.deepEqual(await other.response, { jsonrpc: "2.0", id: "c", result: {} });
    controller.abort(); // aborting again after the end changes nothing
    assert.deepEqual(ended, ["cancelled a"]);
    const refused = pending.add(call("b"), { timeoutMs: 0, signal: AbortSignal.abort() });
    assert.equal(refused.tracked, false);
  });

  test("failAll ends everything with the given error, without calling onEnded", async () => {
    const pending = createPendingRequests("s");
    const ended: string[] = [];
    const a = pending.add(call(1), { timeoutMs: 1000, onEnded: (why) => ended.push(why) });
    const b = pending.add(call(2), { timeoutMs: 1000 });
    pending.failAll(JsonRpcErrorCode.UpstreamUnavailable, "gone");
    for (const { response } of [a, b]) {
      const answer = await response;
      assert.equal("error" in answer && answer.error.code, JsonRpcErrorCode.UpstreamUnavailable);
    }
    assert.deepEqual(ended, []);
    assert.equal(pending.size, 0);
  });
});

describe("createSessionReplay", () => {
  const init: JsonRpcRequest = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "c", version: "1" } } };
  const ok = (id: number, result: Record<string, unknown> = {}) => ({ jsonrpc: "2.0" as const, id, result });
  let n = 0;
  const newId = () => `r${++n}`;

  test("records nothing until initialize succeeds (a stateless 2026-07-28 client replays nothing)", () => {
    const replay = createSessionReplay();
    replay.answered(init, { jsonrpc: "2.0", id: 1, error: { code: -32602, message: "bad version" } });
    replay.notified({ jsonrpc: "2.0", method: "notifications/initialized" });
    assert.deepEqual(replay.script(newId), { initialize: undefined, initialized: undefined, state: [] });
  });

  test("replays initialize (fresh id, same params), initialized, log level and live subscriptions", () => {
    const replay = createSessionReplay();
    replay.answered(init, ok(1, { protocolVersion: "2025-11-25" }));
    replay.notified({ jsonrpc: "2.0", method: "notifications/initialized" });
    const setLevel: JsonRpcRequest = { jsonrpc: "2.0", id: 2, method: "logging/setLevel", params: { level: "debug" } };
    replay.answered(setLevel, ok(2));
    const sub = (id: number, method: string, uri: string): JsonRpcRequest => ({ jsonrpc: "2.0", id, method, params: { uri } });
    replay.answered(sub(3, "resources/subscribe", "a://1"), ok(3));
    replay.answered(sub(4, "resources/subscribe", "a://2"), ok(4));
    replay.answered(sub(5, "resources/unsubscribe", "a://1"), ok(5));
    replay.answered(sub(6, "resources/subscribe", "a://3"), { jsonrpc: "2.0", id: 6, error: { code: -1, message: "no" } });
    assert.equal(replay.protocolVersion, "2025-11-25");
    const script = replay.script(newId);
    assert.equal(script.initialize?.method, "initialize");
    assert.deepEqual(script.initialize?.params, init.params);
    assert.notEqual(script.initialize?.id, 1);
    assert.equal(script.initialized?.method, "notifications/initialized");
    assert.deepEqual(
      script.state.map((r) => [r.method, r.params]),
      [
        ["logging/setLevel", { level: "debug" }],
        ["resources/subscribe", { uri: "a://2" }],
      ],
    );
    assert.equal(new Set([script.initialize?.id, ...script.state.map((r) => r.id)]).size, 3, "fresh, distinct ids");
  });

  test("a second initialize starts over", () => {
    const replay = createSessionReplay();
    replay.answered(init, ok(1, { protocolVersion: "2025-06-18" }));
    replay.answered({ jsonrpc: "2.0", id: 2, method: "logging/setLevel", params: { level: "debug" } }, ok(2));
    replay.answered({ ...init, id: 3 }, ok(3, { protocolVersion: "2025-11-25" }));
    assert.deepEqual(replay.script(newId).state, []);
    assert.equal(replay.protocolVersion, "2025-11-25");
  });
});

describe("createToolHeaderDeclarations", () => {
  const call = (name: string, args: Record<string, unknown>): JsonRpcRequest => ({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name, arguments: args } });
  const headersFor = (declarations: ReturnType<typeof createToolHeaderDeclarations>, request: JsonRpcRequest) => {
    const headers = new Headers();
    declarations.apply(headers, request);
    return Object.fromEntries(headers);
  };

  test("mirrors declared arguments at any depth of properties, converting primitives as the spec says", () => {
    const declarations = createToolHeaderDeclarations();
    declarations.learn({
      tools: [
        {
          name: "t",
          inputSchema: {
            type: "object",
            properties: {
              region: { type: "string", "x-mcp-header": "Region" },
              n: { type: "integer", "x-mcp-header": "Count" },
              flag: { type: "boolean", "x-mcp-header": "Flag" },
              nested: { type: "object", properties: { deep: { type: "string", "x-mcp-header": "Deep" } } },
            },
          },
        },
      ],
    });
    assert.deepEqual(headersFor(declarations, call("t", { region: "é", n: 42, flag: false, nested: { deep: "d" } })), {
      "mcp-param-region": `=?base64?${Buffer.from("é").toString("base64")}?=`,
      "mcp-param-count": "42",
      "mcp-param-flag": "false",
      "mcp-param-deep": "d",
    });
    // Absent, null or non-primitive values send no header.
    assert.deepEqual(headersFor(declarations, call("t", { region: null, n: { x: 1 } })), {});
  });

  test("ignores declarations outside properties chains, invalid header names, and unknown tools", () => {
    const declarations = createToolHeaderDeclarations();
    declarations.learn({
      tools: [
        {
          name: "odd",
          inputSchema: {
            "x-mcp-header": "Root",
            properties: {
              a: { type: "string", "x-mcp-header": "Bad Name\r\nX-Injected: 1" },
              list: { type: "array", items: { type: "string", "x-mcp-header": "Item" } },
              any: { anyOf: [{ type: "string", "x-mcp-header": "Any" }] },
            },
          },
        },
      ],
    });
    assert.deepEqual(headersFor(declarations, call("odd", { a: "x", list: ["y"], any: "z" })), {});
    assert.deepEqual(headersFor(declarations, call("unknown", { a: "x" })), {});
    assert.deepEqual(headersFor(declarations, { jsonrpc: "2.0", id: 1, method: "prompts/get", params: { name: "odd" } }), {});
  });

  test("a newer definition without declarations forgets the old ones", () => {
    const declarations = createToolHeaderDeclarations();
    declarations.learn({ tools: [{ name: "t", inputSchema: { properties: { r: { type: "string", "x-mcp-header": "R" } } } }] });
    assert.deepEqual(headersFor(declarations, call("t", { r: "1" })), { "mcp-param-r": "1" });
    declarations.learn({ tools: [{ name: "t", inputSchema: { properties: { r: { type: "string" } } } }] });
    assert.deepEqual(headersFor(declarations, call("t", { r: "1" })), {});
  });
});
