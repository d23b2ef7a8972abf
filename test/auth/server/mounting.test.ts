/**
 * Mounting: an issuer with a path (the gateway's port, under /oauth) and one at an origin's root
 * (its own port); which requests the server claims; the metadata URLs RFC 8414 clients try.
 */
import assert from "node:assert/strict";
import type { IncomingMessage } from "node:http";
import { after, before, describe, test } from "node:test";
import { authorize, Browser, pkce, PASSWORD, registerPublicClient, startServer, tokenRequest, verifyAccessToken, type RunningServer } from "./helpers.js";

const requestFor = (url: string) => ({ url, headers: {}, method: "GET" }) as unknown as IncomingMessage;

describe("an issuer with a path (/oauth)", () => {
  let server: RunningServer;
  before(async () => {
    server = await startServer({ prefix: "/oauth" });
    await server.as.users.createUser({ username: "alice", password: PASSWORD });
  });
  after(() => server.close());

  test("metadata at the path-inserted well-known URI (RFC 8414 §3) and at the path-appended one", async () => {
    const origin = new URL(server.issuer).origin;
    assert.equal(server.as.metadataUrl, `${origin}/.well-known/oauth-authorization-server/oauth`);
    for (const url of [`${origin}/.well-known/oauth-authorization-server/oauth`, `${origin}/oauth/.well-known/oauth-authorization-server`, `${origin}/.well-known/openid-configuration/oauth`, `${origin}/oauth/.well-known/openid-configuration`]) {
      const response = await fetch(url);
      assert.equal(response.status, 200, url);
      const metadata = (await response.json()) as Record<string, string>;
      assert.equal(metadata.issuer, server.issuer);
      assert.equal(metadata.token_endpoint, `${server.issuer}/token`);
      assert.equal(metadata.authorization_endpoint, `${server.issuer}/auth`);
    }
  });

  test("the whole flow works under the path", async () => {
    const client = await registerPublicClient(server);
    const { verifier, challenge } = pkce();
    const browser = new Browser();
    const callback = await authorize(server, browser, { clientId: client.client_id, redirectUri: client.redirect_uris[0]!, challenge });
    assert.equal(callback.searchParams.get("iss"), server.issuer);
    const tokens = await tokenRequest(server, { grant_type: "authorization_code", code: callback.searchParams.get("code")!, redirect_uri: client.redirect_uris[0]!, code_verifier: verifier, client_id: client.client_id });
    assert.equal(tokens.status, 200);
    const { payload } = await verifyAccessToken(server, tokens.body.access_token as string);
    assert.equal(payload.iss, server.issuer);
    const interactionCookie = browser.setCookieLines.find((l) => l.startsWith("bastion_interaction="));
    assert.match(interactionCookie!, /path=\/oauth\/interaction\//);
  });

  test("owns the issuer's paths and the path-inserted metadata, nothing else", () => {
    const owns = (url: string) => server.as.owns(requestFor(url));
    assert.ok(owns("/oauth/auth?x=1"));
    assert.ok(owns("/oauth/token"));
    assert.ok(owns("/oauth/interaction/abc"));
    assert.ok(owns("/oauth/anything"), "everything under the prefix (unknown paths get the server's 404)");
    assert.ok(owns("/.well-known/oauth-authorization-server/oauth"));
    assert.ok(!owns("/mcp"));
    assert.ok(!owns("/oauthx/token"));
    assert.ok(!owns("/.well-known/oauth-protected-resource"));
    assert.ok(!owns("/.well-known/oauth-authorization-server"), "the root metadata URI names another issuer");
    assert.ok(!owns("/token"));
  });

  test("a request it does not own gets 404 if handed over anyway", async () => {
    const response = await fetch(`${new URL(server.issuer).origin}/mcp`);
    assert.equal(response.status, 404);
  });
});

describe("an issuer at the root of its own origin", () => {
  let server: RunningServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  test("owns its protocol endpoints only, so it can share a port with the MCP endpoint", () => {
    const owns = (url: string) => server.as.owns(requestFor(url));
    for (const path of ["/auth", "/auth/abc", "/token", "/jwks", "/reg", "/token/revocation", "/session/end", "/session/end/confirm", "/interaction/x", "/.well-known/oauth-authorization-server", "/.well-known/openid-configuration"]) {
      assert.ok(owns(path), path);
    }
    for (const path of ["/", "/mcp", "/servers/a/mcp", "/.well-known/oauth-protected-resource", "/.well-known/oauth-protected-resource/mcp", "/authx", "/tokens", "//token", "http://127.0.0.1/token", "*"]) {
      assert.ok(!owns(path), path);
    }
  });
});
