/**
 * A real gateway with its built-in authorization server, for the OAuth and browser end-to-end
 * tests: a config file read by loadConfig, a SQLite store file (which `bastion` commands in another
 * process can open too), local users made through the user directory, the `everything` MCP server
 * upstream over stdio unless told otherwise. With `https`, the listener serves TLS with a CA and
 * certificate made at test time (openssl).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTlsOptions } from "../../src/auth/mtls/index.js";
import { createUserDirectory, type OidcStore } from "../../src/auth/server/index.js";
import { loadConfig, type GatewayConfig } from "../../src/config/index.js";
import { createGateway, type Gateway } from "../../src/gateway/server.js";
import { createUpstreamFactory } from "../../src/gateway/upstream/index.js";
import { openSqliteStore, type SqliteStore } from "../../src/store/index.js";
import { makeCertificates } from "../auth/server/tls.js";
import { EVERYTHING, quietLogger } from "../gateway/helpers.js";
import { freePort } from "../free-port.js";

export interface OAuthTestGateway {
  gateway: Gateway;
  config: GatewayConfig;
  store: SqliteStore;
  /** The store's file. */
  dbPath: string;
  port: number;
  /** The gateway's origin, e.g. http://127.0.0.1:PORT */
  url: string;
  /** The MCP endpoint, and the resource tokens are for. */
  resource: string;
  /** The built-in authorization server: <url>/oauth */
  issuer: string;
  /** The test CA's certificate (PEM) when `https`. */
  ca?: string;
  close(): Promise<void>;
}

export interface OAuthTestGatewayOptions {
  users: ReadonlyArray<{ username: string; password: string; roles: string[] }>;
  /** The authorization server's `login` section (failures before a lockout, its length). */
  login?: { maxFailures: number; maxFailuresPerAddress: number; failureWindow: string; lockoutDuration: string };
  https?: boolean;
  /** The config's servers (default: everything over stdio). */
  servers?: Record<string, unknown>;
  /** More of the authorizationServer section, given the gateway's origin (e.g. resources, clients). */
  authorizationServer?: (origin: string) => Record<string, unknown>;
  /** Wraps the authorization server's record store (e.g. one that can be made to fail). */
  oidcStore?: (records: OidcStore) => OidcStore;
}

export async function startOAuthTestGateway(options: OAuthTestGatewayOptions): Promise<OAuthTestGateway> {
  const dir = mkdtempSync(join(tmpdir(), "bastion-oauth-gateway-"));
  let store: SqliteStore | undefined;
  try {
    const port = await freePort();
    const scheme = options.https ? "https" : "http";
    const origin = `${scheme}://127.0.0.1:${port}`;
    const resource = `${origin}/mcp`;
    let ca: string | undefined;
    let tls: Record<string, unknown> | undefined;
    if (options.https) {
      const certificates = makeCertificates();
      ca = certificates.ca;
      writeFileSync(join(dir, "server.crt"), certificates.cert);
      writeFileSync(join(dir, "server.key"), certificates.key, { mode: 0o600 });
      tls = { cert: join(dir, "server.crt"), key: join(dir, "server.key"), reload: { watch: false } };
    }
    const everything = EVERYTHING.kind === "stdio" ? { command: EVERYTHING.command, args: EVERYTHING.args, env: {} } : {};
    const configPath = join(dir, "bastion.json");
    writeFileSync(
      configPath,
      JSON.stringify({
        listen: { host: "127.0.0.1", port },
        servers: options.servers ?? { everything },
        shutdownTimeout: "5s",
        store: { path: join(dir, "bastion.db") },
        ...(tls ? { tls } : {}),
        authorizationServer: {
          resources: [{ uri: resource, scopes: ["mcp"] }],
          ...(options.login ? { login: options.login } : {}),
          ...options.authorizationServer?.(origin),
        },
      }),
    );
    const config = loadConfig({ file: configPath, env: {} });
    if (!config.authorizationServer) throw new Error("the built-in authorization server is not on");
    store = openSqliteStore({ path: config.store.path, ...(config.store.secretKeyFile ? { secretKeyFile: config.store.secretKeyFile } : {}) });
    // Local users, made as `bastion users create` makes them: in the store, through the user directory.
    const directory = createUserDirectory(store.users);
    for (const user of options.users) await directory.createUser({ username: user.username, password: user.password, roles: user.roles });
    const gateway = createGateway({
      config,
      logger: quietLogger,
      createUpstreamFactory: (name, upstream) => createUpstreamFactory(name, upstream, { logger: quietLogger }),
      sweepIntervalMs: 0,
      store,
      ...(config.tls ? { tls: createTlsOptions(config.tls) } : {}),
      ...(options.oidcStore ? { authorizationServerDeps: { oidcStore: options.oidcStore(store.oidc!) } } : {}),
    });
    const { url } = await gateway.listen();
    const opened = store;
    return {
      gateway,
      config,
      store: opened,
      dbPath: config.store.path,
      port,
      url,
      resource,
      issuer: `${url}/oauth`,
      ...(ca ? { ca } : {}),
      async close() {
        try {
          await gateway.close();
          await opened.close();
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
