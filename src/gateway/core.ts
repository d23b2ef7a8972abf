import type { IncomingMessage, ServerResponse } from "node:http";
import type { GatewayConfig } from "../config/types.js";
import type { OriginGuard } from "../guard/origin.js";
import type { Aggregator, ServerInfo } from "./aggregate/aggregator.js";
import type { GatewayLogger } from "./logger.js";
import type { MessageMasking, PiiSettings } from "./masking.js";
import type { MessageLog, RequestLog } from "./message-log.js";
import type { ModernChannel } from "./modern/channel.js";
import type { PipelineSteps, Principal, Route } from "./principal.js";
import type { Outbound } from "./relay/channel.js";
import type { SessionRegistry } from "./session/registry.js";
import type { UpstreamFactory } from "./upstream/types.js";
import type { ResourceMetadataHandler } from "../auth/resource-metadata.js";
import type { EmbeddedAuthorizationServer } from "./authorization-server.js";

/** Everything the pipeline's steps reach for: built once by createGateway, no module-level state. */
export interface GatewayCore {
  readonly config: GatewayConfig;
  readonly logger: GatewayLogger;
  readonly steps: PipelineSteps;
  readonly masking: MessageMasking;
  /** One log line per relayed message, through a per-request logger (masked per the in-logs setting). */
  readonly messageLog: MessageLog;
  readonly originGuard: OriginGuard;
  readonly sessions: SessionRegistry;
  readonly factories: ReadonlyMap<string, UpstreamFactory>;
  /** Per server, the shared stateless (2026-07-28) channel. */
  readonly modernPorts: ReadonlyMap<string, ModernChannel>;
  /** The aggregated route for stateless (2026-07-28) requests. */
  readonly modernAggregator: Aggregator;
  readonly serverInfo: ServerInfo;
  /** Serves the Protected Resource Metadata (RFC 9728) before authentication; false when the path is not its. */
  readonly serveMetadata?: ResourceMetadataHandler;
  /** The built-in authorization server, when on (and known: after listen() for port 0); served before the pipeline. */
  readonly authorizationServer?: () => EmbeddedAuthorizationServer | undefined;
  isShuttingDown(): boolean;
}

/** One HTTP request as it moves down the pipeline. */
export interface RequestContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  route: Route;
  principal: Principal;
  settings: PiiSettings;
  /** This request's message log, once its PII settings are known; undefined when message lines are off. */
  log?: RequestLog;
  /** CORS headers for an allowed browser Origin, added to every response after the guard. */
  corsHeaders: Record<string, string>;
}

/** A single-valued request header (repeated headers are joined, which no valid value survives). */
export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(",") : value;
}

export const routeKey = (route: Route): string => (route.kind === "server" ? route.server : "*");

/** Steps 9-11 for one request's replies: log, mask for the model (and, in issue 4+, filter and audit), then serialize once. */
export function outboundFor(core: GatewayCore, ctx: RequestContext, scope: string): Outbound {
  return (message, answering) => {
    ctx.log?.server(message, answering);
    const masked = core.masking.outbound(message, ctx.settings, scope, answering);
    return masked === undefined ? undefined : JSON.stringify(masked);
  };
}

/**
 * For a stream that outlives the request that authenticated it (a session's GET stream, a
 * 2026-07-28 listen): authenticates the same request again, as the same principal. Any refusal
 * (revoked key, disabled user, expired token, lockout) is false.
 */
export function stillAllowedFor(core: GatewayCore, ctx: RequestContext): () => Promise<boolean> {
  return async () => {
    try {
      return (await core.steps.authenticate(ctx.req)).id === ctx.principal.id;
    } catch {
      return false;
    }
  };
}
