/**
 * `bastion users create|list|disable|enable|passwd` in this process (captured output, a password
 * source standing in for stdin or the prompt), and once as a real process reading the password
 * from stdin; the users it makes sign in through the user directory the login page uses.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { Command } from "commander";
import { createUserDirectory } from "../../src/auth/server/index.js";
import { registerUsersCommands, type UsersCommandIo } from "../../src/cli/users.js";
import { openSqliteStore } from "../../src/store/index.js";

const root = join(import.meta.dirname, "..", "..");
const dir = mkdtempSync(join(tmpdir(), "bastion-users-cli-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const PASSWORD = "correct horse battery staple";

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  prompts: string[];
}

async function run(args: string[], passwords: string[] = []): Promise<Run> {
  let stdout = "";
  let stderr = "";
  let code = 0;
  const prompts: string[] = [];
  const io: UsersCommandIo = {
    out: (s) => void (stdout += s),
    err: (s) => void (stderr += s),
    cwd: () => dir,
    now: () => Date.UTC(2026, 0, 1),
    setExitCode: (c) => void (code = c),
    readPassword: async (prompt) => {
      prompts.push(prompt);
      const next = passwords.shift();
      if (next === undefined) throw new Error("no password given");
      return next;
    },
  };
  const program = new Command("bastion").exitOverride().configureOutput({ writeOut: (s) => void (stdout += s), writeErr: (s) => void (stderr += s) });
  registerUsersCommands(program, io);
  try {
    await program.parseAsync(args, { from: "user" });
  } catch (error) {
    code = (error as { exitCode?: number }).exitCode ?? 99;
  }
  return { code, stdout, stderr, prompts };
}

async function verify(db: string, username: string, password: string) {
  const store = openSqliteStore({ path: db, create: false });
  try {
    return await createUserDirectory(store.users).verifyPassword(username, password);
  } finally {
    await store.close();
  }
}

describe("bastion users", () => {
  const db = join(dir, "users.db");

  test("create reads the password (never from arguments), stores a user who can sign in, with roles", async () => {
    const created = await run(["users", "create", "Alice", "--role", "editor", "--role", "admin", "--db", db], [PASSWORD]);
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /^created user alice \(id [A-Za-z0-9_-]{22}, roles editor,admin\)\n$/);
    assert.deepEqual(created.prompts, ["Password for Alice: "]);
    const user = await verify(db, "alice", PASSWORD);
    assert.deepEqual(user?.roles, ["editor", "admin"]);
    assert.equal(await verify(db, "alice", "wrong password here"), undefined);
  });

  test("there is no password option: a password in argv is refused as an unknown option", async () => {
    const refused = await run(["users", "create", "bob", "--password", PASSWORD, "--db", db], [PASSWORD]);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /unknown option '--password'/);
  });

  test("a taken name, a short password and a bad name are refused with one line and an exit code", async () => {
    const taken = await run(["users", "create", "alice", "--db", db], [PASSWORD]);
    assert.equal(taken.code, 1);
    assert.equal(taken.stderr, "bastion users create: A user with this name exists already\n");
    const short = await run(["users", "create", "carol", "--db", db], ["short"]);
    assert.equal(short.code, 2);
    assert.match(short.stderr, /at least 12 characters/);
    const badName = await run(["users", "create", "no spaces", "--db", db], [PASSWORD]);
    assert.equal(badName.code, 2);
    const badRole = await run(["users", "create", "dave", "--role", "a b", "--db", db], [PASSWORD]);
    assert.equal(badRole.code, 2);
    assert.deepEqual(badRole.prompts, [], "flags are checked before the password is asked for");
  });

  test("list shows users without hashes; disable stops sign-in at once, enable restores it", async () => {
    const listed = await run(["users", "list", "--json", "--db", db]);
    assert.equal(listed.code, 0);
    const users = JSON.parse(listed.stdout) as Array<Record<string, unknown>>;
    assert.deepEqual(users.map((u) => [u.username, u.status]), [["alice", "active"]]);
    assert.ok(!listed.stdout.includes("scrypt"));
    const table = await run(["users", "list", "--db", db]);
    assert.match(table.stdout, /^USERNAME\s+ID\s+ROLES\s+STATUS\s+CREATED\nalice\s+\S+\s+editor,admin\s+active\s+2026-01-01T00:00:00Z\n$/);

    assert.equal((await run(["users", "disable", "alice", "--db", db])).code, 0);
    assert.equal(await verify(db, "alice", PASSWORD), undefined, "a disabled user cannot sign in");
    assert.match((await run(["users", "list", "--db", db])).stdout, /disabled/);
    assert.equal((await run(["users", "enable", "alice", "--db", db])).code, 0);
    assert.ok(await verify(db, "alice", PASSWORD));
    const unknown = await run(["users", "disable", "nobody", "--db", db]);
    assert.equal(unknown.code, 1);
    assert.equal(unknown.stderr, "bastion users disable: No such user\n");
  });

  test("passwd changes the password: the old one stops working", async () => {
    const next = "a new and longer passphrase";
    const changed = await run(["users", "passwd", "alice", "--db", db], [next]);
    assert.equal(changed.code, 0, changed.stderr);
    assert.equal(await verify(db, "alice", PASSWORD), undefined);
    assert.ok(await verify(db, "alice", next));
    const unknown = await run(["users", "passwd", "nobody", "--db", db], [next]);
    assert.equal(unknown.code, 1);
    assert.deepEqual(unknown.prompts, [], "no prompt for a user that does not exist");
  });

  test("list on a missing store is an error, and creates nothing", async () => {
    const missing = await run(["users", "list", "--db", join(dir, "none.db")]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no store at/);
  });

  test("the real command reads the password from stdin (one line)", () => {
    const path = join(dir, "stdin.db");
    const result = spawnSync(process.execPath, ["--import", "tsx", join(root, "src", "cli", "main.ts"), "users", "create", "erin", "--db", path], {
      input: `${PASSWORD}\n`,
      encoding: "utf8",
      timeout: 60_000,
      cwd: root,
    });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^created user erin /);
    const twoLines = spawnSync(process.execPath, ["--import", "tsx", join(root, "src", "cli", "main.ts"), "users", "create", "fred", "--db", path], {
      input: `${PASSWORD}\nsecond line\n`,
      encoding: "utf8",
      timeout: 60_000,
      cwd: root,
    });
    assert.equal(twoLines.status, 1);
    assert.match(twoLines.stderr, /one line/);
  });
});
