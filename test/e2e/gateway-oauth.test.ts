/**
 * The built-in OAuth 2.1 authorization server mounted in the gateway (issue 4, "the embedded
 * default"), end to end: the official MCP SDK's OAuth client (client/auth.js, and the Streamable
 * HTTP transport with an authProvider) discovers the gateway's Protected Resource Metadata,
 * registers dynamically, signs a local user in through the login and consent pages (driven with
 * fetch, as test/auth/server/helpers.ts does), gets a token for the gateway's resource and calls a
 * tool through the gateway; a refresh works; a token for another resource is refused. The store is
 * a real SQLite file with a secret key, so the server's records and keys are the persistent ones.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { auth, UnauthorizedError } from "@modelcontextprotocol/sdk/client/auth.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Gateway } from "../../src/gateway/server.js";
import { Browser, driveBrowser, type RunningServer } from "../auth/server/helpers.js";
import { MemoryOAuthClientProvider } from "../auth/server/sdk-provider.js";
import { startOAuthTestGateway, type OAuthTestGateway } from "./oauth-gateway.js";

const REDIRECT = "http://127.0.0.1:9/callback";
const PASSWORD = "correct horse battery staple";
const ROBOT_SECRET = "robot-secret-0123456789-abcdefghijklmnop";
const texts = (result: unknown): string =>
  ((result as { content: Array<{ type: string; text?: string }> }).content).filter((c) => c.type === "text").map((c) => c.text).join("\n");

let running: OAuthTestGateway;
let gateway: Gateway;
let url: string;
let resource: string;
let issuer: string;
let otherResource: string;
/** The everything server's own route: a resource of its own (src/auth/route-resources.ts). */
let routeResource: string;

before(async () => {
  running = await startOAuthTestGateway({
    // A local user, made as `bastion users create` makes one: in the store, through the user directory.
    users: [{ username: "alice", password: PASSWORD, roles: ["editor"] }],
    authorizationServer: (origin) => ({
      resources: [
        { uri: `${origin}/mcp`, scopes: ["mcp"] },
        { uri: `${origin}/servers/everything/mcp`, scopes: ["mcp"] },
        { uri: `${origin}/other`, scopes: ["mcp"] },
      ],
      clients: [{ clientId: "robot", clientSecret: ROBOT_SECRET, grantTypes: ["client_credentials"], scope: "mcp", roles: ["automation"] }],
    }),
  });
  ({ gateway, url, resource, issuer } = running);
  otherResource = `${url}/other`;
  routeResource = `${url}/servers/everything/mcp`;
});

after(() => running?.close());

/** The browser step: opens the authorization URL the SDK made, signs alice in, consents; returns the code. */
async function signInThroughPages(authorizationUrl: URL): Promise<string> {
  const callback = await driveBrowser({ issuer } as RunningServer, new Browser(), authorizationUrl.href, REDIRECT, { username: "alice", password: PASSWORD });
  assert.equal(callback.searchParams.get("iss"), issuer, "RFC 9207 iss in the authorization response");
  const code = callback.searchParams.get("code");
  assert.ok(code, callback.href);
  return code;
}

async function connect(provider: MemoryOAuthClientProvider, at = resource): Promise<Client> {
  const client = new Client({ name: "oauth-e2e", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(at), { authProvider: provider }));
  return client;
}

describe("the gateway with its built-in authorization server", () => {
  test("the Protected Resource Metadata names the built-in issuer; its RFC 8414 metadata is served on the gateway's port", async () => {
    const prm = (await (await fetch(`${url}/.well-known/oauth-protected-resource/mcp`)).json()) as Record<string, unknown>;
    assert.equal(prm.resource, resource);
    assert.deepEqual(prm.authorization_servers, [issuer]);
    const metadata = await fetch(`${url}/.well-known/oauth-authorization-server/oauth`);
    assert.equal(metadata.status, 200);
    const document = (await metadata.json()) as Record<string, unknown>;
    assert.equal(document.issuer, issuer);
    assert.equal(document.token_endpoint, `${issuer}/token`);
    assert.deepEqual(document.code_challenge_methods_supported, ["S256"]);
  });

  test("the Host allow-list applies to the authorization server's paths too", async () => {
    const { request } = await import("node:http");
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${url}/.well-known/oauth-authorization-server/oauth`, { headers: { host: "evil.example" } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      req.end();
    });
    assert.equal(status, 421);
  });

  test("the SDK's OAuth client registers, signs in, and calls a tool through the gateway; a refresh works", async () => {
    const provider = new MemoryOAuthClientProvider(REDIRECT, "SDK e2e client");
    // First attempt: 401 with the challenge -> discovery -> registration -> a redirect to the login page.
    await assert.rejects(connect(provider), UnauthorizedError);
    assert.ok(provider.info?.client_id, "registered dynamically");
    const authorizationUrl = provider.authorizationUrl!;
    assert.equal(authorizationUrl.origin + authorizationUrl.pathname, `${issuer}/auth`);
    assert.equal(authorizationUrl.searchParams.get("code_challenge_method"), "S256");
    assert.equal(authorizationUrl.searchParams.get("resource"), resource);

    const code = await signInThroughPages(authorizationUrl);
    const transport = new StreamableHTTPClientTransport(new URL(resource), { authProvider: provider });
    await transport.finishAuth(code);
    assert.ok(provider.saved?.access_token && provider.saved.refresh_token);

    const client = await connect(provider);
    try {
      const names = (await client.listTools()).tools.map((t) => t.name);
      assert.ok(names.includes("everything__echo"), names.join(","));
      assert.equal(texts(await client.callTool({ name: "everything__echo", arguments: { message: "hello" } })), "Echo: hello");
      assert.equal(texts(await client.callTool({ name: "everything__echo", arguments: { message: "mail jane.doe@example.com" } })), "Echo: mail <EMAIL_ADDRESS>", "masking still applies");
    } finally {
      await client.close();
    }

    // A refresh: auth() with a refresh token rotates it and returns a new access token that the gateway accepts.
    const first = provider.saved!;
    assert.equal(await auth(provider, { serverUrl: resource }), "AUTHORIZED");
    assert.notEqual(provider.saved!.refresh_token, first.refresh_token);
    assert.notEqual(provider.saved!.access_token, first.access_token);
    const refreshed = await connect(provider);
    try {
      assert.equal(texts(await refreshed.callTool({ name: "everything__echo", arguments: { message: "again" } })), "Echo: again");
    } finally {
      await refreshed.close();
    }
    // The rotated-out refresh token is refused (reuse detection).
    const reuse = await fetch(`${issuer}/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: first.refresh_token!, client_id: provider.info!.client_id }).toString(),
    });
    assert.equal(reuse.status, 400);
  });

  test("each route is its own protected resource: /servers/NAME/mcp has its own metadata, and the SDK's OAuth client gets a token for it and calls a tool", async () => {
    const prm = (await (await fetch(`${url}/.well-known/oauth-protected-resource/servers/everything/mcp`)).json()) as Record<string, unknown>;
    assert.equal(prm.resource, routeResource);
    assert.deepEqual(prm.authorization_servers, [issuer]);
    const root = (await (await fetch(`${url}/.well-known/oauth-protected-resource`)).json()) as Record<string, unknown>;
    assert.equal(root.resource, resource, "the root document stays the aggregated route's");
    const challenge = await fetch(routeResource, { method: "POST", headers: { "content-type": "application/json", accept: "application/json, text/event-stream" }, body: "{}" });
    await challenge.text();
    assert.match(challenge.headers.get("www-authenticate") ?? "", new RegExp(`resource_metadata="${url}/.well-known/oauth-protected-resource/servers/everything/mcp"`));

    const provider = new MemoryOAuthClientProvider(REDIRECT, "SDK route client");
    await assert.rejects(connect(provider, routeResource), UnauthorizedError);
    assert.equal(provider.authorizationUrl!.searchParams.get("resource"), routeResource, "the SDK asks for the route's resource");
    const code = await signInThroughPages(provider.authorizationUrl!);
    await new StreamableHTTPClientTransport(new URL(routeResource), { authProvider: provider }).finishAuth(code);
    const client = await connect(provider, routeResource);
    try {
      assert.equal(texts(await client.callTool({ name: "echo", arguments: { message: "route" } })), "Echo: route");
    } finally {
      await client.close();
    }
  });

  test("attack: a token for one route is refused on another (RFC 8707 audience per route)", async () => {
    const forRoute = await clientCredentialsToken(routeResource);
    const forAggregate = await clientCredentialsToken(resource);
    const call = async (at: string, token: string) => {
      const reply = await fetch(at, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json, text/event-stream", authorization: `Bearer ${token}` },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "raw", version: "1" } } }),
      });
      await reply.text();
      return { status: reply.status, challenge: reply.headers.get("www-authenticate") ?? "" };
    };
    const wrongRoute = await call(routeResource, forAggregate);
    assert.equal(wrongRoute.status, 401, "an /mcp token on /servers/everything/mcp");
    assert.match(wrongRoute.challenge, /error="invalid_token"/);
    assert.match(wrongRoute.challenge, /oauth-protected-resource\/servers\/everything\/mcp"/, "the challenge names the route's own metadata");
    assert.equal((await call(resource, forRoute)).status, 401, "a /servers/everything/mcp token on /mcp");
    assert.equal((await call(routeResource, forRoute)).status, 200);
    assert.equal((await call(resource, forAggregate)).status, 200);
  });

  test("a client-credentials token is the principal jwt:<issuer>#<client>, with the client's roles", async () => {
    const token = await clientCredentialsToken(resource);
    const headers = { host: new URL(url).host, authorization: `Bearer ${token}` };
    const request = { method: "POST", url: "/mcp", headers, rawHeaders: Object.entries(headers).flat(), socket: { remoteAddress: "127.0.0.1" } };
    const principal = await gateway.authentication!.authenticate(request as never);
    assert.equal(principal.id, `jwt:${issuer}#robot`);
    assert.deepEqual([...principal.roles], ["automation"]);
  });

  test("attack: a token from the same issuer for another resource is refused with 401 invalid_token", async () => {
    const forOther = await clientCredentialsToken(otherResource);
    const forUs = await clientCredentialsToken(resource);
    const call = (token: string) =>
      fetch(resource, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json, text/event-stream", authorization: `Bearer ${token}` },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "raw", version: "1" } } }),
      });
    const refused = await call(forOther);
    assert.equal(refused.status, 401);
    assert.match(refused.headers.get("www-authenticate") ?? "", /error="invalid_token"/);
    await refused.text();
    const accepted = await call(forUs);
    assert.equal(accepted.status, 200, await accepted.text());
  });

  test("attack: no token, or a tampered one, is 401 with a challenge pointing at the metadata", async () => {
    const token = await clientCredentialsToken(resource);
    const tampered = `${token.slice(0, -6)}AAAAAA`;
    for (const headers of [{}, { authorization: `Bearer ${tampered}` }] as Array<Record<string, string>>) {
      const reply = await fetch(resource, { method: "POST", headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...headers }, body: "{}" });
      assert.equal(reply.status, 401);
      assert.match(reply.headers.get("www-authenticate") ?? "", new RegExp(`resource_metadata="${url}/.well-known/oauth-protected-resource/mcp"`));
      await reply.text();
    }
  });
});

async function clientCredentialsToken(forResource: string): Promise<string> {
  const response = await fetch(`${issuer}/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${Buffer.from(`robot:${ROBOT_SECRET}`).toString("base64")}` },
    body: new URLSearchParams({ grant_type: "client_credentials", scope: "mcp", resource: forResource }).toString(),
  });
  const body = (await response.json()) as { access_token?: string };
  assert.equal(response.status, 200, JSON.stringify(body));
  return body.access_token!;
}
