import { randomBytes } from "node:crypto";
import type { Account, BaseToken, Client, Configuration, KoaContextWithOIDC, Session } from "oidc-provider";
import { createOidcAdapterFactory } from "./adapter.js";
import { untrustedClientProblem } from "./client-policy.js";
import type { AuthorizationServerConfig, ResourceConfig, StaticClientConfig } from "./config.js";
import { toSeconds } from "./duration.js";
import { GRANT_CLAIM } from "./grant-status.js";
import { PAGE_HEADERS, renderErrorPage, renderLoggedOutPage, renderLogoutPage } from "./pages.js";
import type { RestrictedFetch } from "./restricted-fetch.js";
import type { OidcStore } from "./store.js";
import type { UserDirectory } from "./users.js";

/**
 * oidc-provider's configuration for mcp-bastion: OAuth 2.1 only (code + PKCE S256 for everyone,
 * no implicit, no plain), JWT access tokens (RFC 9068) for configured resources only (RFC 8707),
 * refresh tokens rotated on every use (a reused one revokes the grant: oidc-provider's
 * refresh_token grant does this for a consumed token), client credentials for configured clients
 * only, dynamic registration and client ID metadata documents under client-policy.ts, and every
 * optional feature we do not need switched off (DPoP, PAR, userinfo, introspection, device flow).
 */
export interface ProviderConfigInputs {
  /** The oidc-provider module (loaded lazily: importing this folder for its config schema must not load it). */
  oidc: typeof import("oidc-provider");
  config: AuthorizationServerConfig;
  /** The path the issuer's routes live under ("" at the root of the origin). */
  prefix: string;
  jwks: { keys: Record<string, unknown>[] };
  cookieKeys: readonly string[];
  store: OidcStore;
  users: UserDirectory;
  now: () => number;
  cimdFetch: RestrictedFetch;
}

/** The scope a client may hold at a resource: the resource's scopes, narrowed to the client's registered `scope` if it has one. */
export function resourceScopesFor(resource: ResourceConfig, client: Client | undefined): string[] {
  if (!client?.scope) return [...resource.scopes];
  const allowed = new Set(client.scope.split(" "));
  return resource.scopes.filter((s) => allowed.has(s));
}

function staticClientMetadata(client: StaticClientConfig, alg: string): Record<string, unknown> {
  return {
    client_id: client.clientId,
    ...(client.clientSecret !== undefined ? { client_secret: client.clientSecret, token_endpoint_auth_method: "client_secret_basic" } : { token_endpoint_auth_method: "none" }),
    ...(client.name !== undefined ? { client_name: client.name } : {}),
    redirect_uris: [...client.redirectUris],
    grant_types: [...client.grantTypes],
    response_types: client.grantTypes.includes("authorization_code") ? ["code"] : [],
    ...(client.scope !== undefined ? { scope: client.scope } : {}),
    id_token_signed_response_alg: alg,
  };
}

/** The marker property for extraClientMetadata: oidc-provider calls its validator with the whole metadata document. */
export const POLICY_PROPERTY = "bastion_policy";

export function buildProviderConfiguration(inputs: ProviderConfigInputs): Configuration {
  const { config, prefix, store, users, now } = inputs;
  const { errors, interactionPolicy } = inputs.oidc;
  const staticClients = new Map(config.clients.map((c) => [c.clientId, c]));
  const resourcesByUri = new Map(config.resources.map((r) => [r.uri, r]));
  const nowSeconds = () => Math.floor(now() / 1000);
  const accessTokenTtl = toSeconds(config.accessTokenTtlMs);
  const refreshIdle = toSeconds(config.refreshTokenIdleTtlMs);
  const refreshAbsolute = toSeconds(config.refreshTokenAbsoluteTtlMs);
  const sessionIdle = toSeconds(config.sessionIdleTimeoutMs);
  const sessionAbsolute = toSeconds(config.sessionAbsoluteTimeoutMs);
  const secureCookies = new URL(config.issuer).protocol === "https:";

  const policy = interactionPolicy.base();
  const login = policy.get("login")!;
  // A session older than the absolute timeout must sign in again, whatever its idle time.
  login.checks.add(
    new interactionPolicy.Check("session_too_old", "the sign-in session has reached its absolute lifetime", (ctx) => {
      const session = ctx.oidc.session;
      if (!session?.accountId || session.loginTs === undefined) return interactionPolicy.Check.NO_NEED_TO_PROMPT;
      return nowSeconds() - session.loginTs >= sessionAbsolute;
    }),
  );
  // A session whose user was deleted or disabled since must sign in again.
  login.checks.add(
    new interactionPolicy.Check("account_unavailable", "the signed-in account is no longer available", (ctx) => {
      const session = ctx.oidc.session;
      return session?.accountId !== undefined && ctx.oidc.entities.Account === undefined;
    }),
  );

  const findAccount = async (_ctx: KoaContextWithOIDC, sub: string): Promise<Account | undefined> => {
    const user = await users.findById(sub);
    if (!user || user.disabled) return undefined;
    return {
      accountId: user.id,
      claims: () => ({ sub: user.id, preferred_username: user.username }),
    };
  };

  const extraTokenClaims = async (_ctx: KoaContextWithOIDC, token: BaseToken): Promise<Record<string, unknown> | undefined> => {
    if (token.kind === "ClientCredentials") {
      const client = token.clientId !== undefined ? staticClients.get(token.clientId) : undefined;
      return { roles: [...(client?.roles ?? [])] };
    }
    if (token.accountId !== undefined) {
      const user = await users.findById(token.accountId);
      if (!user) return undefined;
      // The grant's id lets the gateway check at request time that the grant still stands (grant-status.ts).
      return { roles: [...user.roles], preferred_username: user.username, ...(token.grantId !== undefined ? { [GRANT_CLAIM]: token.grantId } : {}) };
    }
    return undefined;
  };

  const clientPolicyValidator = (ctx: KoaContextWithOIDC | undefined, key: string, value: unknown, metadata: Record<string, unknown>) => {
    if (key !== POLICY_PROPERTY) return;
    const clientId = metadata.client_id;
    const trusted = typeof clientId === "string" && staticClients.has(clientId) && ctx?.oidc?.route !== "registration";
    if (trusted) return;
    if (value !== undefined) throw new errors.InvalidClientMetadata(`${POLICY_PROPERTY} is not a client property`);
    const problem = untrustedClientProblem(metadata);
    if (problem) throw new errors.InvalidClientMetadata(problem);
  };

  return {
    adapter: createOidcAdapterFactory(store, now),
    jwks: inputs.jwks,
    clients: config.clients.map((c) => staticClientMetadata(c, config.signingAlgorithm)),
    clientDefaults: {
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
      id_token_signed_response_alg: config.signingAlgorithm,
    },
    clientAuthMethods: ["none", "client_secret_basic", "client_secret_post"],
    responseTypes: ["code"],
    // Resource scopes are listed too: a client may register a `scope` (RFC 7591) only from these,
    // and its registered `scope` then bounds what it may request (oidc-provider's checkScope).
    scopes: [...new Set(["openid", "offline_access", "profile", ...config.resources.flatMap((r) => r.scopes)])],
    claims: { openid: ["sub"], profile: ["preferred_username"] },
    pkce: { required: () => true },
    allowOmittingSingleRegisteredRedirectUri: false,
    acceptQueryParamAccessTokens: false,
    rotateRefreshToken: true,
    issueRefreshToken: async (_ctx: KoaContextWithOIDC, client: Client) => client.grantTypeAllowed("refresh_token"),
    // Grants outlive the browser sign-in session (an MCP client refreshes for days); signing out
    // still revokes the grants made in that session (rpInitiatedLogout with logout=yes).
    expiresWithSession: async () => false,
    findAccount,
    extraTokenClaims,
    cookies: {
      keys: [...inputs.cookieKeys],
      names: {
        session: secureCookies ? "__Host-bastion_session" : "bastion_session",
        interaction: "bastion_interaction",
        resume: "bastion_resume",
      },
      long: { httpOnly: true, sameSite: "lax", signed: true },
      short: { httpOnly: true, sameSite: "lax", signed: true },
    },
    ttl: {
      AccessToken: accessTokenTtl,
      ClientCredentials: accessTokenTtl,
      IdToken: accessTokenTtl,
      AuthorizationCode: toSeconds(config.authorizationCodeTtlMs),
      Interaction: toSeconds(config.interactionTtlMs),
      Grant: refreshAbsolute,
      // Sliding idle lifetime, never past the grant's absolute lifetime (counted from the first refresh token).
      RefreshToken: (_ctx: unknown, token: { iiat?: number; iat?: number }) => {
        const first = token.iiat ?? token.iat ?? nowSeconds();
        return Math.max(1, Math.min(refreshIdle, first + refreshAbsolute - nowSeconds()));
      },
      // Idle timeout, re-armed on every request that uses the session, capped by the absolute one.
      Session: (_ctx: unknown, session: Session) => {
        if (session.loginTs === undefined) return sessionIdle;
        return Math.max(1, Math.min(sessionIdle, session.loginTs + sessionAbsolute - nowSeconds()));
      },
      DeviceCode: 600,
      BackchannelAuthenticationRequest: 600,
      PreAuthorizedCode: 600,
    },
    interactions: {
      policy,
      url: (_ctx: KoaContextWithOIDC, interaction: { uid: string }) => `${prefix}/interaction/${interaction.uid}`,
    },
    features: {
      devInteractions: { enabled: false },
      dPoP: { enabled: false },
      pushedAuthorizationRequests: { enabled: false },
      userinfo: { enabled: false },
      introspection: { enabled: false },
      revocation: {
        enabled: true,
        // A client may revoke only its own tokens (RFC 7009 §2.1).
        allowedPolicy: async (_ctx: KoaContextWithOIDC, client: Client, token: BaseToken) => token.clientId === client.clientId,
      },
      clientCredentials: { enabled: true },
      registration: {
        enabled: config.registration.enabled,
        initialAccessToken: config.registration.initialAccessToken ?? false,
        issueRegistrationAccessToken: false,
        idFactory: () => randomBytes(16).toString("base64url"),
        secretFactory: () => randomBytes(32).toString("base64url"),
      },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx: KoaContextWithOIDC, form: string) => {
          for (const [name, value] of Object.entries(PAGE_HEADERS)) ctx.set(name, value);
          ctx.body = renderLogoutPage(form);
        },
        postLogoutSuccessSource: async (ctx: KoaContextWithOIDC) => {
          for (const [name, value] of Object.entries(PAGE_HEADERS)) ctx.set(name, value);
          ctx.body = renderLoggedOutPage();
        },
      },
      resourceIndicators: {
        enabled: true,
        // Without a resource parameter: the first resource (the gateway's own, /mcp; its other
        // routes follow it in the list). MCP clients must send one (RFC 8707); older ones did not.
        defaultResource: async (_ctx: KoaContextWithOIDC, _client: Client, oneOf?: string[]) => {
          if (oneOf) return oneOf;
          const first = config.resources[0];
          if (first === undefined) throw new errors.InvalidTarget("a resource indicator (resource parameter) is required");
          return first.uri;
        },
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx: KoaContextWithOIDC, indicator: string, client: Client) => {
          const resource = resourcesByUri.get(indicator);
          if (!resource) throw new errors.InvalidTarget("unknown resource indicator");
          return {
            scope: resourceScopesFor(resource, client).join(" "),
            audience: resource.uri,
            accessTokenTTL: accessTokenTtl,
            accessTokenFormat: "jwt",
            jwt: { sign: { alg: config.signingAlgorithm } },
          };
        },
      },
      clientIdMetadataDocument: {
        enabled: config.clientIdMetadataDocuments.enabled,
        ack: "draft-02",
        cacheDuration: { min: 30, max: 3600 },
      },
    },
    extraClientMetadata: { properties: [POLICY_PROPERTY], validator: clientPolicyValidator },
    fetch: inputs.cimdFetch,
    fetchResponseBodyLimits: {
      "client_id metadata document": config.clientIdMetadataDocuments.maxBytes,
      jwks_uri: 0,
      sector_identifier_uri: 0,
    },
    // Browser-based public clients may call the token endpoint from an origin they redirect to.
    clientBasedCORS: (_ctx: KoaContextWithOIDC, origin: string, client: Client) => {
      if (origin === "null" || client.clientAuthMethod !== "none") return false;
      return client.redirectUris.some((uri) => {
        try {
          return new URL(uri).origin === origin;
        } catch {
          return false;
        }
      });
    },
    renderError: async (ctx: KoaContextWithOIDC, out: Record<string, unknown>) => {
      for (const [name, value] of Object.entries(PAGE_HEADERS)) ctx.set(name, value);
      ctx.type = "html";
      const description = typeof out.error_description === "string" ? out.error_description : "The request could not be completed.";
      ctx.body = renderErrorPage("Sign-in error", `${String(out.error ?? "error")}: ${description}`);
    },
  };
}
