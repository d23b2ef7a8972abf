import type { IncomingMessage } from "node:http";
import { createApiKeyAuthenticator, createApiKeyService } from "../auth/api-keys/index.js";
import { createAuthenticate } from "../auth/authenticate.js";
import type { ChallengeOptions } from "../auth/challenge.js";
import type { Authenticator } from "../auth/credentials.js";
import { AuthError } from "../auth/errors.js";
import { createIntrospectionAuthenticator } from "../auth/introspection/index.js";
import { createJwtAuthenticator } from "../auth/jwt/index.js";
import { createLockout, lockoutOptionsFrom, type Lockout } from "../auth/lockout/index.js";
import { createMtlsAuthenticator, type RevocationView } from "../auth/mtls/index.js";
import { createResourceMetadataHandler, resourceMetadataConfigSchema, resourceMetadataUrl, type ResourceMetadataHandler } from "../auth/resource-metadata.js";
import type { GatewayConfig } from "../config/types.js";
import type { Store } from "../store/types.js";
import type { EmbeddedAuthorizationServer } from "./authorization-server.js";
import { authFailure } from "./errors.js";
import type { GatewayLogger } from "./logger.js";
import { ANONYMOUS, type Principal } from "./principal.js";

/**
 * Step 2 of the path, as the gateway runs it: src/auth's `createAuthenticate` over the
 * authenticators the config turns on, its refusals turned into GatewayErrors (errors.ts's
 * `authFailure`: 401 + challenge, 403, 429), and the Protected Resource Metadata document the
 * challenge points at. Built from configuration only: the resource URI is the config's (or the
 * bound listen address's), never a request's Host header.
 *
 * Authenticators, tried in this order (credentials.ts routes each credential to its kind):
 *   API keys       when a store is given and `auth.apiKeys.enabled` (bst_... as Bearer or X-API-Key)
 *   built-in AS    when the built-in authorization server is on (its issuer's JWTs, keys read in process)
 *   JWT            when `auth.jwt` lists issuers (bearer tokens shaped like a JWS from a listed issuer)
 *   introspection  when `auth.introspection` is set (every other bearer token)
 *   mTLS           when the listener asks for client certificates (`tls.clientCertificates.mode`)
 */
export interface GatewayAuthentication {
  /** This gateway's resource URI, when it has one. */
  readonly resource: string | undefined;
  /** What is accepted, for the start-up log line ("api-key", "oauth" (the built-in server's tokens), "jwt", "introspection", "mtls"). */
  readonly methods: readonly string[];
  readonly required: boolean;
  /** Who is calling; throws GatewayError (UNAUTHENTICATED, INSUFFICIENT_SCOPE, AUTH_LOCKED_OUT). */
  authenticate(req: IncomingMessage): Promise<Principal>;
  /** Serves the metadata at both well-known paths; false for any other request (nothing written). */
  serveMetadata: ResourceMetadataHandler;
  /** The failed-authentication lockout, when on (refused TLS handshakes count against it too). */
  readonly lockout: Lockout | undefined;
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
}

/** Thrown at start when authentication is required but nothing could authenticate anyone. */
export class AuthenticationSetupError extends Error {
  override name = "AuthenticationSetupError";
}

const NOT_SERVED: ResourceMetadataHandler = () => false;

export function createGatewayAuthentication(options: GatewayAuthenticationOptions): GatewayAuthentication {
  const { config, resource, logger, now } = options;
  const auth = config.auth;
  const authenticators: Authenticator[] = [];
  const methods: string[] = [];

  if (options.store !== undefined && auth.apiKeys.enabled) {
    const service = createApiKeyService({
      store: options.store.apiKeys,
      now,
      rotationOverlapMs: auth.apiKeys.rotationOverlapMs,
      lastUsedIntervalMs: auth.apiKeys.lastUsedIntervalMs,
      onLastUsedError: (error, keyId) => logger.warn({ keyId, reason: error instanceof Error ? error.name : typeof error }, "could not record an API key's last use"),
    });
    authenticators.push(createApiKeyAuthenticator(service));
    methods.push("api-key");
  }
  const embedded = options.authorizationServer;
  if (embedded !== undefined) {
    if (resource === undefined) throw new AuthenticationSetupError("the built-in authorization server needs the gateway's resource URI (auth.resource)");
    authenticators.push(createJwtAuthenticator({ issuers: [embedded.jwtIssuer], resource, now, fetch: embedded.keysFetch }));
    methods.push("oauth");
  }
  if (auth.jwt !== undefined || auth.introspection !== undefined) {
    if (resource === undefined) throw new AuthenticationSetupError("auth.resource must be set for JWT or introspection: it is the audience tokens must carry");
  }
  if (auth.jwt !== undefined) {
    authenticators.push(createJwtAuthenticator({ issuers: auth.jwt.issuers, resource: resource!, now, ...(options.fetch ? { fetch: options.fetch } : {}) }));
    methods.push("jwt");
  }
  if (auth.introspection !== undefined) {
    authenticators.push(createIntrospectionAuthenticator({ ...auth.introspection, resource: resource!, ...(options.fetch ? { fetch: options.fetch } : {}) }));
    methods.push("introspection");
  }
  const certificates = config.tls?.clientCertificates.mode ?? "off";
  if (certificates !== "off") {
    if (options.revocation === undefined) throw new AuthenticationSetupError("client certificates are on but the listener's TLS options were not given");
    authenticators.push(createMtlsAuthenticator({ rules: auth.mtls.rules, revocation: options.revocation }));
    methods.push("mtls");
  }
  if (auth.required && authenticators.length === 0) {
    throw new AuthenticationSetupError(
      "authentication is required (auth.required) but nothing can authenticate a caller: give the gateway its store (API keys), or configure auth.jwt, auth.introspection or tls.clientCertificates",
    );
  }

  const lockout = auth.lockout.enabled ? createLockout(lockoutOptionsFrom(auth.lockout)) : undefined;
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
  const authenticate = createAuthenticate({
    authenticators,
    ...(lockout ? { lockout } : {}),
    logger: authLogger as Parameters<typeof createAuthenticate>[0]["logger"],
    now,
  });

  let challenge: ChallengeOptions | undefined;
  let serveMetadata = NOT_SERVED;
  if (resource !== undefined) {
    const metadata = resourceMetadataConfigSchema.parse({
      resource,
      authorizationServers: embedded === undefined ? auth.authorizationServers : [embedded.issuer, ...auth.authorizationServers.filter((s) => s !== embedded.issuer)],
      ...(auth.scopesSupported !== undefined ? { scopesSupported: auth.scopesSupported } : {}),
      ...(auth.resourceName !== undefined ? { resourceName: auth.resourceName } : {}),
    });
    serveMetadata = createResourceMetadataHandler(metadata);
    challenge = { resourceMetadataUrl: resourceMetadataUrl(resource), ...(auth.scopesSupported !== undefined ? { scopes: auth.scopesSupported } : {}) };
  }

  return {
    resource,
    methods,
    required: auth.required,
    lockout,
    serveMetadata,
    async authenticate(req) {
      try {
        return await authenticate(req);
      } catch (error) {
        if (!(error instanceof AuthError)) throw error;
        if (!auth.required && error.code === "missing_credentials") return ANONYMOUS;
        throw authFailure(error, challenge);
      }
    },
  };
}
