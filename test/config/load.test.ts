import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, loadConfig, parseDuration } from "../../src/config/index.js";

const dir = mkdtempSync(join(tmpdir(), "bastion-config-"));
let counter = 0;
function file(text: string, extension = ".yaml"): string {
  const path = join(dir, `config-${counter++}${extension}`);
  writeFileSync(path, text);
  return path;
}

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`);
    return [...error.problems];
  }
  assert.fail("expected the configuration to be refused");
}

const ISSUE_EXAMPLE = `
listen: { host: 127.0.0.1, port: 8080 }
servers:
  everything: { command: npx, args: ["-y", "@modelcontextprotocol/server-everything"], env: {} }
  remote:     { url: "http://127.0.0.1:3001/mcp" }
pii: { beforeLlm: true, inLogs: true }
`;

describe("loadConfig: files", () => {
  test("the issue's example file loads as written", () => {
    const config = loadConfig({ file: file(ISSUE_EXAMPLE) });
    assert.deepEqual(config.listen, { host: "127.0.0.1", port: 8080 });
    assert.deepEqual(Object.keys(config.servers), ["everything", "remote"]);
    assert.deepEqual(config.servers.everything, {
      kind: "stdio",
      command: "npx",
      args: ["-y", "@modelcontextprotocol/server-everything"],
      env: {},
      requestTimeoutMs: 60_000,
    });
    assert.deepEqual(config.servers.remote, { kind: "http", url: "http://127.0.0.1:3001/mcp", headers: {}, requestTimeoutMs: 60_000 });
    assert.equal(config.pii.beforeLlm, true);
    assert.equal(config.pii.inLogs, true);
    assert.equal(config.pii.mode, "replace");
    assert.equal(config.pii.allowOptOut, false);
  });

  test("JSON files load too, with every optional key", () => {
    const config = loadConfig({
      file: file(
        JSON.stringify({
          listen: { port: 9000 },
          servers: {
            legacy: { url: "https://example.com/sse", transport: "sse", headers: { Authorization: "Bearer x" }, requestTimeout: "5s" },
            fs: { command: "node", args: ["a.js"], env: { A: "1" }, cwd: "/tmp", requestTimeout: 2500 },
          },
          pii: { mode: "tokens", allowOptOut: true, inLogs: false },
          sessions: { idleTimeout: "10m", absoluteTimeout: "1h", max: 5 },
          limits: { maxBodyBytes: 2048 },
          allowedHosts: ["mcp.example.com"],
          allowedOrigins: ["https://app.example.com"],
          log: { level: "debug" },
          shutdownTimeout: "3s",
        }),
        ".json",
      ),
    });
    assert.deepEqual(config.servers.legacy, { kind: "sse", url: "https://example.com/sse", headers: { Authorization: "Bearer x" }, requestTimeoutMs: 5000 });
    assert.deepEqual(config.servers.fs, { kind: "stdio", command: "node", args: ["a.js"], env: { A: "1" }, cwd: "/tmp", requestTimeoutMs: 2500 });
    assert.equal(config.pii.mode, "tokens");
    assert.equal(config.pii.allowOptOut, true);
    assert.equal(config.pii.inLogs, false);
    assert.deepEqual(config.sessions, { idleTimeoutMs: 600_000, absoluteTimeoutMs: 3_600_000, max: 5 });
    assert.equal(config.limits.maxBodyBytes, 2048);
    assert.deepEqual(config.allowedHosts, ["mcp.example.com"]);
    assert.deepEqual(config.allowedOrigins, ["https://app.example.com"]);
    assert.equal(config.log.level, "debug");
    assert.equal(config.shutdownTimeoutMs, 3000);
    assert.equal(config.listen.host, "127.0.0.1");
  });

  test("no file at all: embedded defaults in front of server-everything from node_modules", () => {
    const config = loadConfig({ env: {} });
    assert.equal(config.source, "embedded defaults");
    assert.deepEqual(config.listen, { host: "127.0.0.1", port: 8080 });
    const everything = config.servers.everything;
    assert.ok(everything && everything.kind === "stdio");
    assert.equal(everything.command, process.execPath);
    assert.match(everything.args[0] ?? "", /server-everything[/\\]dist[/\\]index\.js$/);
    assert.deepEqual(config.allowedHosts, ["localhost", "127.0.0.1", "[::1]"]);
    assert.deepEqual(config.allowedOrigins, ["localhost", "127.0.0.1", "[::1]"]);
    assert.equal(config.pii.beforeLlm, true);
  });

  test("an empty file means all defaults", () => {
    const config = loadConfig({ file: file("") });
    assert.ok(config.servers.everything);
  });

  test("a missing file, a directory, bad YAML and bad JSON are refused with the reason", () => {
    assert.match(problemsOf(() => loadConfig({ file: join(dir, "nope.yaml") }))[0]!, /no such file/);
    const sub = join(dir, "a-directory");
    mkdirSync(sub);
    assert.match(problemsOf(() => loadConfig({ file: sub }))[0]!, /directory/);
    assert.match(problemsOf(() => loadConfig({ file: file("listen: [1,\n") }))[0]!, /not valid YAML/);
    assert.match(problemsOf(() => loadConfig({ file: file("{ listen: ", ".json") }))[0]!, /not valid JSON/);
    assert.match(problemsOf(() => loadConfig({ file: file("a: 1\na: 2\n") }))[0]!, /not valid YAML: Map keys must be unique/);
    assert.match(problemsOf(() => loadConfig({ file: file("- 1\n- 2\n") }))[0]!, /expected a mapping of settings/);
  });

  test("a bad value names the key path, the value and what was expected", () => {
    const problems = problemsOf(() =>
      loadConfig({ file: file('listen: { port: "eighty" }\npii: { beforeLlm: "yes", mode: scramble }\nlimits: { maxBodyBytes: 10 }\n') }),
    );
    assert.ok(problems.includes('listen.port: got "eighty", expected a port number'), problems.join("\n"));
    assert.ok(problems.includes('pii.beforeLlm: got "yes", expected true or false'), problems.join("\n"));
    assert.ok(problems.some((p) => p.startsWith('pii.mode: got "scramble", expected one of replace, tokens')), problems.join("\n"));
    assert.ok(problems.includes("limits.maxBodyBytes: got 10, expected at least 1024 bytes"), problems.join("\n"));
  });

  test("unknown keys are errors (a typo must not leave a setting at its default)", () => {
    const problems = problemsOf(() => loadConfig({ file: file("pii: { beforeLLM: false }\nlisten: { port: 1 }\nlisen: {}\n") }));
    assert.deepEqual(problems.sort(), ["lisen: unknown key", "pii.beforeLLM: unknown key"]);
  });

  test("server entries are checked one by one", () => {
    const problems = problemsOf(() =>
      loadConfig({
        file: file(`
servers:
  a__b: { command: x }
  nothing: { args: [] }
  both: { command: x, url: "http://x" }
  badurl: { url: "ftp://x" }
  badargs: { command: x, args: "one" }
  badtimeout: { command: x, requestTimeout: "soon" }
  badenv: { command: x, env: { A: 1 } }
  extra: { command: x, shell: true }
  badtransport: { url: "http://x", transport: websocket }
`),
      }),
    );
    const text = problems.join("\n");
    assert.match(text, /servers\.a__b: the server name "a__b" is not allowed/);
    assert.match(text, /servers\.nothing: got \{"args":\[\]\}, expected \{ command, args, env \} \(a stdio server\) or \{ url \}/);
    assert.match(text, /servers\.both: has both command and url/);
    assert.match(text, /servers\.badurl\.url: got "ftp:\/\/x", expected an http:\/\/ or https:\/\/ URL/);
    assert.match(text, /servers\.badargs\.args: got "one", expected a list of strings/);
    assert.match(text, /servers\.badtimeout\.requestTimeout: got "soon", expected a duration/);
    assert.match(text, /servers\.badenv\.env\.A: got 1, expected a string/);
    assert.match(text, /servers\.extra\.shell: unknown key/);
    assert.match(text, /servers\.badtransport\.transport: got "websocket", expected a transport/);
    assert.equal(problems.length, 9);
  });

  test("an empty servers map is refused", () => {
    assert.deepEqual(problemsOf(() => loadConfig({ file: file("servers: {}\n") })), ["servers: got {}, expected at least one server"]);
  });

  test("listening on every interface needs an explicit Host allow-list", () => {
    assert.match(problemsOf(() => loadConfig({ file: file("listen: { host: 0.0.0.0 }\n") }))[0]!, /allowedHosts: must be set/);
    const config = loadConfig({ file: file('listen: { host: 0.0.0.0 }\nallowedHosts: ["MCP.example.com"]\n') });
    assert.deepEqual(config.allowedHosts, ["mcp.example.com"]);
  });

  test("allow-list entries the guard could not use are refused at start", () => {
    const problems = problemsOf(() =>
      loadConfig({ file: file('allowedHosts: ["ok.example", "bad host", "[::1"]\nallowedOrigins: ["https://ok.example", "https://x.example/path", "ftp://x.example", "x.example:80", "*"]\n') }),
    );
    assert.deepEqual(problems.map((p) => p.split(":")[0]), ["allowedHosts[1]", "allowedHosts[2]", "allowedOrigins[1]", "allowedOrigins[2]", "allowedOrigins[3]"]);
    assert.match(problemsOf(() => loadConfig({ env: { BASTION_ALLOWED_HOSTS: "a.example,b c" } }))[0]!, /^BASTION_ALLOWED_HOSTS \(allowedHosts\[1\]\): got "b c"/);
  });

  test("a specific listen address joins the default Host allow-list", () => {
    assert.deepEqual(loadConfig({ file: file("listen: { host: 10.1.2.3 }\n") }).allowedHosts, ["localhost", "127.0.0.1", "[::1]", "10.1.2.3"]);
    assert.deepEqual(loadConfig({ file: file('listen: { host: "::1" }\n') }).allowedHosts, ["localhost", "127.0.0.1", "[::1]"]);
  });

  test("an idle timeout longer than the absolute timeout is refused", () => {
    assert.match(problemsOf(() => loadConfig({ file: file("sessions: { idleTimeout: 2h, absoluteTimeout: 1h }\n") }))[0]!, /sessions\.idleTimeout/);
  });
});

describe("loadConfig: environment and flags", () => {
  test("MASK_PII_* accept exactly 1, 0, true and false", () => {
    for (const [text, value] of [["1", true], ["0", false], ["true", true], ["false", false], ["TRUE", true], [" 0 ", false]] as const) {
      const config = loadConfig({ env: { MASK_PII_BEFORE_LLM: text, MASK_PII_IN_LOGS: text } });
      assert.equal(config.pii.beforeLlm, value, text);
      assert.equal(config.pii.inLogs, value, text);
    }
  });

  test("anything else in MASK_PII_* is a start-up error naming the variable", () => {
    for (const text of ["yes", "no", "on", "2", "-1", "tru"]) {
      const problems = problemsOf(() => loadConfig({ env: { MASK_PII_BEFORE_LLM: text } }));
      assert.deepEqual(problems, [`MASK_PII_BEFORE_LLM: got ${JSON.stringify(text)}, expected 1, 0, true or false`]);
    }
    assert.match(problemsOf(() => loadConfig({ env: { MASK_PII_IN_LOGS: "off" } }))[0]!, /^MASK_PII_IN_LOGS: /);
  });

  test("environment variables override the file", () => {
    const path = file("listen: { host: 127.0.0.1, port: 8080 }\npii: { beforeLlm: true, inLogs: true, mode: replace }\n");
    const config = loadConfig({
      file: path,
      env: {
        MASK_PII_BEFORE_LLM: "0",
        MASK_PII_IN_LOGS: "false",
        BASTION_PORT: "9191",
        BASTION_HOST: "localhost",
        BASTION_PII_MODE: "tokens",
        BASTION_PII_ALLOW_OPT_OUT: "1",
        BASTION_MAX_BODY_BYTES: "4096",
        BASTION_ALLOWED_HOSTS: "a.example, b.example",
        BASTION_ALLOWED_ORIGINS: "https://a.example",
        BASTION_SESSION_IDLE_TIMEOUT: "1m",
        BASTION_SESSION_ABSOLUTE_TIMEOUT: "2m",
        BASTION_MAX_SESSIONS: "3",
        BASTION_SHUTDOWN_TIMEOUT: "1500",
        BASTION_LOG_LEVEL: "warn",
      },
    });
    assert.deepEqual(config.listen, { host: "localhost", port: 9191 });
    assert.deepEqual(config.pii, { beforeLlm: false, inLogs: false, mode: "tokens", allowOptOut: true });
    assert.equal(config.limits.maxBodyBytes, 4096);
    assert.deepEqual(config.allowedHosts, ["a.example", "b.example"]);
    assert.deepEqual(config.allowedOrigins, ["https://a.example"]);
    assert.deepEqual(config.sessions, { idleTimeoutMs: 60_000, absoluteTimeoutMs: 120_000, max: 3 });
    assert.equal(config.shutdownTimeoutMs, 1500);
    assert.equal(config.log.level, "warn");
  });

  test("a bad environment value names the variable and the key it sets", () => {
    const problems = problemsOf(() => loadConfig({ env: { BASTION_PORT: "http", BASTION_PII_MODE: "shred", BASTION_SESSION_IDLE_TIMEOUT: "forever" } }));
    assert.ok(problems.includes('BASTION_PORT (listen.port): got "http", expected a port number'), problems.join("\n"));
    assert.ok(problems.some((p) => p.startsWith('BASTION_PII_MODE (pii.mode): got "shred", expected one of')), problems.join("\n"));
    assert.ok(problems.some((p) => p.startsWith('BASTION_SESSION_IDLE_TIMEOUT (sessions.idleTimeout): got "forever", expected a duration')), problems.join("\n"));
    assert.match(problemsOf(() => loadConfig({ env: { BASTION_PORT: "70000" } }))[0]!, /^BASTION_PORT \(listen\.port\): got 70000, expected a port from 0 to 65535/);
  });

  test("BASTION_CONFIG names the file when --config is not given; --config wins", () => {
    const a = file("listen: { port: 1111 }\n");
    const b = file("listen: { port: 2222 }\n");
    assert.equal(loadConfig({ env: { BASTION_CONFIG: a } }).listen.port, 1111);
    assert.equal(loadConfig({ file: b, env: { BASTION_CONFIG: a } }).listen.port, 2222);
    assert.equal(loadConfig({ file: b, env: { BASTION_CONFIG: a } }).source, b);
  });

  test("flags win over environment and file", () => {
    const config = loadConfig({ file: file("listen: { port: 1111 }\n"), env: { BASTION_PORT: "2222" }, flags: { port: 3333, host: "::1" } });
    assert.deepEqual(config.listen, { host: "::1", port: 3333 });
  });

  test("empty variables count as unset", () => {
    assert.equal(loadConfig({ env: { MASK_PII_BEFORE_LLM: "", BASTION_PORT: "" } }).listen.port, 8080);
  });
});

describe("parseDuration", () => {
  test("units and plain milliseconds", () => {
    assert.equal(parseDuration(250), 250);
    assert.equal(parseDuration("250ms"), 250);
    assert.equal(parseDuration("30s"), 30_000);
    assert.equal(parseDuration("15m"), 900_000);
    assert.equal(parseDuration("2h"), 7_200_000);
    assert.equal(parseDuration("1d"), 86_400_000);
    assert.equal(parseDuration("1w"), 604_800_000);
  });
  test("refuses zero, negatives, fractions, unknown units and timer overflow", () => {
    for (const bad of [0, -1, 1.5, "0s", "1x", "1y", "s", "1 s", "", "25d", 2 ** 31, null, true, {}]) {
      assert.equal(parseDuration(bad), undefined, String(bad));
    }
  });
});

describe("loadConfig: shared upstream connections", () => {
  test("share and shareIdleClose load for stdio and HTTP servers", () => {
    const config = loadConfig({
      file: file(`
servers:
  local:  { command: node, args: [server.js], share: principal, shareIdleClose: 5m }
  remote: { url: "http://127.0.0.1:3001/mcp", share: all, shareIdleClose: 1500 }
  plain:  { command: node, share: none }
`),
    });
    const { local, remote, plain } = config.servers;
    assert.equal(local?.share, "principal");
    assert.equal(local?.shareIdleCloseMs, 300_000);
    assert.equal(remote?.share, "all");
    assert.equal(remote?.shareIdleCloseMs, 1500);
    assert.equal(plain?.share, "none");
    assert.equal(plain?.shareIdleCloseMs, undefined, "absent: the gateway's default (30 s)");
  });

  test("shareIdleClose without a sharing mode is refused, naming the key", () => {
    for (const server of ["{ command: node, shareIdleClose: 10s }", "{ command: node, share: none, shareIdleClose: 10s }", '{ url: "http://127.0.0.1:3001/mcp", shareIdleClose: 10s }']) {
      const problems = problemsOf(() => loadConfig({ file: file(`servers:\n  a: ${server}\n`) }));
      assert.equal(problems.length, 1, problems.join("\n"));
      assert.match(problems[0]!, /servers\.a\.shareIdleClose.*share: "principal" or "all"/);
    }
  });

  test("a bad share mode or idle close names the key, the value and what was expected", () => {
    const mode = problemsOf(() => loadConfig({ file: file(`servers:\n  a: { command: node, share: everyone }\n`) }));
    assert.match(mode.join("\n"), /servers\.a\.share.*"none".*"principal".*"all"/);
    for (const bad of ["0", "-5", "soon", "true"]) {
      const idle = problemsOf(() => loadConfig({ file: file(`servers:\n  a: { command: node, share: all, shareIdleClose: ${bad} }\n`) }));
      assert.match(idle.join("\n"), /servers\.a\.shareIdleClose.*a duration/, `shareIdleClose: ${bad}`);
    }
    const timeout = problemsOf(() => loadConfig({ file: file(`servers:\n  a: { command: node, requestTimeout: true }\n`) }));
    assert.match(timeout.join("\n"), /servers\.a\.requestTimeout: got true, expected a duration/);
  });
});
