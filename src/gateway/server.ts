import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { GatewayConfig } from "../config/types.js";
import { createOriginGuard } from "../guard/origin.js";
import { Aggregator, type ServerInfo } from "./aggregate/aggregator.js";
import type { GatewayCore } from "./core.js";
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
  /** Authentication, rate limiting, authorization (issue 4); pass-through by default. */
  steps?: Partial<PipelineSteps>;
  serverInfo?: ServerInfo;
  /** How often expired sessions are swept (ms); 0 turns the timer off (tests call sweep()). */
  sweepIntervalMs?: number;
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

  const core: GatewayCore = {
    config,
    logger,
    steps: { ...PASS_THROUGH_STEPS, ...options.steps },
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

  const server = createServer((req, res) => {
    const bucket = isLongLived(req) ? streams : inflight;
    bucket.add(res);
    res.once("close", () => {
      bucket.delete(res);
      if (inflight.size === 0) drained?.();
    });
    void handleRequest(core, req, res);
  });
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
    listen() {
      return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(config.listen.port, config.listen.host, () => {
          server.off("error", reject);
          const address = server.address() as AddressInfo;
          const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
          logger.info({ host, port: address.port, servers: Object.keys(config.servers), config: config.source }, "gateway listening");
          resolve({ host, port: address.port, url: `http://${host}:${address.port}` });
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
