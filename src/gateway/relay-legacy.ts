import { Aggregator } from "./aggregate/aggregator.js";
import { header, outboundFor, routeKey, stillAllowedFor, type GatewayCore, type RequestContext } from "./core.js";
import { GatewayError } from "./errors.js";
import { sendEmpty } from "./http/reply.js";
import { isRequest, isResponse, type JsonRpcMessage, type JsonRpcRequest } from "./jsonrpc.js";
import { GetStreamChannel, PostExchange } from "./relay/channel.js";
import { UpstreamLink } from "./relay/link.js";
import type { McpPort } from "./relay/port.js";
import type { LiveSession } from "./session/live.js";

/**
 * The 2025-11-25 revision (and earlier): `initialize` opens a session with its own upstream
 * connection(s); every later request names the session in `Mcp-Session-Id`.
 */

export const LEGACY_VERSIONS: readonly string[] = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05", "2024-10-07"];

function requireSessionId(ctx: RequestContext): string {
  const id = header(ctx.req, "mcp-session-id");
  if (id === undefined || id === "") throw new GatewayError("SESSION_REQUIRED", "Bad Request: Mcp-Session-Id header is required");
  return id;
}

/** A present MCP-Protocol-Version header must name a revision sessions speak. */
function checkVersionHeader(ctx: RequestContext, id: string | number | null): void {
  const version = header(ctx.req, "mcp-protocol-version");
  if (version !== undefined && !LEGACY_VERSIONS.includes(version)) {
    throw new GatewayError("UNSUPPORTED_PROTOCOL_VERSION", `Bad Request: Unsupported protocol version: ${version} (supported versions: ${LEGACY_VERSIONS.join(", ")})`, { id });
  }
}

async function findSession(core: GatewayCore, ctx: RequestContext): Promise<LiveSession> {
  return core.sessions.resolve(requireSessionId(ctx), ctx.principal.id, routeKey(ctx.route));
}

export async function relayLegacy(core: GatewayCore, ctx: RequestContext, message: JsonRpcMessage): Promise<void> {
  if (isRequest(message) && message.method === "initialize") {
    if (header(ctx.req, "mcp-session-id") !== undefined) {
      throw new GatewayError("INVALID_REQUEST", "Invalid Request: initialize opens a session; it cannot be sent within one", { id: message.id });
    }
    await openSession(core, ctx, message);
    return;
  }
  const id = isResponse(message) || isRequest(message) ? message.id : null;
  const sessionId = requireSessionId(ctx);
  checkVersionHeader(ctx, id);
  const session = await core.sessions.resolve(sessionId, ctx.principal.id, routeKey(ctx.route));
  if (isRequest(message)) {
    const exchange = new PostExchange(ctx.res, { ...ctx.corsHeaders, "mcp-session-id": session.id }, outboundFor(core, ctx, session.id));
    await session.request(core.masking.inbound(message, session.id), exchange);
    return;
  }
  if (isResponse(message)) session.response(message, (response, method) => core.masking.inbound(response, session.id, method));
  else await session.notification(message);
  sendEmpty(ctx.res, 202, ctx.corsHeaders);
}

async function openSession(core: GatewayCore, ctx: RequestContext, request: JsonRpcRequest): Promise<void> {
  const session = await core.sessions.open(ctx.principal.id, routeKey(ctx.route));
  const exchange = new PostExchange(ctx.res, { ...ctx.corsHeaders }, outboundFor(core, ctx, session.id));
  let response;
  try {
    response = ctx.route.kind === "server" ? await initializeServer(core, session, ctx.route.server, request, exchange) : await initializeAggregate(core, session, request);
  } catch (error) {
    await session.end("initialize failed");
    throw error;
  }
  if ("error" in response) {
    await session.end("initialize failed");
    exchange.finish(response, "initialize");
    return;
  }
  const negotiated = response.result["protocolVersion"];
  session.record.protocolVersion = typeof negotiated === "string" ? negotiated : LEGACY_VERSIONS[0]!;
  await core.sessions.register(session);
  exchange.setHeader("mcp-session-id", session.id);
  exchange.finish(response, "initialize");
}

/** One server, transparently: the client's own initialize goes up, the server's answer comes back. */
async function initializeServer(core: GatewayCore, session: LiveSession, server: string, request: JsonRpcRequest, exchange: PostExchange) {
  const link = new UpstreamLink(server, await openConnection(core, server, request, session), session);
  session.attach({ kind: "server", link });
  return link.call(request, exchange);
}

/** Every server behind one session: the gateway initializes each and answers with the merged view. */
async function initializeAggregate(core: GatewayCore, session: LiveSession, request: JsonRpcRequest) {
  const opened = await Promise.all(
    [...core.factories.keys()].map(async (name) => {
      try {
        return new UpstreamLink(name, await openConnection(core, name, request, session), session);
      } catch {
        return undefined; // logged by openConnection; the session goes on with the others
      }
    }),
  );
  const links = opened.filter((link): link is UpstreamLink => link !== undefined);
  const ports = new Map<string, McpPort>(links.map((link) => [link.serverName, link]));
  const aggregator = new Aggregator(ports, {
    era: "legacy",
    serverInfo: core.serverInfo,
    onServerError: (server, method, error) => core.logger.warn({ server, method, code: error.code }, "a server was left out of an aggregated answer"),
  });
  session.attach({ kind: "aggregate", aggregator, links });
  const requested = request.params?.["protocolVersion"];
  const negotiated = typeof requested === "string" && LEGACY_VERSIONS.includes(requested) ? requested : LEGACY_VERSIONS[0]!;
  const { response, failed } = await aggregator.initialize(request, negotiated);
  for (const name of failed) {
    ports.delete(name);
    await links.find((link) => link.serverName === name)?.close();
  }
  if (ports.size === 0 && core.factories.size > 0) {
    throw new GatewayError("UPSTREAM_UNAVAILABLE", "Bad Gateway: no upstream server could be started", { id: request.id });
  }
  return response;
}

/**
 * The session's connection to `server`: its own, or (servers.NAME.share) one it shares with the
 * sessions its principal opened (or all sessions) that asked for the same protocol version.
 */
async function openConnection(core: GatewayCore, server: string, request: JsonRpcRequest, session: LiveSession) {
  const factory = core.factories.get(server)!;
  const id = request.id;
  const requested = request.params?.["protocolVersion"];
  const protocolVersion = typeof requested === "string" && LEGACY_VERSIONS.includes(requested) ? requested : LEGACY_VERSIONS[0]!;
  try {
    return await factory.open({ principal: session.record.principal, protocolVersion });
  } catch (error) {
    core.logger.warn({ server, reason: (error as Error).message }, "could not open an upstream connection");
    throw new GatewayError("UPSTREAM_UNAVAILABLE", `Bad Gateway: upstream ${server} is unavailable`, { id });
  }
}

/** GET: the session's standalone stream for messages that belong to no request. */
export async function openGetStream(core: GatewayCore, ctx: RequestContext): Promise<void> {
  const session = await findSession(core, ctx);
  checkVersionHeader(ctx, null);
  if (!session.canAttachGetStream) throw new GatewayError("SESSION_CONFLICT", "Conflict: only one GET stream is allowed per session");
  // The stream outlives this request's authentication: each message re-checks the credential (channel.ts).
  const stream = new GetStreamChannel(ctx.res, { ...ctx.corsHeaders, "mcp-session-id": session.id }, outboundFor(core, ctx, session.id), stillAllowedFor(core, ctx));
  session.attachGetStream(stream);
}

/** DELETE: the client ends its session. */
export async function deleteSession(core: GatewayCore, ctx: RequestContext): Promise<void> {
  const session = await findSession(core, ctx);
  await core.sessions.end(session, "ended by the client");
  sendEmpty(ctx.res, 200, ctx.corsHeaders);
}
