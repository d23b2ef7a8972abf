import type { Command } from "commander";
import { createLogger } from "../audit/logger.js";
import { ConfigError, loadConfig, processEnvironment, type GatewayConfig } from "../config/index.js";
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

/** What a person starting the gateway needs to connect a client, written to stderr (stdout carries the JSON log). */
function banner(config: GatewayConfig, url: string): string {
  const names = Object.keys(config.servers);
  const width = Math.max(10, ...names.map((n) => n.length));
  const lines = [
    `mcp-bastion gateway listening on ${url} (${config.source})`,
    `  ${"all servers".padEnd(width)}  ${url}/mcp`,
    ...names.map((name) => `  ${name.padEnd(width)}  ${url}/servers/${name}/mcp`),
    "Connect any MCP client over Streamable HTTP to one of these URLs, for example:",
    `  npx @modelcontextprotocol/inspector --cli ${url}/mcp --transport http --method tools/list`,
    `PII masking before the model: ${config.pii.beforeLlm ? "on" : "off"} (${config.pii.mode}); in logs: ${config.pii.inLogs ? "on" : "off"}. Stop with Ctrl-C.`,
  ];
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
