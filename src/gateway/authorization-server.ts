import type { IncomingMessage, ServerResponse } from "node:http";
import { createAuthorizationServer, isAuthorizationServerRequest, type AuthorizationServer, type AuthorizationServerConfig, type AuthorizationServerDeps } from "../auth/server/index.js";
import { jwtIssuerSchema, type JwtIssuerConfig } from "../auth/jwt/index.js";
import { resolveEmbeddedAuthorizationServer, type EmbeddedAuthorizationServerSettings } from "../config/authorization-server.js";
import type { GatewayLogger } from "./logger.js";

/**
 * The built-in OAuth 2.1 authorization server on the gateway's own listener (issue 4, "the
 * embedded default"). The gateway routes every request `owns` says is the server's to it before
 * the MCP pipeline (only the Host allow-list applies first), trusts its issuer as a JWT issuer
 * (keys read in process, never over the network) and names it in the Protected Resource Metadata.
 *
 * The server itself (oidc-provider, loaded with it) is made on first use: the first request for
 * its pages, metadata or tokens, or the first token of its to verify. A gateway that nobody signs
 * in to never pays for it (its import is most of the cost: ~0.3-0.7 s on a small machine).
 */
export interface EmbeddedAuthorizationServer {
  readonly issuer: string;
  readonly config: AuthorizationServerConfig;
  /** The JWT issuer entry the gateway's authenticator trusts: this issuer, audience the resource (each route sets its own), at+jwt, roles from `roles`. */
  readonly jwtIssuer: JwtIssuerConfig;
  /** For the JWT authenticator: answers the issuer's JWKS URL from the server's keys, in process; refuses any other URL. */
  readonly keysFetch: typeof fetch;
  /** Whether the request is the authorization server's (by path only). */
  owns(req: IncomingMessage): boolean;
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** The server, made on first call (a failed start is retried on the next call). */
  get(): Promise<AuthorizationServer>;
}

export interface EmbeddedAuthorizationServerOptions {
  settings: EmbeddedAuthorizationServerSettings;
  /** This gateway's resource URI (known by now: from config or from the bound address). */
  resource: string;
  /** The resources of the gateway's other routes (/servers/NAME/mcp): tokens can be had for them too. */
  routeResources?: readonly string[];
  scopesSupported: readonly string[] | undefined;
  deps: AuthorizationServerDeps;
  logger: GatewayLogger;
}

export function createEmbeddedAuthorizationServer(options: EmbeddedAuthorizationServerOptions): EmbeddedAuthorizationServer {
  const config = resolveEmbeddedAuthorizationServer(options.settings, options.resource, options.scopesSupported, options.routeResources);
  const { issuer } = config;
  const jwksUrl = `${issuer}/jwks`;
  const jwtIssuer = jwtIssuerSchema.parse({
    issuer,
    jwksUri: jwksUrl,
    audience: options.resource,
    algorithms: [config.signingAlgorithm],
    requireAtJwt: true,
    // In process: a refetch costs nothing, so a rotated key is picked up within a second.
    jwksCooldown: "1s",
    jwksCacheMaxAge: "60s",
    claims: { roles: ["roles"] },
  });

  let starting: Promise<AuthorizationServer> | undefined;
  const get = (): Promise<AuthorizationServer> => {
    starting ??= (async () => {
      const server = await createAuthorizationServer(config, { ...options.deps, logger: options.logger });
      options.logger.info({ event: "authorization_server.started", issuer }, "built-in authorization server ready");
      return server;
    })();
    starting.catch((error: unknown) => {
      options.logger.error({ event: "authorization_server.failed", err: error instanceof Error ? { name: error.name, message: error.message } : String(error) }, "the built-in authorization server could not start");
      starting = undefined;
    });
    return starting;
  };

  const keysFetch = (async (input: string | URL | Request) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    if (url !== jwksUrl) throw new TypeError("only the built-in authorization server's keys are read here");
    const body = JSON.stringify((await get()).publicJwks());
    return new Response(body, { status: 200, headers: { "content-type": "application/jwk-set+json" } });
  }) as typeof fetch;

  return {
    issuer,
    config,
    jwtIssuer,
    keysFetch,
    owns: (req) => isAuthorizationServerRequest(issuer, req),
    async handle(req, res) {
      let server: AuthorizationServer;
      try {
        server = await get();
      } catch {
        const body = JSON.stringify({ error: "temporarily_unavailable", error_description: "The authorization server is unavailable" });
        res.writeHead(503, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", "content-length": Buffer.byteLength(body) });
        res.end(body);
        return;
      }
      await server.handle(req, res);
    },
    get,
  };
}
