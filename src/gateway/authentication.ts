import type { IncomingMessage } from "node:http";
import { createApiKeyAuthenticator, createApiKeyService } from "../auth/api-keys/index.js";
import { createAuthenticate } from "../auth/authenticate.js";
import { createClientAddressOf, type ClientAddressOf } from "../auth/client-address/index.js";
import type { ChallengeOptions } from "../auth/challenge.js";
import type { Authenticator } from "../auth/credentials.js";
import { AuthError } from "../auth/errors.js";
import { createIntrospectionAuthenticator } from "../auth/introspection/index.js";
import { createJwtAuthenticator } from "../auth/jwt/index.js";
import { createLockout, lockoutOptionsFrom, type Lockout } from "../auth/lockout/index.js";
import { createMtlsAuthenticator, type RevocationView } from "../auth/mtls/index.js";
import { withGrantCheck } from "../auth/server/grant-checked-authenticator.js";
import { routeResourcesFor } from "../auth/route-resources.js";
import { createResourceMetadataHandler, resourceMetadataConfigSchema, resourceMetadataUrl, type ResourceMetadataHandler } from "../auth/resource-metadata.js";
import type { GatewayConfig } from "../config/types.js";
import type { Store } from "../store/types.js";
import type { EmbeddedAuthorizationServer } from "./authorization-server.js";
import { authFailure, GatewayError } from "./errors.js";
import type { GatewayLogger } from "./logger.js";
import { ANONYMOUS, type Principal, type Route } from "./principal.js";
import { parseRoute } from "./transport-guard.js";

/**
 * Step 2 of the path, as the gateway runs it: src/auth's `createAuthenticate` over the
 * authenticators the config turns on, its refusals turned into GatewayErrors (errors.ts's
 * `authFailure`: 401 + challenge, 403, 429), and the Protected Resource Metadata document the
 * challenge points at. Built from configuration only: the resource URI is the config's (or the
 * bound listen address's), never a request's Host header.
 *
 * Each route is its own protected resource (src/auth/route-resources.ts): `/mcp` is auth.resource,
 * `/servers/NAME/mcp` is `.../servers/NAME/mcp`, each with its own metadata document, challenge and
 * token audience; the route comes from the request's path (transport-guard.ts's parseRoute). API
 * keys and client certificates carry no audience and are shared by all routes, as is the lockout.
 *
 * Authenticators, tried in this order (credentials.ts routes each credential to its kind):
 *   API keys       when a store is given and `auth.apiKeys.enabled` (bst_... as Bearer or X-API-Key)
 *   built-in AS    when the built-in authorization server is on (its issuer's JWTs, keys read in process)
 *   JWT            when `auth.jwt` lists issuers (bearer tokens shaped like a JWS from a listed issuer)
 *   introspection  when `auth.introspection` is set (every other bearer token)
 *   mTLS           when the listener asks for client certificates (`tls.clientCertificates.mode`)
 */
export interface GatewayAuthentication {
  /** This gateway's resource URI (the aggregated route /mcp), when it has one. */
  readonly resource: string | undefined;
  /** The resource of a route: its own (`.../servers/NAME/mcp`) unless the gateway has one resource for all. */
  resourceOf(route: Route): string | undefined;
  /** What is accepted, for the start-up log line ("api-key", "oauth" (the built-in server's tokens), "jwt", "introspection", "mtls"). */
  readonly methods: readonly string[];
  readonly required: boolean;
  /** Who is calling; throws GatewayError (UNAUTHENTICATED, INSUFFICIENT_SCOPE, AUTH_LOCKED_OUT). */
  authenticate(req: IncomingMessage): Promise<Principal>;
  /** Serves the metadata at both well-known paths; false for any other request (nothing written). */
  serveMetadata: ResourceMetadataHandler;
  /** The failed-authentication lockout, when on (refused TLS handshakes count against it too). */
  readonly lockout: Lockout | undefined;
  /** The client address as lockout and the failure logs see it (trusted proxies only), for audit. */
  readonly clientAddressOf: ClientAddressOf;
}

export interface GatewayAuthenticationOptions {
  config: GatewayConfig;
  /** The resource URI: config.auth.resource, or derived from the bound address. */
  resource: string | undefined;
  /** The store holding API keys; without it, API keys are not accepted. */
  store?: Store;
  /** The CRLs in force (TlsOptions.revocation) when the listener asks for client certificates. */
  revocation?: RevocationView;
  logger: GatewayLogger;
  now: () => number;
  /** For JWKS and introspection requests (tests). */
  fetch?: typeof fetch;
  /** The built-in authorization server, when on: its tokens are accepted and its issuer is in the metadata. */
  authorizationServer?: EmbeddedAuthorizationServer;
  /** The client's address (trusted proxies only: src/auth/client-address); the socket's peer by default. */
  clientAddressOf?: ClientAddressOf;
}

/** Thrown at start when authentication is required but nothing could authenticate anyone. */
export class AuthenticationSetupError extends Error {
  override name = "AuthenticationSetupError";
}

const NOT_SERVED: ResourceMetadataHandler = () => false;

export function createGatewayAuthentication(options: GatewayAuthenticationOptions): GatewayAuthentication {
  const { config, resource, logger, now } = options;
  const auth = config.auth;
  const embedded = options.authorizationServer;
  if (embedded !== undefined && resource === undefined) throw new AuthenticationSetupError("the built-in authorization server needs the gateway's resource URI (auth.resource)");
  if ((auth.jwt !== undefined || auth.introspection !== undefined) && resource === undefined) {
    throw new AuthenticationSetupError("auth.resource must be set for JWT or introspection: it is the audience tokens must carry");
  }
  // Each MCP endpoint is its own protected resource (route-resources.ts): the audience its tokens carry.
  const routes = resource === undefined ? undefined : routeResourcesFor(resource, Object.keys(config.servers));

  // Route-independent: API keys and client certificates carry no audience.
  let apiKeys: Authenticator | undefined;
  if (options.store !== undefined && auth.apiKeys.enabled) {
    const service = createApiKeyService({
      store: options.store.apiKeys,
      now,
      rotationOverlapMs: auth.apiKeys.rotationOverlapMs,
      lastUsedIntervalMs: auth.apiKeys.lastUsedIntervalMs,
      onLastUsedError: (error, keyId) => logger.warn({ keyId, reason: error instanceof Error ? error.name : typeof error }, "could not record an API key's last use"),
    });
    apiKeys = createApiKeyAuthenticator(service);
  }
  const certificates = config.tls?.clientCertificates.mode ?? "off";
  let mtls: Authenticator | undefined;
  if (certificates !== "off") {
    if (options.revocation === undefined) throw new AuthenticationSetupError("client certificates are on but the listener's TLS options were not given");
    mtls = createMtlsAuthenticator({ rules: auth.mtls.rules, revocation: options.revocation });
  }

  /** The authenticators for one route, whose resource is `audience`, in the order credentials.ts routes to them. */
  const authenticatorsFor = (audience: string | undefined): Authenticator[] => {
    const list: Authenticator[] = [];
    if (apiKeys) list.push(apiKeys);
    if (embedded !== undefined && audience !== undefined) {
      // Its tokens are JWTs nothing stores: each one is also checked against its grant, in process,
      // so signing out or revoking ends it at once rather than at `exp`.
      const verifier = createJwtAuthenticator({ issuers: [{ ...embedded.jwtIssuer, audience }], resource: audience, now, fetch: embedded.keysFetch });
      list.push(withGrantCheck(verifier, async () => (await embedded.get()).grantStatus));
    }
    // An issuer with its own `audience` keeps it on every route (the operator's choice); the others get the route's.
    if (auth.jwt !== undefined) list.push(createJwtAuthenticator({ issuers: auth.jwt.issuers, resource: audience!, now, ...(options.fetch ? { fetch: options.fetch } : {}) }));
    if (auth.introspection !== undefined) list.push(createIntrospectionAuthenticator({ ...auth.introspection, resource: audience!, ...(options.fetch ? { fetch: options.fetch } : {}) }));
    if (mtls) list.push(mtls);
    return list;
  };
  const methods = [
    ...(apiKeys ? ["api-key"] : []),
    ...(embedded !== undefined ? ["oauth"] : []),
    ...(auth.jwt !== undefined ? ["jwt"] : []),
    ...(auth.introspection !== undefined ? ["introspection"] : []),
    ...(mtls ? ["mtls"] : []),
  ];
  if (auth.required && methods.length === 0) {
    throw new AuthenticationSetupError(
      "authentication is required (auth.required) but nothing can authenticate a caller: give the gateway its store (API keys), or configure auth.jwt, auth.introspection or tls.clientCertificates",
    );
  }

  const lockout = auth.lockout.enabled ? createLockout(lockoutOptionsFrom(auth.lockout)) : undefined;
  const clientAddressOf = options.clientAddressOf ?? createClientAddressOf([]);
  // A request with no credential is normal when anonymous access is allowed: not worth a warning each time.
  const authLogger: GatewayLogger = {
    debug: (fields, message) => logger.debug(fields, message),
    info: (fields, message) => logger.info(fields, message),
    warn: (fields, message) => {
      if (!auth.required && (fields as { code?: unknown }).code === "missing_credentials") return;
      logger.warn(fields, message);
    },
    error: (fields, message) => logger.error(fields, message),
  };

  /** One route's step 2: its authenticators, the one lockout, its challenge. */
  interface RouteAuthentication {
    authenticate: ReturnType<typeof createAuthenticate>;
    challenge: ChallengeOptions | undefined;
    /** What a refusal becomes (made once per route, not a closure per request). */
    refused: (error: unknown) => Principal;
  }
  const routeAuthentication = (audience: string | undefined): RouteAuthentication => {
    const challenge: ChallengeOptions | undefined =
      audience === undefined ? undefined : { resourceMetadataUrl: resourceMetadataUrl(audience), ...(auth.scopesSupported !== undefined ? { scopes: auth.scopesSupported } : {}) };
    return {
      authenticate: createAuthenticate({
        authenticators: authenticatorsFor(audience),
        ...(lockout ? { lockout } : {}),
        logger: authLogger as Parameters<typeof createAuthenticate>[0]["logger"],
        now,
        clientAddressOf,
      }),
      challenge,
      refused: (error) => {
        if (!(error instanceof AuthError)) throw error;
        if (!auth.required && error.code === "missing_credentials") return ANONYMOUS;
        throw authFailure(error, challenge);
      },
    };
  };
  // By resource: routes that share one resource share its authenticators (and their caches).
  const byResource = new Map<string | undefined, RouteAuthentication>();
  const forResource = (audience: string | undefined): RouteAuthentication => {
    let entry = byResource.get(audience);
    if (entry === undefined) byResource.set(audience, (entry = routeAuthentication(audience)));
    return entry;
  };
  const aggregate = forResource(routes?.aggregate);
  const byServer = new Map<string, RouteAuthentication>();
  for (const name of Object.keys(config.servers)) byServer.set(name, forResource(routes?.servers.get(name)));

  let serveMetadata = NOT_SERVED;
  if (routes !== undefined) {
    const authorizationServers = embedded === undefined ? auth.authorizationServers : [embedded.issuer, ...auth.authorizationServers.filter((s) => s !== embedded.issuer)];
    const documentFor = (forResource: string) =>
      resourceMetadataConfigSchema.parse({
        resource: forResource,
        authorizationServers,
        ...(auth.scopesSupported !== undefined ? { scopesSupported: auth.scopesSupported } : {}),
        ...(auth.resourceName !== undefined ? { resourceName: auth.resourceName } : {}),
      });
    // The aggregate's document is also the root one; each server route's is at its path-inserted URL only.
    const handlers = [createResourceMetadataHandler(documentFor(routes.aggregate))];
    if (routes.perRoute) for (const route of routes.servers.values()) handlers.push(createResourceMetadataHandler(documentFor(route), { root: false }));
    serveMetadata = (req, res) => handlers.some((handler) => handler(req, res));
  }

  return {
    resource,
    resourceOf: (route) => (route.kind === "server" ? routes?.servers.get(route.server) : routes?.aggregate),
    methods,
    required: auth.required,
    lockout,
    clientAddressOf,
    serveMetadata,
    // Not async (no frame per request); a refusal goes through the route's `refused`.
    authenticate(req) {
      const route = parseRoute(req.url, config.servers);
      // The transport guard has already refused any other path; refuse here too rather than guess a resource.
      if (route === undefined) return Promise.reject(new GatewayError("ROUTE_NOT_FOUND", "Not Found: MCP is served at /mcp and /servers/NAME/mcp"));
      const entry = route.kind === "server" ? byServer.get(route.server)! : aggregate;
      return entry.authenticate(req).then(undefined, entry.refused);
    },
  };
}
