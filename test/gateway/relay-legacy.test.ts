/**
 * One server through /servers/NAME/mcp, 2025-11-25 revision: the official v1 SDK client against
 * the gateway in front of the real @modelcontextprotocol/server-everything over stdio.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { mkdtempSync, realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateMessageRequestSchema, ElicitRequestSchema, ListRootsRequestSchema, ListToolsResultSchema } from "@modelcontextprotocol/sdk/types.js";
import { DUAL_ERA, EMAIL, EVERYTHING, filesystemServer, post, startGateway, testConfig, type RunningGateway } from "./helpers.js";

let running: RunningGateway;
let endpoint: URL;
const cliFolder = realpathSync(mkdtempSync(join(tmpdir(), "bastion-cli-root-")));
const clientFolder = realpathSync(mkdtempSync(join(tmpdir(), "bastion-client-root-")));

before(async () => {
  running = await startGateway({ config: testConfig({ everything: EVERYTHING, fixture: DUAL_ERA, files: filesystemServer(cliFolder) }) });
  endpoint = new URL(`${running.url}/servers/everything/mcp`);
});
after(() => running.close());

async function connect(capabilities: Record<string, unknown> = {}, url = endpoint): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const client = new Client({ name: "v1-test", version: "1.0.0" }, { capabilities });
  const transport = new StreamableHTTPClientTransport(url);
  await client.connect(transport);
  return { client, transport };
}

const texts = (result: unknown): string =>
  ((result as { content: Array<{ type: string; text?: string }> }).content).filter((c) => c.type === "text").map((c) => c.text).join("\n");

describe("v1 client through /servers/everything/mcp", () => {
  test("initialize passes the server through unchanged and lists its tools by their own names", async () => {
    const { client } = await connect();
    try {
      assert.equal(client.getServerVersion()?.name, "mcp-servers/everything");
      const { tools } = await client.listTools();
      const names = tools.map((t) => t.name);
      assert.ok(names.includes("echo"), names.join(","));
      assert.ok(names.includes("get-sum"));
      assert.ok(!names.some((n) => n.includes("__")), "no namespacing on a single-server route");
    } finally {
      await client.close();
    }
  });

  test("tool results come back masked; non-PII results are unchanged", async () => {
    const { client } = await connect();
    try {
      const echoed = await client.callTool({ name: "echo", arguments: { message: `write to ${EMAIL} please` } });
      assert.equal(texts(echoed), "Echo: write to <EMAIL_ADDRESS> please");
      assert.ok(!JSON.stringify(echoed).includes(EMAIL));
      const sum = await client.callTool({ name: "get-sum", arguments: { a: 2, b: 3 } });
      assert.match(texts(sum), /5/);
    } finally {
      await client.close();
    }
  });

  test("values disguised with invisible characters, fullwidth digits or no-break spaces come back masked too", async () => {
    const { client } = await connect();
    try {
      const disguised = "jane.doe\u200b@example.com, SSN ５３６-２２-１２３４, card 4111\u00a01111\u00a01111\u00a01111";
      const echoed = await client.callTool({ name: "echo", arguments: { message: disguised } });
      assert.equal(texts(echoed), "Echo: <EMAIL_ADDRESS>, SSN <US_SSN>, card <CREDIT_CARD>");
    } finally {
      await client.close();
    }
  });

  test("errors from the server pass through as the server sent them", async () => {
    const { client } = await connect();
    try {
      const toolError = await client.callTool({ name: "no-such-tool", arguments: {} });
      assert.equal(toolError.isError, true);
      assert.match(texts(toolError), /no-such-tool/);
      await assert.rejects(client.request({ method: "no/such-method", params: {} }, ListToolsResultSchema), (error: Error & { code?: number }) => {
        assert.equal(error.code, -32601);
        return true;
      });
    } finally {
      await client.close();
    }
  });

  test("resources are listed and read; prompts are got, masked", async () => {
    const { client } = await connect();
    try {
      const { resources } = await client.listResources();
      assert.ok(resources.length > 0);
      const read = await client.readResource({ uri: resources[0]!.uri });
      assert.equal(read.contents[0]?.uri, resources[0]!.uri);
      const prompt = await client.getPrompt({ name: "args-prompt", arguments: { city: `Paris ${EMAIL}` } });
      const message = prompt.messages[0]?.content as { type: string; text: string };
      assert.equal(message.text, "What's weather in Paris <EMAIL_ADDRESS>?");
    } finally {
      await client.close();
    }
  });

  test("sampling: the server's request reaches the client masked, and the client's answer reaches the server", async () => {
    const { client } = await connect({ sampling: {} });
    const seen: string[] = [];
    client.setRequestHandler(CreateMessageRequestSchema, async (request) => {
      const content = request.params.messages[0]?.content as { type: string; text: string };
      seen.push(content.text);
      return { role: "assistant", model: "test-model", content: { type: "text", text: "sampled answer 42" } };
    });
    try {
      const result = await client.callTool({ name: "trigger-sampling-request", arguments: { prompt: `tell ${EMAIL} a joke`, maxTokens: 5 } });
      assert.equal(seen.length, 1);
      assert.match(seen[0]!, /tell <EMAIL_ADDRESS> a joke/);
      assert.ok(!seen[0]!.includes(EMAIL));
      assert.match(texts(result), /sampled answer 42/);
    } finally {
      await client.close();
    }
  });

  test("elicitation is relayed both ways", async () => {
    const { client } = await connect({ elicitation: {} });
    client.setRequestHandler(ElicitRequestSchema, async () => ({ action: "accept", content: { name: "Jane Q", check: true } }));
    try {
      const result = await client.callTool({ name: "trigger-elicitation-request", arguments: {} });
      assert.match(texts(result), /- Name: Jane Q/);
      assert.match(texts(result), /- Agreed to terms: true/);
    } finally {
      await client.close();
    }
  });

  test("progress notifications reach the caller of the call they belong to", async () => {
    const { client } = await connect();
    const progress: number[] = [];
    try {
      const result = await client.callTool({ name: "trigger-long-running-operation", arguments: { duration: 0.3, steps: 3 } }, undefined, {
        onprogress: (p) => progress.push(p.progress),
      });
      assert.deepEqual(progress, [1, 2, 3]);
      assert.match(texts(result), /completed/i);
    } finally {
      await client.close();
    }
  });

  test("a cancelled call is cancelled upstream and the session goes on", async () => {
    const { client } = await connect({}, new URL(`${running.url}/servers/fixture/mcp`));
    try {
      assert.equal(texts(await client.callTool({ name: "cancellations", arguments: {} })), "0");
      const controller = new AbortController();
      const call = client.callTool({ name: "wait", arguments: {} }, undefined, { signal: controller.signal });
      setTimeout(() => controller.abort("changed my mind"), 300);
      await assert.rejects(call, /changed my mind|abort/i);
      let seen = "0";
      for (let i = 0; i < 50 && seen === "0"; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        seen = texts(await client.callTool({ name: "cancellations", arguments: {} }));
      }
      assert.equal(seen, "1", "the upstream saw the cancellation");
    } finally {
      await client.close();
    }
  });

  test("a server that speaks first (roots/list right after initialized) reaches the client's GET stream", async () => {
    const client = new Client({ name: "v1-roots", version: "1.0.0" }, { capabilities: { roots: { listChanged: true } } });
    let asked = 0;
    client.setRequestHandler(ListRootsRequestSchema, async () => {
      asked++;
      return { roots: [{ uri: `file://${clientFolder}`, name: "client folder" }] };
    });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${running.url}/servers/files/mcp`)));
    try {
      let allowed = "";
      for (let i = 0; i < 40 && !allowed.includes(clientFolder); i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        allowed = texts(await client.callTool({ name: "list_allowed_directories", arguments: {} }));
      }
      assert.equal(asked, 1);
      assert.ok(allowed.includes(clientFolder), allowed);
      assert.ok(!allowed.includes(cliFolder), allowed);
    } finally {
      await client.close();
    }
  });

  test("a server request sent before the client opened any stream waits for the GET stream", async () => {
    const url = `${running.url}/servers/files/mcp`;
    const init = await post(url, { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: { roots: {} }, clientInfo: { name: "late", version: "1" } } });
    const session = init.headers.get("mcp-session-id")!;
    await post(url, { jsonrpc: "2.0", method: "notifications/initialized" }, { "mcp-session-id": session });
    await new Promise((resolve) => setTimeout(resolve, 400)); // the server asks for roots now; no stream is open
    const controller = new AbortController();
    const signal = AbortSignal.any([controller.signal, AbortSignal.timeout(5_000)]); // bounded: a lost request must fail, not hang
    const stream = await fetch(url, { headers: { accept: "text/event-stream", "mcp-session-id": session }, signal });
    const reader = stream.body!.getReader();
    let text = "";
    try {
      while (!text.includes("roots/list")) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
    } catch {
      // timed out: the assertion below reports what arrived
    }
    controller.abort();
    assert.match(text, /"method":"roots\/list"/);
    await fetch(url, { method: "DELETE", headers: { "mcp-session-id": session } });
  });

  test("DELETE ends the session: its id then gets 404, and an unknown id gets 404", async () => {
    const { client, transport } = await connect();
    const sessionId = transport.sessionId!;
    assert.match(sessionId, /^[\x21-\x7e]{32}$/);
    await transport.terminateSession();
    await client.close();
    const afterDelete = await post(endpoint.href, { jsonrpc: "2.0", id: 9, method: "tools/list" }, { "mcp-session-id": sessionId });
    assert.equal(afterDelete.status, 404);
    const unknown = await post(endpoint.href, { jsonrpc: "2.0", id: 9, method: "tools/list" }, { "mcp-session-id": "no-such-session" });
    assert.equal(unknown.status, 404);
    assert.equal((unknown.json as { error: { code: number } }).error.code, -32001);
  });
});
