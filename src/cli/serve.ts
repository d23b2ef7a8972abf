import type { Command } from "commander";
import { createRequire } from "node:module";
import { dirname, isAbsolute, join, relative } from "node:path";
import { createLogger } from "../audit/logger.js";
import { ConfigError, ensureSampleFolder, loadConfig, processEnvironment, type GatewayConfig } from "../config/index.js";
import { createGateway, type Gateway } from "../gateway/server.js";
import { createUpstreamFactory } from "../gateway/upstream/index.js";
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
function inspectorCommand(url: string, rest: string): string {
  try {
    const require = createRequire(import.meta.url);
    const build = join(dirname(require.resolve("@modelcontextprotocol/inspector-cli/package.json")), "build");
    const fromHere = relative(process.cwd(), build);
    const folder = fromHere !== "" && !fromHere.startsWith("..") && !isAbsolute(fromHere) ? fromHere : build;
    return `(cd ${shellWord(folder)} && node cli.js --cli ${url} --transport http ${rest})`;
  } catch {
    return `npx @modelcontextprotocol/inspector --cli ${url} --transport http ${rest}`;
  }
}

/** A word the shell reads back as it is (quoted when it holds anything but safe characters). */
function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, "'\\''")}'`;
}

/** What a person starting the gateway needs to connect a client, written to stderr (stdout carries the JSON log). */
export function banner(config: GatewayConfig, url: string): string {
  const names = Object.keys(config.servers);
  const width = Math.max(11, ...names.map((n) => n.length));
  const lines = [
    `mcp-bastion gateway listening on ${url} (${config.source})`,
    `  ${"all servers".padEnd(width)}  ${url}/mcp`,
    ...names.map((name) => `  ${name.padEnd(width)}  ${url}/servers/${name}/mcp`),
  ];
  if (config.sampleFolder !== undefined) lines.push(`The filesystem server works on the sample folder ${config.sampleFolder}`);
  lines.push(
    "Connect any MCP client over Streamable HTTP to one of these URLs. With the MCP Inspector CLI:",
    `  ${inspectorCommand(`${url}/mcp`, "--method tools/list")}`,
  );
  if (config.sampleFolder !== undefined) {
    const ticket = join(config.sampleFolder, "tickets", "1042.txt");
    lines.push(`  ${inspectorCommand(`${url}/mcp`, `--method tools/call --tool-name filesystem__read_text_file --tool-arg ${shellWord(`path=${ticket}`)}`)}`);
  }
  lines.push(
    `PII masking before the model: ${config.pii.beforeLlm ? "on" : "off"} (${config.pii.mode}); in logs: ${config.pii.inLogs ? "on" : "off"}. Stop with Ctrl-C.`,
  );
  return `${lines.join("\n")}\n`;
}

/** Stops on SIGTERM/SIGINT: no new requests, in-flight ones finish, upstream children stop, exit 0. */
function stopOnSignals(gateway: Gateway): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      process.stderr.write(`bastion serve: ${signal} again, exiting now\n`);
      process.exit(1);
    }
    stopping = true;
    process.stderr.write(`bastion serve: ${signal} received, shutting down\n`);
    gateway.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`bastion serve: shutdown failed: ${(error as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
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
  if (config.sampleFolder !== undefined) {
    try {
      ensureSampleFolder(config.sampleFolder);
    } catch (error) {
      process.stderr.write(`bastion serve: cannot make the sample folder ${config.sampleFolder}: ${(error as Error).message}\n`);
      return 1;
    }
  }
  const logger = createLogger({ level: config.log.level, maskPii: config.pii.inLogs });
  const gateway = createGateway({
    config,
    logger,
    serverInfo: { name: "mcp-bastion", version: readPackageVersion() },
    createUpstreamFactory: (name, upstream) => createUpstreamFactory(name, upstream, { logger }),
  });
  try {
    const { url } = await gateway.listen();
    process.stderr.write(banner(config, url));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "EADDRINUSE" ? "the address is already in use" : code === "EACCES" ? "permission denied" : (error as Error).message;
    process.stderr.write(`bastion serve: cannot listen on ${config.listen.host}:${config.listen.port}: ${why}\n`);
    await gateway.close();
    return 1;
  }
  stopOnSignals(gateway);
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
