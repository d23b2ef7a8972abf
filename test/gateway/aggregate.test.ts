/**
 * The aggregated /mcp route: real server-everything, server-filesystem and the dual-era fixture
 * behind one session, seen by the v1 SDK client with namespaced names, calls routed back.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { DUAL_ERA, EMAIL, EVERYTHING, filesystemServer, startGateway, testConfig, type RunningGateway } from "./helpers.js";

const folder = realpathSync(mkdtempSync(join(tmpdir(), "bastion-agg-")));
writeFileSync(join(folder, "contacts.txt"), `Support: ${EMAIL}\n`);

let running: RunningGateway;

before(async () => {
  running = await startGateway({ config: testConfig({ everything: EVERYTHING, fixture: DUAL_ERA, files: filesystemServer(folder) }) });
});
after(() => running.close());

async function connect(url = `${running.url}/mcp`): Promise<Client> {
  const client = new Client({ name: "v1-aggregate", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return client;
}

const texts = (result: unknown): string =>
  ((result as { content: Array<{ type: string; text?: string }> }).content).filter((c) => c.type === "text").map((c) => c.text).join("\n");

describe("aggregated /mcp (2025-11-25)", () => {
  let client: Client;
  before(async () => {
    client = await connect();
  });
  after(() => client.close());

  test("the gateway answers initialize with its own identity and the servers' merged capabilities", () => {
    assert.equal(client.getServerVersion()?.name, "mcp-bastion");
    const capabilities = client.getServerCapabilities();
    assert.ok(capabilities?.tools);
    assert.ok(capabilities?.prompts);
    assert.ok(capabilities?.resources);
  });

  test("tools of every server, namespaced: the same tool name on two servers does not collide", async () => {
    const names = (await client.listTools()).tools.map((t) => t.name);
    for (const expected of ["everything__echo", "fixture__echo", "fixture__contact", "files__read_text_file", "files__write_file"]) {
      assert.ok(names.includes(expected), `${expected} in ${names.join(",")}`);
    }
    assert.equal(new Set(names).size, names.length, "no duplicates");
    assert.ok(names.every((n) => /^(everything|fixture|files)__/.test(n)));
  });

  test("a call goes to the owning server under its own name, the result masked", async () => {
    assert.equal(texts(await client.callTool({ name: "everything__echo", arguments: { message: EMAIL } })), "Echo: <EMAIL_ADDRESS>");
    assert.equal(texts(await client.callTool({ name: "fixture__echo", arguments: { message: "plain" } })), "plain");
    const file = await client.callTool({ name: "files__read_text_file", arguments: { path: join(folder, "contacts.txt") } });
    assert.equal(texts(file).trim(), "Support: <EMAIL_ADDRESS>");
  });

  test("unknown and un-namespaced names are refused, not guessed", async () => {
    for (const name of ["echo", "nope__echo", "everything__", "__echo"]) {
      await assert.rejects(client.callTool({ name, arguments: {} }), (error: Error & { code?: number }) => {
        assert.equal(error.code, -32602, name);
        return true;
      });
    }
  });

  test("resources and templates are wrapped as bastion://SERVER/URI and read back through the owner", async () => {
    const { resources } = await client.listResources();
    const first = resources.find((r) => r.uri.startsWith("bastion://everything/demo://"));
    assert.ok(first, resources.map((r) => r.uri).join(","));
    const read = await client.readResource({ uri: first.uri });
    assert.equal(read.contents[0]?.uri, first.uri);
    const { resourceTemplates } = await client.listResourceTemplates();
    const template = resourceTemplates.find((t) => t.uriTemplate === "bastion://everything/demo://resource/dynamic/text/{resourceId}");
    assert.ok(template, resourceTemplates.map((t) => t.uriTemplate).join(","));
    const expanded = await client.readResource({ uri: "bastion://everything/demo://resource/dynamic/text/3" });
    assert.equal(expanded.contents[0]?.uri, "bastion://everything/demo://resource/dynamic/text/3");
    await assert.rejects(client.readResource({ uri: "demo://resource/dynamic/text/3" }), /not found/);
  });

  test("prompts are namespaced and got from their server", async () => {
    const names = (await client.listPrompts()).prompts.map((p) => p.name);
    assert.ok(names.includes("everything__args-prompt"), names.join(","));
    const prompt = await client.getPrompt({ name: "everything__args-prompt", arguments: { city: "Lyon" } });
    assert.equal((prompt.messages[0]?.content as { text: string }).text, "What's weather in Lyon?");
  });

  test("completion references are un-namespaced too", async () => {
    const result = await client.complete({ ref: { type: "ref/prompt", name: "everything__completable-prompt" }, argument: { name: "department", value: "E" } });
    assert.ok(Array.isArray(result.completion.values));
  });

  test("ping is answered by the gateway", async () => {
    assert.deepEqual(await client.ping(), {});
  });
});

describe("reversible tokens (pii.mode: tokens)", () => {
  let tokens: RunningGateway;
  before(async () => {
    const base = testConfig({ everything: EVERYTHING, files: filesystemServer(folder) });
    tokens = await startGateway({ config: { ...base, pii: { ...base.pii, mode: "tokens" } } });
  });
  after(() => tokens.close());

  test("the model sees a token; the tool gets the value; another session's token stays a token", async () => {
    const alice = await connect(`${tokens.url}/mcp`);
    const bob = await connect(`${tokens.url}/mcp`);
    try {
      const seen = texts(await alice.callTool({ name: "files__read_text_file", arguments: { path: join(folder, "contacts.txt") } })).trim();
      assert.equal(seen, "Support: <EMAIL_ADDRESS_1>");
      await alice.callTool({ name: "files__write_file", arguments: { path: join(folder, "alice.txt"), content: "reply to <EMAIL_ADDRESS_1>" } });
      assert.equal(readFileSync(join(folder, "alice.txt"), "utf8"), `reply to ${EMAIL}`);
      await bob.callTool({ name: "files__write_file", arguments: { path: join(folder, "bob.txt"), content: "reply to <EMAIL_ADDRESS_1>" } });
      assert.equal(readFileSync(join(folder, "bob.txt"), "utf8"), "reply to <EMAIL_ADDRESS_1>", "a token this session was never given is not restored");
    } finally {
      await alice.close();
      await bob.close();
    }
  });
});
