/**
 * The verified-token cache (src/auth/jwt/verified-cache.ts) and the verifier using it: a repeated
 * token skips the signature check, and nothing else is skipped. Negative tests first: an expired
 * token is refused after being cached, any other token (same prefix, changed signature, another
 * audience) is verified on its own, and rotated keys invalidate what they verified.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { AuthError } from "../../../src/auth/errors.js";
import { jwtIssuerSchema } from "../../../src/auth/jwt/config.js";
import { createVerifiedTokenCache } from "../../../src/auth/jwt/verified-cache.js";
import { createJwtVerifier, type JwtVerifier } from "../../../src/auth/jwt/verifier.js";
import { claimsAt, clock, ISSUER, makeKey, RESOURCE, sign, startJwksServer, type TestKey } from "../helpers.js";

const refusedWith = (code: string) => (error: unknown) => error instanceof AuthError && error.code === code;

describe("verified-token cache (unit)", () => {
  const key = {} as never;
  test("an entry is found by the whole token only, and not at or after usableUntil", () => {
    const cache = createVerifiedTokenCache<string>(10);
    cache.set("header.payload.signature", { key, usableUntil: 1_000, value: "v" });
    assert.equal(cache.get("header.payload.signature", 999)?.value, "v");
    assert.equal(cache.get("header.payload.signaturX", 0), undefined, "same prefix, another token");
    assert.equal(cache.get("header.payload.signature.", 0), undefined);
    assert.equal(cache.get("header.payload.signature", 1_000), undefined, "past usableUntil");
    assert.equal(cache.size, 0, "the stale entry was dropped");
  });

  test("alternating tokens each find their own entry (the last-digest memo never answers for another token)", () => {
    const cache = createVerifiedTokenCache<string>(10);
    cache.set("token-a", { key, usableUntil: 10, value: "a" });
    cache.set("token-b", { key, usableUntil: 10, value: "b" });
    for (const [token, value] of [["token-a", "a"], ["token-b", "b"], ["token-a", "a"], ["token-c", undefined], ["token-b", "b"]] as const) {
      assert.equal(cache.get(token, 0)?.value, value, token);
      assert.equal(cache.has(token), value !== undefined, token);
    }
  });

  test("bounded: the oldest entry goes first; 0 entries remembers nothing", () => {
    const cache = createVerifiedTokenCache<number>(2);
    for (const [i, token] of ["a", "b", "c"].entries()) cache.set(token, { key, usableUntil: 10, value: i });
    assert.equal(cache.size, 2);
    assert.equal(cache.get("a", 0), undefined);
    assert.equal(cache.get("c", 0)?.value, 2);
    const none = createVerifiedTokenCache<number>(0);
    none.set("a", { key, usableUntil: 10, value: 1 });
    assert.equal(none.get("a", 0), undefined);
    assert.throws(() => createVerifiedTokenCache(-1), RangeError);
  });
});

describe("the verifier with its cache", () => {
  let current: TestKey;
  let next: TestKey;
  let jwks: Awaited<ReturnType<typeof startJwksServer>>;
  const time = clock();
  let verifier: JwtVerifier;

  before(async () => {
    [current, next] = await Promise.all([makeKey("ES256", "k-1"), makeKey("ES256", "k-2")]);
    jwks = await startJwksServer([current.jwk]);
    verifier = createJwtVerifier({
      resource: RESOURCE,
      now: time.now,
      issuers: [jwtIssuerSchema.parse({ issuer: ISSUER, jwksUri: `${jwks.url}/jwks.json`, algorithms: ["ES256"], clockSkew: "30s", jwksCacheMaxAge: "10m", jwksCooldown: "1s" })],
    });
  });
  after(() => jwks.close());

  test("a repeated token is served from the cache with the same result", async () => {
    const token = await sign(current, claimsAt(time.now(), { sub: "repeat" }));
    const before = verifier.cachedTokens;
    const first = await verifier.verify(token, time.now());
    assert.equal(verifier.cachedTokens, before + 1);
    const second = await verifier.verify(token, time.now());
    assert.equal(second, first, "the remembered result");
    assert.equal(verifier.cachedTokens, before + 1);
  });

  test("remembers only tokens it verified: not a new one, not a refused one", async () => {
    const token = await sign(current, claimsAt(time.now(), { sub: "remember" }));
    assert.equal(verifier.remembers(token), false);
    await verifier.verify(token, time.now());
    assert.equal(verifier.remembers(token), true);
    const wrongAudience = await sign(current, claimsAt(time.now(), { sub: "remember", aud: "https://elsewhere.example/mcp" }));
    await assert.rejects(verifier.verify(wrongAudience, time.now()), AuthError);
    assert.equal(verifier.remembers(wrongAudience), false);
  });

  test("a token that expired after it was cached is refused (exp is checked on every hit)", async () => {
    const token = await sign(current, claimsAt(time.now(), { sub: "expiring" })); // exp = now + 300 s, skew 30 s
    await verifier.verify(token, time.now());
    await verifier.verify(token, time.now() + 329_000);
    await assert.rejects(verifier.verify(token, time.now() + 330_000), refusedWith("expired_credentials"));
    await assert.rejects(verifier.verify(token, time.now() + 3_600_000), refusedWith("expired_credentials"));
  });

  test("a token not valid yet is never cached, and refused until its nbf", async () => {
    const at = time.now();
    const token = await sign(current, claimsAt(at, { sub: "later", nbf: Math.floor(at / 1000) + 120 }));
    const before = verifier.cachedTokens;
    await assert.rejects(verifier.verify(token, at), refusedWith("invalid_token"));
    assert.equal(verifier.cachedTokens, before);
    await verifier.verify(token, at + 121_000);
    await assert.rejects(verifier.verify(token, at), refusedWith("invalid_token"), "nbf is checked on a hit too");
  });

  test("another token sharing the cached one's prefix, or with its signature changed, is verified on its own and refused", async () => {
    const token = await sign(current, claimsAt(time.now(), { sub: "prefix" }));
    await verifier.verify(token, time.now());
    const [header, payload, signature] = token.split(".") as [string, string, string];
    const flipped = `${signature.slice(0, -2)}${signature.at(-2) === "A" ? "B" : "A"}${signature.at(-1)}`;
    await assert.rejects(verifier.verify(`${header}.${payload}.${flipped}`, time.now()), refusedWith("invalid_token"));
    await assert.rejects(verifier.verify(`${header}.${payload}.`, time.now()), AuthError);
    await assert.rejects(verifier.verify(`${token}x`, time.now()), AuthError);
  });

  test("a token for another audience is refused even while a token for this one is cached", async () => {
    const good = await sign(current, claimsAt(time.now(), { sub: "aud" }));
    await verifier.verify(good, time.now());
    const other = await sign(current, claimsAt(time.now(), { sub: "aud", aud: "https://other.example/mcp" }));
    await assert.rejects(verifier.verify(other, time.now()), refusedWith("invalid_token"));
  });

  test("after key rotation, a token cached under the old key is refused", async () => {
    const token = await sign(current, claimsAt(time.now(), { sub: "rotated" }));
    await verifier.verify(token, time.now());
    jwks.setKeys([next.jwk]); // the issuer rotates: k-1 is gone
    time.advance(11 * 60_000); // past jwksCacheMaxAge: the keys are fetched again
    const fresh = await sign(next, claimsAt(time.now(), { sub: "rotated" }));
    await verifier.verify(fresh, time.now());
    // The old token is still within its exp, but the key that verified it is no longer trusted.
    const stillValid = await sign(current, claimsAt(time.now(), { sub: "rotated-2" }));
    await assert.rejects(verifier.verify(stillValid, time.now()), refusedWith("invalid_token"));
    await assert.rejects(verifier.verify(token, time.now() - 11 * 60_000 + 1_000), AuthError, "the cached entry is not served after rotation");
  });
});
