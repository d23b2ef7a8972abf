import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Provider } from "oidc-provider";
import type { AuthorizationServerConfig } from "./config.js";
import { createInteractionHandler, matchInteractionPath } from "./interactions.js";
import { createMemoryLoginThrottle, type LoginThrottle } from "./login-throttle.js";
import { createMemoryKeyStore, createMemoryOidcStore, createMemoryUserStore } from "./memory-store.js";
import { PAGE_HEADERS, renderErrorPage } from "./pages.js";
import { buildProviderConfiguration } from "./provider-config.js";
import { createRestrictedFetch, type RestrictedFetchOptions } from "./restricted-fetch.js";
import { createSigningKeyManager, type KeySet } from "./signing-keys.js";
import type { KeyStore, OidcStore, UserStore } from "./store.js";
import { createUserDirectory, type UserDirectory } from "./users.js";
import { createGrantStatus, revokeGrant, type GrantStatus } from "./grant-status.js";
import { revokeGrantOfAccessToken } from "./revoke-access-token.js";

export {
  authorizationServerConfigSchema,
  parseAuthorizationServerConfig,
  resolveAuthorizationServerConfig,
  type AuthorizationServerConfig,
  type AuthorizationServerConfigInput,
  type ParsedAuthorizationServerConfig,
} from "./config.js";
export { createMemoryKeyStore, createMemoryOidcStore, createMemoryUserStore } from "./memory-store.js";
export type { KeyStore, OidcRecord, OidcStore, SigningKeyRecord, UserRecord, UserStore } from "./store.js";
export { UsernameTakenError } from "./store.js";
export type { LocalUser, UserDirectory } from "./users.js";
export { createUserDirectory, InvalidUsernameError, UnknownUserError } from "./users.js";
export { createMemoryLoginThrottle, type LoginThrottle } from "./login-throttle.js";
export { PasswordPolicyError } from "./passwords.js";
export { GRANT_CLAIM, createGrantStatus, type GrantRefusal, type GrantStatus } from "./grant-status.js";

/**
 * The built-in OAuth 2.1 authorization server (issue 4), on oidc-provider 9.
 *
 * Mounting: `handle(req, res)` is a node:http listener. Give it its own port
 * (`http.createServer(as.handle)`), or put it on the gateway's server under the issuer's path: the
 * gateway asks `owns(req)` before its MCP pipeline and hands the request over if true. The issuer
 * (and so every URL in metadata, redirects and tokens) comes from config only: the Host header is
 * checked against `allowedHosts` and then replaced by the issuer's before oidc-provider sees it.
 *
 * Routes, relative to the issuer (`<prefix>` is the issuer's path, "" at the origin's root):
 *   <prefix>/.well-known/oauth-authorization-server    RFC 8414 metadata (also path-inserted:
 *   /.well-known/oauth-authorization-server<prefix>)   and the OIDC discovery equivalents
 *   <prefix>/auth, /token, /jwks, /reg, /token/revocation, /session/end
 *   <prefix>/interaction/<uid>[/login|/confirm|/abort]  login and consent pages
 */
export interface AuthorizationServer {
  readonly issuer: string;
  /** The issuer's path ("" at the root of its origin). */
  readonly pathPrefix: string;
  /** The RFC 8414 metadata URL clients discover (path-inserted form when the issuer has a path). */
  readonly metadataUrl: string;
  /** Whether this request is for the authorization server (so the gateway routes it here). */
  owns(req: IncomingMessage): boolean;
  /** node:http listener; always answers. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Local users of the login page: createUser / verifyPassword / setPassword / setDisabled ... */
  readonly users: UserDirectory;
  /** New signing key now; the old one stays in the JWKS (verify only) until its tokens have expired. */
  rotateSigningKey(): Promise<{ activeKid: string }>;
  /** Re-reads the keys from the store (another replica rotated) and drops retired keys past retention. */
  reloadSigningKeys(): Promise<{ activeKid: string }>;
  /** The published JWKS (public keys). */
  publicJwks(): { keys: Record<string, unknown>[] };
  /**
   * Whether a verified access token of this server is still backed by a live grant (and an enabled
   * user): the resource server asks this on every request, in process (grant-status.ts).
   */
  grantStatus: GrantStatus;
}

export interface AuthorizationServerLogger {
  debug(fields: object, message?: string): void;
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
}

export interface AuthorizationServerDeps {
  /** oidc-provider's records (sessions, grants, codes, refresh tokens, registered clients). Memory by default. */
  oidcStore?: OidcStore;
  /** Signing keys and server secrets. Memory by default (keys are then new on every start). */
  keyStore?: KeyStore;
  /** Local users. Memory by default. */
  userStore?: UserStore;
  /** Failed-login limiter. Memory by default, from config.login. */
  loginThrottle?: LoginThrottle;
  /** The clock (ms). oidc-provider itself reads Date.now(); tests that move time mock Date. */
  now?: () => number;
  logger?: AuthorizationServerLogger;
  /** The client's address (the gateway's trusted-proxy logic); the socket's peer by default. */
  clientAddressOf?: (req: IncomingMessage) => string;
  /** Overrides for fetching client ID metadata documents (tests: allowLoopback, ca, lookup). */
  metadataDocumentFetch?: Partial<RestrictedFetchOptions>;
}

const noop = () => undefined;
const SILENT: AuthorizationServerLogger = { debug: noop, info: noop, warn: noop, error: noop };

/** Paths (relative to the prefix) that belong to the provider. */
const EXACT_ROUTES = new Set([
  "/auth",
  "/token",
  "/jwks",
  "/reg",
  "/token/revocation",
  "/session/end",
  "/session/end/confirm",
  "/session/end/success",
  "/.well-known/oauth-authorization-server",
  "/.well-known/openid-configuration",
]);
const PREFIX_ROUTES = ["/auth/", "/reg/", "/interaction/"];
const WELL_KNOWN = ["/.well-known/oauth-authorization-server", "/.well-known/openid-configuration"];

/** The request's path and query; origin-form only ("/path?query"): "//x" or absolute-form URLs are never ours. */
function pathOf(req: IncomingMessage): { path: string; search: string } | undefined {
  const raw = req.url ?? "";
  if (!raw.startsWith("/") || raw.startsWith("//")) return undefined;
  const url = new URL(raw, "http://unused.invalid");
  return { path: url.pathname, search: url.search };
}

/** The path relative to the issuer's path prefix if the request is the authorization server's, else undefined. */
function relativePathIn(prefix: string, path: string): string | undefined {
  for (const wellKnown of WELL_KNOWN) if (prefix && path === `${wellKnown}${prefix}`) return wellKnown;
  let relative: string;
  if (!prefix) relative = path;
  else if (path === prefix) relative = "/";
  else if (path.startsWith(`${prefix}/`)) relative = path.slice(prefix.length);
  else return undefined;
  if (prefix) return relative;
  return EXACT_ROUTES.has(relative) || PREFIX_ROUTES.some((p) => relative.startsWith(p)) ? relative : undefined;
}

/** The issuer's path prefix ("" at the root of its origin). */
export function issuerPathPrefix(issuer: string): string {
  const url = new URL(issuer);
  return url.pathname === "/" ? "" : url.pathname.replace(/\/$/, "");
}

/**
 * Whether a request is for an authorization server with this issuer, without making one (the
 * gateway routes by it before the server exists): the same answer as `AuthorizationServer.owns`.
 */
export function isAuthorizationServerRequest(issuer: string, req: IncomingMessage): boolean {
  const target = pathOf(req);
  return target !== undefined && relativePathIn(issuerPathPrefix(issuer), target.path) !== undefined;
}

function sendJsonError(res: ServerResponse, status: number, error: string, description: string): void {
  const body = JSON.stringify({ error, error_description: description });
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

export async function createAuthorizationServer(config: AuthorizationServerConfig, deps: AuthorizationServerDeps = {}): Promise<AuthorizationServer> {
  const now = deps.now ?? (() => Date.now());
  const logger = deps.logger ?? SILENT;
  const oidcStore = deps.oidcStore ?? createMemoryOidcStore({ now });
  const keyStore = deps.keyStore ?? createMemoryKeyStore();
  const users = createUserDirectory(deps.userStore ?? createMemoryUserStore(), { now });
  const throttle =
    deps.loginThrottle ??
    createMemoryLoginThrottle({
      maxFailures: config.login.maxFailures,
      maxFailuresPerAddress: config.login.maxFailuresPerAddress,
      windowMs: config.login.failureWindowMs,
      lockoutMs: config.login.lockoutDurationMs,
      now,
    });
  const clientAddressOf = deps.clientAddressOf ?? ((req: IncomingMessage) => req.socket.remoteAddress ?? "unknown");

  const issuerUrl = new URL(config.issuer);
  const prefix = issuerPathPrefix(config.issuer);
  const allowedHosts = new Set(config.allowedHosts.map((h) => h.toLowerCase()));
  const metadataUrl = `${issuerUrl.origin}/.well-known/oauth-authorization-server${prefix}`;

  const cookieKey = (await keyStore.putSecretIfAbsent("cookie-signing-key", randomBytes(32))).toString("base64url");
  const csrfKey = await keyStore.putSecretIfAbsent("csrf-key", randomBytes(32));

  const cimdFetch = createRestrictedFetch({
    maxBytes: config.clientIdMetadataDocuments.maxBytes,
    timeoutMs: config.clientIdMetadataDocuments.fetchTimeoutMs,
    allowedHosts: config.clientIdMetadataDocuments.allowedHosts,
    ...deps.metadataDocumentFetch,
  });

  // A retired key is published until every token it signed has expired, plus clock skew.
  const keys = createSigningKeyManager({ store: keyStore, algorithm: config.signingAlgorithm, retentionMs: config.accessTokenTtlMs + 5 * 60_000, now });

  // Loaded here, not at module load: importing this folder (say, for the config schema) stays cheap,
  // and oidc-provider's start-up notices appear only when an authorization server is made.
  const oidc = await import("oidc-provider");
  let provider: Provider;
  let providerCallback: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  let keySet: KeySet;

  const build = (set: KeySet) => {
    const next = new oidc.Provider(
      config.issuer,
      buildProviderConfiguration({ oidc, config, prefix, jwks: set.providerJwks, cookieKeys: [cookieKey], store: oidcStore, users, now, cimdFetch }),
    );
    next.proxy = true;
    next.on("error", (error) => logger.error({ err: error instanceof Error ? { name: error.name, message: error.message } : String(error) }, "authorization server error"));
    next.on("server_error", (_ctx, error) => logger.error({ err: error instanceof Error ? { name: error.name, message: error.message } : String(error) }, "authorization server error"));
    const refusal = (event: string) => (_ctx: unknown, error: unknown) => {
      const e = error as { error?: string; error_detail?: string; error_description?: string };
      logger.info({ event, code: e.error, detail: e.error_detail ?? e.error_description }, "request refused");
    };
    for (const event of ["grant.error", "authorization.error", "registration_create.error", "revocation.error", "end_session.error"]) next.on(event, refusal(event));
    next.on("grant.revoked", (_ctx, grantId) => logger.info({ event: "grant.revoked", grantId }, "grant revoked"));
    next.on("registration_create.success", (_ctx, client) => logger.info({ event: "client.registered", clientId: (client as { clientId?: string }).clientId }, "client registered"));
    next.on("end_session.success", () => logger.info({ event: "session.ended" }, "user signed out"));
    // Signing out revokes the grants made in that session at once. oidc-provider keeps grants whose
    // tokens do not expire with the session (ours, so MCP clients can refresh for days); we do not.
    next.use(async (ctx, proceed) => {
      await proceed();
      const oidc = (ctx as { oidc?: { route?: string; session?: { destroyed?: boolean; authorizations?: Record<string, { grantId?: string }> } } }).oidc;
      if (oidc?.route !== "end_session_confirm" || !oidc.session?.destroyed) return;
      for (const { grantId } of Object.values(oidc.session.authorizations ?? {})) {
        if (!grantId) continue;
        await revokeGrant(oidcStore, grantId);
        logger.info({ event: "grant.revoked", grantId, reason: "sign-out" }, "grant revoked");
      }
    });
    // Our access tokens are JWTs that oidc-provider does not store: its revocation endpoint refuses
    // them (400 unsupported_token_type). Revoking one of ours revokes its grant instead (RFC 7009
    // §2.1 allows revoking related tokens), which the gateway checks on every request.
    next.use(async (ctx, proceed) => {
      await proceed();
      const oidc = (ctx as { oidc?: { route?: string; client?: { clientId?: string }; params?: Record<string, unknown> } }).oidc;
      const refusal = (ctx.body as { error?: unknown } | undefined)?.error;
      if (oidc?.route !== "revocation" || ctx.status !== 400 || refusal !== "unsupported_token_type" || oidc.client?.clientId === undefined) return;
      const { signed, grantId } = await revokeGrantOfAccessToken({ token: oidc.params?.token, clientId: oidc.client.clientId, issuer: config.issuer, jwks: keySet.publicJwks, algorithm: config.signingAlgorithm, store: oidcStore });
      if (!signed) return;
      ctx.status = 200;
      ctx.body = "";
      if (grantId !== undefined) logger.info({ event: "grant.revoked", grantId, reason: "access token revoked" }, "grant revoked");
    });
    provider = next;
    providerCallback = next.callback();
    keySet = set;
  };
  build(await keys.load());

  const handleInteraction = createInteractionHandler({ provider: () => provider, config, users, throttle, csrfKey, now, logger, clientAddressOf, prefix });

  const relativePath = (path: string) => relativePathIn(prefix, path);

  const defaultScopeFor = (search: URLSearchParams): string | undefined => {
    const requested = search.getAll("resource");
    const resource = requested.length === 1 ? config.resources.find((r) => r.uri === requested[0]) : requested.length === 0 ? config.resources[0] : undefined;
    return resource?.defaultScopes.join(" ") || undefined;
  };

  return {
    issuer: config.issuer,
    pathPrefix: prefix,
    metadataUrl,
    users,

    owns(req) {
      const target = pathOf(req);
      return target !== undefined && relativePath(target.path) !== undefined;
    },

    async handle(req, res) {
      try {
        const host = (req.headers.host ?? "").toLowerCase();
        if (!allowedHosts.has("*") && !allowedHosts.has(host)) {
          return sendJsonError(res, 421, "invalid_request", "This host name is not served here");
        }
        const target = pathOf(req);
        const relative = target && relativePath(target.path);
        if (!target || relative === undefined) return sendJsonError(res, 404, "not_found", "Not found");
        const { search } = target;

        // From here on the request looks, to oidc-provider, like one for the configured issuer.
        const clientAddress = clientAddressOf(req);
        req.headers.host = issuerUrl.host;
        req.headers["x-forwarded-proto"] = issuerUrl.protocol.slice(0, -1);
        req.headers["x-forwarded-for"] = clientAddress;
        delete req.headers["x-forwarded-host"];
        delete req.headers.forwarded;

        const interaction = matchInteractionPath(relative);
        if (interaction) return await handleInteraction(req, res, interaction);
        if (relative.startsWith("/interaction/")) return sendJsonError(res, 404, "not_found", "Not found");

        const params = new URLSearchParams(search);
        if (relative === "/reg" && req.method === "POST" && (await oidcStore.count("Client")) >= config.registration.maxClients) {
          logger.warn({ event: "registration.full", max: config.registration.maxClients }, "client registration refused: limit reached");
          return sendJsonError(res, 503, "temporarily_unavailable", "No more clients can be registered");
        }
        if (relative === "/auth" && (req.method === "GET" || req.method === "HEAD") && !params.has("scope")) {
          const scope = defaultScopeFor(params);
          if (scope) params.set("scope", scope);
        }
        const query = params.toString();
        (req as IncomingMessage & { originalUrl?: string }).originalUrl = `${prefix}${relative}${query ? `?${query}` : ""}`;
        req.url = `${relative}${query ? `?${query}` : ""}`;
        await providerCallback(req, res);
      } catch (error) {
        logger.error({ err: error instanceof Error ? { name: error.name, message: error.message } : String(error) }, "authorization server request failed");
        if (!res.headersSent) {
          const html = renderErrorPage("Server error", "The request could not be completed.");
          res.writeHead(500, { ...PAGE_HEADERS, "content-length": Buffer.byteLength(html) });
          res.end(html);
        } else {
          res.destroy();
        }
      }
    },

    async rotateSigningKey() {
      build(await keys.rotate());
      logger.info({ event: "signing_key.rotated", kid: keySet.activeKid }, "signing key rotated");
      return { activeKid: keySet.activeKid };
    },

    async reloadSigningKeys() {
      const next = await keys.load();
      if (JSON.stringify(next.publicJwks) !== JSON.stringify(keySet.publicJwks)) build(next);
      return { activeKid: keySet.activeKid };
    },

    publicJwks() {
      return structuredClone(keySet.publicJwks);
    },

    grantStatus: createGrantStatus({ store: oidcStore, users, clients: config.clients }),
  };
}
