/**
 * The official MCP SDK's OAuth client (@modelcontextprotocol/sdk client/auth.js) against the
 * built-in authorization server: discovery from Protected Resource Metadata (RFC 9728, served here
 * by a stand-in for the gateway), dynamic registration or a client ID metadata document, the
 * authorization code flow with PKCE and the resource indicator, and a refresh.
 */
import assert from "node:assert/strict";
import type { IncomingMessage, ServerResponse } from "node:http";
import { after, before, describe, test } from "node:test";
import { auth } from "@modelcontextprotocol/sdk/client/auth.js";
import { Browser, driveBrowser, PASSWORD, startServer, verifyAccessToken, type RunningServer } from "./helpers.js";
import { makeCertificates, startDocumentServer, type DocumentServer } from "./tls.js";
import { MemoryOAuthClientProvider } from "./sdk-provider.js";

const REDIRECT = "http://127.0.0.1:9/callback";

/** What the gateway serves for its MCP endpoint: resource metadata, and 401 with a challenge. */
function gatewayStandIn(req: IncomingMessage, res: ServerResponse, base: { issuer: string; resource: string }) {
  const origin = new URL(base.resource).origin;
  if (req.url === "/.well-known/oauth-protected-resource/mcp" || req.url === "/.well-known/oauth-protected-resource") {
    const body = JSON.stringify({ resource: base.resource, authorization_servers: [base.issuer], scopes_supported: ["mcp:tools", "mcp:resources"], bearer_methods_supported: ["header"] });
    return res.writeHead(200, { "content-type": "application/json" }).end(body);
  }
  if (req.url === "/mcp") {
    return res.writeHead(401, { "www-authenticate": `Bearer resource_metadata="${origin}/.well-known/oauth-protected-resource/mcp"` }).end();
  }
  res.writeHead(404).end();
}


let server: RunningServer;
let serverUrl: string;

before(async () => {
  server = await startServer({ fallback: gatewayStandIn });
  await server.as.users.createUser({ username: "alice", password: PASSWORD, roles: ["editor"] });
  serverUrl = server.resource;
});
after(() => server.close());

async function signIn(provider: MemoryOAuthClientProvider, extra: { fetchFn?: typeof fetch } = {}) {
  assert.equal(await auth(provider, { serverUrl, ...extra }), "REDIRECT");
  const url = provider.authorizationUrl!;
  assert.equal(url.searchParams.get("code_challenge_method"), "S256");
  assert.equal(url.searchParams.get("resource"), server.resource);
  const callback = await driveBrowser(server, new Browser(), url.href, REDIRECT);
  assert.equal(callback.searchParams.get("iss"), server.issuer);
  assert.equal(await auth(provider, { serverUrl, authorizationCode: callback.searchParams.get("code")!, ...extra }), "AUTHORIZED");
}

describe("the MCP SDK's OAuth client", () => {
  test("registers dynamically, signs in through the pages, and gets a token for the MCP resource", async () => {
    const provider = new MemoryOAuthClientProvider(REDIRECT, "SDK test client");
    await signIn(provider);
    assert.ok(provider.info?.client_id);
    const { payload } = await verifyAccessToken(server, provider.saved!.access_token);
    assert.equal(payload.aud, server.resource);
    assert.deepEqual(String(payload.scope).split(" ").sort(), ["mcp:resources", "mcp:tools"], "the scopes the resource metadata advertises");
    assert.deepEqual(payload.roles, ["editor"]);
  });

  test("refreshes through auth() when its access token is no longer wanted", async () => {
    const provider = new MemoryOAuthClientProvider(REDIRECT, "SDK test client");
    await signIn(provider);
    const first = provider.saved!;
    assert.ok(first.refresh_token);
    // auth() with stored tokens and a refresh token refreshes (rotating the refresh token).
    assert.equal(await auth(provider, { serverUrl }), "AUTHORIZED");
    assert.notEqual(provider.saved!.refresh_token, first.refresh_token);
    await verifyAccessToken(server, provider.saved!.access_token);
  });
});

describe("the MCP SDK's OAuth client with a client ID metadata document", () => {
  let docs: DocumentServer;
  let cimdServer: RunningServer;
  before(async () => {
    const certs = makeCertificates();
    let clientId = "";
    docs = await startDocumentServer(certs, (req, res) => {
      if (req.url !== "/sdk-client.json") return res.writeHead(404).end();
      const body = JSON.stringify({ client_id: clientId, client_name: "SDK via CIMD", redirect_uris: [REDIRECT], grant_types: ["authorization_code", "refresh_token"], response_types: ["code"], token_endpoint_auth_method: "none" });
      res.writeHead(200, { "content-type": "application/json" }).end(body);
    });
    clientId = `${docs.origin}/sdk-client.json`;
    cimdServer = await startServer({ fallback: gatewayStandIn, deps: { metadataDocumentFetch: { allowLoopback: true, ca: certs.ca } } });
    await cimdServer.as.users.createUser({ username: "alice", password: PASSWORD });
  });
  after(async () => {
    await cimdServer.close();
    await docs.close();
  });

  test("uses its https client_id instead of registering, and gets a token", async () => {
    const provider = new MemoryOAuthClientProvider(REDIRECT, "SDK test client", `${docs.origin}/sdk-client.json`);
    assert.equal(await auth(provider, { serverUrl: cimdServer.resource }), "REDIRECT");
    assert.equal(provider.authorizationUrl!.searchParams.get("client_id"), `${docs.origin}/sdk-client.json`);
    const callback = await driveBrowser(cimdServer, new Browser(), provider.authorizationUrl!.href, REDIRECT);
    assert.equal(await auth(provider, { serverUrl: cimdServer.resource, authorizationCode: callback.searchParams.get("code")! }), "AUTHORIZED");
    const { payload } = await verifyAccessToken(cimdServer, provider.saved!.access_token);
    assert.equal(payload.client_id, `${docs.origin}/sdk-client.json`);
  });
});
