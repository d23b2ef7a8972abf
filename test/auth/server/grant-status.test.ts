/**
 * grant-status.ts (is an access token's grant still standing?) and revoke-access-token.ts (the
 * revocation endpoint for our JWT access tokens), on the real in-memory stores and real keys.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { createGrantStatus, GRANT_CLAIM } from "../../../src/auth/server/grant-status.js";
import { createMemoryOidcStore, createMemoryUserStore } from "../../../src/auth/server/memory-store.js";
import { revokeGrantOfAccessToken } from "../../../src/auth/server/revoke-access-token.js";
import { createUserDirectory } from "../../../src/auth/server/users.js";

const ISSUER = "http://127.0.0.1:1/oauth";
const robot = { clientId: "robot", grantTypes: ["client_credentials"] as const, redirectUris: [], roles: [] };
const webApp = { clientId: "web", grantTypes: ["authorization_code"] as const, redirectUris: ["https://app.example/cb"], roles: [] };

async function setUp() {
  const store = createMemoryOidcStore();
  const users = createUserDirectory(createMemoryUserStore(), { cost: { ln: 10, r: 8, p: 1 } });
  const alice = await users.createUser({ username: "alice", password: "correct horse battery staple" });
  await store.upsert("Grant", "g1", { payload: { accountId: alice.id, clientId: "app", kind: "Grant" } });
  const status = createGrantStatus({ store, users, clients: [robot as never, webApp as never] });
  return { store, users, alice, status };
}

describe("grant status", () => {
  test("a user's token is good while its grant stands, for the same user and client", async () => {
    const { status, alice } = await setUp();
    assert.equal(await status({ sub: alice.id, client_id: "app", [GRANT_CLAIM]: "g1" }), undefined);
  });

  test("a destroyed grant (sign-out, reuse, revocation) refuses the token", async () => {
    const { status, alice, store } = await setUp();
    await store.destroy("Grant", "g1");
    assert.equal(await status({ sub: alice.id, client_id: "app", [GRANT_CLAIM]: "g1" }), "grant_revoked");
  });

  test("attack: a grant id of another user or another client is refused", async () => {
    const { status, alice } = await setUp();
    assert.equal(await status({ sub: "someone-else", client_id: "app", [GRANT_CLAIM]: "g1" }), "grant_mismatch");
    assert.equal(await status({ sub: alice.id, client_id: "other-app", [GRANT_CLAIM]: "g1" }), "grant_mismatch");
  });

  test("a disabled user's token is refused", async () => {
    const { status, alice, users } = await setUp();
    await users.setDisabled("alice", true);
    assert.equal(await status({ sub: alice.id, client_id: "app", [GRANT_CLAIM]: "g1" }), "user_unavailable");
  });

  test("client credentials: no grant, the subject is a configured client allowed that grant", async () => {
    const { status } = await setUp();
    assert.equal(await status({ sub: "robot", client_id: "robot" }), undefined);
    assert.equal(await status({ sub: "web", client_id: "web" }), "client_unavailable", "a client without client_credentials");
    assert.equal(await status({ sub: "gone", client_id: "gone" }), "client_unavailable", "a client no longer configured");
  });

  test("attack: a user token without the grant claim, or with a malformed one, is refused", async () => {
    const { status, alice } = await setUp();
    assert.equal(await status({ sub: alice.id, client_id: "app" }), "no_grant");
    for (const bad of [42, "", ["g1"], { id: "g1" }, "x".repeat(300)]) {
      assert.equal(await status({ sub: alice.id, client_id: "app", [GRANT_CLAIM]: bad }), "no_grant", JSON.stringify(bad).slice(0, 20));
    }
    assert.equal(await status({ client_id: "app", [GRANT_CLAIM]: "g1" }), "no_grant", "no sub");
    assert.equal(await status({ sub: alice.id, [GRANT_CLAIM]: "g1" }), "no_grant", "no client_id");
  });

  test("fail closed: a store that cannot be read throws (the authenticator refuses on it)", async () => {
    const { alice, users } = await setUp();
    const broken = { ...createMemoryOidcStore(), find: async () => Promise.reject(new Error("disk I/O error")) };
    const status = createGrantStatus({ store: broken, users, clients: [] });
    await assert.rejects(status({ sub: alice.id, client_id: "app", [GRANT_CLAIM]: "g1" }), /disk I\/O error/);
  });
});

describe("revoking an access token revokes its grant", async () => {
  const { publicKey, privateKey } = await generateKeyPair("ES256");
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: "k1", alg: "ES256" }] as Record<string, unknown>[] };
  const sign = (claims: Record<string, unknown>, key = privateKey, kid = "k1") =>
    new SignJWT(claims).setProtectedHeader({ alg: "ES256", typ: "at+jwt", kid }).setIssuer(ISSUER).setIssuedAt().setExpirationTime("5m").sign(key);
  const input = async (token: unknown, clientId = "app") => {
    const store = createMemoryOidcStore();
    await store.upsert("Grant", "g1", { payload: { accountId: "u1", clientId: "app" } });
    await store.upsert("RefreshToken", "r1", { payload: { grantId: "g1" } });
    return { store, revocation: await revokeGrantOfAccessToken({ token, clientId, issuer: ISSUER, jwks, algorithm: "ES256", store }) };
  };

  test("its own client's token: the grant and its refresh tokens go", async () => {
    const { store, revocation } = await input(await sign({ client_id: "app", sub: "u1", [GRANT_CLAIM]: "g1" }));
    assert.deepEqual(revocation, { signed: true, grantId: "g1" });
    assert.equal(await store.find("Grant", "g1"), undefined);
    assert.equal(await store.find("RefreshToken", "r1"), undefined);
  });

  test("attack: another client's token is acknowledged but revokes nothing", async () => {
    const { store, revocation } = await input(await sign({ client_id: "app", sub: "u1", [GRANT_CLAIM]: "g1" }), "intruder");
    assert.deepEqual(revocation, { signed: true });
    assert.ok(await store.find("Grant", "g1"));
  });

  test("attack: a token signed with another key naming the grant is not ours and revokes nothing", async () => {
    const other = await generateKeyPair("ES256");
    const { store, revocation } = await input(await sign({ client_id: "app", sub: "u1", [GRANT_CLAIM]: "g1" }, other.privateKey));
    assert.deepEqual(revocation, { signed: false });
    assert.ok(await store.find("Grant", "g1"));
  });

  test("anything that is not a JWS is not ours", async () => {
    for (const token of [undefined, 42, "", "opaque-refresh-token", "a.b", "x".repeat(9000)]) {
      const { store, revocation } = await input(token);
      assert.deepEqual(revocation, { signed: false });
      assert.ok(await store.find("Grant", "g1"));
    }
  });
});
