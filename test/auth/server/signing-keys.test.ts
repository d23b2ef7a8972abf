/**
 * Signing keys: generated and stored (not hard-coded), rotated with the previous key kept for
 * verification until its tokens have expired, reloaded from the store after a restart.
 */
import assert from "node:assert/strict";
import { describe, mock, test } from "node:test";
import { decodeProtectedHeader } from "jose";
import { createMemoryKeyStore } from "../../../src/auth/server/index.js";
import { createSigningKeyManager } from "../../../src/auth/server/signing-keys.js";
import { basicAuth, startServer, tokenRequest, verifyAccessToken, type RunningServer } from "./helpers.js";

const SECRET = "robot-secret-0123456789-abcdefghijklmnop";
const withRobot = () => ({ clients: [{ clientId: "robot", clientSecret: SECRET, grantTypes: ["client_credentials" as const], scope: "mcp:tools" }] });
const robotToken = async (server: RunningServer) => {
  const tokens = await tokenRequest(server, { grant_type: "client_credentials", scope: "mcp:tools" }, basicAuth("robot", SECRET));
  assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
  return tokens.body.access_token as string;
};
const jwksOf = async (server: RunningServer) => ((await (await fetch(`${server.issuer}/jwks`)).json()) as { keys: Record<string, unknown>[] }).keys;

describe("rotation on a running server", () => {
  test("after a rotation new tokens use the new key, old tokens still verify, and the JWKS has both", async () => {
    const server = await startServer({ config: withRobot });
    try {
      const before = await robotToken(server);
      const oldKid = decodeProtectedHeader(before).kid;
      const { activeKid } = await server.as.rotateSigningKey();
      assert.notEqual(activeKid, oldKid);
      const afterRotation = await robotToken(server);
      assert.equal(decodeProtectedHeader(afterRotation).kid, activeKid);
      const keys = await jwksOf(server);
      assert.deepEqual(keys.map((k) => k.kid).sort(), [oldKid, activeKid].sort());
      assert.deepEqual(keys.find((k) => k.kid === oldKid)!.key_ops, ["verify"], "the retired key is published for verification only");
      await verifyAccessToken(server, before);
      await verifyAccessToken(server, afterRotation);
      for (const key of keys) for (const member of ["d", "p", "q", "dp", "dq", "qi"]) assert.ok(!(member in key), `no private member ${member}`);
    } finally {
      await server.close();
    }
  });

  test("the retired key leaves the JWKS once every token it signed has expired", async (t) => {
    const server = await startServer({ config: () => ({ ...withRobot(), accessTokenTtl: "10m" }) });
    try {
      mock.timers.enable({ apis: ["Date"], now: Date.now() });
      t.after(() => mock.timers.reset());
      const oldKid = decodeProtectedHeader(await robotToken(server)).kid;
      await server.as.rotateSigningKey();
      mock.timers.tick(14 * 60_000);
      await server.as.reloadSigningKeys();
      assert.ok((await jwksOf(server)).some((k) => k.kid === oldKid), "10 min tokens + 5 min skew: still published at 14 min");
      mock.timers.tick(2 * 60_000);
      await server.as.reloadSigningKeys();
      assert.ok(!(await jwksOf(server)).some((k) => k.kid === oldKid), "gone at 16 min");
    } finally {
      await server.close();
    }
  });

  test("keys come from the store: a restart with the same store signs with the same key", async () => {
    const keyStore = createMemoryKeyStore();
    const first = await startServer({ config: withRobot, deps: { keyStore } });
    const kid = decodeProtectedHeader(await robotToken(first)).kid;
    await first.close();
    const second = await startServer({ config: withRobot, deps: { keyStore } });
    try {
      assert.equal(decodeProtectedHeader(await robotToken(second)).kid, kid);
    } finally {
      await second.close();
    }
  });

  test("a fresh store means a fresh key: nothing is built in", async () => {
    const a = await startServer({ config: withRobot });
    const b = await startServer({ config: withRobot });
    try {
      assert.notEqual(decodeProtectedHeader(await robotToken(a)).kid, decodeProtectedHeader(await robotToken(b)).kid);
    } finally {
      await a.close();
      await b.close();
    }
  });

  for (const alg of ["PS256", "RS256", "EdDSA"] as const) {
    test(`signing algorithm ${alg}`, async () => {
      const server = await startServer({ config: () => ({ ...withRobot(), signingAlgorithm: alg }) });
      try {
        const token = await robotToken(server);
        assert.equal(decodeProtectedHeader(token).alg, alg);
        await verifyAccessToken(server, token);
      } finally {
        await server.close();
      }
    });
  }
});

describe("the key manager", () => {
  test("two unretired keys (replicas starting together): the newest signs, the other is retired", async () => {
    const store = createMemoryKeyStore();
    let t = 1_000_000;
    const a = createSigningKeyManager({ store, algorithm: "ES256", retentionMs: 60_000, now: () => t });
    const first = await a.load();
    t += 1;
    // A second replica that did not see the first key made its own.
    const { createSigningKeyRecord } = await import("../../../src/auth/server/signing-keys.js");
    const other = await createSigningKeyRecord("ES256", t);
    await store.saveSigningKey(other);
    const set = await a.load();
    assert.equal(set.activeKid, other.kid);
    const stored = await store.listSigningKeys();
    assert.ok(stored.find((k) => k.kid === first.activeKid)!.retiredAt !== undefined);
    assert.equal(set.providerJwks.keys[0]!.kid, other.kid, "the signing key comes first");
    assert.deepEqual(set.providerJwks.keys[1]!.key_ops, ["verify"]);
  });

  test("changing the configured algorithm retires the old key and makes one of the new kind", async () => {
    const store = createMemoryKeyStore();
    const es = await createSigningKeyManager({ store, algorithm: "ES256", retentionMs: 60_000, now: () => 1 }).load();
    const ed = await createSigningKeyManager({ store, algorithm: "EdDSA", retentionMs: 60_000, now: () => 2 }).load();
    assert.notEqual(ed.activeKid, es.activeKid);
    assert.equal(ed.providerJwks.keys[0]!.alg, "EdDSA");
    assert.equal(ed.publicJwks.keys.length, 2);
  });
});
