/**
 * Shared set-up for the authorization server tests: a real server on 127.0.0.1, a small browser
 * (fetch with cookies carried by hand and redirects followed one by one), and the OAuth client
 * steps (registration, PKCE, code exchange, refresh, client credentials).
 */
import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createLocalJWKSet, jwtVerify, type JWTPayload } from "jose";
import { createAuthorizationServer, parseAuthorizationServerConfig, type AuthorizationServer, type AuthorizationServerConfigInput, type AuthorizationServerDeps } from "../../../src/auth/server/index.js";

export const RESOURCE_PATH = "/mcp";
export const PASSWORD = "correct horse battery staple";

export interface RunningServer {
  as: AuthorizationServer;
  /** The issuer as configured (may say https while the wire is http, see `wire`). */
  issuer: string;
  /** The MCP resource URI tokens are for. */
  resource: string;
  /** Maps an issuer URL to the URL to actually connect to. */
  wire: (url: string) => string;
  port: number;
  close(): Promise<void>;
}

export interface StartOptions {
  /** Issuer path ("" at the root). */
  prefix?: string;
  /** Say https in the issuer while serving plain http on loopback (as behind a TLS terminator). */
  httpsIssuer?: boolean;
  config?: (base: { issuer: string; resource: string }) => Partial<AuthorizationServerConfigInput>;
  deps?: AuthorizationServerDeps;
  /** Answers requests the authorization server does not own (as the gateway would: MCP, resource metadata). */
  fallback?: (req: IncomingMessage, res: ServerResponse, base: { issuer: string; resource: string }) => void;
}

export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.writeHead(503).end();
  const server: Server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const scheme = options.httpsIssuer ? "https" : "http";
  const origin = `${scheme}://127.0.0.1:${port}`;
  const issuer = `${origin}${options.prefix ?? ""}`;
  const resource = `${origin}${RESOURCE_PATH}`;
  const config = parseAuthorizationServerConfig({
    issuer,
    resources: [{ uri: resource, scopes: ["mcp:tools", "mcp:resources", "mcp:admin"], defaultScopes: ["mcp:tools"] }],
    ...options.config?.({ issuer, resource }),
  });
  const as = await createAuthorizationServer(config, options.deps);
  handler = (req, res) => {
    if (options.fallback && !as.owns(req)) return options.fallback(req, res, { issuer, resource });
    void as.handle(req, res);
  };
  return {
    as,
    issuer,
    resource,
    port,
    wire: (url) => url.replace(/^https:\/\/127\.0\.0\.1:/, "http://127.0.0.1:"),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface HttpResult {
  status: number;
  headers: Headers;
  body: string;
  location?: string;
  /** The URL that was requested (issuer form). */
  url: string;
}

interface StoredCookie {
  value: string;
  path: string;
}

/** A browser: a cookie jar (name and path only, which is all these tests need) and one request at a time. */
export class Browser {
  readonly cookies = new Map<string, StoredCookie>();
  constructor(
    private readonly wire: (url: string) => string = (u) => u,
    /** Sent with every request (tests use it to play different client addresses). */
    private readonly extraHeaders: Record<string, string> = {},
  ) {}

  cookieHeader(url: string): string | undefined {
    const path = new URL(url).pathname;
    const pairs = [...this.cookies].filter(([, c]) => path === c.path || path.startsWith(c.path.endsWith("/") ? c.path : `${c.path}/`)).map(([name, c]) => `${name}=${c.value}`);
    return pairs.length ? pairs.join("; ") : undefined;
  }

  /** Every Set-Cookie line the browser has received, raw, for attribute checks. */
  readonly setCookieLines: string[] = [];

  async request(url: string, init: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {}): Promise<HttpResult> {
    const headers: Record<string, string> = { ...this.extraHeaders, ...init.headers };
    const cookie = this.cookieHeader(url);
    if (cookie) headers.cookie = cookie;
    let body: string | undefined;
    if (init.form) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      headers.origin ??= new URL(url).origin;
      body = new URLSearchParams(init.form).toString();
    }
    const response = await fetch(this.wire(url), { method: init.method ?? (init.form ? "POST" : "GET"), headers, body, redirect: "manual" });
    for (const line of response.headers.getSetCookie()) {
      this.setCookieLines.push(line);
      const [pair, ...attributes] = line.split(";").map((s) => s.trim());
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      const pathAttr = attributes.find((a) => a.toLowerCase().startsWith("path="));
      const expires = attributes.find((a) => a.toLowerCase().startsWith("expires="));
      const expired = value === "" || (expires !== undefined && Date.parse(expires.slice(8)) <= Date.now());
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, { value, path: pathAttr ? pathAttr.slice(5) : "/" });
    }
    const location = response.headers.get("location") ?? undefined;
    return { status: response.status, headers: response.headers, body: await response.text(), url, ...(location ? { location: new URL(location, url).href } : {}) };
  }

  /** Follows redirects until a page is shown, or the browser is sent to `stopAt` (a URL prefix not served here). */
  async follow(url: string, stopAt: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<HttpResult> {
    let result = await this.request(url, init);
    for (let hops = 0; hops < 10 && result.location && !result.location.startsWith(stopAt); hops++) result = await this.request(result.location);
    return result;
  }
}

/** The hidden field and action of the form on a page. */
export function formOf(html: string, index = 0): { action: string; csrf: string } {
  const forms = [...html.matchAll(/<form method="post" action="([^"]+)"[^>]*>\s*<input type="hidden" name="csrf" value="([^"]+)">/g)];
  const form = forms[index];
  if (!form) throw new Error(`no form #${index} on the page: ${html.slice(0, 300)}`);
  const unescape = (s: string) => s.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));
  return { action: unescape(form[1]!), csrf: unescape(form[2]!) };
}

export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

export interface RegisteredClient {
  client_id: string;
  client_secret?: string;
  redirect_uris: string[];
  [key: string]: unknown;
}

export async function registerClient(server: RunningServer, metadata: Record<string, unknown>, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(server.wire(`${server.issuer}/reg`), { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(metadata) });
  const text = await response.text();
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { raw: text };
  }
  return { status: response.status, body };
}

export async function registerPublicClient(server: RunningServer, redirectUri = "http://127.0.0.1:9/callback"): Promise<RegisteredClient> {
  const { status, body } = await registerClient(server, {
    client_name: "Test MCP client",
    redirect_uris: [redirectUri],
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
    token_endpoint_auth_method: "none",
  });
  if (status !== 201) throw new Error(`registration failed: ${status} ${JSON.stringify(body)}`);
  return body as RegisteredClient;
}

export function authorizationUrl(server: RunningServer, params: Record<string, string | undefined>): string {
  const url = new URL(`${server.issuer}/auth`);
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, value);
  return url.href;
}

/** Starts an authorization request, signs in, consents, and returns where the browser was sent. */
export async function authorize(
  server: RunningServer,
  browser: Browser,
  request: { clientId: string; redirectUri: string; challenge?: string; scope?: string; state?: string; resource?: string; extra?: Record<string, string> },
  credentials: { username: string; password: string } = { username: "alice", password: PASSWORD },
): Promise<URL> {
  const url = authorizationUrl(server, {
    response_type: "code",
    client_id: request.clientId,
    redirect_uri: request.redirectUri,
    code_challenge: request.challenge,
    code_challenge_method: request.challenge ? "S256" : undefined,
    scope: request.scope,
    state: request.state ?? randomBytes(8).toString("hex"),
    resource: request.resource ?? server.resource,
    ...request.extra,
  });
  return driveBrowser(server, browser, url, request.redirectUri, credentials);
}

/** Opens an authorization URL, fills in the login and consent forms, and returns where the browser was sent. */
export async function driveBrowser(server: RunningServer, browser: Browser, url: string, redirectUri: string, credentials: { username: string; password: string } = { username: "alice", password: PASSWORD }): Promise<URL> {
  let page = await browser.follow(url, redirectUri);
  for (let step = 0; step < 3 && !page.location?.startsWith(redirectUri); step++) {
    if (page.status !== 200) throw new Error(`unexpected ${page.status} on ${page.url}: ${page.body.slice(0, 300)}`);
    const form = formOf(page.body);
    const fields: Record<string, string> = page.body.includes('name="password"') ? { csrf: form.csrf, username: credentials.username, password: credentials.password } : { csrf: form.csrf };
    page = await browser.follow(new URL(form.action, server.issuer).href, redirectUri, { form: fields });
  }
  if (!page.location?.startsWith(redirectUri)) throw new Error(`did not reach the client: ${page.status} ${page.body.slice(0, 300)}`);
  return new URL(page.location);
}

export async function tokenRequest(server: RunningServer, params: Record<string, string>, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const response = await fetch(server.wire(`${server.issuer}/token`), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(params).toString(),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, headers: response.headers };
}

export const basicAuth = (id: string, secret: string) => ({ authorization: `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString("base64")}` });

/** Verifies an access token the way a resource server would: JWKS from the server, iss, aud, typ at+jwt, exp. */
export async function verifyAccessToken(server: RunningServer, token: string, audience = server.resource): Promise<{ payload: JWTPayload; header: Record<string, unknown> }> {
  const jwks = (await (await fetch(server.wire(`${server.issuer}/jwks`))).json()) as { keys: never[] };
  const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(jwks), {
    issuer: server.issuer,
    audience,
    typ: "at+jwt",
    algorithms: ["ES256", "PS256", "RS256", "EdDSA"],
    requiredClaims: ["exp", "iat", "sub", "jti"],
  });
  return { payload, header: protectedHeader as Record<string, unknown> };
}

/** A user, a public client, a completed authorization and its tokens. */
export async function signedInClient(server: RunningServer, options: { redirectUri?: string; scope?: string } = {}) {
  const client = await registerPublicClient(server, options.redirectUri);
  const redirectUri = client.redirect_uris[0]!;
  const browser = new Browser(server.wire);
  const { verifier, challenge } = pkce();
  const callback = await authorize(server, browser, { clientId: client.client_id, redirectUri, challenge, ...(options.scope !== undefined ? { scope: options.scope } : {}) });
  const code = callback.searchParams.get("code");
  if (!code) throw new Error(`no code: ${callback.href}`);
  const tokens = await tokenRequest(server, { grant_type: "authorization_code", code, redirect_uri: redirectUri, code_verifier: verifier, client_id: client.client_id, resource: server.resource });
  return { client, redirectUri, browser, callback, tokens };
}
