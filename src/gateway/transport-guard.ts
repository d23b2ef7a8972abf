import type { IncomingMessage } from "node:http";
import { header, type GatewayCore } from "./core.js";
import { GatewayError } from "./errors.js";
import { checkDeclaredLength } from "./http/body.js";
import { acceptsType, isJsonContentType } from "./http/media.js";
import type { Route } from "./principal.js";

/**
 * Step 1 of the path, on headers alone (nothing is read before the caller is known): Host and
 * Origin (DNS rebinding), the route, the HTTP method, media types and the declared body size.
 */

const ROUTE_PREFIX = "/servers/";
const ROUTE_SUFFIX = "/mcp";
const ALLOW = "GET, POST, DELETE, OPTIONS";

/** The route a path names: `/mcp`, or `/servers/NAME/mcp` for a configured server. */
export function parseRoute(url: string | undefined, servers: Readonly<Record<string, unknown>>): Route | undefined {
  if (url === undefined) return undefined;
  const query = url.indexOf("?");
  const path = query < 0 ? url : url.slice(0, query);
  if (path === "/mcp") return { kind: "aggregate" };
  if (path.startsWith(ROUTE_PREFIX) && path.endsWith(ROUTE_SUFFIX)) {
    const name = path.slice(ROUTE_PREFIX.length, path.length - ROUTE_SUFFIX.length);
    if (Object.hasOwn(servers, name)) return { kind: "server", server: name };
  }
  return undefined;
}

/**
 * Whether a POST's Accept header names both media types. A client sends the same header on every
 * call, so the last answer is kept (a pure function of the text: caching it changes nothing).
 */
let lastAccept: string | undefined;
let lastAcceptOk = false;
function acceptsJsonAndEventStream(accept: string | undefined): boolean {
  if (accept === undefined) return false;
  if (accept !== lastAccept) {
    lastAcceptOk = acceptsType(accept, "application/json") && acceptsType(accept, "text/event-stream");
    lastAccept = accept;
  }
  return lastAcceptOk;
}

export interface GuardedRequest {
  route: Route;
  /** CORS response headers when an allowed browser Origin is present. */
  corsHeaders: Record<string, string>;
}

export function guardTransport(core: GatewayCore, req: IncomingMessage): GuardedRequest {
  const origin = header(req, "origin");
  const check = core.originGuard(header(req, "host"), origin);
  if (!check.ok) throw new GatewayError(check.reason === "host" ? "HOST_NOT_ALLOWED" : "ORIGIN_NOT_ALLOWED", check.message);

  const corsHeaders: Record<string, string> =
    origin === undefined ? {} : { "access-control-allow-origin": origin, vary: "Origin", "access-control-expose-headers": "Mcp-Session-Id, Mcp-Protocol-Version, WWW-Authenticate" };

  const route = parseRoute(req.url, core.config.servers);
  if (route === undefined) throw new GatewayError("ROUTE_NOT_FOUND", "Not Found: MCP is served at /mcp and /servers/NAME/mcp");

  if (core.isShuttingDown()) throw new GatewayError("SHUTTING_DOWN", "Service Unavailable: the gateway is shutting down", { headers: { connection: "close" } });

  switch (req.method) {
    case "POST":
      if (!isJsonContentType(header(req, "content-type"))) {
        throw new GatewayError("UNSUPPORTED_MEDIA_TYPE", "Unsupported Media Type: Content-Type must be application/json");
      }
      if (!acceptsJsonAndEventStream(header(req, "accept"))) {
        throw new GatewayError("NOT_ACCEPTABLE", "Not Acceptable: the client must accept both application/json and text/event-stream");
      }
      checkDeclaredLength(req, core.config.limits.maxBodyBytes);
      break;
    case "GET":
      if (!acceptsType(header(req, "accept"), "text/event-stream")) {
        throw new GatewayError("NOT_ACCEPTABLE", "Not Acceptable: the client must accept text/event-stream");
      }
      break;
    case "DELETE":
    case "OPTIONS":
      break;
    default:
      throw new GatewayError("METHOD_NOT_ALLOWED", "Method Not Allowed", { headers: { allow: ALLOW } });
  }
  return { route, corsHeaders };
}

/** The answer to a CORS preflight from an allowed Origin. */
export function preflightHeaders(corsHeaders: Record<string, string>): Record<string, string> {
  return {
    ...corsHeaders,
    "access-control-allow-methods": ALLOW,
    "access-control-allow-headers":
      "Content-Type, Accept, Authorization, X-API-Key, Mcp-Session-Id, Mcp-Protocol-Version, Mcp-Method, Mcp-Name, Last-Event-ID, X-Mask-PII-Before-LLM, X-Mask-PII-In-Logs",
    "access-control-max-age": "600",
  };
}
