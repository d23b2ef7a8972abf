import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { ECHO_TEXT, MODERN_VERSION, PII_DOCUMENTS, callBody, checkCallResult, messagesOf, modernCallBody, piiExposure } from "../wire.js";

const textResult = (id: number, text: string) => ({ jsonrpc: "2.0", id, result: { content: [{ type: "text", text }] } });

describe("messagesOf", () => {
  test("reads a JSON body as one message", () => {
    assert.deepEqual(messagesOf('{"jsonrpc":"2.0","id":1,"result":{}}', "application/json"), [{ jsonrpc: "2.0", id: 1, result: {} }]);
  });

  test("reads SSE events, skipping a priming event with empty data, joining multi-line data", () => {
    const body = 'id: a\ndata: \n\nevent: message\nid: b\ndata: {"jsonrpc":"2.0",\ndata: "id":3,"result":{}}\n\n';
    assert.deepEqual(messagesOf(body, "text/event-stream; charset=utf-8"), [{ jsonrpc: "2.0", id: 3, result: {} }]);
  });

  test("SSE-encoding any JSON-RPC messages and reading them back gives the same messages", () => {
    fc.assert(
      fc.property(fc.array(fc.record({ jsonrpc: fc.constant("2.0"), id: fc.nat(), result: fc.dictionary(fc.string(), fc.jsonValue()) }), { maxLength: 5 }), (messages) => {
        const body = messages.map((m) => `event: message\ndata: ${JSON.stringify(m)}\n\n`).join("");
        assert.deepEqual(messagesOf(body, "text/event-stream"), JSON.parse(JSON.stringify(messages)));
      }),
    );
  });

  test("throws on a body that is not JSON", () => {
    assert.throws(() => messagesOf("", "application/json"), SyntaxError);
  });
});

describe("checkCallResult", () => {
  test("accepts the text result answering the id", () => {
    assert.deepEqual(checkCallResult([{ jsonrpc: "2.0", method: "notifications/progress" }, textResult(7, "hi")], 7), { ok: true, text: "hi" });
  });

  test("refuses an error, a missing answer, a tool error and a result without text", () => {
    assert.equal(checkCallResult([{ jsonrpc: "2.0", id: 7, error: { code: -32603, message: "withheld" } }], 7).ok, false);
    assert.equal(checkCallResult([textResult(8, "hi")], 7).ok, false);
    assert.equal(checkCallResult([{ jsonrpc: "2.0", id: 7, result: { isError: true, content: [{ type: "text", text: "boom" }] } }], 7).ok, false);
    assert.equal(checkCallResult([{ jsonrpc: "2.0", id: 7, result: { content: [] } }], 7).ok, false);
  });
});

describe("callBody", () => {
  test("is a tools/call of the payload's tool; the PII document rotates with the call number", () => {
    const echo = JSON.parse(callBody("echo", 5, 0));
    assert.deepEqual(echo, { jsonrpc: "2.0", id: 5, method: "tools/call", params: { name: "echo", arguments: { text: ECHO_TEXT } } });
    const pii = JSON.parse(callBody("pii", 6, PII_DOCUMENTS + 3));
    assert.deepEqual(pii.params, { name: "pii_report", arguments: { doc: 3 } });
  });
});

describe("modernCallBody", () => {
  test("carries the 2026-07-28 envelope in _meta and the same call otherwise", () => {
    const body = JSON.parse(modernCallBody("pii", 9, 17));
    assert.equal(body.method, "tools/call");
    assert.equal(body.id, 9);
    assert.equal(body.params.name, "pii_report");
    assert.deepEqual(body.params.arguments, { doc: 1 });
    assert.equal(body.params._meta["io.modelcontextprotocol/protocolVersion"], MODERN_VERSION);
    assert.deepEqual(body.params._meta["io.modelcontextprotocol/clientCapabilities"], {});
    assert.equal(typeof body.params._meta["io.modelcontextprotocol/clientInfo"].name, "string");
  });
});

describe("piiExposure", () => {
  test("counts readable emails and the gateway's masks", () => {
    const raw = piiExposure("mail ana.ruiz@example.com or bob+x@mail.example.org");
    assert.equal(raw.emailsVisible, 2);
    assert.equal(raw.maskTags, 0);
    const masked = piiExposure("mail <EMAIL_ADDRESS> or <EMAIL_ADDRESS_2>, card <CREDIT_CARD>");
    assert.equal(masked.emailsVisible, 0);
    assert.equal(masked.maskTags, 3);
  });
});
