import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { jwtConfigSchema, jwtIssuerSchema } from "../../../src/auth/jwt/config.js";

const base = { issuer: "https://issuer.example", jwksUri: "https://issuer.example/jwks" };

describe("jwt config schema", () => {
  test("defaults: asymmetric algorithms, 30 s skew, 10 min cache, 30 s cooldown, typ not required", () => {
    const parsed = jwtIssuerSchema.parse(base);
    assert.deepEqual(parsed.algorithms, ["RS256", "PS256", "ES256", "EdDSA", "Ed25519"]);
    assert.equal(parsed.clockSkew, 30_000);
    assert.equal(parsed.jwksCacheMaxAge, 600_000);
    assert.equal(parsed.jwksCooldown, 30_000);
    assert.equal(parsed.requireAtJwt, false);
    assert.deepEqual(parsed.claims.roles, []);
  });
  test("durations are parsed to milliseconds", () => {
    const parsed = jwtIssuerSchema.parse({ ...base, clockSkew: "1m", maxTokenAge: "1h", jwksCooldown: 5000 });
    assert.equal(parsed.clockSkew, 60_000);
    assert.equal(parsed.maxTokenAge, 3_600_000);
    assert.equal(parsed.jwksCooldown, 5_000);
  });
  test("a zero clock skew is allowed; more than 5 minutes is not", () => {
    assert.equal(jwtIssuerSchema.parse({ ...base, clockSkew: 0 }).clockSkew, 0);
    assert.equal(jwtIssuerSchema.safeParse({ ...base, clockSkew: "6m" }).success, false);
  });
  test("none and HMAC algorithms cannot be configured", () => {
    for (const alg of ["none", "HS256", "HS384", "HS512", "RSA1_5", "dir"]) {
      assert.equal(jwtIssuerSchema.safeParse({ ...base, algorithms: [alg] }).success, false, alg);
    }
    assert.equal(jwtIssuerSchema.safeParse({ ...base, algorithms: [] }).success, false);
  });
  test("exactly one of jwksUri and jwks", () => {
    assert.equal(jwtIssuerSchema.safeParse({ issuer: base.issuer }).success, false);
    assert.equal(jwtIssuerSchema.safeParse({ ...base, jwks: { keys: [{ kty: "EC" }] } }).success, false);
    assert.equal(jwtIssuerSchema.safeParse({ issuer: base.issuer, jwks: { keys: [{ kty: "EC" }] } }).success, true);
  });
  test("the JWKS URI must be https (http only to this machine), without credentials", () => {
    assert.equal(jwtIssuerSchema.safeParse({ ...base, jwksUri: "http://issuer.example/jwks" }).success, false);
    assert.equal(jwtIssuerSchema.safeParse({ ...base, jwksUri: "https://user:pw@issuer.example/jwks" }).success, false);
    assert.equal(jwtIssuerSchema.safeParse({ ...base, jwksUri: "file:///etc/passwd" }).success, false);
    assert.equal(jwtIssuerSchema.safeParse({ ...base, jwksUri: "http://127.0.0.1:8080/jwks" }).success, true);
    assert.equal(jwtIssuerSchema.safeParse({ ...base, jwksUri: "http://localhost/jwks" }).success, true);
  });
  test("an unknown key is an error (a typo must not leave a default)", () => {
    assert.equal(jwtIssuerSchema.safeParse({ ...base, requireAtJWT: true }).success, false);
  });
  test("an issuer may be listed only once", () => {
    assert.equal(jwtConfigSchema.safeParse({ issuers: [base, base] }).success, false);
    assert.equal(jwtConfigSchema.safeParse({ issuers: [] }).success, false);
    assert.equal(jwtConfigSchema.safeParse({ issuers: [base] }).success, true);
  });
});
