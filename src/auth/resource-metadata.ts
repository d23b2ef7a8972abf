import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { absoluteUri, durationMs } from "./jwt/config-values.js";

/**
 * OAuth 2.0 Protected Resource Metadata (RFC 9728) for the gateway, built from configuration
 * only: no URL here is ever derived from Host or X-Forwarded-* headers, so a caller cannot make
 * the gateway advertise an authorization server of its choosing.
 */

export const WELL_KNOWN_PREFIX = "/.well-known/oauth-protected-resource";

const LOOPBACK = new Set(["127.0.0.1", "[::1]", "localhost"]);

/** RFC 9728 §1.2: the resource identifier is an https URL with no fragment (http only for this machine, in development); no query, to keep it comparable. */
export function isResourceIdentifier(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (value.includes("#") || url.search !== "" || value.includes("?") || url.username !== "" || url.password !== "") return false;
  return url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK.has(url.hostname));
}

/** RFC 6749 §3.3 scope-token characters. */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

export const resourceMetadataConfigSchema = z.strictObject(
  {
    /** This gateway's resource identifier, e.g. "https://gw.example/mcp": the audience tokens must carry (RFC 8707). */
    resource: z.string().refine(isResourceIdentifier, { error: "an https:// URL without query, fragment or credentials (http:// only for 127.0.0.1, [::1] or localhost)" }),
    /** Issuer identifiers of the authorization servers clients may get tokens from. */
    authorizationServers: z.array(absoluteUri).max(32).default([]),
    /** Scopes a client may ask for; also the default `scope` of a 401 challenge. */
    scopesSupported: z.array(z.string().regex(SCOPE_TOKEN, { error: "a scope token (no spaces, quotes or backslashes)" })).max(256).optional(),
    resourceName: z.string().min(1).max(200).optional(),
    resourceDocumentation: absoluteUri.optional(),
    /** How long clients may cache the document. */
    cacheMaxAge: durationMs.default(3_600_000),
  },
  { error: "an object { resource, authorizationServers, scopesSupported, ... }" },
);
export type ResourceMetadataConfig = z.infer<typeof resourceMetadataConfigSchema>;

/** The metadata document (RFC 9728 §2). Only bearer tokens in the Authorization header are accepted. */
export function buildResourceMetadata(config: ResourceMetadataConfig): Record<string, unknown> {
  const document: Record<string, unknown> = {
    resource: config.resource,
    authorization_servers: [...config.authorizationServers],
    bearer_methods_supported: ["header"],
  };
  if (config.scopesSupported !== undefined) document.scopes_supported = [...config.scopesSupported];
  if (config.resourceName !== undefined) document.resource_name = config.resourceName;
  if (config.resourceDocumentation !== undefined) document.resource_documentation = config.resourceDocumentation;
  return document;
}

/** The resource's path with any terminating slash removed ("" for the root), as RFC 9728 §3.1 inserts it. */
function resourcePathOf(resource: string): string {
  return new URL(resource).pathname.replace(/\/+$/, "");
}

/** The well-known paths the document is served at: the root one and the path-inserted one (the same for a resource at the root). */
export function resourceMetadataPaths(resource: string): string[] {
  const path = resourcePathOf(resource);
  return path === "" ? [WELL_KNOWN_PREFIX] : [WELL_KNOWN_PREFIX, `${WELL_KNOWN_PREFIX}${path}`];
}

/** The metadata URL for the resource (RFC 9728 §3.1, path-inserted): what `resource_metadata` in a challenge points at. */
export function resourceMetadataUrl(resource: string): string {
  const url = new URL(resource);
  return `${url.origin}${WELL_KNOWN_PREFIX}${resourcePathOf(resource)}`;
}

/** Serves the document; returns false (and writes nothing) for any other path, so the gateway can go on routing. */
export type ResourceMetadataHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

/**
 * A request handler for the gateway to mount before authentication (the document is public).
 * GET and HEAD get the JSON document; OPTIONS gets a CORS preflight answer (browser-based MCP
 * clients fetch it cross-origin; it carries nothing private, so any origin may read it); other
 * methods get 405. The body is made once, from configuration.
 */
export function createResourceMetadataHandler(config: ResourceMetadataConfig, options: { root?: boolean } = {}): ResourceMetadataHandler {
  // `root: false` for a resource that must not claim the root document (another route of the same gateway owns it).
  const all = resourceMetadataPaths(config.resource);
  const paths = new Set(options.root === false ? all.filter((path) => path !== WELL_KNOWN_PREFIX) : all);
  const body = Buffer.from(JSON.stringify(buildResourceMetadata(config)));
  const maxAgeSeconds = Math.floor(config.cacheMaxAge / 1000);
  const common = {
    "access-control-allow-origin": "*",
    "x-content-type-options": "nosniff",
  };
  return (req, res) => {
    const url = req.url ?? "";
    const query = url.indexOf("?");
    const path = query < 0 ? url : url.slice(0, query);
    if (!paths.has(path)) return false;
    if (req.method === "GET" || req.method === "HEAD") {
      res.writeHead(200, {
        ...common,
        "content-type": "application/json",
        "content-length": String(body.length),
        "cache-control": `public, max-age=${maxAgeSeconds}`,
      });
      res.end(req.method === "HEAD" ? undefined : body);
    } else if (req.method === "OPTIONS") {
      res.writeHead(204, { ...common, "access-control-allow-methods": "GET, HEAD, OPTIONS", "access-control-max-age": "86400" });
      res.end();
    } else {
      res.writeHead(405, { ...common, allow: "GET, HEAD, OPTIONS", "content-length": "0" });
      res.end();
    }
    return true;
  };
}
