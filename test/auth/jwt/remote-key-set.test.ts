/** The remote JWKS cache: caching, key rotation, the refetch rate limit, failing closed, and the synchronous lookup (knownKey) a remembered token takes. */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { AuthError } from "../../../src/auth/errors.js";
import { KeySetUnavailableError, publicKeysOf } from "../../../src/auth/jwt/key-set.js";
import { jwtIssuerSchema } from "../../../src/auth/jwt/config.js";
import { createRemoteKeySet } from "../../../src/auth/jwt/remote-key-set.js";
import { createJwtVerifier } from "../../../src/auth/jwt/verifier.js";
import { claimsAt, clock, ISSUER, makeKey, RESOURCE, sign, startJwksServer, startServer, type TestKey, type TestServer } from "../helpers.js";

const COOLDOWN = 30_000;
const MAX_AGE = 600_000;

let k1: TestKey;
let k2: TestKey;
let server: Awaited<ReturnType<typeof startJwksServer>>;

before(async () => {
  [k1, k2] = await Promise.all([makeKey("ES256", "k1"), makeKey("ES256", "k2")]);
  server = await startJwksServer([k1.jwk]);
});
after(() => server?.close());

function fresh(url = `${server.url}/jwks`) {
  server.requests.length = 0;
  server.setKeys([k1.jwk]);
  server.setStatus(200);
  const time = clock();
  const keys = createRemoteKeySet({ url, cacheMaxAge: MAX_AGE, cooldown: COOLDOWN, timeout: 5_000, now: time.now });
  return { time, keys };
}

const header = (kid: string, alg = "ES256") => ({ alg, kid });

async function noKey(run: Promise<unknown>): Promise<void> {
  await assert.rejects(run, (error: unknown) => error instanceof AuthError && error.code === "invalid_token");
}

async function unavailable(run: Promise<unknown>): Promise<void> {
  await assert.rejects(run, (error: unknown) => error instanceof KeySetUnavailableError);
}

describe("remote JWKS: caching", () => {
  test("one fetch serves many lookups within the cache's life", async () => {
    const { keys, time } = fresh();
    for (let i = 0; i < 20; i += 1) {
      await keys.getKey(header("k1"));
      time.advance(10_000);
    }
    assert.equal(server.requests.length, 1);
    assert.equal(keys.fetchCount, 1);
  });
  test("concurrent first lookups share one fetch", async () => {
    const { keys } = fresh();
    await Promise.all(Array.from({ length: 25 }, () => keys.getKey(header("k1"))));
    assert.equal(server.requests.length, 1);
  });
  test("after the cache's max age the keys are fetched again, and a removed key stops working", async () => {
    const { keys, time } = fresh();
    await keys.getKey(header("k1"));
    server.setKeys([k2.jwk]);
    time.advance(MAX_AGE);
    await noKey(keys.getKey(header("k1")));
    await keys.getKey(header("k2"));
    assert.equal(server.requests.length, 2);
  });
});

describe("remote JWKS: the last lookup kept", () => {
  test("the same alg and kid get the same key object; another alg or kid, or new key material after a refetch, do not", async () => {
    const { keys, time } = fresh();
    const first = await keys.getKey(header("k1"));
    assert.equal(await keys.getKey(header("k1")), first);
    // Another alg under the same kid is looked up (and ES256's key is not an RS256 key).
    await noKey(keys.getKey({ alg: "RS256", kid: "k1" }));
    await noKey(keys.getKey(header("k2")));
    assert.equal(await keys.getKey(header("k1")), first);
    // The issuer now publishes other key material under the same kid: once refetched, that is the key.
    const replaced = await makeKey("ES256", "k1");
    server.setKeys([replaced.jwk]);
    time.advance(MAX_AGE);
    const second = await keys.getKey(header("k1"));
    assert.notEqual(second, first);
    assert.equal(await keys.getKey(header("k1")), second);
    assert.equal(server.requests.length, 2);
  });
});

describe("remote JWKS: knownKey, the synchronous lookup a remembered token takes", () => {
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

/** A verifier trusting the test issuer, on its own clock. */
const verifierAt = (time: ReturnType<typeof clock>) =>
  createJwtVerifier({
    resource: RESOURCE,
    now: time.now,
    issuers: [jwtIssuerSchema.parse({ issuer: ISSUER, jwksUri: `${server.url}/jwks`, algorithms: ["ES256"], jwksCacheMaxAge: MAX_AGE })],
  });

describe("verifier: a remembered token goes through knownKey", () => {
  test("accepted again while its key is current; refused once the issuer dropped the key and the cache expired", async () => {
    fresh();
    const time = clock();
    const verifier = verifierAt(time);
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
    fresh();
    const time = clock();
    const verifier = verifierAt(time);
    const token = await sign(k1, claimsAt(time.now(), { sub: "bob", exp: Math.floor(time.now() / 1000) + 60 }));
    await verifier.verify(token, time.now());
    time.advance(120_000);
    await assert.rejects(verifier.verify(token, time.now()), (error: unknown) => error instanceof AuthError && error.code === "expired_credentials");
  });
});

describe("remote JWKS: unknown kid and the refetch rate limit", () => {
  test("many unknown kids within the cooldown cause no fetch beyond the first", async () => {
    const { keys, time } = fresh();
    await keys.getKey(header("k1"));
    for (let i = 0; i < 50; i += 1) {
      await noKey(keys.getKey(header(`forged-${i}`)));
      time.advance(100);
    }
    await Promise.all(Array.from({ length: 50 }, (_, i) => noKey(keys.getKey(header(`forged-parallel-${i}`)))));
    assert.equal(server.requests.length, 1);
  });
  test("after the cooldown an unknown kid refetches once, however many arrive at once", async () => {
    const { keys, time } = fresh();
    await keys.getKey(header("k1"));
    time.advance(COOLDOWN);
    await Promise.all(Array.from({ length: 40 }, (_, i) => noKey(keys.getKey(header(`forged-${i}`)))));
    assert.equal(server.requests.length, 2);
    // and the next cooldown starts from that fetch
    await noKey(keys.getKey(header("forged-again")));
    assert.equal(server.requests.length, 2);
  });
  test("a forged-kid flood over a long time costs at most one fetch per cooldown", async () => {
    const { keys, time } = fresh();
    await keys.getKey(header("k1"));
    const span = 10 * COOLDOWN;
    for (let t = 0; t < span; t += 1_000) {
      await noKey(keys.getKey(header(`forged-${t}`)));
      time.advance(1_000);
    }
    assert.ok(server.requests.length <= 1 + span / COOLDOWN, `fetches: ${server.requests.length}`);
    assert.ok(server.requests.length >= 2, "the limit must not stop refetching altogether");
  });
  test("key rotation: a new kid is found once the cooldown allows a refetch", async () => {
    const { keys, time } = fresh();
    await keys.getKey(header("k1"));
    server.setKeys([k1.jwk, k2.jwk]);
    await noKey(keys.getKey(header("k2")));
    time.advance(COOLDOWN);
    await keys.getKey(header("k2"));
    await keys.getKey(header("k1"));
    assert.equal(server.requests.length, 2);
  });
});

describe("remote JWKS: failing closed", () => {
  test("an issuer answering 500 makes keys unavailable, and is not asked again until the cooldown", async () => {
    const { keys, time } = fresh();
    server.setStatus(500);
    await unavailable(keys.getKey(header("k1")));
    await unavailable(keys.getKey(header("k1")));
    assert.equal(server.requests.length, 1);
    time.advance(COOLDOWN);
    server.setStatus(200);
    await keys.getKey(header("k1"));
    assert.equal(server.requests.length, 2);
  });
  test("expired keys are not used when the refetch fails", async () => {
    const { keys, time } = fresh();
    await keys.getKey(header("k1"));
    server.setStatus(503);
    time.advance(MAX_AGE);
    await unavailable(keys.getKey(header("k1")));
  });
  test("a failed refetch for an unknown kid keeps the still-fresh keys", async () => {
    const { keys, time } = fresh();
    await keys.getKey(header("k1"));
    server.setStatus(500);
    time.advance(COOLDOWN);
    await unavailable(keys.getKey(header("k2")));
    await keys.getKey(header("k1"));
  });
  test("an unreachable JWKS URL is unavailable", async () => {
    const closed = await startServer((_req, res) => res.end());
    const url = `${closed.url}/jwks`;
    await closed.close();
    const keys = createRemoteKeySet({ url, cacheMaxAge: MAX_AGE, cooldown: COOLDOWN, timeout: 2_000 });
    await unavailable(keys.getKey(header("k1")));
  });
});

describe("remote JWKS: what is fetched", () => {
  let odd: TestServer;
  let elsewhere: TestServer;
  before(async () => {
    elsewhere = await startServer((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [k2.jwk] })));
    odd = await startServer((req, res) => {
      if (req.url === "/redirect") res.writeHead(302, { location: `${elsewhere.url}/jwks` }).end();
      else if (req.url === "/huge") res.writeHead(200).end(JSON.stringify({ keys: [k1.jwk], pad: "x".repeat(300 * 1024) }));
      else if (req.url === "/not-json") res.writeHead(200).end("<html>");
      else if (req.url === "/not-jwks") res.writeHead(200).end(JSON.stringify({ kid: "k1" }));
      else res.writeHead(404).end();
    });
  });
  after(async () => {
    await Promise.all([odd?.close(), elsewhere?.close()]);
  });
  for (const path of ["/redirect", "/huge", "/not-json", "/not-jwks"]) {
    test(`${path.slice(1)} is refused`, async () => {
      const keys = createRemoteKeySet({ url: `${odd.url}${path}`, cacheMaxAge: MAX_AGE, cooldown: COOLDOWN, timeout: 5_000 });
      await unavailable(keys.getKey(header("k2")));
    });
  }
  test("a redirect is never followed", () => {
    assert.equal(elsewhere.requests.length, 0);
  });
  test("private and symmetric keys in a JWKS are dropped, public ones kept", async () => {
    const privateJwk = { ...k1.jwk, d: "secret-part", kid: "priv" };
    const octJwk = { kty: "oct", k: "c2VjcmV0", kid: "oct", alg: "HS256" };
    const kept = publicKeysOf({ keys: [privateJwk, octJwk, k2.jwk, "junk", null] });
    assert.deepEqual(kept.keys.map((k) => k.kid), ["k2"]);
    assert.throws(() => publicKeysOf({ nokeys: [] }));
    assert.throws(() => publicKeysOf([k1.jwk]));
  });
});
