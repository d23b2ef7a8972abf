/**
 * The remote key set's synchronous lookup (knownKey), which spares a remembered token the
 * promises of getKey: it must answer only when getKey would answer the same without fetching,
 * and otherwise leave the decision (refetch, refusal) to getKey. And through the verifier: a
 * remembered token is still refused once its key is gone.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { AuthError } from "../../src/auth/errors.js";
import { jwtIssuerSchema } from "../../src/auth/jwt/config.js";
import { KeySetUnavailableError } from "../../src/auth/jwt/key-set.js";
import { createRemoteKeySet } from "../../src/auth/jwt/remote-key-set.js";
import { createJwtVerifier } from "../../src/auth/jwt/verifier.js";
import { claimsAt, clock, ISSUER, makeKey, RESOURCE, sign, startJwksServer, type TestKey } from "../auth/helpers.js";

const COOLDOWN = 30_000;
const MAX_AGE = 600_000;

let k1: TestKey;
let k2: TestKey;
let server: Awaited<ReturnType<typeof startJwksServer>>;

before(async () => {
  [k1, k2] = await Promise.all([makeKey("ES256", "k1"), makeKey("ES256", "k2")]);
  server = await startJwksServer([k1.jwk, k2.jwk]);
});
after(() => server?.close());

function fresh() {
  server.setKeys([k1.jwk, k2.jwk]);
  server.setStatus(200);
  const time = clock();
  const keys = createRemoteKeySet({ url: `${server.url}/jwks`, cacheMaxAge: MAX_AGE, cooldown: COOLDOWN, timeout: 5_000, now: time.now });
  return { time, keys };
}

const header = (kid: string, alg = "ES256") => ({ alg, kid });

describe("remote key set: knownKey", () => {
  test("nothing is known before the first lookup (it would need a fetch)", () => {
    const { keys } = fresh();
    assert.equal(keys.knownKey?.(header("k1")), undefined);
  });

  test("after a lookup, the same alg and kid give the very key getKey gave; another kid or alg gives nothing", async () => {
    const { keys } = fresh();
    const key = await keys.getKey(header("k1"));
    assert.equal(keys.knownKey?.(header("k1")), key);
    assert.equal(keys.knownKey?.(header("k2")), undefined);
    assert.equal(keys.knownKey?.(header("k1", "ES384")), undefined);
    assert.equal(keys.knownKey?.({ alg: "ES256" }), undefined);
  });

  test("past the cache's life it knows nothing, while the refetch runs nothing either, and afterwards only the new set's key", async () => {
    const { keys, time } = fresh();
    const old = await keys.getKey(header("k1"));
    time.advance(MAX_AGE);
    assert.equal(keys.knownKey?.(header("k1")), undefined);
    const refetch = keys.getKey(header("k1"));
    assert.equal(keys.knownKey?.(header("k1")), undefined, "a fetch is in flight");
    const renewed = await refetch;
    assert.notEqual(renewed, old, "a refetched set gives new key objects");
    assert.equal(keys.knownKey?.(header("k1")), renewed);
  });

  test("when the issuer fails after the cache's life, it knows nothing and getKey refuses (fail closed)", async () => {
    const { keys, time } = fresh();
    await keys.getKey(header("k1"));
    server.setStatus(500);
    time.advance(MAX_AGE);
    assert.equal(keys.knownKey?.(header("k1")), undefined);
    await assert.rejects(keys.getKey(header("k1")), (error: unknown) => error instanceof KeySetUnavailableError);
    assert.equal(keys.knownKey?.(header("k1")), undefined);
  });
});

describe("verifier: a remembered token goes through knownKey", () => {
  test("accepted again while its key is current; refused once the issuer dropped the key and the cache expired", async () => {
    server.setKeys([k1.jwk]);
    server.setStatus(200);
    const time = clock();
    const verifier = createJwtVerifier({
      resource: RESOURCE,
      now: time.now,
      issuers: [jwtIssuerSchema.parse({ issuer: ISSUER, jwksUri: `${server.url}/jwks`, algorithms: ["ES256"], jwksCacheMaxAge: MAX_AGE })],
    });
    const token = await sign(k1, claimsAt(time.now(), { sub: "alice", exp: Math.floor(time.now() / 1000) + 3 * 3600 }));
    const first = await verifier.verify(token, time.now());
    assert.equal(verifier.remembers(token), true);
    assert.equal(await verifier.verify(token, time.now()), first, "the remembered result");
    server.setKeys([k2.jwk]);
    time.advance(MAX_AGE + 1);
    await assert.rejects(verifier.verify(token, time.now()), (error: unknown) => error instanceof AuthError && /No trusted key/.test(error.message));
    assert.equal(verifier.remembers(token), false, "the entry is dropped");
  });

  test("a remembered token past its exp is refused although its key is known", async () => {
    server.setKeys([k1.jwk]);
    server.setStatus(200);
    const time = clock();
    const verifier = createJwtVerifier({
      resource: RESOURCE,
      now: time.now,
      issuers: [jwtIssuerSchema.parse({ issuer: ISSUER, jwksUri: `${server.url}/jwks`, algorithms: ["ES256"], jwksCacheMaxAge: MAX_AGE })],
    });
    const token = await sign(k1, claimsAt(time.now(), { sub: "bob", exp: Math.floor(time.now() / 1000) + 60 }));
    await verifier.verify(token, time.now());
    time.advance(120_000);
    await assert.rejects(verifier.verify(token, time.now()), (error: unknown) => error instanceof AuthError && error.code === "expired_credentials");
  });
});
