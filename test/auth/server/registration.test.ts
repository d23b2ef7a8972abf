/**
 * Dynamic client registration (RFC 7591) under the untrusted-client policy, on a real server.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { authorizationUrl, authorize, basicAuth, Browser, pkce, PASSWORD, registerClient, startServer, tokenRequest, verifyAccessToken, type RunningServer } from "./helpers.js";

let server: RunningServer;

before(async () => {
  server = await startServer();
  await server.as.users.createUser({ username: "alice", password: PASSWORD });
});
after(() => server.close());

const base = { redirect_uris: ["https://app.example/callback"], token_endpoint_auth_method: "none" };

describe("what may be registered", () => {
  test("a public client: random client_id, no secret, no registration access token", async () => {
    const { status, body } = await registerClient(server, { ...base, client_name: "My client" });
    assert.equal(status, 201);
    assert.match(String(body.client_id), /^[A-Za-z0-9_-]{22,}$/);
    assert.equal(body.client_secret, undefined);
    assert.equal(body.registration_access_token, undefined);
    assert.deepEqual(body.grant_types, ["authorization_code", "refresh_token"]);
  });

  test("a confidential client gets a strong secret and authenticates with it at the token endpoint", async () => {
    const redirectUri = "http://127.0.0.1:9/cb";
    const { status, body } = await registerClient(server, { redirect_uris: [redirectUri], token_endpoint_auth_method: "client_secret_basic" });
    assert.equal(status, 201);
    const secret = String(body.client_secret);
    assert.ok(secret.length >= 43);
    const { verifier, challenge } = pkce();
    const callback = await authorize(server, new Browser(), { clientId: String(body.client_id), redirectUri, challenge });
    const code = callback.searchParams.get("code")!;
    const params = { grant_type: "authorization_code", code, redirect_uri: redirectUri, code_verifier: verifier };
    const wrong = await tokenRequest(server, params, basicAuth(String(body.client_id), `${secret}x`));
    assert.equal(wrong.status, 401, "attack: a wrong secret");
    const right = await tokenRequest(server, params, basicAuth(String(body.client_id), secret));
    assert.equal(right.status, 200, JSON.stringify(right.body));
    await verifyAccessToken(server, right.body.access_token as string);
  });

  for (const [name, uri] of [
    ["an https URI", "https://app.example/cb"],
    ["loopback http (native apps)", "http://127.0.0.1:33418/cb"],
    ["localhost http", "http://localhost:8080/cb"],
    ["IPv6 loopback http", "http://[::1]:8080/cb"],
    ["a private-use scheme (native app)", "com.example.app:/oauth/cb"],
  ] as const) {
    test(`redirect URI accepted: ${name}`, async () => {
      const native = !uri.startsWith("http") ? { application_type: "native" } : {};
      const { status, body } = await registerClient(server, { redirect_uris: [uri], token_endpoint_auth_method: "none", ...native });
      assert.equal(status, 201, JSON.stringify(body));
    });
  }

  for (const [name, metadata, error] of [
    ["http to a non-loopback host", { redirect_uris: ["http://app.example/cb"] }, "invalid_redirect_uri"],
    ["a javascript: URI", { redirect_uris: ["javascript:alert(1)"] }, "invalid_redirect_uri"],
    ["a data: URI", { redirect_uris: ["data:text/html,hi"] }, "invalid_redirect_uri"],
    ["a file: URI", { redirect_uris: ["file:///etc/passwd"] }, "invalid_redirect_uri"],
    ["a scheme without a dot", { redirect_uris: ["myapp:/cb"] }, "invalid_redirect_uri"],
    ["a native app's scheme without a dot", { application_type: "native", redirect_uris: ["myapp:/cb"] }, "invalid_redirect_uri"],
    ["a native app's ws: URI", { application_type: "native", redirect_uris: ["ws://127.0.0.1/cb"] }, "invalid_redirect_uri"],
    ["a fragment", { redirect_uris: ["https://app.example/cb#x"] }, "invalid_redirect_uri"],
    ["credentials in the URI", { redirect_uris: ["https://user:pw@app.example/cb"] }, "invalid_redirect_uri"],
    ["no redirect URI", { redirect_uris: [] }, "invalid_redirect_uri"],
    ["the implicit grant", { grant_types: ["implicit"], response_types: ["token"] }, "invalid_client_metadata"],
    ["response type token", { response_types: ["code token"] }, "invalid_client_metadata"],
    ["client_credentials", { grant_types: ["authorization_code", "client_credentials"], token_endpoint_auth_method: "client_secret_basic" }, "invalid_client_metadata"],
    ["a jwks_uri (a URL we would fetch)", { jwks_uri: "https://169.254.169.254/keys" }, "invalid_client_metadata"],
    ["a sector_identifier_uri (a URL we would fetch)", { sector_identifier_uri: "https://10.0.0.1/s" }, "invalid_client_metadata"],
    ["private_key_jwt", { token_endpoint_auth_method: "private_key_jwt", jwks: { keys: [] } }, "invalid_client_metadata"],
    ["client_secret_jwt", { token_endpoint_auth_method: "client_secret_jwt" }, "invalid_client_metadata"],
    ["our own policy marker", { bastion_policy: "trusted" }, "invalid_client_metadata"],
    ["an http logo_uri", { logo_uri: "http://app.example/logo.png" }, "invalid_client_metadata"],
    ["a scope the server does not have", { scope: "mcp:tools root" }, "invalid_client_metadata"],
  ] as const) {
    test(`attack: registering ${name} is refused`, async () => {
      const { status, body } = await registerClient(server, { ...base, ...metadata });
      assert.equal(status, 400, JSON.stringify(body));
      assert.equal(body.error, error);
      assert.equal(body.client_id, undefined);
    });
  }

  test("attack: a body that is not JSON is refused", async () => {
    const response = await fetch(`${server.issuer}/reg`, { method: "POST", headers: { "content-type": "application/json" }, body: "{not json" });
    assert.equal(response.status, 400);
  });

  test("a client that registered a scope cannot ask for more", async () => {
    const redirectUri = "http://127.0.0.1:9/cb";
    const { body } = await registerClient(server, { redirect_uris: [redirectUri], token_endpoint_auth_method: "none", scope: "mcp:tools" });
    const url = authorizationUrl(server, { response_type: "code", client_id: String(body.client_id), redirect_uri: redirectUri, code_challenge: pkce().challenge, code_challenge_method: "S256", scope: "mcp:tools mcp:admin", state: "s" });
    const result = await new Browser().request(url);
    assert.equal(result.status, 303);
    assert.equal(new URL(result.location!).searchParams.get("error"), "invalid_scope");
  });
});

describe("registration gates", () => {
  test("with an initial access token configured, registration needs it", async () => {
    const token = "initial-access-token-0123456789abcdef";
    const gated = await startServer({ config: () => ({ registration: { initialAccessToken: token } }) });
    try {
      assert.equal((await registerClient(gated, base)).status, 401);
      assert.equal((await registerClient(gated, base, { authorization: `Bearer ${token}x` })).status, 401);
      assert.equal((await registerClient(gated, base, { authorization: `Bearer ${token}` })).status, 201);
    } finally {
      await gated.close();
    }
  });

  test("registration switched off: the endpoint is gone from metadata and refuses", async () => {
    const closed = await startServer({ config: () => ({ registration: { enabled: false } }) });
    try {
      const metadata = (await (await fetch(`${closed.issuer}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
      assert.equal(metadata.registration_endpoint, undefined);
      assert.notEqual((await registerClient(closed, base)).status, 201);
    } finally {
      await closed.close();
    }
  });

  test("attack: a registration flood stops at maxClients", async () => {
    const capped = await startServer({ config: () => ({ registration: { maxClients: 3 } }) });
    try {
      for (let i = 0; i < 3; i++) assert.equal((await registerClient(capped, base)).status, 201);
      const refused = await registerClient(capped, base);
      assert.equal(refused.status, 503);
      assert.equal(refused.body.error, "temporarily_unavailable");
    } finally {
      await capped.close();
    }
  });
});
