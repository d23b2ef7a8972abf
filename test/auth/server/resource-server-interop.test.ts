/**
 * The tokens this authorization server issues, as the gateway's own JWT authenticator (src/auth/jwt)
 * sees them: configured the way the lead will configure it for the built-in server (its issuer,
 * its JWKS URL, the resource as audience, ES256 only, `typ` at+jwt required, roles from `roles`).
 */
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { AuthError } from "../../../src/auth/errors.js";
import { createJwtAuthenticator, jwtIssuerSchema } from "../../../src/auth/jwt/index.js";
import { createAuthorizationServer, parseAuthorizationServerConfig } from "../../../src/auth/server/index.js";
import { basicAuth, PASSWORD, signedInClient, startServer, tokenRequest, type RunningServer } from "./helpers.js";

const SECRET = "robot-secret-0123456789-abcdefghijklmnop";
let server: RunningServer;
let clock = Date.now();

const authenticatorFor = (s: RunningServer) =>
  createJwtAuthenticator({
    issuers: [jwtIssuerSchema.parse({ issuer: s.issuer, jwksUri: `${s.issuer}/jwks`, audience: s.resource, algorithms: ["ES256"], requireAtJwt: true, claims: { roles: ["roles"] } })],
    resource: s.resource,
    now: () => clock,
  });

before(async () => {
  server = await startServer({ config: () => ({ clients: [{ clientId: "robot", clientSecret: SECRET, grantTypes: ["client_credentials"], scope: "mcp:tools", roles: ["automation"] }] }) });
  await server.as.users.createUser({ username: "alice", password: PASSWORD, roles: ["editor"] });
});
after(() => server.close());

const context = () => ({ now: clock, clientAddress: "127.0.0.1" });

describe("the gateway's JWT authenticator accepts the built-in server's tokens", () => {
  test("a user's token becomes a principal with the user's roles and the granted scopes", async () => {
    const { tokens } = await signedInClient(server, { scope: "mcp:tools mcp:resources" });
    const user = await server.as.users.findByUsername("alice");
    const principal = await authenticatorFor(server).authenticate({ kind: "bearer", token: tokens.body.access_token as string }, context());
    assert.equal(principal.id, `jwt:${server.issuer}#${user!.id}`);
    assert.equal(principal.method, "jwt");
    assert.deepEqual([...principal.roles], ["editor"]);
    assert.deepEqual([...principal.scopes].sort(), ["mcp:resources", "mcp:tools"]);
  });

  test("a client-credentials token becomes a principal with the client's configured roles", async () => {
    const tokens = await tokenRequest(server, { grant_type: "client_credentials", scope: "mcp:tools" }, basicAuth("robot", SECRET));
    const principal = await authenticatorFor(server).authenticate({ kind: "bearer", token: tokens.body.access_token as string }, context());
    assert.equal(principal.id, `jwt:${server.issuer}#robot`);
    assert.deepEqual([...principal.roles], ["automation"]);
  });

  test("after a key rotation, tokens signed before and after both authenticate (the new kid is fetched)", async () => {
    const authenticator = authenticatorFor(server);
    const before = await tokenRequest(server, { grant_type: "client_credentials", scope: "mcp:tools" }, basicAuth("robot", SECRET));
    await authenticator.authenticate({ kind: "bearer", token: before.body.access_token as string }, context());
    await server.as.rotateSigningKey();
    const afterRotation = await tokenRequest(server, { grant_type: "client_credentials", scope: "mcp:tools" }, basicAuth("robot", SECRET));
    clock += 60_000; // past the authenticator's refetch cooldown
    await authenticator.authenticate({ kind: "bearer", token: afterRotation.body.access_token as string }, context());
    await authenticator.authenticate({ kind: "bearer", token: before.body.access_token as string }, context());
  });

  test("attack: a token from an impostor claiming the same issuer and audience (other keys) is refused", async () => {
    // Same issuer string, same resource, its own (fresh) keys, served on another port.
    const config = parseAuthorizationServerConfig({
      issuer: server.issuer,
      resources: [{ uri: server.resource, scopes: ["mcp:tools"] }],
      clients: [{ clientId: "robot", clientSecret: SECRET, grantTypes: ["client_credentials"], scope: "mcp:tools", roles: ["admin"] }],
      allowedHosts: ["*"],
    });
    const impostor = await createAuthorizationServer(config);
    const listener = createServer((req, res) => void impostor.handle(req, res));
    await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
    try {
      const port = (listener.address() as AddressInfo).port;
      const response = await fetch(`http://127.0.0.1:${port}/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", ...basicAuth("robot", SECRET) },
        body: "grant_type=client_credentials&scope=mcp%3Atools",
      });
      assert.equal(response.status, 200);
      const forged = ((await response.json()) as { access_token: string }).access_token;
      assert.match(forged, /^ey/);
      clock += 60_000;
      await assert.rejects(authenticatorFor(server).authenticate({ kind: "bearer", token: forged }, context()), AuthError);
    } finally {
      listener.closeAllConnections();
      await new Promise<void>((resolve) => listener.close(() => resolve()));
    }
  });

  test("attack: an expired token is refused", async () => {
    const tokens = await tokenRequest(server, { grant_type: "client_credentials", scope: "mcp:tools" }, basicAuth("robot", SECRET));
    const authenticator = authenticatorFor(server);
    await assert.rejects(authenticator.authenticate({ kind: "bearer", token: tokens.body.access_token as string }, { now: clock + 11 * 60_000, clientAddress: "127.0.0.1" }), AuthError);
  });
});
