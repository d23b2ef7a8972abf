import type { IncomingMessage, ServerResponse } from "node:http";
import { header, routeKey, type GatewayCore, type RequestContext } from "./core.js";
import { parseMessage } from "./envelope.js";
import { GatewayError } from "./errors.js";
import { readBody, takeBody } from "./http/body.js";
import { sendEmpty, sendGatewayError } from "./http/reply.js";
import { classifyMessage } from "./modern/classify.js";
import { ANONYMOUS } from "./principal.js";
import { deleteSession, openGetStream, relayLegacy } from "./relay-legacy.js";
import { relayModern, standardHeadersOf } from "./relay-modern.js";
import { guardTransport, preflightHeaders } from "./transport-guard.js";

/**
 * The path of one HTTP request through the gateway, top to bottom (DESIGN.md, "The path of one
 * message"). Each step is a module of its own; a step refuses by throwing a GatewayError, which is
 * turned into an HTTP response in one place, at the bottom.
 *
 * Client to server:
 *      authorization server the built-in OAuth server's paths (/oauth/..., its RFC 8414 metadata) go to it,
 *                           after the Host allow-list (authorization-server.ts)
 *   1. transport guard      Host/Origin allow-list, route, HTTP method, media types, declared size
 *      resource metadata    RFC 9728 document at its two well-known paths: public, before authentication
 *   2. authenticate         -> Principal: API key, bearer JWT, introspected token or client certificate
 *                           (authentication.ts); 401 + WWW-Authenticate, 429 + Retry-After when locked out
 *   3. rate limit           (passes through until issue 4)
 *      PII settings         X-Mask-PII-* headers may tighten masking; loosening it needs pii.allowOptOut
 *                           and the permission pii:unmask (scope, or role admin), else 403
 *   4. envelope             body size and nesting depth, one JSON-RPC message, revision (2025 sessions / 2026 stateless),
 *                           2026 envelope and mirrored headers; the session bound to the principal
 *   5. authorize            (passes through until issue 4)
 *   6. validate arguments   (a later issue: pinned input schemas)
 *   7. step-up              (a later issue: recent MFA for sensitive tools)
 *      restore PII tokens   reversible tokens in tools/call arguments go back to their values
 *   8. forward              to the route's upstream (one server, or the aggregated view)
 *
 * Server to client, for every message written back (relay/channel.ts `Outbound`, built by core.ts):
 *   9. filter lists         (issue 4+) - aggregated names are applied by the route before this
 *  10. mask PII             everything bound for the model
 *  11. log, audit, metrics  one line per message through the request's logger (masked per in-logs; level log.messages);
 *                           audit and metrics in issue 4+; serialize once
 */
export async function handleRequest(core: GatewayCore, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const ctx: RequestContext = { req, res, route: { kind: "aggregate" }, principal: ANONYMOUS, settings: { beforeLlm: true, inLogs: true }, corsHeaders: {} };
  try {
    // The built-in authorization server (its pages, metadata, token endpoint) has its own checks
    // (CSRF, client authentication, PKCE); only the Host allow-list applies to it here.
    const authorizationServer = core.authorizationServer?.();
    if (authorizationServer !== undefined && authorizationServer.owns(req)) {
      const host = core.originGuard(header(req, "host"), undefined);
      if (!host.ok) throw new GatewayError("HOST_NOT_ALLOWED", host.message);
      if (core.isShuttingDown()) throw new GatewayError("SHUTTING_DOWN", "Service Unavailable: the gateway is shutting down", { headers: { connection: "close" } });
      return await authorizationServer.handle(req, res);
    }

    // The Protected Resource Metadata is public (clients fetch it to learn how to authenticate);
    // only the Host allow-list applies to it.
    if (core.serveMetadata !== undefined && isMetadataRequest(req)) {
      const host = core.originGuard(header(req, "host"), undefined);
      if (!host.ok) throw new GatewayError("HOST_NOT_ALLOWED", host.message);
      if (core.serveMetadata(req, res)) return;
    }

    // 1. transport guard
    const guarded = guardTransport(core, req);
    ctx.route = guarded.route;
    ctx.corsHeaders = guarded.corsHeaders;
    if (req.method === "OPTIONS") return sendEmpty(res, 204, preflightHeaders(ctx.corsHeaders));

    // 2. authenticate
    ctx.principal = await core.steps.authenticate(req);

    // 3. rate limit
    const limited = core.steps.rateLimit(ctx.principal, req);
    if (limited !== undefined) await limited;

    ctx.settings = core.masking.settingsFor(req.headers, ctx.principal);
    ctx.log = core.messageLog.forRequest(ctx.settings, () => requestBindings(ctx));

    // GET and DELETE carry no message: they open the session's stream or end the session.
    if (req.method === "GET") return await openGetStream(core, ctx);
    if (req.method === "DELETE") return await deleteSession(core, ctx);

    // 4. envelope
    // A body already here in full is taken without a promise or a microtask turn.
    const maxBody = core.config.limits.maxBodyBytes;
    const message = parseMessage(takeBody(req, maxBody) ?? (await readBody(req, maxBody)));
    const era = classifyMessage(message, standardHeadersOf(ctx));

    // 5. authorize
    const authorized = core.steps.authorize(ctx.principal, message, ctx.route);
    if (authorized !== undefined) await authorized;

    // 8. forward (restoring PII tokens first); 9-11 run on every reply written
    ctx.log?.client(message);
    if (era.era === "modern") await relayModern(core, ctx, message, era.revision);
    else await relayLegacy(core, ctx, message);
  } catch (error) {
    const refusal = error instanceof GatewayError ? error : new GatewayError("INTERNAL", "Internal error");
    // Routes and codes only: a URL's query or a message could carry what logs must not hold.
    // Through the request's own logger once its in-logs setting is known.
    const route = ctx.route.kind === "server" ? ctx.route.server : "*";
    const logger = ctx.log?.logger ?? core.logger;
    if (!(error instanceof GatewayError)) logger.error({ err: error, method: req.method, route }, "request failed");
    else if (refusal.status >= 500) logger.warn({ code: refusal.code, method: req.method, route }, refusal.message);
    else logger.debug({ code: refusal.code, method: req.method, route }, refusal.message);
    sendGatewayError(res, refusal, ctx.corsHeaders);
  }
}

const WELL_KNOWN = "/.well-known/";
const isMetadataRequest = (req: IncomingMessage): boolean => req.url?.startsWith(WELL_KNOWN) === true;

/** Fields on every line of one request's logger (a session id is a credential: its first characters only). */
function requestBindings(ctx: RequestContext): Record<string, unknown> {
  const session = header(ctx.req, "mcp-session-id");
  return {
    route: routeKey(ctx.route),
    principal: ctx.principal.id,
    ...(session === undefined ? {} : { session: session.slice(0, 8) }),
  };
}
