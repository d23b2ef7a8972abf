/**
 * Refresh tokens (rotation on every use, reuse detection revoking the grant, lifetimes) and the
 * client credentials grant (configured confidential clients only), on a real server.
 */
import assert from "node:assert/strict";
import { after, before, describe, mock, test } from "node:test";
import { basicAuth, PASSWORD, registerClient, signedInClient, startServer, tokenRequest, verifyAccessToken, type RunningServer } from "./helpers.js";

const ROBOT_SECRET = "robot-secret-0123456789-abcdefghijklmnop";
let server: RunningServer;

before(async () => {
  server = await startServer({
    config: () => ({
      refreshTokenIdleTtl: "1h",
      refreshTokenAbsoluteTtl: "3h",
      clients: [
        { clientId: "ci-robot", clientSecret: ROBOT_SECRET, grantTypes: ["client_credentials"], scope: "mcp:tools mcp:resources", roles: ["automation"] },
        { clientId: "no-cc", clientSecret: ROBOT_SECRET, grantTypes: ["authorization_code"], redirectUris: ["https://app.example/cb"] },
      ],
    }),
  });
  await server.as.users.createUser({ username: "alice", password: PASSWORD, roles: ["editor"] });
  await server.as.users.createUser({ username: "bob", password: PASSWORD, roles: ["viewer"] });
});
after(() => server.close());

const refresh = (clientId: string, refreshToken: string, extra: Record<string, string> = {}) =>
  tokenRequest(server, { grant_type: "refresh_token", refresh_token: refreshToken, client_id: clientId, ...extra });

describe("refresh tokens", () => {
  test("each refresh returns a new refresh token and a valid access token for the same resource", async () => {
    const { client, tokens } = await signedInClient(server);
    const first = tokens.body.refresh_token as string;
    const next = await refresh(client.client_id, first);
    assert.equal(next.status, 200, JSON.stringify(next.body));
    assert.notEqual(next.body.refresh_token, first, "rotated");
    const { payload } = await verifyAccessToken(server, next.body.access_token as string);
    assert.equal(payload.aud, server.resource);
    assert.deepEqual(payload.roles, ["editor"]);
    const again = await refresh(client.client_id, next.body.refresh_token as string);
    assert.equal(again.status, 200, "the rotated token works in turn");
  });

  test("attack: reusing a rotated refresh token fails and revokes the whole grant (the thief's and the owner's tokens)", async () => {
    const { client, tokens } = await signedInClient(server);
    const stolen = tokens.body.refresh_token as string;
    const legit = await refresh(client.client_id, stolen);
    assert.equal(legit.status, 200);
    const replay = await refresh(client.client_id, stolen);
    assert.equal(replay.status, 400);
    assert.equal(replay.body.error, "invalid_grant");
    assert.equal(replay.body.access_token, undefined);
    const owner = await refresh(client.client_id, legit.body.refresh_token as string);
    assert.equal(owner.status, 400, "the newest refresh token of the grant is revoked too");
    assert.equal(owner.body.error, "invalid_grant");
  });

  test("attack: a refresh token presented by another client is refused", async () => {
    const { tokens } = await signedInClient(server);
    const { client: other } = await signedInClient(server);
    const stolen = await refresh(other.client_id, tokens.body.refresh_token as string);
    assert.equal(stolen.status, 400);
    assert.equal(stolen.body.error, "invalid_grant");
  });

  test("attack: a forged refresh token is refused", async () => {
    const { client } = await signedInClient(server);
    const forged = await refresh(client.client_id, "x".repeat(43));
    assert.equal(forged.status, 400);
    assert.equal(forged.body.error, "invalid_grant");
  });

  test("a client can revoke its refresh token (RFC 7009); another client cannot", async () => {
    const { client, tokens } = await signedInClient(server);
    const { client: other } = await signedInClient(server);
    const revoke = (clientId: string) =>
      fetch(server.wire(`${server.issuer}/token/revocation`), {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ token: tokens.body.refresh_token as string, token_type_hint: "refresh_token", client_id: clientId }).toString(),
      });
    await revoke(other.client_id);
    assert.equal((await refresh(client.client_id, tokens.body.refresh_token as string)).status, 200, "attack: another client's revocation did nothing");
    const mine = await signedInClient(server);
    const response = await fetch(server.wire(`${server.issuer}/token/revocation`), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token: mine.tokens.body.refresh_token as string, client_id: mine.client.client_id }).toString(),
    });
    assert.equal(response.status, 200);
    assert.equal((await refresh(mine.client.client_id, mine.tokens.body.refresh_token as string)).status, 400);
  });

  test("a refresh may narrow the scope; attack: it may not widen it", async () => {
    const { client, tokens } = await signedInClient(server, { scope: "mcp:tools" });
    const wider = await refresh(client.client_id, tokens.body.refresh_token as string, { scope: "mcp:tools mcp:admin" });
    assert.equal(wider.status, 400);
    assert.equal(wider.body.error, "invalid_scope");
  });

  test("a disabled user's refresh tokens stop working at once", async () => {
    const { client, tokens } = await signedInClient(server);
    await server.as.users.setDisabled("alice", true);
    try {
      const refused = await refresh(client.client_id, tokens.body.refresh_token as string);
      assert.equal(refused.status, 400);
      assert.equal(refused.body.error, "invalid_grant");
    } finally {
      await server.as.users.setDisabled("alice", false);
    }
  });

  test("a refresh token unused for longer than the idle lifetime is refused", async (t) => {
    const { client, tokens } = await signedInClient(server);
    mock.timers.enable({ apis: ["Date"], now: Date.now() });
    t.after(() => mock.timers.reset());
    mock.timers.tick(59 * 60_000);
    const fresh = await refresh(client.client_id, tokens.body.refresh_token as string);
    assert.equal(fresh.status, 200, "still inside the idle lifetime");
    mock.timers.tick(61 * 60_000);
    const stale = await refresh(client.client_id, fresh.body.refresh_token as string);
    assert.equal(stale.status, 400);
    assert.equal(stale.body.error, "invalid_grant");
  });

  test("refreshing within the idle lifetime works only until the absolute lifetime", async (t) => {
    const { client, tokens } = await signedInClient(server);
    mock.timers.enable({ apis: ["Date"], now: Date.now() });
    t.after(() => mock.timers.reset());
    let current = tokens.body.refresh_token as string;
    let refusedAtHour: number | undefined;
    for (let hour = 1; hour <= 4 && refusedAtHour === undefined; hour++) {
      mock.timers.tick(50 * 60_000);
      const next = await refresh(client.client_id, current);
      if (next.status !== 200) refusedAtHour = hour;
      else current = next.body.refresh_token as string;
    }
    // 3 h absolute: refreshes at 50, 100, 150 minutes work; the one at 200 minutes is refused.
    assert.equal(refusedAtHour, 4);
  });
});

describe("client credentials", () => {
  test("a configured confidential client gets a JWT for the resource with its roles and its scopes", async () => {
    const tokens = await tokenRequest(server, { grant_type: "client_credentials", scope: "mcp:tools", resource: server.resource }, basicAuth("ci-robot", ROBOT_SECRET));
    assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
    assert.equal(tokens.body.refresh_token, undefined);
    const { payload, header } = await verifyAccessToken(server, tokens.body.access_token as string);
    assert.equal(header.typ, "at+jwt");
    assert.equal(payload.sub, "ci-robot");
    assert.equal(payload.client_id, "ci-robot");
    assert.deepEqual(payload.roles, ["automation"]);
    assert.equal(payload.scope, "mcp:tools");
  });

  test("attack: a configured client asking for a scope it was not given is refused", async () => {
    const tokens = await tokenRequest(server, { grant_type: "client_credentials", scope: "mcp:tools mcp:admin" }, basicAuth("ci-robot", ROBOT_SECRET));
    assert.equal(tokens.status, 400);
    assert.equal(tokens.body.error, "invalid_scope");
    assert.equal(tokens.body.access_token, undefined);
  });

  test("without a resource parameter the token is for the configured resource", async () => {
    const tokens = await tokenRequest(server, { grant_type: "client_credentials", scope: "mcp:resources" }, basicAuth("ci-robot", ROBOT_SECRET));
    assert.equal(tokens.status, 200);
    const { payload } = await verifyAccessToken(server, tokens.body.access_token as string);
    assert.equal(payload.aud, server.resource);
  });

  test("attack: a wrong client secret is refused", async () => {
    const tokens = await tokenRequest(server, { grant_type: "client_credentials", scope: "mcp:tools" }, basicAuth("ci-robot", `${ROBOT_SECRET}x`));
    assert.equal(tokens.status, 401);
    assert.equal(tokens.body.error, "invalid_client");
    assert.ok(!JSON.stringify(tokens.body).includes(ROBOT_SECRET), "the secret is not echoed");
  });

  test("attack: an unknown client is refused", async () => {
    const tokens = await tokenRequest(server, { grant_type: "client_credentials" }, basicAuth("nobody", ROBOT_SECRET));
    assert.equal(tokens.status, 401);
    assert.equal(tokens.body.error, "invalid_client");
  });

  test("attack: a client not configured for client_credentials cannot use it", async () => {
    const tokens = await tokenRequest(server, { grant_type: "client_credentials" }, basicAuth("no-cc", ROBOT_SECRET));
    assert.equal(tokens.status, 400);
    // oidc-provider answers invalid_request ("requested grant type is not allowed for this client").
    assert.equal(tokens.body.error, "invalid_request");
    assert.match(String(tokens.body.error_description), /grant type is not allowed/);
    assert.equal(tokens.body.access_token, undefined);
  });

  test("attack: a dynamically registered client cannot register for client_credentials", async () => {
    const { status, body } = await registerClient(server, { grant_types: ["client_credentials"], redirect_uris: ["https://evil.example/cb"], token_endpoint_auth_method: "client_secret_basic" });
    assert.equal(status, 400);
    assert.equal(body.error, "invalid_client_metadata");
    assert.equal(body.client_id, undefined);
  });

  test("attack: a dynamically registered public client asking for client_credentials is refused", async () => {
    const { client } = await signedInClient(server);
    const tokens = await tokenRequest(server, { grant_type: "client_credentials", client_id: client.client_id });
    assert.equal(tokens.status, 400);
    // oidc-provider answers invalid_request ("requested grant type is not allowed for this client").
    assert.equal(tokens.body.error, "invalid_request");
    assert.match(String(tokens.body.error_description), /grant type is not allowed/);
    assert.equal(tokens.body.access_token, undefined);
  });
});
