import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  CallToolResultSchema,
  CompleteResultSchema,
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  GetPromptResultSchema,
  InitializeResultSchema,
  JSONRPCMessageSchema,
  ListPromptsResultSchema,
  ListResourcesResultSchema,
  ListToolsResultSchema,
  ReadResourceResultSchema,
  ServerNotificationSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { createMessageMasker, MessageMaskingError } from "../../../src/gateway/pii/index.js";
import type { JsonRpcFailure, JsonRpcMessage, JsonRpcSuccess } from "../../../src/gateway/jsonrpc.js";
import { createMemoryVault } from "../../../src/pii/index.js";
import { ALICE, BOB, CARD_NUMBER, TINY_PNG, containsAddress, emailAndCardEngine, emailEngine, notification, request, success } from "./helpers.js";

const engine = emailEngine();
/** What the engine makes of one string (recognizer edges are the engine's business, not the masker's). */
const m = (text: string): string => engine.mask(text);
const masker = createMessageMasker(engine);
const ctx = (method?: string) => ({ scope: "session-1", ...(method ? { method } : {}) });

/** Masks a message and checks what every outbound mask must keep: no mutation, a valid message. */
function maskChecked<M extends JsonRpcMessage>(message: M, method?: string): M {
  const before = structuredClone(message);
  const out = masker.maskOutbound(message, ctx(method));
  assert.deepEqual(message, before, "the input message must not be modified");
  JSONRPCMessageSchema.parse(out);
  assert.equal(JSON.stringify(JSON.parse(JSON.stringify(out))), JSON.stringify(out), "plain JSON out");
  return out;
}

const resultOf = (m: JsonRpcMessage): Record<string, unknown> => (m as JsonRpcSuccess).result;

describe("tools/call results", () => {
  const input = success({
    content: [
      { type: "text", text: `Customer ${ALICE} wrote to ${BOB}` },
      { type: "image", data: TINY_PNG, mimeType: "image/png" },
      { type: "audio", data: TINY_PNG, mimeType: "audio/wav" },
      { type: "resource", resource: { uri: `mailto:${ALICE}`, mimeType: "text/plain", text: `from ${ALICE}` } },
      { type: "resource", resource: { uri: "file:///report.bin", mimeType: "application/octet-stream", blob: TINY_PNG } },
      {
        type: "resource_link",
        uri: `crm://contacts/${ALICE}`,
        name: `${ALICE}.vcf`,
        description: `Contact card of ${ALICE}`,
        mimeType: "text/vcard",
      },
      { type: "text", text: "nothing personal", annotations: { audience: ["user"], priority: 0.5 } },
    ],
    structuredContent: { owner: ALICE, count: 3, tags: [BOB, "vip"], nested: { [ALICE]: { ok: true } } },
    _meta: { "example.com/trace": ALICE },
  });

  test("text, embedded text resources, links and structured content are masked", () => {
    const out = maskChecked(input, "tools/call");
    const result = CallToolResultSchema.parse(resultOf(out));
    const [text, , , embedded, , link] = result.content;
    assert.deepEqual(text, { type: "text", text: "Customer <EMAIL_ADDRESS> wrote to <EMAIL_ADDRESS>" });
    assert.deepEqual(embedded, {
      type: "resource",
      resource: { uri: "mailto:<EMAIL_ADDRESS>", mimeType: "text/plain", text: "from <EMAIL_ADDRESS>" },
    });
    assert.deepEqual(link, {
      type: "resource_link",
      uri: m(`crm://contacts/${ALICE}`),
      name: m(`${ALICE}.vcf`),
      description: "Contact card of <EMAIL_ADDRESS>",
      mimeType: "text/vcard",
    });
    assert.deepEqual(result.structuredContent, {
      owner: "<EMAIL_ADDRESS>",
      count: 3,
      tags: ["<EMAIL_ADDRESS>", "vip"],
      nested: { "<EMAIL_ADDRESS>": { ok: true } },
    });
    assert.equal(out.id, input.id);
    assert.equal(out.jsonrpc, "2.0");
  });

  test("images, audio, blobs, annotations and _meta pass unchanged (the same objects)", () => {
    const out = maskChecked(input, "tools/call");
    const inContent = input.result.content as unknown[];
    const outContent = resultOf(out).content as unknown[];
    assert.equal(outContent[1], inContent[1]);
    assert.equal(outContent[2], inContent[2]);
    assert.equal(outContent[4], inContent[4]);
    assert.equal(outContent[6], inContent[6]);
    assert.equal(resultOf(out)._meta, input.result._meta);
  });

  test("an error result (isError) is masked like any other", () => {
    const out = maskChecked(success({ content: [{ type: "text", text: `No mailbox ${ALICE}` }], isError: true }), "tools/call");
    const result = CallToolResultSchema.parse(resultOf(out));
    assert.equal(result.isError, true);
    assert.deepEqual(result.content, [{ type: "text", text: "No mailbox <EMAIL_ADDRESS>" }]);
  });

  test("a result with nothing to mask is returned as the same object", () => {
    const clean = success({ content: [{ type: "text", text: "42 rows" }, { type: "image", data: TINY_PNG, mimeType: "image/png" }] });
    assert.equal(masker.maskOutbound(clean, ctx("tools/call")), clean);
  });

  test("untouched siblings are shared, not copied", () => {
    const big = { rows: Array.from({ length: 50 }, (_, i) => ({ id: i, note: "n/a" })) };
    const message = success({ content: [{ type: "text", text: ALICE }], structuredContent: big });
    const out = masker.maskOutbound(message, ctx("tools/call"));
    assert.notEqual(out, message);
    assert.equal(resultOf(out).structuredContent, big);
  });

  test("legacy toolResult (2024-10-07) is masked", () => {
    const out = maskChecked(success({ toolResult: { owner: ALICE } }), "tools/call");
    assert.deepEqual(resultOf(out).toolResult, { owner: "<EMAIL_ADDRESS>" });
  });
});

describe("numbers in structured content", () => {
  const card = createMessageMasker(emailAndCardEngine());
  const message = success({ content: [], structuredContent: { card: CARD_NUMBER, small: 123456, price: 19.99 } });

  test("a number whose digits are PII becomes the masked string; other numbers stay numbers", () => {
    const out = card.maskOutbound(message, ctx("tools/call"));
    assert.deepEqual(resultOf(out).structuredContent, { card: "<CREDIT_CARD>", small: 123456, price: 19.99 });
  });

  test("with numbers: false, numbers keep their type", () => {
    const keep = createMessageMasker(emailAndCardEngine(), { numbers: false });
    assert.equal(keep.maskOutbound(message, ctx("tools/call")), message);
  });
});

describe("data: URIs", () => {
  test("a base64 data: URI is binary and left alone; a text data: URI is masked", () => {
    const card = createMessageMasker(emailAndCardEngine());
    const binary = { type: "resource_link", uri: `data:image/png;base64,AAAA${CARD_NUMBER}AAAA`, name: "pixel" };
    const textual = { type: "resource_link", uri: `data:text/plain,${ALICE}`, name: "note" };
    const out = card.maskOutbound(success({ content: [binary, textual] }), ctx("tools/call"));
    const [first, second] = resultOf(out).content as Record<string, unknown>[];
    assert.equal(first, binary);
    assert.equal(second!.uri, "data:text/plain,<EMAIL_ADDRESS>");
    // The same digits outside a data: URI are masked: the exemption is the URI's, not the digits'.
    const plain = card.maskOutbound(success({ content: [{ type: "text", text: `AAAA${CARD_NUMBER}AAAA` }] }), ctx("tools/call"));
    assert.deepEqual(resultOf(plain).content, [{ type: "text", text: "AAAA<CREDIT_CARD>AAAA" }]);
  });
});

describe("errors", () => {
  test("a JSON-RPC error's message and data are masked; code and id are kept", () => {
    const failure: JsonRpcFailure = {
      jsonrpc: "2.0",
      id: "abc",
      error: { code: -32602, message: `Unknown user ${ALICE}`, data: { tried: [ALICE, BOB], at: 5 } },
    };
    const out = maskChecked(failure, "tools/call");
    assert.deepEqual(out, {
      jsonrpc: "2.0",
      id: "abc",
      error: { code: -32602, message: "Unknown user <EMAIL_ADDRESS>", data: { tried: ["<EMAIL_ADDRESS>", "<EMAIL_ADDRESS>"], at: 5 } },
    });
  });

  test("an error with a null id stays valid", () => {
    const failure: JsonRpcFailure = { jsonrpc: "2.0", id: null, error: { code: -32700, message: `bad ${ALICE}` } };
    const out = masker.maskOutbound(failure, ctx());
    assert.deepEqual(out, { jsonrpc: "2.0", id: null, error: { code: -32700, message: "bad <EMAIL_ADDRESS>" } });
  });
});

describe("resources/read", () => {
  test("text contents are masked, blobs are not", () => {
    const blob = { uri: "file:///a.png", mimeType: "image/png", blob: TINY_PNG };
    const out = maskChecked(
      success({ contents: [{ uri: "file:///notes.txt", mimeType: "text/plain", text: `call ${ALICE}` }, blob] }),
      "resources/read",
    );
    const result = ReadResourceResultSchema.parse(resultOf(out));
    assert.deepEqual(result.contents[0], { uri: "file:///notes.txt", mimeType: "text/plain", text: "call <EMAIL_ADDRESS>" });
    assert.equal((resultOf(out).contents as unknown[])[1], blob);
  });
});

describe("prompts/get", () => {
  test("description, message text and embedded resources are masked; images pass", () => {
    const image = { type: "image", data: TINY_PNG, mimeType: "image/png" };
    const out = maskChecked(
      success({
        description: `Reply to ${ALICE}`,
        messages: [
          { role: "user", content: { type: "text", text: `Draft a reply to ${BOB}` } },
          { role: "user", content: { type: "resource", resource: { uri: "mail://1", text: `From: ${ALICE}` } } },
          { role: "assistant", content: image },
        ],
      }),
      "prompts/get",
    );
    const result = GetPromptResultSchema.parse(resultOf(out));
    assert.equal(result.description, "Reply to <EMAIL_ADDRESS>");
    assert.deepEqual(result.messages[0]!.content, { type: "text", text: "Draft a reply to <EMAIL_ADDRESS>" });
    assert.deepEqual(result.messages[1]!.content, { type: "resource", resource: { uri: "mail://1", text: "From: <EMAIL_ADDRESS>" } });
    assert.equal(result.messages[1]!.role, "user");
    assert.equal((resultOf(out).messages as { content: unknown }[])[2]!.content, image);
  });
});

describe("sampling/createMessage (server to client)", () => {
  test("messages (single and array content), tool use and tool results, system prompt are masked", () => {
    const image = { type: "image", data: TINY_PNG, mimeType: "image/png" };
    const message = request("sampling/createMessage", {
      messages: [
        { role: "user", content: { type: "text", text: `Summarize the thread with ${ALICE}` } },
        {
          role: "assistant",
          content: [{ type: "tool_use", id: "t1", name: "lookup", input: { email: ALICE } }, image],
        },
        {
          role: "user",
          content: [
            { type: "tool_result", toolUseId: "t1", content: [{ type: "text", text: `found ${BOB}` }], structuredContent: { who: BOB } },
          ],
        },
      ],
      systemPrompt: `You assist ${ALICE}.`,
      maxTokens: 100,
      temperature: 0.3,
      includeContext: "thisServer",
      stopSequences: ["END"],
    });
    const out = maskChecked(message);
    const parsed = CreateMessageRequestSchema.parse(out);
    assert.equal(out.method, "sampling/createMessage");
    assert.equal(out.id, message.id);
    assert.equal(parsed.params.systemPrompt, "You assist <EMAIL_ADDRESS>.");
    assert.deepEqual(parsed.params.messages[0]!.content, { type: "text", text: "Summarize the thread with <EMAIL_ADDRESS>" });
    assert.deepEqual(parsed.params.messages[1]!.content, [
      { type: "tool_use", id: "t1", name: "lookup", input: { email: "<EMAIL_ADDRESS>" } },
      image,
    ]);
    assert.deepEqual(parsed.params.messages[2]!.content, [
      {
        type: "tool_result",
        toolUseId: "t1",
        content: [{ type: "text", text: "found <EMAIL_ADDRESS>" }],
        structuredContent: { who: "<EMAIL_ADDRESS>" },
      },
    ]);
    assert.equal(parsed.params.maxTokens, 100);
    assert.deepEqual(parsed.params.stopSequences, ["END"]);
    assert.equal(containsAddress(out, engine), false);
  });
});

describe("elicitation/create (server to client)", () => {
  const properties = {
    contact: { type: "string", title: `Contact for ${ALICE}`, description: `We will write to ${BOB}`, default: ALICE, format: "email" },
    choice: { type: "string", enum: [ALICE, "other"], default: ALICE },
    titled: { type: "string", oneOf: [{ const: "a", title: `Send to ${ALICE}` }], default: "a" },
    count: { type: "integer", default: 4, minimum: 1 },
    mail: { type: "string", format: "email", description: "Where we write" },
  };

  test("the message and the words of the form are masked; choice values are not", () => {
    const message = request("elicitation/create", {
      message: `Confirm the address ${ALICE}`,
      requestedSchema: { type: "object", properties, required: ["contact"] },
    });
    const out = maskChecked(message);
    const parsed = ElicitRequestSchema.parse(out);
    assert.equal(parsed.params.message, "Confirm the address <EMAIL_ADDRESS>");
    const props = (out.params!.requestedSchema as { properties: Record<string, Record<string, unknown>> }).properties;
    // The masked default would fail its own email format in the client: the format goes.
    assert.deepEqual(props.contact, {
      type: "string",
      title: "Contact for <EMAIL_ADDRESS>",
      description: "We will write to <EMAIL_ADDRESS>",
      default: "<EMAIL_ADDRESS>",
    });
    // Enum values are what the user picks and what the server expects back: left as they are.
    assert.equal(props.choice, properties.choice);
    assert.deepEqual(props.titled, { type: "string", oneOf: [{ const: "a", title: "Send to <EMAIL_ADDRESS>" }], default: "a" });
    assert.equal(props.count, properties.count);
    assert.equal(props.mail, properties.mail, "no masked default: the format stays");
  });

  test("URL mode: the message is masked, the URL is not", () => {
    const message = request("elicitation/create", {
      mode: "url",
      message: `Sign in as ${ALICE}`,
      elicitationId: "e1",
      url: `https://auth.example.com/login?hint=${ALICE}`,
    });
    const out = maskChecked(message);
    ElicitRequestSchema.parse(out);
    assert.equal(out.params!.message, "Sign in as <EMAIL_ADDRESS>");
    assert.equal(out.params!.url, message.params!.url);
  });
});

describe("notifications", () => {
  test("log messages (string or structured data), progress, cancellation reasons and resource URIs are masked", () => {
    const cases: [Record<string, unknown>, Record<string, unknown>, string][] = [
      [{ level: "info", logger: "db", data: `login ${ALICE}` }, { level: "info", logger: "db", data: "login <EMAIL_ADDRESS>" }, "notifications/message"],
      [
        { level: "error", data: { user: ALICE, attempts: 3 } },
        { level: "error", data: { user: "<EMAIL_ADDRESS>", attempts: 3 } },
        "notifications/message",
      ],
      [
        { progressToken: "p1", progress: 2, total: 5, message: `mailing ${ALICE}` },
        { progressToken: "p1", progress: 2, total: 5, message: "mailing <EMAIL_ADDRESS>" },
        "notifications/progress",
      ],
      [{ requestId: 4, reason: `user ${ALICE} left` }, { requestId: 4, reason: "user <EMAIL_ADDRESS> left" }, "notifications/cancelled"],
      [{ uri: `mail://${ALICE}/inbox` }, { uri: m(`mail://${ALICE}/inbox`) }, "notifications/resources/updated"],
    ];
    for (const [params, expected, method] of cases) {
      const out = maskChecked(notification(method, params));
      ServerNotificationSchema.parse(out);
      assert.deepEqual(out, { jsonrpc: "2.0", method, params: expected }, method);
    }
  });

  test("notifications without text for the model pass as the same object", () => {
    for (const method of ["notifications/tools/list_changed", "notifications/resources/list_changed", "notifications/prompts/list_changed"]) {
      const message = notification(method, {});
      assert.equal(masker.maskOutbound(message, ctx()), message);
    }
    const progress = notification("notifications/progress", { progressToken: ALICE, progress: 1 });
    assert.equal(masker.maskOutbound(progress, ctx()), progress, "a progress token is protocol state, not text");
  });
});

describe("lists", () => {
  const tools = success({
    tools: [
      {
        name: "send_mail",
        title: "Send mail",
        description: `Sends mail. Questions: ${ALICE}`,
        inputSchema: { type: "object", properties: { to: { type: "string", format: "email", default: ALICE } } },
        outputSchema: {
          type: "object",
          properties: { to: { type: "string", format: "email" }, id: { type: "integer" }, when: { type: "string", format: "date-time" } },
          required: ["to"],
        },
        annotations: { title: `Mail as ${BOB}`, readOnlyHint: false },
      },
    ],
  });

  test("tools/list: descriptions, titles and schema defaults masked; names and the input schema's structure untouched; output schemas relaxed", () => {
    const out = maskChecked(tools, "tools/list");
    const result = ListToolsResultSchema.parse(resultOf(out));
    const [tool] = result.tools;
    const original = (tools.result.tools as Record<string, unknown>[])[0]!;
    assert.equal(tool!.name, "send_mail");
    assert.equal(tool!.description, "Sends mail. Questions: <EMAIL_ADDRESS>");
    assert.equal(tool!.annotations?.title, "Mail as <EMAIL_ADDRESS>");
    // The default is a sample the model reads: masked; the rest of the schema is as the server wrote it.
    assert.deepEqual((resultOf(out).tools as Record<string, unknown>[])[0]!.inputSchema, {
      type: "object",
      properties: { to: { type: "string", format: "email", default: "<EMAIL_ADDRESS>" } },
    });
    assert.ok(original.inputSchema !== undefined);
    assert.deepEqual(tool!.outputSchema, {
      type: "object",
      properties: { to: { type: "string" }, id: { type: ["integer", "string"] }, when: { type: "string", format: "date-time" } },
      required: ["to"],
    });
  });

  test("with lists: false, list metadata passes unchanged", () => {
    const plain = createMessageMasker(engine, { lists: false });
    assert.equal(plain.maskOutbound(tools, ctx("tools/list")), tools);
  });

  test("with relaxOutputSchemas: false, output schemas stay as the server wrote them", () => {
    const strict = createMessageMasker(engine, { relaxOutputSchemas: false });
    const out = strict.maskOutbound(tools, ctx("tools/list"));
    const original = (tools.result.tools as Record<string, unknown>[])[0]!;
    assert.equal((resultOf(out).tools as Record<string, unknown>[])[0]!.outputSchema, original.outputSchema);
  });

  test("prompts/list and resources/list", () => {
    const prompts = maskChecked(
      success({ prompts: [{ name: "reply", description: `Reply to ${ALICE}`, arguments: [{ name: "to", description: `e.g. ${BOB}`, required: true }] }] }),
      "prompts/list",
    );
    assert.deepEqual(ListPromptsResultSchema.parse(resultOf(prompts)).prompts[0], {
      name: "reply",
      description: "Reply to <EMAIL_ADDRESS>",
      arguments: [{ name: "to", description: "e.g. <EMAIL_ADDRESS>", required: true }],
    });
    const resources = maskChecked(
      success({ resources: [{ uri: `mail://${ALICE}`, name: ALICE, mimeType: "message/rfc822" }], nextCursor: "c2" }),
      "resources/list",
    );
    assert.deepEqual(ListResourcesResultSchema.parse(resultOf(resources)), {
      resources: [{ uri: m(`mail://${ALICE}`), name: "<EMAIL_ADDRESS>", mimeType: "message/rfc822" }],
      nextCursor: "c2",
    });
  });
});

describe("other results", () => {
  test("completion values are masked", () => {
    const out = maskChecked(success({ completion: { values: [ALICE, "alpha"], total: 2, hasMore: false } }), "completion/complete");
    assert.deepEqual(CompleteResultSchema.parse(resultOf(out)).completion, { values: ["<EMAIL_ADDRESS>", "alpha"], total: 2, hasMore: false });
  });

  test("initialize: instructions are masked, capabilities and server info kept", () => {
    const message = success({
      protocolVersion: "2025-11-25",
      capabilities: { tools: { listChanged: true } },
      serverInfo: { name: "crm", version: "1.0.0" },
      instructions: `Escalate to ${ALICE}`,
    });
    const out = maskChecked(message, "initialize");
    const result = InitializeResultSchema.parse(resultOf(out));
    assert.equal(result.instructions, "Escalate to <EMAIL_ADDRESS>");
    assert.equal(resultOf(out).capabilities, message.result.capabilities);
  });

  test("results of methods without text pass as the same object", () => {
    const pong = success({});
    assert.equal(masker.maskOutbound(pong, ctx("ping")), pong);
    const subscribed = success({ _meta: { note: ALICE } });
    assert.equal(masker.maskOutbound(subscribed, ctx("resources/subscribe")), subscribed);
  });

  test("an unknown method is masked as unknown JSON: text masked, _meta, blobs and media data kept (fail closed)", () => {
    const message = success({
      report: { owner: ALICE, attachment: { mimeType: "image/png", data: TINY_PNG } },
      blob: "QUJD",
      _meta: { owner: ALICE },
      nextCursor: ALICE,
    });
    for (const method of ["vendor/report", undefined]) {
      const out = maskChecked(message, method);
      assert.deepEqual(resultOf(out), {
        report: { owner: "<EMAIL_ADDRESS>", attachment: { mimeType: "image/png", data: TINY_PNG } },
        blob: "QUJD",
        _meta: { owner: ALICE },
        nextCursor: ALICE,
      });
    }
  });

  test("unknown server requests and notifications are masked as unknown JSON", () => {
    const out = maskChecked(request("vendor/ask", { question: `Is ${ALICE} right?` }));
    assert.deepEqual(out.params, { question: "Is <EMAIL_ADDRESS> right?" });
    const note = maskChecked(notification("vendor/event", { text: ALICE }));
    assert.deepEqual(note.params, { text: "<EMAIL_ADDRESS>" });
  });

  test("method names with special meaning in JavaScript are just unknown methods", () => {
    for (const method of ["constructor", "__proto__", "toString"]) {
      const out = masker.maskOutbound(success({ text: ALICE }), ctx(method));
      assert.deepEqual(resultOf(out), { text: "<EMAIL_ADDRESS>" });
    }
  });
});

describe("2026-07-28 input_required results", () => {
  test("embedded elicitation and sampling requests are masked; requestState is never touched", () => {
    const state = `signed:${ALICE}`;
    const message = success({
      resultType: "input_required",
      inputRequests: {
        confirm: { method: "elicitation/create", params: { message: `Send to ${ALICE}?`, requestedSchema: { type: "object", properties: {} } } },
        summary: {
          method: "sampling/createMessage",
          params: { messages: [{ role: "user", content: { type: "text", text: `About ${BOB}` } }], maxTokens: 5 },
        },
        roots: { method: "roots/list" },
      },
      requestState: state,
    });
    for (const method of ["tools/call", "prompts/get", "resources/read"]) {
      const out = maskChecked(message, method);
      const result = resultOf(out) as { inputRequests: Record<string, { params: Record<string, unknown> }>; requestState: string };
      assert.equal(result.requestState, state);
      assert.equal(result.inputRequests.confirm!.params.message, "Send to <EMAIL_ADDRESS>?");
      assert.deepEqual(result.inputRequests.summary!.params.messages, [{ role: "user", content: { type: "text", text: "About <EMAIL_ADDRESS>" } }]);
      assert.equal(result.inputRequests.roots, (message.result.inputRequests as Record<string, unknown>).roots);
      ElicitRequestSchema.parse({ jsonrpc: "2.0", id: 1, ...result.inputRequests.confirm });
    }
  });
});

describe("failing closed", () => {
  test("a value nested deeper than maxDepth is refused, not forwarded", () => {
    const shallow = createMessageMasker(engine, { maxDepth: 10 });
    let deep: unknown = ALICE;
    for (let i = 0; i < 20; i++) deep = { next: deep };
    const message = success({ content: [], structuredContent: deep as Record<string, unknown> });
    assert.throws(() => shallow.maskOutbound(message, ctx("tools/call")), (e: unknown) => e instanceof MessageMaskingError && e.code === "PII_MASKING_FAILED");
    // Within the limit, the same shape is masked.
    assert.doesNotThrow(() => createMessageMasker(engine, { maxDepth: 30 }).maskOutbound(message, ctx("tools/call")));
  });

  test("a full token vault refuses the message instead of letting a value through", () => {
    const tokens = createMessageMasker(
      emailEngine({ defaultOperator: { type: "token" }, vault: createMemoryVault({ maxEntriesPerScope: 1 }) }),
    );
    const message = success({ content: [{ type: "text", text: `${ALICE} and ${BOB}` }] });
    assert.throws(() => tokens.maskOutbound(message, ctx("tools/call")), MessageMaskingError);
  });

  test("malformed shapes still have their strings masked", () => {
    const cases: [JsonRpcMessage, string | undefined][] = [
      [success({ content: `plain ${ALICE}` }), "tools/call"],
      [success({ content: [`loose ${ALICE}`, 5] }), "tools/call"],
      [success({ contents: [`loose ${ALICE}`] }), "resources/read"],
      [success({ messages: [`loose ${ALICE}`] }), "prompts/get"],
      [{ jsonrpc: "2.0", id: 1, result: [ALICE] as unknown as Record<string, unknown> }, "tools/call"],
      [{ jsonrpc: "2.0", id: 1, method: "sampling/createMessage", params: [ALICE] as unknown as Record<string, unknown> }, undefined],
      [{ jsonrpc: "2.0", id: 1, error: `boom ${ALICE}` as unknown as { code: number; message: string } }, undefined],
    ];
    for (const [message, method] of cases) {
      const out = masker.maskOutbound(message, ctx(method));
      assert.equal(containsAddress(out, engine), false, JSON.stringify(message));
    }
  });

  test("an empty scope is refused (it would pool every caller's tokens)", () => {
    assert.throws(() => masker.maskOutbound(success({}), { scope: "" }), TypeError);
    assert.throws(() => masker.restoreInbound(request("tools/call", {}), { scope: "" }), TypeError);
  });
});

describe("operators", () => {
  test("per-request operators override the engine's", () => {
    const message = success({ content: [{ type: "text", text: ALICE }] });
    const out = masker.maskOutbound(message, { scope: "s", method: "tools/call", operators: { EMAIL_ADDRESS: { type: "replace", tag: "[email]" } } });
    assert.deepEqual(resultOf(out).content, [{ type: "text", text: "[email]" }]);
  });
});
