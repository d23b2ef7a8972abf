/** The pure pieces of the gateway: names, revision classification, header checks, message shapes, media types. */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { namespaceName, splitName, unwrapUri, wrapUri } from "../../src/gateway/aggregate/names.js";
import { mergeCapabilities } from "../../src/gateway/aggregate/aggregator.js";
import { SERVER_NAME } from "../../src/config/index.js";
import { GatewayError } from "../../src/gateway/errors.js";
import { nestsDeeperThan, parseMessage } from "../../src/gateway/envelope.js";
import { acceptsType, isJsonContentType } from "../../src/gateway/http/media.js";
import type { JsonRpcMessage } from "../../src/gateway/jsonrpc.js";
import { toModernResult, withoutEnvelope } from "../../src/gateway/modern/bridge.js";
import { checkStandardHeaders, classifyMessage, decodeHeaderValue } from "../../src/gateway/modern/classify.js";
import { modernStatus } from "../../src/gateway/relay-modern.js";
import { parseRoute } from "../../src/gateway/transport-guard.js";

const serverName = fc.stringMatching(/^[A-Za-z0-9]{1,8}(?:[-_][A-Za-z0-9]{1,8}){0,3}$/);

describe("aggregated names", () => {
  test("every valid server name matches the config rule", () => {
    fc.assert(fc.property(serverName, (name) => SERVER_NAME.test(name)));
  });

  test("split(namespace(server, tool)) gives both back, whatever the tool name", () => {
    fc.assert(
      fc.property(serverName, fc.string({ minLength: 1, maxLength: 40 }), (server, tool) => {
        assert.deepEqual(splitName(namespaceName(server, tool)), { server, name: tool });
      }),
    );
  });

  test("two different (server, tool) pairs never give the same name", () => {
    fc.assert(
      fc.property(serverName, fc.string({ minLength: 1, maxLength: 10 }), serverName, fc.string({ minLength: 1, maxLength: 10 }), (s1, t1, s2, t2) => {
        fc.pre(s1 !== s2 || t1 !== t2);
        return namespaceName(s1, t1) !== namespaceName(s2, t2);
      }),
    );
  });

  test("unwrap(wrap(server, uri)) gives both back, templates included", () => {
    fc.assert(
      fc.property(serverName, fc.string({ minLength: 1, maxLength: 60 }), (server, uri) => {
        assert.deepEqual(unwrapUri(wrapUri(server, uri)), { server, uri });
      }),
    );
    assert.equal(wrapUri("files", "file:///{path}"), "bastion://files/file:///{path}");
  });

  test("names that were never namespaced are refused", () => {
    for (const bad of ["echo", "__echo", "files__", "", "_"]) assert.equal(splitName(bad), undefined, bad);
    for (const bad of ["demo://x", "bastion://", "bastion:///x", "bastion://files", "bastion://files/"]) assert.equal(unwrapUri(bad), undefined, bad);
  });

  test("merged capabilities: a feature is on if any server has it", () => {
    assert.deepEqual(mergeCapabilities([{ tools: {} }, { tools: { listChanged: true }, resources: { subscribe: true } }, { logging: {}, tasks: {} }]), {
      tools: { listChanged: true },
      resources: { subscribe: true, listChanged: false },
      logging: {},
    });
    assert.deepEqual(mergeCapabilities([]), {});
  });
});

describe("routes", () => {
  const servers = { everything: {}, "my-files": {} };
  test("/mcp and /servers/NAME/mcp for configured names only", () => {
    assert.deepEqual(parseRoute("/mcp", servers), { kind: "aggregate" });
    assert.deepEqual(parseRoute("/mcp?x=1", servers), { kind: "aggregate" });
    assert.deepEqual(parseRoute("/servers/my-files/mcp", servers), { kind: "server", server: "my-files" });
    for (const bad of ["/", "/mcp/", "/MCP", "/servers/nope/mcp", "/servers//mcp", "/servers/constructor/mcp", "/servers/everything/mcp/x", "/servers/a/b/mcp", undefined]) {
      assert.equal(parseRoute(bad, servers), undefined, String(bad));
    }
  });
});

describe("revision classification", () => {
  const meta = { "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {} };
  const request = (method: string, params?: Record<string, unknown>): JsonRpcMessage => ({ jsonrpc: "2.0", id: 1, method, ...(params ? { params } : {}) });
  const refusal = (fn: () => unknown): GatewayError => {
    try {
      fn();
    } catch (error) {
      assert.ok(error instanceof GatewayError);
      return error;
    }
    assert.fail("expected a refusal");
  };

  test("no envelope claim is legacy; a claim is modern", () => {
    assert.deepEqual(classifyMessage(request("tools/list"), {}), { era: "legacy" });
    assert.deepEqual(classifyMessage(request("initialize", { protocolVersion: "2025-11-25" }), { protocolVersion: "2025-11-25" }), { era: "legacy" });
    assert.deepEqual(classifyMessage({ jsonrpc: "2.0", id: 1, result: {} }, {}), { era: "legacy" });
    assert.deepEqual(classifyMessage(request("tools/list", { _meta: meta }), { protocolVersion: "2026-07-28", mcpMethod: "tools/list" }), { era: "modern", revision: "2026-07-28" });
  });

  test("disagreements are refused: -32020 for headers, -32602 for envelopes", () => {
    assert.equal(refusal(() => classifyMessage(request("tools/list", { _meta: meta }), { protocolVersion: "2025-11-25" })).rpcCode, -32020);
    assert.equal(refusal(() => classifyMessage(request("tools/list", { _meta: meta }), { mcpMethod: "tools/call" })).rpcCode, -32020);
    assert.equal(refusal(() => classifyMessage(request("initialize", {}), { protocolVersion: "2026-07-28" })).rpcCode, -32020);
    assert.equal(refusal(() => classifyMessage(request("tools/list", {}), { protocolVersion: "2026-07-28" })).rpcCode, -32602);
    assert.equal(refusal(() => classifyMessage(request("tools/list", { _meta: { "io.modelcontextprotocol/protocolVersion": "2026-07-28" } }), {})).rpcCode, -32602);
    const badInfo = { ...meta, "io.modelcontextprotocol/clientInfo": "me" };
    assert.equal(refusal(() => classifyMessage(request("tools/list", { _meta: badInfo }), {})).rpcCode, -32602);
    const badLevel = { ...meta, "io.modelcontextprotocol/logLevel": "loud" };
    assert.equal(refusal(() => classifyMessage(request("tools/list", { _meta: badLevel }), {})).rpcCode, -32602);
  });

  test("the standard headers: present, and Mcp-Name equal to the body", () => {
    const call = request("tools/call", { name: "echo", _meta: meta });
    checkStandardHeaders(call, { protocolVersion: "2026-07-28", mcpMethod: "tools/call", mcpName: "echo" });
    assert.equal(refusal(() => checkStandardHeaders(call, { protocolVersion: "2026-07-28", mcpMethod: "tools/call" })).rpcCode, -32020);
    assert.equal(refusal(() => checkStandardHeaders(call, { protocolVersion: "2026-07-28", mcpMethod: "tools/call", mcpName: "other" })).rpcCode, -32020);
    assert.equal(refusal(() => checkStandardHeaders(call, { mcpMethod: "tools/call", mcpName: "echo" })).rpcCode, -32020);
    checkStandardHeaders({ jsonrpc: "2.0", method: "notifications/cancelled" }, {}); // notifications are exempt
  });

  test("Base64 sentinels decode; malformed ones are refused", () => {
    assert.equal(decodeHeaderValue("plain"), "plain");
    assert.equal(decodeHeaderValue(`=?base64?${Buffer.from("héllo wörld").toString("base64")}?=`), "héllo wörld");
    assert.equal(decodeHeaderValue("=?base64?not base64?="), undefined);
    assert.equal(decodeHeaderValue(`=?base64?${Buffer.from([0xff, 0xfe]).toString("base64")}?=`), undefined, "not UTF-8");
  });

  test("modern reply statuses: protocol refusals are 4xx, handler errors stay 200", () => {
    const error = (code: number) => ({ jsonrpc: "2.0" as const, id: 1, error: { code, message: "x" } });
    assert.equal(modernStatus(error(-32601)), 404);
    assert.equal(modernStatus(error(-32021)), 400);
    assert.equal(modernStatus(error(-32602)), 200);
    assert.equal(modernStatus(error(-32603)), 200);
    assert.equal(modernStatus({ jsonrpc: "2.0", id: 1, result: {} }), 200);
  });
});

describe("the 2025 bridge", () => {
  test("reserved envelope keys are dropped, other _meta kept", () => {
    const stripped = withoutEnvelope({
      jsonrpc: "2.0",
      id: 1,
      method: "tools/call",
      params: { name: "x", _meta: { "io.modelcontextprotocol/protocolVersion": "2026-07-28", progressToken: 5 } },
    });
    assert.deepEqual(stripped.params, { name: "x", _meta: { progressToken: 5 } });
    const bare = withoutEnvelope({ jsonrpc: "2.0", id: 1, method: "tools/list", params: { _meta: { "io.modelcontextprotocol/protocolVersion": "2026-07-28" } } });
    assert.deepEqual(bare.params, {});
  });

  test("results gain resultType, cache hints on cacheable methods, and lose deleted fields", () => {
    const listed = toModernResult("tools/list", { tools: [{ name: "a", execution: { taskSupport: "forbidden" } }] }, { name: "s", version: "1" });
    assert.deepEqual(listed, { tools: [{ name: "a" }], resultType: "complete", ttlMs: 0, cacheScope: "private", _meta: { "io.modelcontextprotocol/serverInfo": { name: "s", version: "1" } } });
    const called = toModernResult("tools/call", { content: [] }, undefined);
    assert.deepEqual(called, { content: [], resultType: "complete" });
  });
});

describe("message shapes", () => {
  const parse = (value: unknown) => parseMessage(Buffer.from(typeof value === "string" ? value : JSON.stringify(value)));
  test("requests, notifications and responses of MCP's shapes are accepted", () => {
    parse({ jsonrpc: "2.0", id: "a", method: "x", params: {} });
    parse({ jsonrpc: "2.0", method: "x" });
    parse({ jsonrpc: "2.0", id: 1, result: {} });
    parse({ jsonrpc: "2.0", id: 1, error: { code: -1, message: "m" } });
  });
  test("everything else is refused with the id echoed when it can be read", () => {
    for (const bad of [[], 1, null, { jsonrpc: "2.0", id: 1, method: 5 }, { jsonrpc: "2.0", id: 1, result: {}, error: { code: 1, message: "" } }, { jsonrpc: "2.0", id: 1, error: { code: 1.5, message: "" } }, { jsonrpc: "2.0", id: {}, method: "x" }]) {
      assert.throws(() => parse(bad), (error: GatewayError) => error.status === 400, JSON.stringify(bad));
    }
    assert.throws(() => parse({ jsonrpc: "2.0", id: 7, method: "x", params: "p" }), (error: GatewayError) => error.id === 7);
  });
});

describe("nesting depth", () => {
  test("the byte scan agrees with the real depth, strings and escapes included", () => {
    const depthOf = (value: unknown): number => (Array.isArray(value) ? 1 + Math.max(0, ...value.map(depthOf)) : value !== null && typeof value === "object" ? 1 + Math.max(0, ...Object.values(value).map(depthOf)) : 0);
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 0, max: 10 }), (value, limit) => {
        const text = Buffer.from(JSON.stringify(value));
        assert.equal(nestsDeeperThan(text, limit), depthOf(value) > limit);
      }),
    );
    assert.equal(nestsDeeperThan(Buffer.from(JSON.stringify({ a: 'x\\" [[[[ {{' })), 1), false, "brackets and escaped quotes in strings do not count");
    assert.equal(nestsDeeperThan(Buffer.from(JSON.stringify({ a: ["\\", [1]] })), 2), true, "an escaped backslash ends the escape");
  });

  test("a message nested past the limit is refused before parsing", () => {
    const deep = `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"arguments":${"[".repeat(200)}${"]".repeat(200)}}}`;
    assert.throws(() => parseMessage(Buffer.from(deep)), (error: GatewayError) => error.status === 400 && /deeper/.test(error.message));
    const fine = `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"arguments":${"[".repeat(100)}${"]".repeat(100)}}}`;
    parseMessage(Buffer.from(fine));
  });
});

describe("media types", () => {
  test("Content-Type essence and explicit Accept entries", () => {
    assert.ok(isJsonContentType("Application/JSON; charset=utf-8"));
    assert.ok(!isJsonContentType("application/json-patch+json"));
    assert.ok(!isJsonContentType(undefined));
    assert.ok(acceptsType("application/json, text/event-stream", "text/event-stream"));
    assert.ok(acceptsType("text/event-stream;q=0.5", "text/event-stream"));
    assert.ok(!acceptsType("text/event-stream;q=0", "text/event-stream"));
    assert.ok(!acceptsType("*/*", "text/event-stream"));
    assert.ok(!acceptsType(undefined, "application/json"));
  });
});
