import type { Command } from "commander";
import {
  ApiKeyAdminError,
  createApiKeyService,
  parseKeyLifetime,
  parseKeyName,
  parseRole,
  parseRotationOverlap,
  parseScopes,
  API_KEY_DEFAULTS,
  API_KEY_ROLES,
  type ApiKeyService,
  type IssuedApiKey,
} from "../auth/api-keys/index.js";
import { openSqliteStore, resolveStorePath, StoreError, type Store } from "../store/index.js";

/** Where `bastion keys` writes and what it reads; tests pass their own. */
export interface KeysCommandIo {
  /** Standard output: keys and tables (what a script captures). */
  out(text: string): void;
  /** Standard error: notes for the person at the terminal, and errors. */
  err(text: string): void;
  cwd(): string;
  now(): number;
  setExitCode(code: number): void;
}

const PROCESS_IO: KeysCommandIo = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  cwd: () => process.cwd(),
  now: () => Date.now(),
  setExitCode: (code) => {
    process.exitCode = code;
  },
};

/** Exit codes: 0 done, 1 the operation failed (unknown key, store problem), 2 invalid arguments. */
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

interface DbFlags {
  db?: string;
  json?: boolean;
}

function isoTime(ms: number | undefined): string {
  return ms === undefined ? "-" : new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** "24h", "7d", "90m": days only from two days up (an overlap of "24h" reads better than "1d"). */
function humanDuration(ms: number): string {
  if (ms === 0) return "0";
  if (ms % 86_400_000 === 0 && ms >= 2 * 86_400_000) return `${ms / 86_400_000}d`;
  for (const [unit, size] of [["h", 3_600_000], ["m", 60_000], ["s", 1000]] as const) {
    if (ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

/** Text from the store shown on a terminal: control characters never reach it, whatever the database holds. */
function printable(text: string): string {
  return text.replace(/[\p{Cc}\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu, "?");
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => [...row[col]!].length)));
  return rows.map((row) => row.map((cell, col) => (col === row.length - 1 ? cell : cell + " ".repeat(widths[col]! - [...cell].length))).join("  ").trimEnd()).join("\n") + "\n";
}

function issuedJson(issued: IssuedApiKey, extra: Record<string, unknown> = {}): string {
  const m = issued.metadata;
  return JSON.stringify({
    id: m.id,
    key: issued.key,
    name: m.name,
    role: m.role,
    scopes: m.scopes,
    createdAt: isoTime(m.createdAt),
    expiresAt: m.expiresAt === undefined ? null : isoTime(m.expiresAt),
    ...extra,
  }) + "\n";
}

function describe(issued: IssuedApiKey): string {
  const m = issued.metadata;
  const scopes = m.scopes.length === 0 ? "none" : m.scopes.join(",");
  return `id ${m.id}, name ${JSON.stringify(printable(m.name))}, role ${m.role}, scopes ${scopes}, expires ${m.expiresAt === undefined ? "never" : isoTime(m.expiresAt)}`;
}

const NOT_SHOWN_AGAIN = "Copy the key now: it will not be shown again (the store keeps only a hash of it).\n";

/**
 * Opens the store, runs one action, closes it; turns every failure into one line on stderr and an
 * exit code (never a stack trace). Only `create` may create the store file.
 */
async function withService(io: KeysCommandIo, command: string, flags: DbFlags, create: boolean, action: (service: ApiKeyService, path: string) => Promise<void>): Promise<void> {
  const path = resolveStorePath(flags.db, io.cwd());
  let store: Store | undefined;
  try {
    store = openSqliteStore({ path, create, now: io.now });
    await action(createApiKeyService({ store: store.apiKeys, now: io.now }), path);
  } catch (error) {
    let message: string;
    let code = EXIT_FAILED;
    if (error instanceof ApiKeyAdminError) {
      message = error.message;
      if (error.isUsageError) code = EXIT_USAGE;
    } else if (error instanceof StoreError) {
      message = error.code === "store_missing" ? `no key store at ${path} (create a key first, or pass --db PATH)` : `store ${path}: ${error.message}`;
    } else {
      const why = error instanceof Error ? error.message : String(error);
      message = `cannot use the key store at ${path}: ${why}`;
    }
    io.err(`bastion keys ${command}: ${message}\n`);
    io.setExitCode(code);
  } finally {
    await store?.close();
  }
}

/** Validates flags before the store is touched; a usage error exits 2. */
function usage<T>(io: KeysCommandIo, command: string, parse: () => T): T | undefined {
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof ApiKeyAdminError)) throw error;
    io.err(`bastion keys ${command}: ${error.message}\n`);
    io.setExitCode(EXIT_USAGE);
    return undefined;
  }
}

interface CreateFlags extends DbFlags {
  name: string;
  role: string;
  scopes?: string;
  expires?: string;
}

interface RotateFlags extends DbFlags {
  overlap?: string;
  expires?: string;
}

/** `bastion keys create|list|revoke|rotate`: API keys in the embedded store. */
export function registerKeysCommands(program: Command, io: KeysCommandIo = PROCESS_IO): void {
  const keys = program.command("keys").description("manage API keys (create, list, revoke, rotate) in the embedded store");
  const dbOption = (cmd: Command) => cmd.option("--db <path>", "the store file (default: .bastion/bastion.db under the working directory)");

  dbOption(
    keys
      .command("create")
      .description("create an API key and print it once (the key alone on stdout; details on stderr)")
      .requiredOption("--name <name>", "what the key is for (shown in keys list)")
      .requiredOption("--role <role>", `the key's role: ${API_KEY_ROLES.join(", ")}`)
      .option("--scopes <list>", "comma-separated scopes, e.g. tools:read,tools:call")
      .option("--expires <duration>", "lifetime, e.g. 12h, 30d, 1y (default: never expires)")
      .option("--json", "print one JSON object with the key and its details"),
  ).action(async (flags: CreateFlags) => {
    // Every flag is checked before the store is opened (or created).
    const input = usage(io, "create", () => ({
      name: parseKeyName(flags.name),
      role: parseRole(flags.role),
      scopes: parseScopes(flags.scopes),
      ...(flags.expires !== undefined ? { expiresInMs: parseKeyLifetime(flags.expires) } : {}),
    }));
    if (input === undefined) return;
    await withService(io, "create", flags, true, async (service) => {
      const issued = await service.create(input);
      if (flags.json) io.out(issuedJson(issued));
      else io.out(`${issued.key}\n`);
      io.err(`Created API key: ${describe(issued)}.\n${NOT_SHOWN_AGAIN}`);
    });
  });

  dbOption(
    keys
      .command("list")
      .description("list API keys (never their secrets): id, name, role, scopes, status, times")
      .option("--json", "print a JSON array"),
  ).action(async (flags: DbFlags) => {
    await withService(io, "list", flags, false, async (service) => {
      const all = await service.list();
      if (flags.json) {
        const view = all.map((k) => ({
          id: k.id,
          name: k.name,
          role: k.role,
          scopes: k.scopes,
          status: k.status,
          createdAt: isoTime(k.createdAt),
          expiresAt: k.expiresAt === undefined ? null : isoTime(k.expiresAt),
          lastUsedAt: k.lastUsedAt === undefined ? null : isoTime(k.lastUsedAt),
          revokedAt: k.revokedAt === undefined ? null : isoTime(k.revokedAt),
          rotatedFrom: k.rotatedFromId ?? null,
          replacedBy: k.replacedById ?? null,
          overlapUntil: k.overlapUntil === undefined ? null : isoTime(k.overlapUntil),
        }));
        io.out(JSON.stringify(view, null, 2) + "\n");
        return;
      }
      if (all.length === 0) {
        io.err("no API keys\n");
        return;
      }
      const rows = [["ID", "NAME", "ROLE", "SCOPES", "STATUS", "CREATED", "EXPIRES", "LAST USED"]];
      for (const k of all) {
        const status = k.status === "rotating" ? `rotating until ${isoTime(k.overlapUntil)}` : k.status;
        rows.push([k.id, printable(k.name), printable(k.role), printable(k.scopes.join(",")) || "-", status, isoTime(k.createdAt), isoTime(k.expiresAt), isoTime(k.lastUsedAt)]);
      }
      io.out(table(rows));
    });
  });

  dbOption(keys.command("revoke").description("revoke an API key at once (and the older keys it replaced by rotation)").argument("<id>", "the key's id (from keys list)")).action(
    async (id: string, flags: DbFlags) => {
      await withService(io, "revoke", flags, false, async (service) => {
        const result = await service.revoke(id);
        io.out(result.alreadyRevoked ? `API key ${id} was already revoked\n` : `revoked API key ${id}\n`);
      });
    },
  );

  dbOption(
    keys
      .command("rotate")
      .description("issue a new key for the same name, role and scopes; the old one works until the overlap ends")
      .argument("<id>", "the key's id (from keys list)")
      .option("--overlap <duration>", "how long the old key keeps working, e.g. 1h, 24h, 7d, or 0 to stop it now", humanDuration(API_KEY_DEFAULTS.rotationOverlapMs))
      .option("--expires <duration>", "lifetime of the new key (default: the old key's lifetime; never if it had none)")
      .option("--json", "print one JSON object with the new key and its details"),
  ).action(async (id: string, flags: RotateFlags) => {
    const parsed = usage(io, "rotate", () => ({
      overlapMs: parseRotationOverlap(flags.overlap ?? humanDuration(API_KEY_DEFAULTS.rotationOverlapMs)),
      expiresInMs: flags.expires === undefined ? undefined : parseKeyLifetime(flags.expires),
    }));
    if (parsed === undefined) return;
    await withService(io, "rotate", flags, false, async (service) => {
      const rotated = await service.rotate(id, { overlapMs: parsed.overlapMs, ...(parsed.expiresInMs !== undefined ? { expiresInMs: parsed.expiresInMs } : {}) });
      if (flags.json) io.out(issuedJson(rotated, { replaced: rotated.replacedId, oldKeyValidUntil: isoTime(rotated.overlapUntil) }));
      else io.out(`${rotated.key}\n`);
      const until = parsed.overlapMs === 0 ? "has stopped working" : `works until ${isoTime(rotated.overlapUntil)} (overlap ${humanDuration(parsed.overlapMs)}), then stops`;
      io.err(`Rotated API key ${id}: new key ${describe(rotated)}. The old key ${until}.\n${NOT_SHOWN_AGAIN}`);
    });
  });
}
