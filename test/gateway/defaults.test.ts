/**
 * The quick start's embedded defaults (server-everything and server-filesystem on a sample folder),
 * the commented example config in examples/, and the start banner that says how to connect.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { parse } from "yaml";
import { z } from "zod";
import { banner } from "../../src/cli/serve.js";
import { ConfigError, ensureSampleFolder, loadConfig, SAMPLE_FILES } from "../../src/config/index.js";
import { configFileSchema } from "../../src/config/schema.js";
import { createApiKeyService } from "../../src/auth/api-keys/index.js";
import { openSqliteStore, type SqliteStore } from "../../src/store/index.js";
import { startGateway, type RunningGateway } from "./helpers.js";

const root = join(import.meta.dirname, "..", "..");
const EXAMPLE = join(root, "examples", "bastion.yaml");

function filesUnder(folder: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else out[relative(folder, path).split("\\").join("/")] = readFileSync(path, "utf8");
    }
  };
  walk(folder);
  return out;
}

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return [...error.problems];
  }
  assert.fail("expected a ConfigError");
}

describe("embedded defaults", () => {
  test("server-everything and server-filesystem, the latter on .bastion/sample in the working directory; loading writes nothing", () => {
    const cwd = mkdtempSync(join(tmpdir(), "bastion-defaults-"));
    const config = loadConfig({ env: {}, cwd });
    assert.deepEqual(Object.keys(config.servers), ["everything", "filesystem"]);
    const sample = join(cwd, ".bastion", "sample");
    assert.equal(config.sampleFolder, sample);
    const filesystem = config.servers["filesystem"];
    assert.ok(filesystem?.kind === "stdio");
    assert.equal(filesystem.command, process.execPath, "run from node_modules with this Node: no network");
    assert.match(filesystem.args[0]!, /server-filesystem[/\\]dist[/\\]index\.js$/);
    assert.equal(filesystem.args.at(-1), sample);
    assert.deepEqual(filesystem.env, {});
    assert.equal(existsSync(join(cwd, ".bastion")), false, "loading the config has no side effect");
    assert.equal(config.log.messages, "debug");
  });

  test("a config file with servers has no sample folder", () => {
    const cwd = mkdtempSync(join(tmpdir(), "bastion-defaults-"));
    writeFileSync(join(cwd, "c.yaml"), 'servers: { remote: { url: "http://127.0.0.1:3001/mcp" } }\n');
    assert.equal(loadConfig({ file: "c.yaml", env: {}, cwd }).sampleFolder, undefined);
  });

  test("ensureSampleFolder writes the missing files and never overwrites one", () => {
    const folder = join(mkdtempSync(join(tmpdir(), "bastion-sample-")), "sample");
    ensureSampleFolder(folder);
    assert.deepEqual(filesUnder(folder), SAMPLE_FILES);
    writeFileSync(join(folder, "customers.csv"), "changed by the user\n");
    rmSync(join(folder, "tickets", "1042.txt"));
    ensureSampleFolder(folder);
    assert.equal(readFileSync(join(folder, "customers.csv"), "utf8"), "changed by the user\n");
    assert.equal(readFileSync(join(folder, "tickets", "1042.txt"), "utf8"), SAMPLE_FILES["tickets/1042.txt"]);
  });

  test("examples/sample holds exactly the files the quick start makes", () => {
    assert.deepEqual(filesUnder(join(root, "examples", "sample")), SAMPLE_FILES);
  });

  test("log.messages: BASTION_LOG_MESSAGES sets it; a bad value names the variable", () => {
    assert.equal(loadConfig({ env: { BASTION_LOG_MESSAGES: "info" } }).log.messages, "info");
    assert.equal(loadConfig({ env: { BASTION_LOG_MESSAGES: "off" } }).log.messages, "off");
    const [problem] = problemsOf(() => loadConfig({ env: { BASTION_LOG_MESSAGES: "loud" } }));
    assert.match(problem!, /^BASTION_LOG_MESSAGES \(log\.messages\): got "loud", expected one of debug, info, off$/);
  });
});

describe("servers.NAME.share", () => {
  test("none, principal or all, on stdio and HTTP servers; absent means none; anything else names the key and the choices", () => {
    const cwd = mkdtempSync(join(tmpdir(), "bastion-share-"));
    try {
      writeFileSync(
        join(cwd, "ok.yaml"),
        'servers: { a: { command: node, share: principal }, b: { url: "http://127.0.0.1:3001/mcp", share: all }, c: { command: node } }\n',
      );
      const config = loadConfig({ file: "ok.yaml", env: {}, cwd });
      assert.equal(config.servers["a"]!.share, "principal");
      assert.equal(config.servers["b"]!.share, "all");
      assert.equal(config.servers["c"]!.share, undefined);
      writeFileSync(join(cwd, "bad.yaml"), "servers: { a: { command: node, share: everyone } }\n");
      const [problem] = problemsOf(() => loadConfig({ file: "bad.yaml", env: {}, cwd }));
      assert.match(problem!, /^servers\.a\.share: got "everyone", expected who may share one upstream connection: "none" .*"principal" or "all"$/);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});

describe("examples/bastion.yaml", () => {
  test("is valid and shows every key the config file accepts", () => {
    const config = loadConfig({ file: EXAMPLE, env: {}, cwd: root });
    assert.deepEqual(Object.keys(config.servers), ["everything", "filesystem"]);
    assert.equal(config.pii.allowOptOut, false);
    assert.equal(config.log.messages, "debug");
    const written = parse(readFileSync(EXAMPLE, "utf8")) as Record<string, unknown>;
    const text = readFileSync(EXAMPLE, "utf8");
    // Sections that need files or an identity provider of the reader's own are shown in comments.
    const commented = new Set(["tls", "auth.jwt", "auth.introspection", "auth.resource", "auth.scopesSupported", "auth.resourceName"]);
    const shown = (path: string, parent: unknown, key: string) => {
      if (commented.has(path)) assert.match(text, new RegExp(`^\\s*#\\s*${key}:`, "m"), `${path} (in a comment)`);
      else assert.ok(parent !== null && typeof parent === "object" && key in parent, path);
    };
    const unwrap = (schema: unknown): unknown => (schema instanceof z.ZodOptional || schema instanceof z.ZodDefault ? unwrap(schema.unwrap()) : schema);
    for (const [key, schema] of Object.entries(configFileSchema.shape)) {
      shown(key, written, key);
      const inner = unwrap(schema);
      if (inner instanceof z.ZodObject) {
        for (const sub of Object.keys(inner.shape)) {
          if (commented.has(key)) assert.match(text, new RegExp(`^\\s*#\\s*${sub}:`, "m"), `${key}.${sub} (in a comment)`);
          else shown(`${key}.${sub}`, written[key], sub);
        }
      }
    }
    for (const key of ["issuers", "jwksUri", "audience", "algorithms", "requireAtJwt", "clockSkew", "claims", "endpoint", "clientId", "clientSecret"]) {
      assert.match(text, new RegExp(`\\b${key}:`), key);
    }
    // Server keys appear at least in comments (remote and legacy servers are commented out).
    for (const key of ["command", "args", "env", "cwd", "requestTimeout", "share", "url", "transport", "headers"]) assert.match(text, new RegExp(`\\b${key}:`), key);
  });

  describe("runs as written, from the repository root", () => {
    let running: RunningGateway;
    let store: SqliteStore;
    let key: string;
    before(async () => {
      const config = loadConfig({ file: EXAMPLE, env: {}, cwd: root });
      assert.equal(config.auth.required, true);
      assert.equal(config.store.path, join(root, ".bastion", "bastion.db"));
      // The example's store, in memory: the test leaves no file behind.
      store = openSqliteStore({ path: ":memory:" });
      key = (await createApiKeyService({ store: store.apiKeys }).create({ name: "example", role: "editor" })).key;
      running = await startGateway({ config: { ...config, listen: { host: "127.0.0.1", port: 0 } }, store });
    });
    after(async () => {
      await running.close();
      await store.close();
    });

    test("authentication is on: without a key, 401 with a challenge", async () => {
      const refused = await fetch(`${running.url}/mcp`, { method: "POST", headers: { "content-type": "application/json", accept: "application/json, text/event-stream" }, body: "{}" });
      assert.equal(refused.status, 401);
      assert.match(refused.headers.get("www-authenticate") ?? "", /^Bearer .*resource_metadata="http:\/\/127\.0\.0\.1:\d+\/\.well-known\/oauth-protected-resource\/mcp"/);
    });

    test("both servers answer on /mcp; the filesystem server lists examples/sample", async () => {
      const client = new Client({ name: "example-config", version: "1.0.0" });
      await client.connect(new StreamableHTTPClientTransport(new URL(`${running.url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${key}` } } }));
      try {
        const echoed = await client.callTool({ name: "everything__echo", arguments: { message: "hello" } });
        assert.deepEqual(echoed.content, [{ type: "text", text: "Echo: hello" }]);
        const listed = await client.callTool({ name: "filesystem__list_directory", arguments: { path: join(root, "examples", "sample") } });
        assert.deepEqual((listed.content as Array<{ text: string }>)[0]!.text.split("\n").sort(), ["[DIR] tickets", "[FILE] README.md", "[FILE] customers.csv"]);
      } finally {
        await client.close();
      }
    });
  });
});

describe("the start banner", () => {
  test("names every route, the sample folder, and inspector command lines to try", () => {
    const config = loadConfig({ env: {}, cwd: mkdtempSync(join(tmpdir(), "bastion-banner-")) });
    const text = banner(config, "http://127.0.0.1:8080");
    assert.match(text, /^mcp-bastion gateway listening on http:\/\/127\.0\.0\.1:8080 \(embedded defaults\)$/m);
    assert.match(text, /^ {2}all servers +http:\/\/127\.0\.0\.1:8080\/mcp$/m);
    assert.match(text, /^ {2}everything +http:\/\/127\.0\.0\.1:8080\/servers\/everything\/mcp$/m);
    assert.match(text, /^ {2}filesystem +http:\/\/127\.0\.0\.1:8080\/servers\/filesystem\/mcp$/m);
    assert.ok(text.includes(`sample folder ${config.sampleFolder}`));
    assert.match(text, /cli\.js --cli http:\/\/127\.0\.0\.1:8080\/mcp --transport http --method tools\/list\)$/m);
    assert.match(text, /--tool-name filesystem__read_text_file --tool-arg path=\S+tickets\/1042\.txt\)$/m);
    assert.match(text, /PII masking before the model: on \(replace\); in logs: on/);
  });

  test("without the defaults there is no sample folder and one command line", () => {
    const cwd = mkdtempSync(join(tmpdir(), "bastion-banner-"));
    writeFileSync(join(cwd, "c.yaml"), 'servers: { remote: { url: "http://127.0.0.1:3001/mcp" } }\n');
    const text = banner(loadConfig({ file: "c.yaml", env: {}, cwd }), "http://127.0.0.1:9");
    assert.doesNotMatch(text, /sample folder/);
    assert.equal(text.split("\n").filter((line) => line.includes("--cli")).length, 1);
  });
});
