import { describe, test, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import Database from "better-sqlite3";
import { Command } from "commander";
import { createApiKeyService } from "../../src/auth/api-keys/index.js";
import { AuthError } from "../../src/auth/errors.js";
import { registerKeysCommands, type KeysCommandIo } from "../../src/cli/keys.js";
import { LATEST_SCHEMA_VERSION, openSqliteStore } from "../../src/store/index.js";

const T0 = Date.UTC(2026, 0, 1);
const HOUR = 3_600_000;
const KEY_LINE = /^bst_[a-z2-7]{16}_[0-9A-Za-z]{43}\n$/;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `bastion keys ...` in this process, with captured output, a working directory and a clock. */
class Cli {
  t = T0;
  constructor(readonly cwd: string) {}

  async run(...args: string[]): Promise<Run> {
    let stdout = "";
    let stderr = "";
    let code = 0;
    const io: KeysCommandIo = {
      out: (s) => void (stdout += s),
      err: (s) => void (stderr += s),
      cwd: () => this.cwd,
      now: () => this.t,
      setExitCode: (c) => void (code = c),
    };
    const program = new Command("bastion").exitOverride().configureOutput({ writeOut: (s) => void (stdout += s), writeErr: (s) => void (stderr += s) });
    registerKeysCommands(program, io);
    try {
      await program.parseAsync(args, { from: "user" });
    } catch (error) {
      code = (error as { exitCode?: number }).exitCode ?? 99;
    }
    return { code, stdout, stderr };
  }
}

async function authenticate(path: string, key: string, now: number) {
  const store = openSqliteStore({ path, create: false });
  try {
    return await createApiKeyService({ store: store.apiKeys, now: () => now }).authenticate(key, now);
  } finally {
    await store.close();
  }
}

describe("bastion keys (in process)", () => {
  let dir: string;
  let db: string;
  let cli: Cli;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "bastion-keys-cli-"));
    db = join(dir, "keys.db");
    cli = new Cli(dir);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test("create prints the key alone on stdout, once, and says it will not be shown again", async () => {
    const r = await cli.run("keys", "create", "--name", "ci", "--role", "editor", "--scopes", "tools:read,tools:call", "--expires", "30d", "--db", db);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, KEY_LINE);
    assert.match(r.stderr, /will not be shown again/);
    assert.match(r.stderr, /role editor, scopes tools:read,tools:call, expires 2026-01-31T00:00:00Z/);
    const key = r.stdout.trim();
    assert.equal(r.stderr.includes(key.slice(21)), false, "the secret is printed once, on stdout only");
    const p = await authenticate(db, key, T0);
    assert.deepEqual([p.roles, p.scopes, p.expiresAt], [["editor"], ["tools:read", "tools:call"], T0 + 30 * 24 * HOUR]);
    // Later commands never show it again.
    const list = await cli.run("keys", "list", "--db", db);
    const json = await cli.run("keys", "list", "--json", "--db", db);
    for (const out of [list.stdout, list.stderr, json.stdout, json.stderr]) assert.equal(out.includes(key.slice(21)), false);
  });

  test("create --json gives one object with the key and its details", async () => {
    const r = await cli.run("keys", "create", "--name", "ci", "--role", "viewer", "--json", "--db", db);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.match(`${out.key}\n`, KEY_LINE);
    assert.deepEqual({ ...out, key: undefined, id: undefined }, { key: undefined, id: undefined, name: "ci", role: "viewer", scopes: [], createdAt: "2026-01-01T00:00:00Z", expiresAt: null });
    assert.equal(out.id, out.key.slice(4, 20));
  });

  test("the default store is .bastion/bastion.db under the working directory, 0600 in a 0700 directory", async () => {
    const r = await cli.run("keys", "create", "--name", "ci", "--role", "admin");
    assert.equal(r.code, 0, r.stderr);
    const path = join(dir, ".bastion", "bastion.db");
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, ".bastion")).mode & 0o777, 0o700);
    await authenticate(path, r.stdout.trim(), T0);
  });

  test("list: a table with id, name, role, scopes and status; --json an array", async () => {
    const a = (await cli.run("keys", "create", "--name", "first key", "--role", "viewer", "--scopes", "a,b", "--db", db)).stdout.trim();
    await cli.run("keys", "create", "--name", "second", "--role", "admin", "--expires", "1h", "--db", db);
    cli.t += 2 * HOUR;
    const r = await cli.run("keys", "list", "--db", db);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split("\n");
    assert.match(lines[0]!, /^ID\s+NAME\s+ROLE\s+SCOPES\s+STATUS\s+CREATED\s+EXPIRES\s+LAST USED$/);
    assert.equal(lines.length, 3);
    assert.match(lines[1]!, new RegExp(`^${a.slice(4, 20)}\\s+first key\\s+viewer\\s+a,b\\s+active\\s+2026-01-01T00:00:00Z\\s+-\\s+-$`));
    assert.match(lines[2]!, /second\s+admin\s+-\s+expired/);
    const json = JSON.parse((await cli.run("keys", "list", "--json", "--db", db)).stdout);
    assert.deepEqual(json.map((k: { name: string; status: string }) => [k.name, k.status]), [["first key", "active"], ["second", "expired"]]);
    assert.equal(JSON.stringify(json).includes("Hash"), false);
  });

  test("list on an empty store says so; on a missing store fails (exit 1) without creating it", async () => {
    await cli.run("keys", "create", "--name", "x", "--role", "viewer", "--db", db);
    const raw = new Database(db);
    raw.prepare("DELETE FROM api_keys").run();
    raw.close();
    const empty = await cli.run("keys", "list", "--db", db);
    assert.deepEqual([empty.code, empty.stdout, empty.stderr], [0, "", "no API keys\n"]);
    const missing = join(dir, "nope", "x.db");
    const r = await cli.run("keys", "list", "--db", missing);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^bastion keys list: no key store at .*nope\/x\.db \(create a key first, or pass --db PATH\)\n$/);
    assert.equal(existsSync(join(dir, "nope")), false);
    assert.equal(existsSync(join(dir, ".bastion")), false);
  });

  test("revoke takes effect at once; twice is fine; unknown id exit 1; malformed id exit 2", async () => {
    const key = (await cli.run("keys", "create", "--name", "k", "--role", "viewer", "--db", db)).stdout.trim();
    const id = key.slice(4, 20);
    const r = await cli.run("keys", "revoke", id, "--db", db);
    assert.deepEqual([r.code, r.stdout], [0, `revoked API key ${id}\n`]);
    await assert.rejects(authenticate(db, key, T0), (e: unknown) => e instanceof AuthError && e.code === "revoked_credentials");
    const again = await cli.run("keys", "revoke", id, "--db", db);
    assert.deepEqual([again.code, again.stdout], [0, `API key ${id} was already revoked\n`]);
    const unknown = await cli.run("keys", "revoke", "aaaaaaaaaaaaaaaa", "--db", db);
    assert.deepEqual([unknown.code, unknown.stderr], [1, "bastion keys revoke: no API key with id aaaaaaaaaaaaaaaa\n"]);
    const malformed = await cli.run("keys", "revoke", "x' OR 1=1 --", "--db", db);
    assert.equal(malformed.code, 2);
    assert.match(malformed.stderr, /not an API key id/);
    assert.match((await cli.run("keys", "list", "--db", db)).stdout, /revoked/);
  });

  test("rotate: prints the new key; both work during the overlap, then only the new one", async () => {
    const old = (await cli.run("keys", "create", "--name", "svc", "--role", "editor", "--scopes", "x", "--db", db)).stdout.trim();
    const r = await cli.run("keys", "rotate", old.slice(4, 20), "--overlap", "1h", "--db", db);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, KEY_LINE);
    assert.match(r.stderr, /The old key works until 2026-01-01T01:00:00Z \(overlap 1h\), then stops\./);
    assert.match(r.stderr, /will not be shown again/);
    const fresh = r.stdout.trim();
    await authenticate(db, old, T0 + HOUR - 1);
    await authenticate(db, fresh, T0 + HOUR - 1);
    await assert.rejects(authenticate(db, old, T0 + HOUR), (e: unknown) => e instanceof AuthError && e.code === "revoked_credentials");
    const p = await authenticate(db, fresh, T0 + HOUR);
    assert.deepEqual([p.roles, p.scopes], [["editor"], ["x"]]);
    assert.match((await cli.run("keys", "list", "--db", db)).stdout, /rotating until 2026-01-01T01:00:00Z/);
  });

  test("rotate: default overlap 24h; --overlap 0 stops the old key now; --json", async () => {
    const a = (await cli.run("keys", "create", "--name", "a", "--role", "viewer", "--db", db)).stdout.trim();
    const ra = await cli.run("keys", "rotate", a.slice(4, 20), "--db", db);
    assert.match(ra.stderr, /until 2026-01-02T00:00:00Z \(overlap 24h\)/);
    const b = (await cli.run("keys", "create", "--name", "b", "--role", "viewer", "--db", db)).stdout.trim();
    const rb = await cli.run("keys", "rotate", b.slice(4, 20), "--overlap", "0", "--json", "--db", db);
    assert.equal(rb.code, 0, rb.stderr);
    assert.match(rb.stderr, /The old key has stopped working\./);
    const out = JSON.parse(rb.stdout);
    assert.equal(out.replaced, b.slice(4, 20));
    await assert.rejects(authenticate(db, b, T0));
    await authenticate(db, out.key, T0);
  });

  test("rotate refuses: revoked key (exit 1), unknown id (exit 1), bad overlap (exit 2)", async () => {
    const k = (await cli.run("keys", "create", "--name", "k", "--role", "viewer", "--db", db)).stdout.trim();
    const id = k.slice(4, 20);
    await cli.run("keys", "revoke", id, "--db", db);
    const revoked = await cli.run("keys", "rotate", id, "--db", db);
    assert.equal(revoked.code, 1);
    assert.match(revoked.stderr, /cannot be rotated: it is revoked/);
    assert.equal((await cli.run("keys", "rotate", "aaaaaaaaaaaaaaaa", "--db", db)).code, 1);
    for (const overlap of ["-1h", "45d", "soon", ""]) {
      const r = await cli.run("keys", "rotate", id, "--overlap", overlap, "--db", db);
      assert.equal(r.code, 2, overlap);
      assert.match(r.stderr, /--overlap/);
    }
  });

  const usageErrors: Array<[string, string[], RegExp]> = [
    ["unknown role", ["--name", "x", "--role", "root"], /unknown role "root": expected one of viewer, editor, admin/],
    ["role in upper case", ["--name", "x", "--role", "ADMIN"], /unknown role/],
    ["empty name", ["--name", "", "--role", "viewer"], /name must not be empty/],
    ["name with an escape sequence", ["--name", "\u001b]0;pwned\u0007", "--role", "viewer"], /control characters/],
    ["bad scope", ["--name", "x", "--role", "viewer", "--scopes", "a b"], /invalid scope/],
    ["bad expiry", ["--name", "x", "--role", "viewer", "--expires", "30"], /--expires: got "30"/],
    ["expiry beyond ten years", ["--name", "x", "--role", "viewer", "--expires", "11y"], /--expires/],
  ];
  for (const [why, args, message] of usageErrors) {
    test(`create refuses ${why}: exit 2, one line, nothing created`, async () => {
      const r = await cli.run("keys", "create", ...args, "--db", db);
      assert.equal(r.code, 2);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trimEnd().split("\n").length, 1);
      assert.equal(r.stdout, "");
      assert.equal(existsSync(db), false, "the store is not created for a refused command");
    });
  }

  test("missing --name or --role is a commander usage error", async () => {
    const r = await cli.run("keys", "create", "--role", "viewer", "--db", db);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /required option '--name <name>'/);
  });

  test("a name that is SQL round-trips verbatim", async () => {
    const evil = "x'); DROP TABLE api_keys; --";
    const key = (await cli.run("keys", "create", "--name", evil, "--role", "viewer", "--db", db)).stdout.trim();
    const json = JSON.parse((await cli.run("keys", "list", "--json", "--db", db)).stdout);
    assert.equal(json[0].name, evil);
    assert.equal((await authenticate(db, key, T0)).attributes.keyName, evil);
  });

  test("control characters written into the database by other means never reach the terminal", async () => {
    await cli.run("keys", "create", "--name", "x", "--role", "viewer", "--db", db);
    const raw = new Database(db);
    raw.prepare("UPDATE api_keys SET name = ?").run("evil\u001b[2J\rname");
    raw.close();
    const r = await cli.run("keys", "list", "--db", db);
    assert.equal(/[\u0000-\u001f]/.test(r.stdout.replace(/\n/g, "")), false);
    assert.match(r.stdout, /evil\?\[2J\?name/);
  });

  test("a store written by a newer mcp-bastion is refused with a clear message (exit 1)", async () => {
    await cli.run("keys", "create", "--name", "x", "--role", "viewer", "--db", db);
    const raw = new Database(db);
    raw.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)").run(LATEST_SCHEMA_VERSION + 1, "future", 1);
    raw.close();
    const r = await cli.run("keys", "list", "--db", db);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^bastion keys list: store .*: the database has schema version \d+, newer than .*upgrade mcp-bastion/);
  });

  test("a path that cannot hold a store fails with one line, exit 1", { timeout: 20_000 }, async () => {
    writeFileSync(join(dir, "a-file"), "");
    for (const path of ["/proc/nope/keys.db", join(dir, "a-file", "keys.db")]) {
      const r = await cli.run("keys", "create", "--name", "x", "--role", "viewer", "--db", path);
      assert.equal(r.code, 1);
      assert.equal(r.stderr.startsWith(`bastion keys create: cannot use the key store at ${path}: `), true, r.stderr);
      assert.equal(r.stderr.trimEnd().split("\n").length, 1);
    }
  });
});

describe("bastion keys (a real process)", () => {
  const root = join(import.meta.dirname, "../..");
  const commander = import.meta.resolve("commander");
  const tsx = import.meta.resolve("tsx");
  const keysModule = pathToFileURL(join(root, "src/cli/keys.ts")).href;
  // The lead wires registerKeysCommands into src/cli/main.ts; until then a two-line program stands in for it.
  const program = `import { Command } from ${JSON.stringify(commander)}; import { registerKeysCommands } from ${JSON.stringify(keysModule)};
    const p = new Command("bastion"); registerKeysCommands(p); await p.parseAsync(process.argv.slice(1), { from: "user" });`;
  const bastion = (cwd: string, ...args: string[]): Run => {
    const r = spawnSync(process.execPath, ["--import", tsx, "--input-type=module", "-e", program, ...args], { cwd, encoding: "utf8", timeout: 30_000 });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  };

  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "bastion-keys-proc-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test("round trip: create, list, rotate, revoke; real exit codes; the store file holds no key", () => {
    const created = bastion(dir, "keys", "create", "--name", "ci", "--role", "admin", "--scopes", "a");
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, KEY_LINE);
    const key = created.stdout.trim();
    const id = key.slice(4, 20);
    const list = bastion(dir, "keys", "list");
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, new RegExp(`${id}\\s+ci\\s+admin\\s+a\\s+active`));
    const rotated = bastion(dir, "keys", "rotate", id, "--overlap", "0");
    assert.equal(rotated.code, 0, rotated.stderr);
    const fresh = rotated.stdout.trim();
    const revoked = bastion(dir, "keys", "revoke", fresh.slice(4, 20));
    assert.equal(revoked.code, 0, revoked.stderr);
    const bytes = readFileSync(join(dir, ".bastion", "bastion.db"));
    for (const k of [key, fresh]) assert.equal(bytes.includes(Buffer.from(k.slice(21))), false);
    assert.ok(bytes.includes(Buffer.from(id)));
  });

  test("usage and operation errors: exit 2 and 1, one line each, no stack trace", () => {
    const cases: Array<[string[], number, RegExp]> = [
      [["keys", "create", "--name", "x", "--role", "root"], 2, /unknown role/],
      [["keys", "revoke", "aaaaaaaaaaaaaaaa"], 1, /no key store at/],
      [["keys", "rotate", "short"], 1, /no key store at/],
    ];
    for (const [args, code, message] of cases) {
      const r = bastion(dir, ...args);
      assert.equal(r.code, code, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.equal(/\n\s+at /.test(r.stderr), false, `stack trace for ${args.join(" ")}`);
    }
    assert.equal(bastion(dir, "keys", "create", "--name", "x", "--role", "viewer").code, 0);
    const r = bastion(dir, "keys", "rotate", "short");
    assert.deepEqual([r.code, /not an API key id/.test(r.stderr)], [2, true]);
  });
});
