/**
 * `bastion serve` as a user runs it: the real CLI process, config files and environment, real
 * upstream servers, the SDK client and the inspector CLI, and a graceful stop on SIGTERM.
 */
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFile, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { SAMPLE_FILES } from "../../src/config/index.js";

const root = join(import.meta.dirname, "..", "..");
const require = createRequire(import.meta.url);
const everythingBin = join(dirname(require.resolve("@modelcontextprotocol/server-everything/package.json")), "dist", "index.js");
const inspectorBin = join(dirname(require.resolve("@modelcontextprotocol/inspector-cli/package.json")), "build", "index.js");
const dir = mkdtempSync(join(tmpdir(), "bastion-serve-"));
const EMAIL = "jane.doe@example.com";

function configFile(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const everythingConfig = (extra = "") =>
  configFile(
    `ok-${Math.random().toString(36).slice(2)}.yaml`,
    `listen: { host: 127.0.0.1, port: 0 }
servers:
  everything: { command: ${JSON.stringify(process.execPath)}, args: [${JSON.stringify(everythingBin)}, "stdio"], env: {} }
pii: { beforeLlm: true, inLogs: true }
${extra}`,
  );

interface Served {
  child: ChildProcess;
  url: string;
  /** The first admin API key, from the banner (each run has a fresh store). */
  key: string;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

const started: ChildProcess[] = [];
after(() => {
  for (const child of started) if (child.exitCode === null) child.kill("SIGKILL");
});

/** The CLI's environment: only what a user's shell would add, never this test runner's own. */
function cliEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, ...extra };
}

/** tsx by its file URL, so the CLI can also run from a working directory outside the repository. */
const tsxLoader = import.meta.resolve("tsx");

function runServe(args: string[], env: Record<string, string> = {}, cwd = root): Served {
  // A fresh store per run, never the repository's own .bastion/ (the quick start test uses its working directory's).
  const store: Record<string, string> = cwd === root && env.BASTION_STORE_PATH === undefined ? { BASTION_STORE_PATH: join(dir, `store-${Math.random().toString(36).slice(2)}.db`) } : {};
  const child = spawn(process.execPath, ["--import", tsxLoader, join(root, "src", "cli", "main.ts"), "serve", ...args], { cwd, env: cliEnv({ ...store, ...env }) });
  started.push(child);
  let out = "";
  let err = "";
  child.stdout!.on("data", (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (err += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, url: "", key: "", stdout: () => out, stderr: () => err, exit };
}

async function startServe(args: string[], env: Record<string, string> = {}, cwd = root): Promise<Served> {
  const served = runServe(args, env, cwd);
  for (let i = 0; i < 300; i++) {
    const match = /listening on (http:\/\/\S+)/.exec(served.stderr());
    const key = /^ {2}(bst_\S+)$/m.exec(served.stderr());
    if (match && key) return { ...served, url: match[1]!, key: key[1]! };
    if (served.child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`bastion serve did not start:\n${served.stderr()}`);
}

async function connect(url: string, key: string): Promise<Client> {
  const client = new Client({ name: "e2e", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${key}` } } }));
  return client;
}

const texts = (result: unknown): string =>
  ((result as { content: Array<{ type: string; text?: string }> }).content).filter((c) => c.type === "text").map((c) => c.text).join("\n");

/** Pids of upstream children, from the gateway's own JSON log. */
function upstreamPids(stdout: string): number[] {
  return stdout
    .split("\n")
    .filter((line) => line.includes('"upstream.started"'))
    .map((line) => (JSON.parse(line) as { pid: number }).pid);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("bastion serve: start-up errors", () => {
  test("a bad config file names the key, the value and what was expected; exit 2, no stack trace", async () => {
    const bad = configFile("bad.yaml", 'listen: { port: "http" }\npii: { beforeLlm: maybe }\nservers: { x: { url: "ftp://nope" } }\n');
    const served = runServe(["--config", bad]);
    assert.equal(await served.exit, 2);
    const err = served.stderr();
    assert.match(err, /listen\.port: got "http", expected a port number/);
    assert.match(err, /pii\.beforeLlm: got "maybe", expected true or false/);
    assert.match(err, /servers\.x\.url: got "ftp:\/\/nope", expected an http:\/\/ or https:\/\/ URL/);
    assert.doesNotMatch(err, /\n\s+at /, "no stack trace");
  });

  test("a missing config file is a clear error", async () => {
    const served = runServe(["--config", join(dir, "missing.yaml")]);
    assert.equal(await served.exit, 2);
    assert.match(served.stderr(), /cannot read the config file: no such file/);
  });

  test("MASK_PII_BEFORE_LLM must be 1, 0, true or false: anything else names the variable", async () => {
    const served = runServe(["--config", everythingConfig()], { MASK_PII_BEFORE_LLM: "yes" });
    assert.equal(await served.exit, 2);
    assert.match(served.stderr(), /MASK_PII_BEFORE_LLM: got "yes", expected 1, 0, true or false/);
  });

  test("a port already in use is reported, exit 1", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const served = runServe(["--config", everythingConfig(), "--port", String(port)]);
      assert.equal(await served.exit, 1);
      assert.match(served.stderr(), /address is already in use/);
    } finally {
      blocker.close();
    }
  });
});

describe("bastion serve: running", () => {
  test("serves real servers to the SDK client and the inspector CLI, masked, and logs each message masked", async () => {
    const served = await startServe(["--config", everythingConfig()], { BASTION_LOG_LEVEL: "debug" });
    try {
      const client = await connect(`${served.url}/servers/everything/mcp`, served.key);
      const echoed = await client.callTool({ name: "echo", arguments: { message: `ping ${EMAIL}` } });
      assert.equal(texts(echoed), "Echo: ping <EMAIL_ADDRESS>");
      await client.close();
      const inspect = (...args: string[]) =>
        new Promise<string>((resolve, reject) =>
          execFile(
            process.execPath,
            [inspectorBin, `${served.url}/mcp`, "--transport", "http", "--header", `Authorization: Bearer ${served.key}`, ...args],
            // The inspector finds its own package.json relative to the working directory.
            { timeout: 60_000, cwd: dirname(inspectorBin) },
            (error, stdout) => (error ? reject(error) : resolve(stdout)),
          ),
        );
      const inspected = await inspect("--method", "tools/call", "--tool-name", "everything__echo", "--tool-arg", `message=${EMAIL}`);
      assert.match(inspected, /Echo: <EMAIL_ADDRESS>/);
      assert.ok(!inspected.includes(EMAIL));
      const prompt = await inspect("--method", "prompts/get", "--prompt-name", "everything__args-prompt", "--prompt-args", `city=${EMAIL}`);
      assert.match(prompt, /What's weather in <EMAIL_ADDRESS>\?/);
      assert.ok(!prompt.includes(EMAIL));
      const resource = JSON.parse(await inspect("--method", "resources/read", "--uri", "bastion://everything/demo://resource/dynamic/text/3")) as { contents: Array<{ uri: string }> };
      assert.equal(resource.contents[0]?.uri, "bastion://everything/demo://resource/dynamic/text/3");
      assert.ok(!served.stdout().includes(EMAIL), "no unmasked PII in the gateway's log");
      const listening = served.stdout().split("\n").find((line) => line.includes('"gateway listening"'));
      assert.equal((JSON.parse(listening ?? "{}") as { host?: string }).host, "127.0.0.1", "the gateway's own address is not masked as PII");
      const logged = served
        .stdout()
        .split("\n")
        .filter((line) => line.includes('"mcp.message"'))
        .map((line) => JSON.parse(line) as { from: string; method?: string; name?: string; arguments?: { message?: string } });
      const call = logged.find((line) => line.from === "client" && line.method === "tools/call" && line.name === "echo");
      assert.equal(call?.arguments?.message, "ping <EMAIL_ADDRESS>", "the per-message line holds the arguments, masked");
      assert.ok(logged.some((line) => line.from === "server" && line.method === "tools/call"));
    } finally {
      served.child.kill("SIGTERM");
      await served.exit;
    }
  });

  test("environment overrides the file: MASK_PII_BEFORE_LLM=0 turns masking off", async () => {
    const served = await startServe(["--config", everythingConfig()], { MASK_PII_BEFORE_LLM: "0" });
    try {
      assert.match(served.stderr(), /PII masking before the model: off/);
      const client = await connect(`${served.url}/servers/everything/mcp`, served.key);
      assert.equal(texts(await client.callTool({ name: "echo", arguments: { message: EMAIL } })), `Echo: ${EMAIL}`);
      await client.close();
    } finally {
      served.child.kill("SIGTERM");
      await served.exit;
    }
  });

  test("SIGTERM: in-flight calls finish, new requests are refused, children stop, exit 0", async () => {
    const served = await startServe(["--config", everythingConfig()]);
    const client = await connect(`${served.url}/servers/everything/mcp`, served.key);
    const pids = upstreamPids(served.stdout());
    assert.ok(pids.length >= 1 && pids.every(alive), "the upstream child runs");
    const call = client.callTool({ name: "trigger-long-running-operation", arguments: { duration: 2, steps: 4 } });
    await new Promise((resolve) => setTimeout(resolve, 400));
    served.child.kill("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 200));
    const refused = await fetch(`${served.url}/mcp`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: "{}",
    }).then(
      (reply) => reply.status,
      () => "connection refused",
    );
    assert.ok(refused === 503 || refused === "connection refused", String(refused));
    const result = await call;
    assert.match(texts(result), /completed/i, "the call in flight finished");
    assert.equal(await served.exit, 0);
    assert.match(served.stderr(), /SIGTERM received, shutting down/);
    for (let i = 0; i < 40 && pids.some(alive); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(pids.filter(alive), [], "upstream children stopped");
  });

  test("the first admin key is printed once: a second start on the same store prints none, and requests need a key", async () => {
    const storePath = join(dir, "once.db");
    const first = await startServe(["--config", everythingConfig()], { BASTION_STORE_PATH: storePath });
    first.child.kill("SIGTERM");
    assert.equal(await first.exit, 0);
    assert.match(first.stderr(), /shown ONCE/);

    const second = runServe(["--config", everythingConfig()], { BASTION_STORE_PATH: storePath });
    try {
      let url: string | undefined;
      for (let i = 0; i < 300 && url === undefined && second.child.exitCode === null; i++) {
        url = /listening on (http:\/\/\S+)/.exec(second.stderr())?.[1];
        if (url === undefined) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.ok(url, second.stderr());
      await new Promise((resolve) => setTimeout(resolve, 100)); // the rest of the banner
      assert.doesNotMatch(second.stderr(), /bst_[a-z2-7]{16}_/, "no key on the second start");
      assert.match(second.stderr(), /--header "Authorization: Bearer \$BASTION_API_KEY"/);
      const refused = await fetch(`${url}/mcp`, { method: "POST", headers: { "content-type": "application/json", accept: "application/json, text/event-stream" }, body: "{}" });
      assert.equal(refused.status, 401);
      const client = await connect(`${url}/servers/everything/mcp`, first.key);
      assert.equal(texts(await client.callTool({ name: "echo", arguments: { message: "again" } })), "Echo: again", "the first key still works");
      await client.close();
    } finally {
      second.child.kill("SIGTERM");
      assert.equal(await second.exit, 0);
    }
  });

  test("with no config at all (the quick start), it serves server-everything and server-filesystem on a sample folder", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "bastion-quickstart-"));
    const served = await startServe(["--port", "0"], {}, cwd);
    try {
      const sample = join(cwd, ".bastion", "sample");
      const banner = served.stderr();
      assert.match(banner, /\(embedded defaults\)/);
      assert.ok(banner.includes(`${served.url}/servers/everything/mcp`) && banner.includes(`${served.url}/servers/filesystem/mcp`), banner);
      assert.ok(banner.includes(`sample folder ${sample}`), banner);
      assert.equal(readFileSync(join(sample, "tickets", "1042.txt"), "utf8"), SAMPLE_FILES["tickets/1042.txt"], "the sample folder is made in the working directory");

      const client = await connect(`${served.url}/mcp`, served.key);
      const names = (await client.listTools()).tools.map((t) => t.name);
      for (const name of ["everything__echo", "filesystem__list_directory", "filesystem__read_text_file"]) assert.ok(names.includes(name), `${name} in ${names.join(",")}`);
      const listing = texts(await client.callTool({ name: "filesystem__list_directory", arguments: { path: sample } }));
      assert.deepEqual(listing.split("\n").sort(), ["[DIR] tickets", "[FILE] README.md", "[FILE] customers.csv"]);
      const ticket = texts(await client.callTool({ name: "filesystem__read_text_file", arguments: { path: join(sample, "tickets", "1042.txt") } }));
      assert.match(ticket, /From: Jane Roe <<EMAIL_ADDRESS>>/);
      assert.match(ticket, /my card <CREDIT_CARD> was charged twice/);
      assert.ok(!ticket.includes("jane.roe@example.com"));
      assert.equal(texts(await client.callTool({ name: "everything__echo", arguments: { message: EMAIL } })), "Echo: <EMAIL_ADDRESS>");
      await client.close();

      // The inspector command lines the banner prints work as printed.
      const commands = banner.split("\n").filter((line) => line.includes("cli.js --cli") || line.includes("inspector --cli")).map((line) => line.trim());
      assert.equal(commands.length, 2, banner);
      const listed = await shell(commands[0]!, cwd);
      assert.match(listed, /"filesystem__list_directory"/);
      const read = await shell(commands[1]!, cwd);
      assert.match(read, /Phone: <PHONE_NUMBER>/);
      assert.ok(!read.includes("jane.roe@example.com"));
    } finally {
      served.child.kill("SIGINT");
      assert.equal(await served.exit, 0);
    }
  });
});

function shell(command: string, cwd: string): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile("sh", ["-c", command], { cwd, timeout: 60_000, env: { PATH: process.env.PATH, HOME: process.env.HOME } }, (error, stdout, stderr) =>
      error ? reject(new Error(`${command}: ${error.message}\n${stderr}`)) : resolve(stdout),
    ),
  );
}
