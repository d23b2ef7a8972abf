/**
 * The conformance fixture answers as the scenarios expect, checked with the official v1 SDK
 * client (2025-11-25, sessions) over HTTP and stdio, and with raw requests for the 2026-07-28
 * wire. The full suite runs from scripts/conformance/run.ts; this is the fast guard.
 */
import assert from "node:assert/strict";
import { request as httpRequest } from "node:http";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { CreateMessageRequestSchema, ElicitRequestSchema, McpError } from "@modelcontextprotocol/sdk/types.js";
import { type RunningFixture, startHttpFixture } from "../fixtures/conformance-server/http.js";

const fixtureDir = join(import.meta.dirname, "../fixtures/conformance-server");
const MODERN = "2026-07-28";

/** Tools, prompts and resources the conformance scenarios call by name. */
const SCENARIO_TOOLS = [
  "test_simple_text",
  "test_image_content",
  "test_audio_content",
  "test_embedded_resource",
  "test_multiple_content_types",
  "test_tool_with_logging",
  "test_error_handling",
  "test_tool_with_progress",
  "test_sampling",
  "test_elicitation",
  "test_elicitation_sep1034_defaults",
  "test_elicitation_sep1330_enums",
  "test_missing_capability",
  "test_input_required_result_elicitation",
  "test_input_required_result_tampered_state",
];

function textOf(result: unknown): string {
  const content = (result as { content?: Array<{ type: string; text?: string }> }).content ?? [];
  return content.map((block) => block.text ?? "").join("");
}

async function connect(url: string, capabilities: Record<string, object> = {}): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const client = new Client({ name: "fixture-test", version: "1.0.0" }, { capabilities });
  const transport = new StreamableHTTPClientTransport(new URL(url));
  await client.connect(transport);
  return { client, transport };
}

/** One 2026-07-28 request: the `_meta` envelope and the mirrored headers. */
async function modernCall(url: string, method: string, params: Record<string, unknown>, capabilities: Record<string, object> = {}) {
  const name = typeof params.name === "string" ? params.name : undefined;
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      "mcp-protocol-version": MODERN,
      "mcp-method": method,
      ...(name !== undefined && { "mcp-name": name }),
    },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method,
      params: {
        ...params,
        _meta: {
          "io.modelcontextprotocol/protocolVersion": MODERN,
          "io.modelcontextprotocol/clientInfo": { name: "fixture-test", version: "1.0.0" },
          "io.modelcontextprotocol/clientCapabilities": capabilities,
        },
      },
    }),
  });
  const body = (await response.json()) as { result?: Record<string, unknown>; error?: { code: number; data?: unknown } };
  return { status: response.status, body };
}

describe("conformance fixture over HTTP", () => {
  let fixture: RunningFixture;
  before(async () => {
    fixture = await startHttpFixture(0, () => undefined);
  });
  after(async () => {
    await fixture.close();
  });

  test("lists every tool the scenarios call, each with a description and an input schema", async () => {
    const { client } = await connect(fixture.url);
    const { tools } = await client.listTools();
    const names = tools.map((tool) => tool.name);
    for (const name of SCENARIO_TOOLS) assert.ok(names.includes(name), `missing tool ${name}`);
    for (const tool of tools) {
      assert.ok(tool.description, `${tool.name} has no description`);
      assert.equal(tool.inputSchema.type, "object");
    }
    await client.close();
  });

  test("returns the fixed content and reports a failing tool as isError", async () => {
    const { client } = await connect(fixture.url);
    const simple = await client.callTool({ name: "test_simple_text", arguments: {} });
    assert.equal(textOf(simple), "This is a simple text response for testing.");
    const mixed = await client.callTool({ name: "test_multiple_content_types", arguments: {} });
    assert.deepEqual(
      (mixed.content as Array<{ type: string }>).map((block) => block.type),
      ["text", "image", "resource"],
    );
    const failing = await client.callTool({ name: "test_error_handling", arguments: {} });
    assert.equal(failing.isError, true);
    assert.equal(textOf(failing), "This tool intentionally returns an error for testing");
    await client.close();
  });

  test("asks the client for sampling and elicitation on a 2025-11-25 session", async () => {
    const { client } = await connect(fixture.url, { sampling: {}, elicitation: {} });
    const prompts: string[] = [];
    client.setRequestHandler(CreateMessageRequestSchema, (request) => {
      const content = request.params.messages[0]?.content;
      prompts.push(content !== undefined && "text" in content ? String(content.text) : "");
      return { role: "assistant", content: { type: "text", text: "forty-two" }, model: "test-model", stopReason: "endTurn" };
    });
    client.setRequestHandler(ElicitRequestSchema, () => ({ action: "decline" }));

    const sampled = await client.callTool({ name: "test_sampling", arguments: { prompt: "What is six times seven?" } });
    assert.deepEqual(prompts, ["What is six times seven?"]);
    assert.equal(textOf(sampled), "LLM response: forty-two");

    const elicited = await client.callTool({ name: "test_elicitation", arguments: { message: "Who are you?" } });
    assert.match(textOf(elicited), /action=decline/);
    await client.close();
  });

  test("reads resources by URI and template, and refuses an unknown URI with -32602 naming it", async () => {
    const { client } = await connect(fixture.url);
    const templated = await client.readResource({ uri: "test://template/42/data" });
    const first = templated.contents[0] as { text?: string };
    assert.deepEqual(JSON.parse(first.text ?? "null"), { id: "42", templateTest: true, data: "Data for ID: 42" });
    await assert.rejects(client.readResource({ uri: "test://no-such-resource" }), (error: unknown) => {
      assert.ok(error instanceof McpError);
      assert.equal(error.code, -32602);
      assert.deepEqual(error.data, { uri: "test://no-such-resource" });
      return true;
    });
    await client.close();
  });

  test("substitutes prompt arguments, and refuses a prompt call without its required arguments", async () => {
    const { client } = await connect(fixture.url);
    const prompt = await client.getPrompt({ name: "test_prompt_with_arguments", arguments: { arg1: "alpha", arg2: "beta" } });
    assert.match(JSON.stringify(prompt.messages), /arg1='alpha', arg2='beta'/);
    await assert.rejects(client.getPrompt({ name: "test_prompt_with_arguments", arguments: { arg1: "alpha" } }), McpError);
    const completion = await client.complete({
      ref: { type: "ref/prompt", name: "test_prompt_with_arguments" },
      argument: { name: "arg1", value: "par" },
    });
    assert.deepEqual(completion.completion.values, ["paris", "park", "party"]);
    await client.close();
  });

  test("issues a 128-bit visible-ASCII session id, and answers 404 once the session is deleted", async () => {
    const { client, transport } = await connect(fixture.url);
    const sessionId = transport.sessionId ?? "";
    assert.match(sessionId, /^[\x21-\x7E]{22,}$/);
    await transport.terminateSession();
    const reused = await fetch(fixture.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        "mcp-session-id": sessionId,
        "mcp-protocol-version": "2025-11-25",
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 9, method: "tools/list", params: {} }),
    });
    assert.equal(reused.status, 404);
    await client.close();
  });

  test("refuses 2025-era requests that neither open a session nor name a live one", async () => {
    const post = (headers: Record<string, string>) =>
      fetch(fixture.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          "mcp-protocol-version": "2025-11-25",
          ...headers,
        },
        body: JSON.stringify({ jsonrpc: "2.0", id: 3, method: "tools/list", params: {} }),
      });
    assert.equal((await post({})).status, 400);
    assert.equal((await post({ "mcp-session-id": "never-issued" })).status, 404);
  });

  test("accepts localhost Host and Origin, and refuses other ones with 403 (DNS rebinding)", async () => {
    const { port } = new URL(fixture.url);
    // node:http rather than fetch: fetch does not let a caller choose the Host header.
    const initialize = (headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const body = JSON.stringify({
          jsonrpc: "2.0",
          id: 1,
          method: "initialize",
          params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "t", version: "1" } },
        });
        const req = httpRequest(
          fixture.url,
          { method: "POST", headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...headers } },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.once("error", reject);
        req.end(body);
      });
    assert.equal(await initialize({ host: `localhost:${port}`, origin: `http://localhost:${port}` }), 200);
    assert.equal(await initialize({ host: `127.0.0.1:${port}` }), 200);
    assert.equal(await initialize({ host: "evil.example.com" }), 403);
    assert.equal(await initialize({ host: `evil.example.com:${port}` }), 403);
    assert.equal(await initialize({ host: `127.0.0.1:${port}`, origin: "http://evil.example.com" }), 403);
  });

  test("2026-07-28: answers input_required with signed state, completes on the echo, refuses a tampered echo", async () => {
    const round1 = await modernCall(fixture.url, "tools/call", { name: "test_input_required_result_tampered_state", arguments: {} }, { elicitation: {} });
    assert.equal(round1.body.result?.resultType, "input_required");
    const state = round1.body.result?.requestState;
    assert.equal(typeof state, "string");
    const retry = (requestState: string) =>
      modernCall(
        fixture.url,
        "tools/call",
        {
          name: "test_input_required_result_tampered_state",
          arguments: {},
          inputResponses: { confirm: { action: "accept", content: { ok: true } } },
          requestState,
        },
        { elicitation: {} },
      );
    const honest = await retry(state as string);
    assert.equal(textOf(honest.body.result), "state verified");
    const tampered = await retry(`${state as string}-TAMPERED`);
    assert.equal(tampered.body.error?.code, -32602);
  });

  test("2026-07-28: a tool needing sampling is refused with 400/-32021 unless the client declares sampling", async () => {
    const undeclared = await modernCall(fixture.url, "tools/call", { name: "test_missing_capability", arguments: {} });
    assert.equal(undeclared.status, 400);
    assert.equal(undeclared.body.error?.code, -32021);
    assert.deepEqual((undeclared.body.error?.data as { requiredCapabilities?: unknown }).requiredCapabilities, { sampling: {} });
    const declared = await modernCall(fixture.url, "tools/call", { name: "test_missing_capability", arguments: {} }, { sampling: {} });
    assert.equal(declared.status, 200);
    assert.equal(declared.body.result?.resultType, "input_required");
  });
});

describe("conformance fixture over stdio", () => {
  test("serves the same definition to a stdio client, with 2025-era subscriptions", async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: ["--import", import.meta.resolve("tsx"), join(fixtureDir, "stdio.ts")],
      stderr: "pipe",
    });
    const client = new Client({ name: "fixture-test", version: "1.0.0" });
    await client.connect(transport);
    try {
      const { tools } = await client.listTools();
      for (const name of SCENARIO_TOOLS) assert.ok(tools.some((tool) => tool.name === name), `missing tool ${name}`);
      assert.equal(textOf(await client.callTool({ name: "test_simple_text", arguments: {} })), "This is a simple text response for testing.");
      assert.equal(client.getServerCapabilities()?.resources?.subscribe, true);
      assert.deepEqual(await client.subscribeResource({ uri: "test://watched-resource" }), {});
    } finally {
      await client.close();
    }
  });
});
