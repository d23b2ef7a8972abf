/**
 * The gateway under test: `bastion serve` (src/cli/main.ts, run with tsx on this Node) with a
 * config that fronts the conformance fixture twice, as a stdio upstream and as a Streamable HTTP
 * upstream, with PII masking on before the model and in the logs.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { freePort, type Started, start, waitForHttp } from "./processes.js";

export const STDIO_ROUTE = "conformance-stdio";
export const HTTP_ROUTE = "conformance-http";

/** `bastion serve` exists once src/cli/serve.ts is no longer the placeholder it started as. */
export async function gatewayAvailable(repoRoot: string): Promise<boolean> {
  const source = await readFile(join(repoRoot, "src/cli/serve.ts"), "utf8").catch(() => "");
  return source.length > 0 && !source.includes("PLACEHOLDER") && !source.includes("not available in this build");
}

export interface GatewayConfigInput {
  port: number;
  /** Node 20 binary, tsx loader URL and fixture entry: the stdio upstream's command line. */
  node: string;
  tsxLoader: string;
  stdioEntry: string;
  /** The running HTTP fixture, for the Streamable HTTP upstream. */
  fixtureUrl: string;
}

export function gatewayConfig(input: GatewayConfigInput): Record<string, unknown> {
  return {
    listen: { host: "127.0.0.1", port: input.port },
    servers: {
      [STDIO_ROUTE]: { command: input.node, args: ["--import", input.tsxLoader, input.stdioEntry], env: {} },
      [HTTP_ROUTE]: { url: input.fixtureUrl },
    },
    pii: { beforeLlm: true, inLogs: true },
  };
}

export interface RunningGateway {
  started: Started;
  baseUrl: string;
  routeUrl(route: string): string;
}

export async function startGateway(
  repoRoot: string,
  workDir: string,
  input: Omit<GatewayConfigInput, "port">,
  readyTimeoutMs: number,
): Promise<RunningGateway> {
  const port = await freePort();
  const configPath = join(workDir, "bastion.conformance.json");
  await writeFile(configPath, `${JSON.stringify(gatewayConfig({ ...input, port }), null, 2)}\n`);
  const started = start(input.node, ["--import", input.tsxLoader, join(repoRoot, "src/cli/main.ts"), "serve", "--config", configPath], {
    cwd: repoRoot,
    logFile: join(workDir, "gateway.log"),
    // Masking on, whatever the calling environment says: the env overrides the file.
    env: { ...process.env, MASK_PII_BEFORE_LLM: "1", MASK_PII_IN_LOGS: "1" },
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const routeUrl = (route: string): string => `${baseUrl}/servers/${route}/mcp`;
  await waitForHttp(started, routeUrl(STDIO_ROUTE), readyTimeoutMs);
  return { started, baseUrl, routeUrl };
}
