import type { Command } from "commander";
import { createUserDirectory, InvalidUsernameError, PasswordPolicyError, UnknownUserError, UsernameTakenError, type UserDirectory } from "../auth/server/index.js";
import { openSqliteStore, resolveStorePath, StoreError, type Store } from "../store/index.js";

/**
 * `bastion users create|list|disable|enable|passwd`: the local users of the built-in authorization
 * server's login page, in the embedded store. A password is never taken from the command line
 * (argv is visible to every user of the machine in `ps`): it is read from standard input when that
 * is not a terminal (one line; `printf '%s\n' "$PW" | bastion users create alice`), else prompted
 * for twice without echo.
 */
export interface UsersCommandIo {
  out(text: string): void;
  err(text: string): void;
  cwd(): string;
  now(): number;
  setExitCode(code: number): void;
  /** The new password: one line from stdin, or a hidden prompt (asked twice) on a terminal. */
  readPassword(prompt: string): Promise<string>;
}

export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

class PasswordInputError extends Error {}

async function readStdinLine(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
    if (size > 4096) throw new PasswordInputError("the password on standard input is too long");
  }
  const text = Buffer.concat(chunks).toString("utf8");
  const lines = text.split(/\r?\n/);
  if (lines.length > 2 || (lines.length === 2 && lines[1] !== "")) throw new PasswordInputError("standard input must hold one line: the password");
  return lines[0]!;
}

/** Reads a line from the terminal with echo off (raw mode), Ctrl-C aborts. */
function promptHidden(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(prompt);
    let value = "";
    const done = (error?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off("data", onData);
      process.stderr.write("\n");
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (data: Buffer) => {
      for (const ch of data.toString("utf8")) {
        if (ch === "\r" || ch === "\n") return done();
        if (ch === "\u0003") return done(new PasswordInputError("cancelled"));
        if (ch === "\u007f" || ch === "\b") value = [...value].slice(0, -1).join("");
        else if (ch >= " ") value += ch;
      }
    };
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on("data", onData);
  });
}

const PROCESS_IO: UsersCommandIo = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  cwd: () => process.cwd(),
  now: () => Date.now(),
  setExitCode: (code) => {
    process.exitCode = code;
  },
  async readPassword(prompt) {
    if (!process.stdin.isTTY) return readStdinLine();
    const first = await promptHidden(prompt);
    const second = await promptHidden("Again: ");
    if (first !== second) throw new PasswordInputError("the two passwords differ");
    return first;
  },
};

interface DbFlags {
  db?: string;
  json?: boolean;
}

function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Text from the store shown on a terminal: control characters never reach it. */
function printable(text: string): string {
  return text.replace(/[\p{Cc}\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu, "?");
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => [...row[col]!].length)));
  return rows.map((row) => row.map((cell, col) => (col === row.length - 1 ? cell : cell + " ".repeat(widths[col]! - [...cell].length))).join("  ").trimEnd()).join("\n") + "\n";
}

const ROLE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(",").map((s) => s.trim()).filter((s) => s !== "")];
}

/** Opens the store, runs one action, closes it; every failure is one line on stderr and an exit code. */
async function withUsers(io: UsersCommandIo, command: string, flags: DbFlags, create: boolean, action: (users: UserDirectory) => Promise<void>): Promise<void> {
  const path = resolveStorePath(flags.db, io.cwd());
  let store: Store | undefined;
  try {
    store = openSqliteStore({ path, create, now: io.now });
    await action(createUserDirectory(store.users, { now: io.now }));
  } catch (error) {
    let message: string;
    let code = EXIT_FAILED;
    if (error instanceof StoreError) {
      message = error.code === "store_missing" ? `no store at ${path} (create a user first, or pass --db PATH)` : `store ${path}: ${error.message}`;
    } else if (error instanceof UsernameTakenError || error instanceof UnknownUserError || error instanceof PasswordInputError) {
      message = error.message;
    } else if (error instanceof InvalidUsernameError || error instanceof PasswordPolicyError) {
      message = error.message;
      code = EXIT_USAGE;
    } else {
      message = `cannot use the store at ${path}: ${error instanceof Error ? error.message : String(error)}`;
    }
    io.err(`bastion users ${command}: ${message}\n`);
    io.setExitCode(code);
  } finally {
    await store?.close();
  }
}

interface CreateFlags extends DbFlags {
  role?: string[];
}

export function registerUsersCommands(program: Command, io: UsersCommandIo = PROCESS_IO): void {
  const users = program.command("users").description("manage the local users of the built-in OAuth authorization server's login page");
  const dbOption = (cmd: Command) => cmd.option("--db <path>", "the store file (default: .bastion/bastion.db under the working directory)");

  dbOption(
    users
      .command("create")
      .description("create a user; the password is read from stdin (one line) or prompted for, never taken from arguments")
      .argument("<username>", "1 to 64 letters, digits, '.', '_', '@', '+', '-' (stored in lower case)")
      .option("--role <role>", "a role for the user's tokens (the `roles` claim); repeat or comma-separate for several", collect)
      .option("--json", "print the new user as JSON"),
  ).action(async (username: string, flags: CreateFlags) => {
    const roles = flags.role ?? [];
    const bad = roles.find((r) => !ROLE.test(r));
    if (bad !== undefined) {
      io.err(`bastion users create: invalid role ${JSON.stringify(bad.slice(0, 40))} (letters, digits, '.', '_', ':', '-'; at most 64)\n`);
      io.setExitCode(EXIT_USAGE);
      return;
    }
    await withUsers(io, "create", flags, true, async (directory) => {
      const password = await io.readPassword(`Password for ${printable(username)}: `);
      const user = await directory.createUser({ username, password, roles });
      if (flags.json) io.out(JSON.stringify({ id: user.id, username: user.username, roles: user.roles, createdAt: isoTime(user.createdAt) }) + "\n");
      else io.out(`created user ${user.username} (id ${user.id}${user.roles.length ? `, roles ${user.roles.join(",")}` : ""})\n`);
    });
  });

  dbOption(users.command("list").description("list users (never their password hashes)").option("--json", "print a JSON array")).action(async (flags: DbFlags) => {
    await withUsers(io, "list", flags, false, async (directory) => {
      const all = await directory.list();
      if (flags.json) {
        io.out(JSON.stringify(all.map((u) => ({ id: u.id, username: u.username, roles: u.roles, status: u.disabled ? "disabled" : "active", createdAt: isoTime(u.createdAt) })), null, 2) + "\n");
        return;
      }
      if (all.length === 0) {
        io.err("no users\n");
        return;
      }
      const rows = [["USERNAME", "ID", "ROLES", "STATUS", "CREATED"]];
      for (const u of all) rows.push([printable(u.username), u.id, printable(u.roles.join(",")) || "-", u.disabled ? "disabled" : "active", isoTime(u.createdAt)]);
      io.out(table(rows));
    });
  });

  for (const [name, disabled] of [["disable", true], ["enable", false]] as const) {
    dbOption(
      users
        .command(name)
        .description(disabled ? "disable a user: signing in is refused, and the tokens they were issued stop working on their next request" : "re-enable a disabled user")
        .argument("<username>"),
    ).action(async (username: string, flags: DbFlags) => {
      await withUsers(io, name, flags, false, async (directory) => {
        await directory.setDisabled(username, disabled);
        io.out(`${disabled ? "disabled" : "enabled"} user ${printable(username.toLowerCase())}\n`);
      });
    });
  }

  dbOption(users.command("passwd").description("set a user's password (read from stdin or prompted for)").argument("<username>")).action(async (username: string, flags: DbFlags) => {
    await withUsers(io, "passwd", flags, false, async (directory) => {
      if ((await directory.findByUsername(username)) === undefined) throw new UnknownUserError();
      const password = await io.readPassword(`New password for ${printable(username)}: `);
      await directory.setPassword(username, password);
      io.out(`password changed for ${printable(username.toLowerCase())}\n`);
    });
  });
}
