/**
 * The protected resources of a gateway with several MCP endpoints (RFC 8707, RFC 9728, MCP
 * authorization 2025-11-25 "Canonical Server URI"): `/mcp` (every server, aggregated) and
 * `/servers/NAME/mcp` (one server) are different MCP servers to a client, so each is its own
 * resource, with its own metadata document and its own token audience. A client uses the most
 * specific URI of the server it talks to (the spec's `https://mcp.example.com/server/mcp`), and
 * the official SDK refuses metadata whose `resource` is not a prefix of the URL it connects to,
 * so one gateway-wide `https://gw/mcp` could not serve `/servers/NAME/mcp` at all.
 *
 * The configured resource (auth.resource) names the aggregated route, e.g. `https://gw/mcp`; a
 * server's route is the same URL with `/mcp` replaced by `/servers/NAME/mcp`. A configured resource
 * that does not end in `/mcp` (say `https://gw`, an origin) covers every route by prefix: then all
 * routes share it, one audience for the whole gateway, as the operator chose.
 */

const MCP_SUFFIX = "/mcp";

export interface RouteResources {
  /** The aggregated route's resource (auth.resource). */
  readonly aggregate: string;
  /** Each configured server's route resource, by server name (the aggregate's when shared). */
  readonly servers: ReadonlyMap<string, string>;
  /** Whether each route is its own resource (false: one gateway-wide resource). */
  readonly perRoute: boolean;
}

export function routeResourcesFor(resource: string, serverNames: readonly string[]): RouteResources {
  const perRoute = resource.endsWith(MCP_SUFFIX);
  const base = resource.slice(0, resource.length - MCP_SUFFIX.length);
  const servers = new Map(serverNames.map((name) => [name, perRoute ? `${base}/servers/${encodeURIComponent(name)}${MCP_SUFFIX}` : resource]));
  return { aggregate: resource, servers, perRoute };
}

/** Every distinct resource, the aggregate first. */
export function allRouteResources(routes: RouteResources): string[] {
  return [...new Set([routes.aggregate, ...routes.servers.values()])];
}
