/**
 * End to end on 127.0.0.1: dynamic registration, authorization code + PKCE through the real login
 * and consent forms, the code exchange, and the access token checked as a resource server would.
 * Each attack sits beside the flow it attacks.
 */
import assert from "node:assert/strict";
import { request as httpRequest } from "node:http";
import { after, before, describe, test } from "node:test";
import { decodeProtectedHeader } from "jose";
import { authorizationUrl, authorize, Browser, formOf, pkce, PASSWORD, registerPublicClient, signedInClient, startServer, tokenRequest, verifyAccessToken, type RunningServer } from "./helpers.js";

let server: RunningServer;

before(async () => {
  server = await startServer();
  await server.as.users.createUser({ username: "alice", password: PASSWORD, roles: ["editor"] });
});
after(() => server.close());

describe("metadata", () => {
  test("RFC 8414 metadata names the issuer, S256 only, code only, iss in responses, CIMD and registration", async () => {
    const response = await fetch(`${server.issuer}/.well-known/oauth-authorization-server`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /application\/json/);
    const metadata = (await response.json()) as Record<string, unknown>;
    assert.equal(metadata.issuer, server.issuer);
    assert.deepEqual(metadata.code_challenge_methods_supported, ["S256"]);
    assert.deepEqual(metadata.response_types_supported, ["code"]);
    assert.equal(metadata.authorization_response_iss_parameter_supported, true);
    assert.equal(metadata.client_id_metadata_document_supported, true);
    assert.equal(metadata.registration_endpoint, `${server.issuer}/reg`);
    assert.equal(metadata.token_endpoint, `${server.issuer}/token`);
    assert.ok(!(metadata.grant_types_supported as string[]).includes("implicit"));
    assert.ok((metadata.grant_types_supported as string[]).includes("client_credentials"));
    assert.ok((metadata.grant_types_supported as string[]).includes("refresh_token"));
  });

  test("OIDC discovery is served too, with the same issuer", async () => {
    const metadata = (await (await fetch(`${server.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    assert.equal(metadata.issuer, server.issuer);
  });

  test("URLs in metadata come from the configured issuer, not from the Host header", async () => {
    // fetch will not send a Host of our choosing; node:http will.
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${server.issuer}/.well-known/oauth-authorization-server`, { headers: { host: "evil.example" } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      req.end();
    });
    assert.equal(status, 421, "a Host that is not the issuer's is refused outright");
    const forwarded = await fetch(`${server.issuer}/.well-known/oauth-authorization-server`, { headers: { "x-forwarded-host": "evil.example", "x-forwarded-proto": "https" } });
    const metadata = (await forwarded.json()) as Record<string, string>;
    assert.equal(metadata.authorization_endpoint, `${server.issuer}/auth`);
    assert.equal(metadata.jwks_uri, `${server.issuer}/jwks`);
  });
});

describe("authorization code with PKCE", () => {
  test("a dynamically registered client gets a JWT access token for the resource (RFC 9068, RFC 8707)", async () => {
    const { tokens, client, callback } = await signedInClient(server);
    assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
    assert.equal(tokens.body.token_type, "Bearer");
    assert.equal(tokens.headers.get("cache-control"), "no-store");
    assert.equal(typeof tokens.body.refresh_token, "string");
    assert.equal(callback.searchParams.get("iss"), server.issuer, "RFC 9207: iss in the authorization response");
    const { payload, header } = await verifyAccessToken(server, tokens.body.access_token as string);
    assert.equal(header.typ, "at+jwt");
    assert.equal(header.alg, "ES256");
    assert.equal(payload.iss, server.issuer);
    assert.equal(payload.aud, server.resource);
    assert.equal(payload.client_id, client.client_id);
    assert.equal(payload.scope, "mcp:tools", "no scope requested: the resource's default scopes");
    assert.deepEqual(payload.roles, ["editor"]);
    assert.equal(payload.preferred_username, "alice");
    const user = await server.as.users.findByUsername("alice");
    assert.equal(payload.sub, user!.id);
    assert.ok(payload.exp! > payload.iat! && payload.exp! - payload.iat! <= 600);
  });

  test("requested scopes are granted after consent; scopes the resource does not have are not", async () => {
    const { tokens } = await signedInClient(server, { scope: "mcp:tools mcp:resources made:up" });
    assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
    const { payload } = await verifyAccessToken(server, tokens.body.access_token as string);
    assert.deepEqual(String(payload.scope).split(" ").sort(), ["mcp:resources", "mcp:tools"]);
  });

  test("the authorization response carries iss and the state, once each", async () => {
    const client = await registerPublicClient(server);
    const { challenge } = pkce();
    const callback = await authorize(server, new Browser(), { clientId: client.client_id, redirectUri: client.redirect_uris[0]!, challenge, state: "s-123" });
    assert.deepEqual(callback.searchParams.getAll("iss"), [server.issuer]);
    assert.deepEqual(callback.searchParams.getAll("state"), ["s-123"]);
    assert.equal(callback.searchParams.getAll("code").length, 1);
  });

  test("attack: no code_challenge at all is refused (PKCE is required for every client)", async () => {
    const client = await registerPublicClient(server);
    const browser = new Browser();
    const url = authorizationUrl(server, { response_type: "code", client_id: client.client_id, redirect_uri: client.redirect_uris[0], state: "x" });
    const result = await browser.request(url);
    assert.equal(result.status, 303);
    const back = new URL(result.location!);
    assert.equal(back.origin + back.pathname, client.redirect_uris[0]);
    assert.equal(back.searchParams.get("error"), "invalid_request");
    assert.match(back.searchParams.get("error_description") ?? "", /PKCE/);
    assert.equal(back.searchParams.get("iss"), server.issuer, "errors carry iss too");
  });

  test("attack: PKCE method plain is refused", async () => {
    const client = await registerPublicClient(server);
    const { verifier } = pkce();
    const url = authorizationUrl(server, { response_type: "code", client_id: client.client_id, redirect_uri: client.redirect_uris[0], code_challenge: verifier, code_challenge_method: "plain", state: "x" });
    const result = await new Browser().request(url);
    assert.equal(result.status, 303);
    assert.equal(new URL(result.location!).searchParams.get("error"), "invalid_request");
  });

  test("attack: a code exchanged without the code_verifier is refused", async () => {
    const client = await registerPublicClient(server);
    const { challenge } = pkce();
    const callback = await authorize(server, new Browser(), { clientId: client.client_id, redirectUri: client.redirect_uris[0]!, challenge });
    const tokens = await tokenRequest(server, { grant_type: "authorization_code", code: callback.searchParams.get("code")!, redirect_uri: client.redirect_uris[0]!, client_id: client.client_id });
    assert.equal(tokens.status, 400);
    assert.equal(tokens.body.error, "invalid_grant");
    assert.equal(tokens.body.access_token, undefined);
  });

  test("attack: a code exchanged with the wrong code_verifier is refused", async () => {
    const client = await registerPublicClient(server);
    const { challenge } = pkce();
    const callback = await authorize(server, new Browser(), { clientId: client.client_id, redirectUri: client.redirect_uris[0]!, challenge });
    const tokens = await tokenRequest(server, { grant_type: "authorization_code", code: callback.searchParams.get("code")!, redirect_uri: client.redirect_uris[0]!, client_id: client.client_id, code_verifier: pkce().verifier });
    assert.equal(tokens.status, 400);
    assert.equal(tokens.body.error, "invalid_grant");
  });

  test("attack: a code used twice is refused the second time, and the tokens of the first use are revoked", async () => {
    const client = await registerPublicClient(server);
    const { challenge, verifier } = pkce();
    const redirectUri = client.redirect_uris[0]!;
    const callback = await authorize(server, new Browser(), { clientId: client.client_id, redirectUri, challenge });
    const params = { grant_type: "authorization_code", code: callback.searchParams.get("code")!, redirect_uri: redirectUri, client_id: client.client_id, code_verifier: verifier };
    const first = await tokenRequest(server, params);
    assert.equal(first.status, 200);
    const second = await tokenRequest(server, params);
    assert.equal(second.status, 400);
    assert.equal(second.body.error, "invalid_grant");
    const refresh = await tokenRequest(server, { grant_type: "refresh_token", refresh_token: first.body.refresh_token as string, client_id: client.client_id });
    assert.equal(refresh.status, 400, "the grant of a replayed code is revoked");
  });

  test("attack: a code redeemed by another client is refused", async () => {
    const client = await registerPublicClient(server);
    const other = await registerPublicClient(server);
    const { challenge, verifier } = pkce();
    const callback = await authorize(server, new Browser(), { clientId: client.client_id, redirectUri: client.redirect_uris[0]!, challenge });
    const tokens = await tokenRequest(server, { grant_type: "authorization_code", code: callback.searchParams.get("code")!, redirect_uri: client.redirect_uris[0]!, client_id: other.client_id, code_verifier: verifier });
    assert.equal(tokens.status, 400);
    assert.equal(tokens.body.error, "invalid_grant");
  });
});

describe("exact redirect URI matching", () => {
  const refusedAt = async (redirectUri: string) => {
    const client = await registerPublicClient(server, "https://client.example/callback");
    const url = authorizationUrl(server, { response_type: "code", client_id: client.client_id, redirect_uri: redirectUri, code_challenge: pkce().challenge, code_challenge_method: "S256", state: "x" });
    return new Browser().request(url);
  };

  for (const [name, uri] of [
    ["an extra path segment", "https://client.example/callback/evil"],
    ["a prefix of the registered one", "https://client.example/call"],
    ["an added query", "https://client.example/callback?x=1"],
    ["another host", "https://evil.example/callback"],
    ["another scheme", "http://client.example/callback"],
    ["a trailing slash", "https://client.example/callback/"],
    ["another port", "https://client.example:8443/callback"],
    ["a user-info trick", "https://client.example@evil.example/callback"],
  ] as const) {
    test(`attack: ${name} is refused, and the browser is not sent there`, async () => {
      const result = await refusedAt(uri);
      assert.equal(result.status, 400);
      assert.equal(result.location, undefined);
      assert.match(result.body, /redirect_uri/);
      assert.equal(result.headers.get("x-frame-options"), "DENY");
    });
  }

  test("native apps on loopback may use any port (RFC 8252 §7.3, OAuth 2.1 §8.4.2) but nothing else may differ", async () => {
    const { registerClient } = await import("./helpers.js");
    const { body } = await registerClient(server, { application_type: "native", redirect_uris: ["http://127.0.0.1:8080/cb"], token_endpoint_auth_method: "none" });
    const first = async (redirectUri: string) =>
      new Browser().request(authorizationUrl(server, { response_type: "code", client_id: String(body.client_id), redirect_uri: redirectUri, code_challenge: pkce().challenge, code_challenge_method: "S256", state: "x" }));
    assert.equal((await first("http://127.0.0.1:51234/cb")).status, 303, "another port");
    assert.equal((await first("http://127.0.0.1:51234/cb/x")).status, 400, "attack: another path");
    assert.equal((await first("http://localhost:8080/cb")).status, 400, "attack: another host name");
    assert.equal((await first("http://127.0.0.1:8080/cb?x=1")).status, 400, "attack: an added query");
  });

  test("the registered URI itself is accepted", async () => {
    const result = await refusedAt("https://client.example/callback");
    assert.equal(result.status, 303);
    assert.match(result.location!, /\/interaction\//);
  });

  test("attack: a token request with a redirect_uri other than the authorization request's is refused", async () => {
    const client = await registerPublicClient(server);
    const { challenge, verifier } = pkce();
    const callback = await authorize(server, new Browser(), { clientId: client.client_id, redirectUri: client.redirect_uris[0]!, challenge });
    const tokens = await tokenRequest(server, { grant_type: "authorization_code", code: callback.searchParams.get("code")!, redirect_uri: `${client.redirect_uris[0]}/x`, client_id: client.client_id, code_verifier: verifier });
    assert.equal(tokens.status, 400);
    assert.equal(tokens.body.error, "invalid_grant");
  });

  test("attack: a token request without redirect_uri is refused (never defaulted)", async () => {
    const client = await registerPublicClient(server);
    const { challenge, verifier } = pkce();
    const callback = await authorize(server, new Browser(), { clientId: client.client_id, redirectUri: client.redirect_uris[0]!, challenge });
    const tokens = await tokenRequest(server, { grant_type: "authorization_code", code: callback.searchParams.get("code")!, client_id: client.client_id, code_verifier: verifier });
    assert.equal(tokens.status, 400);
    assert.equal(tokens.body.error, "invalid_request");
  });
});

describe("resource indicators (RFC 8707)", () => {
  test("attack: a token for a resource this server does not know is refused", async () => {
    const client = await registerPublicClient(server);
    const url = authorizationUrl(server, {
      response_type: "code",
      client_id: client.client_id,
      redirect_uri: client.redirect_uris[0],
      code_challenge: pkce().challenge,
      code_challenge_method: "S256",
      resource: "https://other.example/mcp",
      state: "x",
    });
    const result = await new Browser().request(url);
    assert.equal(result.status, 303);
    assert.equal(new URL(result.location!).searchParams.get("error"), "invalid_target");
  });

  test("attack: asking the token endpoint for another resource than the one granted is refused", async () => {
    const client = await registerPublicClient(server);
    const { challenge, verifier } = pkce();
    const callback = await authorize(server, new Browser(), { clientId: client.client_id, redirectUri: client.redirect_uris[0]!, challenge });
    const tokens = await tokenRequest(server, {
      grant_type: "authorization_code",
      code: callback.searchParams.get("code")!,
      redirect_uri: client.redirect_uris[0]!,
      client_id: client.client_id,
      code_verifier: verifier,
      resource: "https://other.example/mcp",
    });
    assert.equal(tokens.status, 400);
    assert.equal(tokens.body.error, "invalid_target");
  });

  test("the token's kid is one the JWKS publishes", async () => {
    const { tokens } = await signedInClient(server);
    const { kid } = decodeProtectedHeader(tokens.body.access_token as string);
    const jwks = server.as.publicJwks();
    assert.ok(jwks.keys.some((k) => k.kid === kid));
    assert.ok(jwks.keys.every((k) => !("d" in k)), "no private key material is published");
  });
});

describe("consent", () => {
  test("denying consent sends the client access_denied", async () => {
    const client = await registerPublicClient(server);
    const browser = new Browser();
    const url = authorizationUrl(server, { response_type: "code", client_id: client.client_id, redirect_uri: client.redirect_uris[0], code_challenge: pkce().challenge, code_challenge_method: "S256", state: "x" });
    const login = await browser.follow(url, client.redirect_uris[0]!);
    const loginForm = formOf(login.body);
    const consent = await browser.follow(new URL(loginForm.action, server.issuer).href, client.redirect_uris[0]!, { form: { csrf: loginForm.csrf, username: "alice", password: PASSWORD } });
    assert.match(consent.body, /Authorize access/);
    assert.match(consent.body, /mcp:tools/);
    assert.match(consent.body, /registered itself/, "a dynamically registered client is flagged as unverified");
    const deny = formOf(consent.body, 1);
    const result = await browser.follow(new URL(deny.action, server.issuer).href, client.redirect_uris[0]!, { form: { csrf: deny.csrf } });
    const back = new URL(result.location!);
    assert.equal(back.searchParams.get("error"), "access_denied");
    assert.equal(back.searchParams.get("code"), null);
  });

  test("a client's name is shown escaped (no markup injection into the consent page)", async () => {
    const { registerClient } = await import("./helpers.js");
    const { body } = await registerClient(server, {
      client_name: '<script>alert(1)</script>"><img src=x>',
      redirect_uris: ["http://127.0.0.1:9/callback"],
      token_endpoint_auth_method: "none",
    });
    const browser = new Browser();
    const url = authorizationUrl(server, { response_type: "code", client_id: body.client_id as string, redirect_uri: "http://127.0.0.1:9/callback", code_challenge: pkce().challenge, code_challenge_method: "S256", state: "x" });
    const login = await browser.follow(url, "http://127.0.0.1:9/callback");
    assert.equal(login.status, 200);
    assert.ok(!login.body.includes("<script>"));
    assert.ok(!login.body.includes("<img"));
    assert.match(login.headers.get("content-security-policy") ?? "", /default-src 'none'/);
  });

  test("a second authorization by the same user in the same session needs no new consent for the same scopes", async () => {
    const client = await registerPublicClient(server);
    const browser = new Browser();
    const redirectUri = client.redirect_uris[0]!;
    await authorize(server, browser, { clientId: client.client_id, redirectUri, challenge: pkce().challenge });
    const url = authorizationUrl(server, { response_type: "code", client_id: client.client_id, redirect_uri: redirectUri, code_challenge: pkce().challenge, code_challenge_method: "S256", state: "y", resource: server.resource });
    const again = await browser.follow(url, redirectUri);
    assert.ok(again.location?.startsWith(redirectUri), `expected a direct redirect, got ${again.status}`);
    assert.ok(new URL(again.location!).searchParams.get("code"));
  });
});
