import type { Command } from "commander";
import { createRequire } from "node:module";
import { dirname, isAbsolute, join, relative } from "node:path";
import { createLogger } from "../audit/logger.js";
import { ensureBootstrapAdminKey, type BootstrapResult } from "../auth/api-keys/index.js";
import { createTlsOptions, TlsConfigError, type TlsOptions } from "../auth/mtls/index.js";
import { ConfigError, ensureSampleFolder, loadConfig, processEnvironment, type GatewayConfig } from "../config/index.js";
import { AuthenticationSetupError } from "../gateway/authentication.js";
import { createGateway, type Gateway } from "../gateway/server.js";
import { createUpstreamFactory } from "../gateway/upstream/index.js";
import { openSqliteStore, StoreError, type SqliteStore } from "../store/index.js";
import { readPackageVersion } from "./version.js";

interface ServeFlags {
  config?: string;
  host?: string;
  port?: string;
}

function parsePort(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) throw new ConfigError("--port", [`--port: got ${JSON.stringify(text)}, expected a port from 0 to 65535`]);
  return Number(text);
}

/**
 * An MCP Inspector CLI command line for `url` (`rest`: the method and its flags). The inspector-cli installed
 * beside us (a dev dependency) needs no network, but reads its own package.json relative to the
 * working directory, so it must run from its build folder; otherwise npx fetches the inspector.
 */
function inspectorCommand(url: string, rest: string, credential?: string): string {
  // The inspector CLI sends any header given as --header "Name: value" (HTTP transports).
  const header = credential === undefined ? "" : ` --header ${credential}`;
  try {
    const require = createRequire(import.meta.url);
    const build = join(dirname(require.resolve("@modelcontextprotocol/inspector-cli/package.json")), "build");
    const fromHere = relative(process.cwd(), build);
    const folder = fromHere !== "" && !fromHere.startsWith("..") && !isAbsolute(fromHere) ? fromHere : build;
    return `(cd ${shellWord(folder)} && node cli.js --cli ${url} --transport http${header} ${rest})`;
  } catch {
    return `npx @modelcontextprotocol/inspector --cli ${url} --transport http${header} ${rest}`;
  }
}

/** What the banner knows about authentication. */
export interface BannerAuth {
  required: boolean;
  /** "api-key", "jwt", "introspection", "mtls". */
  methods: readonly string[];
  /** The first admin key, when this start created it: printed once, here. */
  bootstrapKey?: string;
  /** The store file, for the `bastion keys` hint. */
  storePath?: string;
  /** The built-in OAuth authorization server's issuer, when it is on. */
  authorizationServer?: string;
}

/** A word the shell reads back as it is (quoted when it holds anything but safe characters). */
function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, "'\\''")}'`;
}

/** What a person starting the gateway needs to connect a client, written to stderr (stdout carries the JSON log). */
export function banner(config: GatewayConfig, url: string, auth?: BannerAuth): string {
  const names = Object.keys(config.servers);
  const width = Math.max(11, ...names.map((n) => n.length));
  const lines = [
    `mcp-bastion gateway listening on ${url} (${config.source})`,
    `  ${"all servers".padEnd(width)}  ${url}/mcp`,
    ...names.map((name) => `  ${name.padEnd(width)}  ${url}/servers/${name}/mcp`),
  ];
  if (config.sampleFolder !== undefined) lines.push(`The filesystem server works on the sample folder ${config.sampleFolder}`);
  // With API keys, the command lines carry one: the new admin key (shown this once), else $BASTION_API_KEY.
  const usesKeys = auth !== undefined && auth.methods.includes("api-key");
  let credential: string | undefined;
  if (auth !== undefined && !auth.required) {
    lines.push("WARNING: authentication is NOT required (auth.required: false): anyone who can reach this port is served. For local experiments only.");
  }
  if (usesKeys && auth.bootstrapKey !== undefined) {
    const rule = "=".repeat(78);
    lines.push(
      rule,
      "A first admin API key was created (the store had none). It is shown ONCE, here; the store keeps only its hash:",
      "",
      `  ${auth.bootstrapKey}`,
      "",
      "Send it as 'Authorization: Bearer KEY' or 'X-API-Key: KEY'. Manage keys with `bastion keys create|list|revoke|rotate`",
      `(--db ${auth.storePath ?? ".bastion/bastion.db"}); give other callers their own keys rather than this admin one.`,
      rule,
    );
    credential = shellWord(`Authorization: Bearer ${auth.bootstrapKey}`);
  } else if (usesKeys && auth.required) {
    lines.push(
      "Authentication is required. Use an API key: the admin key printed at first start, or a new one from",
      `  bastion keys create --name me --role editor${auth.storePath ? ` --db ${shellWord(auth.storePath)}` : ""}`,
      "then: export BASTION_API_KEY=bst_...",
    );
    credential = '"Authorization: Bearer $BASTION_API_KEY"';
  }
  lines.push(
    "Connect any MCP client over Streamable HTTP to one of these URLs. With the MCP Inspector CLI:",
    `  ${inspectorCommand(`${url}/mcp`, "--method tools/list", credential)}`,
  );
  if (config.sampleFolder !== undefined) {
    const ticket = join(config.sampleFolder, "tickets", "1042.txt");
    lines.push(`  ${inspectorCommand(`${url}/mcp`, `--method tools/call --tool-name filesystem__read_text_file --tool-arg ${shellWord(`path=${ticket}`)}`, credential)}`);
  }
  if (auth?.authorizationServer !== undefined) {
    lines.push(
      `OAuth: the built-in authorization server is ${auth.authorizationServer} (MCP clients find it through ${url}/.well-known/oauth-protected-resource/mcp).`,
      `  Users sign in on its login page: add one with  bastion users create NAME${auth.storePath ? ` --db ${shellWord(auth.storePath)}` : ""}  (password from stdin or a prompt)`,
    );
  }
  if (auth !== undefined) {
    lines.push(`Authentication: ${auth.required ? "required" : "optional"}; accepted: ${auth.methods.length > 0 ? auth.methods.join(", ") : "nothing"}.`);
  }
  lines.push(
    `PII masking before the model: ${config.pii.beforeLlm ? "on" : "off"} (${config.pii.mode}); in logs: ${config.pii.inLogs ? "on" : "off"}. Stop with Ctrl-C.`,
  );
  return `${lines.join("\n")}\n`;
}

/** Stops on SIGTERM/SIGINT: no new requests, in-flight ones finish, upstream children stop, the store closes, exit 0. SIGHUP reloads the TLS files. */
function stopOnSignals(gateway: Gateway, store: SqliteStore | undefined, tls: boolean): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      process.stderr.write(`bastion serve: ${signal} again, exiting now\n`);
      process.exit(1);
    }
    stopping = true;
    process.stderr.write(`bastion serve: ${signal} received, shutting down\n`);
    gateway.close().then(() => store?.close()).then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`bastion serve: shutdown failed: ${(error as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  if (tls) {
    process.on("SIGHUP", () => {
      const ok = gateway.reloadTls();
      process.stderr.write(`bastion serve: SIGHUP: TLS files ${ok ? "reloaded" : "NOT reloaded (see the log); the previous ones stay in force"}\n`);
    });
  }
}

/** Opens the store and creates the first admin key when it has none (the quick start). */
async function openStore(config: GatewayConfig): Promise<{ store: SqliteStore; bootstrap: BootstrapResult }> {
  // The secret key seals the authorization server's keys and records: from BASTION_SECRET_KEY
  // (config), else from .bastion/secret.key (made 0600 at first start).
  const store = openSqliteStore({
    path: config.store.path,
    ...(config.store.secretKey !== undefined ? { secretKey: config.store.secretKey } : config.store.secretKeyFile !== undefined ? { secretKeyFile: config.store.secretKeyFile } : {}),
  });
  try {
    return { store, bootstrap: config.auth.apiKeys.enabled ? await ensureBootstrapAdminKey(store) : { created: false } };
  } catch (error) {
    await store.close();
    throw error;
  }
}

export async function runServe(flags: ServeFlags): Promise<number> {
  let config: GatewayConfig;
  try {
    const port = parsePort(flags.port);
    config = loadConfig({
      ...(flags.config !== undefined ? { file: flags.config } : {}),
      env: processEnvironment(),
      flags: { ...(flags.host !== undefined ? { host: flags.host } : {}), ...(port !== undefined ? { port } : {}) },
    });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`bastion serve: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const logger = createLogger({ level: config.log.level, maskPii: config.pii.inLogs, ownAddresses: [config.listen.host, "127.0.0.1", "::1"] });

  // The store (API keys, users, the authorization server's state): opened when API keys or the
  // built-in authorization server are on; a first admin key on an empty store.
  let store: SqliteStore | undefined;
  let bootstrap: BootstrapResult = { created: false };
  if (config.auth.apiKeys.enabled || config.authorizationServer !== undefined) {
    try {
      ({ store, bootstrap } = await openStore(config));
    } catch (error) {
      const why = error instanceof StoreError || error instanceof Error ? error.message : String(error);
      process.stderr.write(`bastion serve: cannot open the store ${config.store.path}: ${why}\n`);
      return 1;
    }
  }

  // Not starting after all: the store closes; a key just created is never shown again, so it is shown now.
  const giveUp = async (): Promise<void> => {
    if (bootstrap.created) process.stderr.write(`bastion serve: the first admin API key was created in ${config.store.path} (shown once): ${bootstrap.key}\n`);
    await store?.close();
  };

  // After the store: its directory (.bastion, also the sample folder's parent) is made 0700.
  if (config.sampleFolder !== undefined) {
    try {
      ensureSampleFolder(config.sampleFolder);
    } catch (error) {
      process.stderr.write(`bastion serve: cannot make the sample folder ${config.sampleFolder}: ${(error as Error).message}\n`);
      await giveUp();
      return 1;
    }
  }
  let tls: TlsOptions | undefined;
  if (config.tls !== undefined) {
    try {
      tls = createTlsOptions(config.tls);
    } catch (error) {
      await giveUp();
      if (error instanceof TlsConfigError) {
        process.stderr.write(`bastion serve: TLS: ${error.message}\n`);
        return 2;
      }
      throw error;
    }
  }

  let gateway: Gateway;
  try {
    gateway = createGateway({
      config,
      logger,
      serverInfo: { name: "mcp-bastion", version: readPackageVersion() },
      createUpstreamFactory: (name, upstream) => createUpstreamFactory(name, upstream, { logger }),
      ...(store ? { store } : {}),
      ...(tls ? { tls } : {}),
    });
  } catch (error) {
    await giveUp();
    if (error instanceof AuthenticationSetupError) {
      process.stderr.write(`bastion serve: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  try {
    const { url } = await gateway.listen();
    const auth = gateway.authentication;
    process.stderr.write(
      banner(config, url, {
        required: auth?.required ?? config.auth.required,
        methods: auth?.methods ?? [],
        storePath: config.store.path,
        ...(bootstrap.created ? { bootstrapKey: bootstrap.key } : {}),
        ...(gateway.authorizationServer ? { authorizationServer: gateway.authorizationServer.issuer } : {}),
      }),
    );
    if (bootstrap.created) logger.warn({ event: "auth.bootstrap_key", keyId: bootstrap.metadata.id }, "created the first admin API key (printed once on stderr)");
  } catch (error) {
    if (error instanceof AuthenticationSetupError) {
      process.stderr.write(`bastion serve: ${error.message}\n`);
      await gateway.close();
      await giveUp();
      return 2;
    }
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "EADDRINUSE" ? "the address is already in use" : code === "EACCES" ? "permission denied" : (error as Error).message;
    process.stderr.write(`bastion serve: cannot listen on ${config.listen.host}:${config.listen.port}: ${why}\n`);
    await gateway.close();
    await giveUp();
    return 1;
  }
  stopOnSignals(gateway, store, tls !== undefined);
  return 0;
}

export function registerServeCommand(program: Command): void {
  program
    .command("serve")
    .description("run the MCP gateway in front of the configured servers")
    .option("-c, --config <file>", "config file, YAML or JSON (default: $BASTION_CONFIG, else embedded defaults)")
    .option("--host <host>", "address to listen on (overrides listen.host and $BASTION_HOST)")
    .option("-p, --port <port>", "port to listen on, 0 for any free port (overrides listen.port and $BASTION_PORT)")
    .action(async (flags: ServeFlags) => {
      const code = await runServe(flags);
      if (code !== 0) process.exitCode = code;
    });
}
