/**
 * The gateway under test: `bastion serve` (src/cli/main.ts, run with tsx on this Node) with a
 * config that fronts the conformance fixture twice, as a stdio upstream and as a Streamable HTTP
 * upstream, with PII masking on before the model and in the logs, and authentication required.
 *
 * The suite cannot send a credential, so it talks to a loopback proxy (node:http on 127.0.0.1)
 * that forwards every request to the gateway with `Authorization: Bearer <key>` added: an API key
 * created in the run's own temporary store before the gateway starts.
 *
 * The built-in OAuth authorization server is on, at <gateway>/oauth, with a pre-registered public
 * client for the suite's `authorization` scenarios and a local user for its login page.
 */
import { randomBytes } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { createApiKeyService } from "../../src/auth/api-keys/index.js";
import { createUserDirectory } from "../../src/auth/server/index.js";
import type { AuthorizationTarget } from "./authorization.js";
import { openSqliteStore } from "../../src/store/index.js";
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
  /** The gateway's SQLite store (holding the proxy's API key). */
  storePath: string;
  /** The authorization scenarios' client: its redirect URI's port (the suite's callback server). */
  callbackPort: number;
}

/** The pre-registered public client the conformance suite's authorization scenarios use. */
export const CONFORMANCE_CLIENT_ID = "conformance-client";
const CONFORMANCE_USER = "conformance";

export function gatewayConfig(input: GatewayConfigInput): Record<string, unknown> {
  return {
    listen: { host: "127.0.0.1", port: input.port },
    servers: {
      [STDIO_ROUTE]: { command: input.node, args: ["--import", input.tsxLoader, input.stdioEntry], env: {} },
      [HTTP_ROUTE]: { url: input.fixtureUrl },
    },
    pii: { beforeLlm: true, inLogs: true },
    store: { path: input.storePath },
    auth: { required: true },
    // The built-in authorization server (on by default), with the suite's client pre-registered.
    authorizationServer: {
      enabled: true,
      clients: [{ clientId: CONFORMANCE_CLIENT_ID, name: "Conformance suite", redirectUris: [`http://127.0.0.1:${input.callbackPort}/callback`], grantTypes: ["authorization_code", "refresh_token"] }],
    },
  };
}

export interface RunningGateway {
  started: Started;
  /** The gateway itself (requests need the key). */
  baseUrl: string;
  /** The credential-adding proxy's URL for a route: what the suite is pointed at. */
  routeUrl(route: string): string;
  /** The built-in authorization server, for the suite's authorization scenarios. */
  authorization: AuthorizationTarget;
  close(): Promise<void>;
}

/** Hop-by-hop headers (RFC 9110 §7.6.1) are not forwarded. */
const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te", "trailer", "host"]);

/**
 * A loopback proxy to `target` that adds `Authorization: Bearer <key>` to every request (any
 * credential the client sent is replaced) and streams both ways (SSE included).
 */
export async function startCredentialProxy(target: string, key: string): Promise<{ url: string; server: Server }> {
  const upstream = new URL(target);
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined || HOP_BY_HOP.has(name) || name === "authorization" || name === "x-api-key") continue;
      headers[name] = value;
    }
    headers.authorization = `Bearer ${key}`;
    const forward = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers },
      (reply) => {
        const out: Record<string, string | string[]> = {};
        for (const [name, value] of Object.entries(reply.headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
        res.writeHead(reply.statusCode ?? 502, out);
        res.flushHeaders();
        reply.pipe(res);
      },
    );
    forward.on("error", () => {
      if (!res.headersSent) res.writeHead(502).end();
      else res.destroy();
    });
    res.on("close", () => forward.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  server.unref();
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, server };
}

/** A store with one API key for the proxy and one local user for the login page, made before the gateway opens it. */
async function makeStoreWithKey(storePath: string, password: string): Promise<string> {
  const store = openSqliteStore({ path: storePath });
  try {
    const issued = await createApiKeyService({ store: store.apiKeys }).create({ name: "conformance proxy", role: "editor" });
    await createUserDirectory(store.users).createUser({ username: CONFORMANCE_USER, password });
    return issued.key;
  } finally {
    await store.close();
  }
}

export async function startGateway(
  repoRoot: string,
  workDir: string,
  input: Omit<GatewayConfigInput, "port" | "storePath" | "callbackPort">,
  readyTimeoutMs: number,
): Promise<RunningGateway> {
  const port = await freePort();
  const callbackPort = await freePort();
  const storePath = join(workDir, "bastion.db");
  const password = randomBytes(18).toString("base64url");
  const key = await makeStoreWithKey(storePath, password);
  const configPath = join(workDir, "bastion.conformance.json");
  await writeFile(configPath, `${JSON.stringify(gatewayConfig({ ...input, port, storePath, callbackPort }), null, 2)}\n`);
  const started = start(input.node, ["--import", input.tsxLoader, join(repoRoot, "src/cli/main.ts"), "serve", "--config", configPath], {
    cwd: repoRoot,
    logFile: join(workDir, "gateway.log"),
    // Masking on, whatever the calling environment says: the env overrides the file.
    env: { ...process.env, MASK_PII_BEFORE_LLM: "1", MASK_PII_IN_LOGS: "1" },
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  // Any answer (a 401 here) means it is up.
  await waitForHttp(started, `${baseUrl}/servers/${STDIO_ROUTE}/mcp`, readyTimeoutMs);
  const proxy = await startCredentialProxy(baseUrl, key);
  const routeUrl = (route: string): string => `${proxy.url}/servers/${route}/mcp`;
  const close = (): Promise<void> =>
    new Promise((resolve) => {
      proxy.server.closeAllConnections();
      proxy.server.close(() => resolve());
    });
  const authorization: AuthorizationTarget = { issuer: `${baseUrl}/oauth`, resource: `${baseUrl}/mcp`, clientId: CONFORMANCE_CLIENT_ID, callbackPort, username: CONFORMANCE_USER, password };
  return { started, baseUrl, routeUrl, authorization, close };
}
