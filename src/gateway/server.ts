import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { createClientAddressOf, createTrustedPeerCheck } from "../auth/client-address/index.js";
import { perConnection } from "./http/peer-address.js";
import { allRouteResources, routeResourcesFor } from "../auth/route-resources.js";
import { guardTlsHandshakes } from "../auth/lockout/index.js";
import { createTlsReloader, type TlsOptions, type TlsReloader } from "../auth/mtls/index.js";
import { deriveResource } from "../config/load.js";
import type { GatewayConfig } from "../config/types.js";
import type { Store } from "../store/types.js";
import { createOriginGuard } from "../guard/origin.js";
import { Aggregator, type ServerInfo } from "./aggregate/aggregator.js";
import type { AuthorizationServerDeps } from "../auth/server/index.js";
import { createGatewayAuthentication, type GatewayAuthentication } from "./authentication.js";
import { createEmbeddedAuthorizationServer, type EmbeddedAuthorizationServer } from "./authorization-server.js";
import type { GatewayCore } from "./core.js";
import { GatewayError } from "./errors.js";
import { silentLogger, type GatewayLogger } from "./logger.js";
import { createMessageMasking, type MessageMasking } from "./masking.js";
import { createMessageLog } from "./message-log.js";
import { ModernChannel } from "./modern/channel.js";
import { handleRequest } from "./pipeline.js";
import { PASS_THROUGH_STEPS, type PipelineSteps } from "./principal.js";
import { SessionRegistry } from "./session/registry.js";
import { createMemorySessionStore, type SessionStore } from "./session/store.js";
import type { UpstreamConfig, UpstreamFactory } from "./upstream/types.js";

export type CreateUpstreamFactory = (name: string, config: UpstreamConfig) => UpstreamFactory;

export interface GatewayOptions {
  config: GatewayConfig;
  /** Opens upstream connections (src/gateway/upstream's createUpstreamFactory in production). */
  createUpstreamFactory: CreateUpstreamFactory;
  /**
   * Where the gateway logs. Per-message lines (config.log.messages) are written only through a
   * logger made by createLogger (src/audit/logger.ts), which masks PII per request.
   */
  logger?: GatewayLogger;
  /** The clock (sessions expire by it); injectable so tests can move time. */
  now?: () => number;
  sessionStore?: SessionStore;
  masking?: MessageMasking;
  /**
   * Replaces pipeline steps. Without `authenticate`, authentication is built from config.auth
   * (src/gateway/authentication.ts) and the store / TLS options below; rate limiting and
   * authorization pass through until they exist.
   */
  steps?: Partial<PipelineSteps>;
  /** The store holding API keys (openSqliteStore); API keys are accepted only with it. The caller closes it. */
  store?: Store;
  /**
   * The HTTPS listener's options (createTlsOptions(config.tls)); plain HTTP without them. The
   * gateway reloads the files on change (and on `reloadTls()`), logs refused handshakes, and
   * authenticates client certificates when config.tls.clientCertificates asks for them.
   */
  tls?: TlsOptions;
  /** For JWKS and introspection requests (tests). */
  fetch?: typeof fetch;
  serverInfo?: ServerInfo;
  /** How often expired sessions are swept (ms); 0 turns the timer off (tests call sweep()). */
  sweepIntervalMs?: number;
  /**
   * State of the built-in authorization server (config.authorizationServer): by default its users
   * are `store.users` and its records and keys `store.oidc` / `store.signingKeys` when the store has
   * them (openSqliteStore with a secret key); anything missing is kept in memory.
   */
  authorizationServerDeps?: Omit<AuthorizationServerDeps, "logger">;
}

export interface Gateway {
  /** Starts listening on config.listen; resolves with the bound address. */
  listen(): Promise<{ host: string; port: number; url: string }>;
  /**
   * Graceful stop: refuse new requests, end GET streams, let requests in flight finish (up to the
   * shutdown timeout), then end sessions and stop every upstream (children included).
   */
  close(): Promise<void>;
  /** Ends expired sessions now (the timer does this periodically). */
  sweep(): Promise<void>;
  /** Reads the TLS files again now (SIGHUP); nothing changes if they do not pass the checks. False without TLS. */
  reloadTls(): boolean;
  /** Step 2 as built from the config (undefined when `steps.authenticate` replaced it, or before listen() for port 0). */
  readonly authentication: GatewayAuthentication | undefined;
  /** The built-in authorization server when on (undefined before listen() for port 0); `.get()` makes it. */
  readonly authorizationServer: EmbeddedAuthorizationServer | undefined;
  readonly server: Server;
  /** Open sessions on this replica. */
  readonly sessionCount: number;
}

/** Requests that hold a connection for long (GET streams) are not waited for on shutdown. */
const isLongLived = (req: IncomingMessage): boolean => req.method === "GET";

export function createGateway(options: GatewayOptions): Gateway {
  const { config } = options;
  const logger = options.logger ?? silentLogger;
  const now = options.now ?? Date.now;
  const masking = options.masking ?? createMessageMasking(config.pii);
  const serverInfo = options.serverInfo ?? { name: "mcp-bastion", version: "0.1.0" };
  let shuttingDown = false;

  const factories = new Map<string, UpstreamFactory>();
  for (const [name, upstream] of Object.entries(config.servers)) factories.set(name, options.createUpstreamFactory(name, upstream));

  const modernPorts = new Map<string, ModernChannel>();
  for (const [name, factory] of factories) {
    modernPorts.set(name, new ModernChannel(name, factory, { logger, clientInfo: serverInfo, now, probeTimeoutMs: 10_000, retryAfterMs: 2_000 }));
  }

  const sessions = new SessionRegistry({
    store: options.sessionStore ?? createMemorySessionStore(),
    timeouts: config.sessions,
    max: config.sessions.max,
    now,
    logger,
    onEnded: (id) => masking.endScope(id),
  });

  // Step 2 from the config, unless a test or an embedder supplied its own. The resource URI comes
  // from the config, or (port 0) from the address bound in listen(); never from a request.
  const https = options.tls !== undefined;
  // Who the client is for lockout, the login throttle and logs: the peer, or what a trusted proxy says.
  const trustedProxies = config.listen.trustedProxies ?? [];
  // Without trusted proxies it is the socket's peer alone: worked out once per connection.
  const clientAddressOf = trustedProxies.length === 0 ? perConnection(createClientAddressOf([])) : createClientAddressOf(trustedProxies);
  const customAuthenticate = options.steps?.authenticate !== undefined;
  let authentication: GatewayAuthentication | undefined;
  // The built-in authorization server, once the resource URI is known (it is the tokens' audience).
  let embedded: EmbeddedAuthorizationServer | undefined;
  const embeddedFor = (resource: string | undefined): EmbeddedAuthorizationServer | undefined => {
    if (config.authorizationServer === undefined || resource === undefined) return undefined;
    const store = options.store;
    embedded ??= createEmbeddedAuthorizationServer({
      settings: config.authorizationServer,
      resource,
      routeResources: allRouteResources(routeResourcesFor(resource, Object.keys(config.servers))),
      scopesSupported: config.auth.scopesSupported,
      deps: {
        ...(store ? { userStore: store.users } : {}),
        ...(store?.oidc ? { oidcStore: store.oidc } : {}),
        ...(store?.signingKeys ? { keyStore: store.signingKeys } : {}),
        now,
        clientAddressOf,
        ...options.authorizationServerDeps,
      },
      logger,
    });
    return embedded;
  };
  const buildAuthentication = (resource: string | undefined): GatewayAuthentication =>
    createGatewayAuthentication({
      config,
      resource,
      ...(embeddedFor(resource) ? { authorizationServer: embedded! } : {}),
      ...(options.store ? { store: options.store } : {}),
      ...(options.tls ? { revocation: options.tls.revocation } : {}),
      logger,
      now,
      clientAddressOf,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
  if (!customAuthenticate && (config.auth.resource !== undefined || config.listen.port !== 0)) authentication = buildAuthentication(config.auth.resource);
  else embeddedFor(config.auth.resource);
  // Not async: an async function returning a promise would cost two more microtask turns per request.
  const authenticate: PipelineSteps["authenticate"] = (req) => {
    if (authentication === undefined) return Promise.reject(new GatewayError("SHUTTING_DOWN", "Service Unavailable: the gateway is not listening yet"));
    return authentication.authenticate(req);
  };

  const core: GatewayCore = {
    config,
    logger,
    steps: { ...PASS_THROUGH_STEPS, authenticate, ...options.steps },
    ...(customAuthenticate ? {} : { serveMetadata: (req: IncomingMessage, res: ServerResponse) => authentication?.serveMetadata(req, res) ?? false }),
    authorizationServer: () => embedded,
    masking,
    messageLog: createMessageLog(logger, { level: config.log.messages }),
    originGuard: createOriginGuard(config),
    sessions,
    factories,
    modernPorts,
    modernAggregator: new Aggregator(modernPorts, {
      era: "modern",
      serverInfo,
      onServerError: (server, method, error) => logger.warn({ server, method, code: error.code }, "a server was left out of an aggregated answer"),
    }),
    serverInfo,
    isShuttingDown: () => shuttingDown,
  };

  // Requests in flight, for the graceful stop; long-lived streams are tracked apart.
  const inflight = new Set<ServerResponse>();
  const streams = new Set<ServerResponse>();
  let drained: (() => void) | undefined;

  // One listener for every response, not a closure (and a once() wrapper) per request: "close" is
  // emitted once per response, and a response is in exactly one of the two sets.
  function onResponseClosed(this: ServerResponse): void {
    if (!inflight.delete(this)) streams.delete(this);
    if (inflight.size === 0) drained?.();
  }
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    (isLongLived(req) ? streams : inflight).add(res);
    res.on("close", onResponseClosed);
    void handleRequest(core, req, res);
  };
  const server: Server = options.tls === undefined ? createServer(handler) : createHttpsServer(options.tls.serverOptions, handler);
  let reloader: TlsReloader | undefined;
  if (options.tls !== undefined) {
    for (const warning of options.tls.warnings) logger.warn({ event: "tls.warning" }, warning);
    const tlsServer = server as unknown as Parameters<typeof createTlsReloader>[0];
    reloader = createTlsReloader(tlsServer, options.tls, { logger, now });
    // In `required` mode a bad client certificate is refused at the handshake, before HTTP: logged
    // and counted against the address here; a locked-out address's connections are closed before
    // their handshake. (On plain HTTP, and for valid handshakes, step 2 refuses it with 429.)
    guardTlsHandshakes(tlsServer, { lockout: () => authentication?.lockout, now, isTrustedPeer: createTrustedPeerCheck(config.listen.trustedProxies ?? []), logger });
  }
  // A request (headers and body) must arrive promptly (slowloris). This bounds receiving only:
  // long SSE responses are legitimate, and upstream timeouts bound the calls.
  server.headersTimeout = 30_000;
  server.requestTimeout = 60_000;

  const sweepInterval = options.sweepIntervalMs ?? Math.min(60_000, Math.max(1_000, Math.floor(config.sessions.idleTimeoutMs / 4)));
  const sweeper = sweepInterval > 0 ? setInterval(() => void sessions.sweep(), sweepInterval) : undefined;
  sweeper?.unref();

  let closing: Promise<void> | undefined;

  async function shutdown(): Promise<void> {
    shuttingDown = true;
    if (sweeper !== undefined) clearInterval(sweeper);
    reloader?.close();
    const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const res of streams) res.end(); // GET streams would hold the process open forever
    if (inflight.size > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, config.shutdownTimeoutMs);
        timer.unref();
        drained = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    await sessions.endAll("the gateway is shutting down");
    await Promise.all([...modernPorts.values()].map((port) => port.close()));
    await Promise.all([...factories.values()].map((factory) => factory.closeAll().catch(() => undefined)));
    server.closeAllConnections();
    await stopped;
    logger.info({}, "gateway stopped");
  }

  return {
    server,
    get sessionCount() {
      return sessions.size;
    },
    get authentication() {
      return authentication;
    },
    get authorizationServer() {
      return embedded;
    },
    reloadTls() {
      return reloader?.reload().ok ?? false;
    },
    listen() {
      return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(config.listen.port, config.listen.host, () => {
          server.off("error", reject);
          const address = server.address() as AddressInfo;
          const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
          if (!customAuthenticate && authentication === undefined) {
            try {
              authentication = buildAuthentication(deriveResource(config.listen.host, address.port, https));
            } catch (error) {
              server.close();
              reject(error);
              return;
            }
          }
          if (customAuthenticate) embeddedFor(config.auth.resource ?? deriveResource(config.listen.host, address.port, https));
          if (embedded !== undefined) logger.info({ event: "authorization_server.configured", issuer: embedded.issuer }, "built-in authorization server mounted");
          if (authentication !== undefined) {
            const { required, methods, resource } = authentication;
            logger.info({ event: "auth.configured", required, methods, resource }, "authentication");
            if (!required) {
              logger.warn({ event: "auth.not_required" }, "AUTHENTICATION IS NOT REQUIRED (auth.required: false): requests without credentials are served as the anonymous principal. For local experiments only.");
            }
          }
          logger.info({ host, port: address.port, servers: Object.keys(config.servers), config: config.source }, "gateway listening");
          resolve({ host, port: address.port, url: `${https ? "https" : "http"}://${host}:${address.port}` });
        });
      });
    },
    close() {
      closing ??= shutdown();
      return closing;
    },
    sweep: () => sessions.sweep(),
  };
}
