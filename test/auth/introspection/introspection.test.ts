/** Opaque tokens through a real RFC 7662 introspection endpoint on 127.0.0.1. */
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import type { Credential } from "../../../src/auth/credentials.js";
import { AuthError } from "../../../src/auth/errors.js";
import { createIntrospectionAuthenticator } from "../../../src/auth/introspection/authenticator.js";
import { createMemoryIntrospectionCache, type IntrospectionCache } from "../../../src/auth/introspection/cache.js";
import { IntrospectionUnavailableError } from "../../../src/auth/introspection/client.js";
import { introspectionConfigSchema } from "../../../src/auth/introspection/config.js";
import { clock, ISSUER, RESOURCE, startServer, type TestServer } from "../helpers.js";

const CLIENT_ID = "gateway client";
const CLIENT_SECRET = "s3cret:with/odd+chars";

let endpoint: TestServer;
/** What the endpoint answers per token. */
const answers = new Map<string, unknown>();
let status = 200;
const time = clock();
const nowS = () => Math.floor(time.now() / 1000);

before(async () => {
  endpoint = await startServer((req, res, body) => {
    const expected = `Basic ${Buffer.from(`${encodeURIComponent(CLIENT_ID).replace(/%20/g, "+")}:${encodeURIComponent(CLIENT_SECRET).replace(/%20/g, "+")}`).toString("base64")}`;
    const form = new URLSearchParams(body);
    const authenticated = req.headers.authorization === expected || (form.get("client_id") === CLIENT_ID && form.get("client_secret") === CLIENT_SECRET);
    if (status !== 200) return void res.writeHead(status).end();
    if (!authenticated) return void res.writeHead(401).end();
    const answer = answers.get(form.get("token") ?? "") ?? { active: false };
    res.writeHead(200, { "content-type": "application/json" }).end(typeof answer === "string" ? answer : JSON.stringify(answer));
  });
});
after(() => endpoint?.close());
beforeEach(() => {
  answers.clear();
  endpoint.requests.length = 0;
  status = 200;
  time.set(Date.UTC(2026, 0, 15, 12, 0, 0));
});

function make(overrides: Record<string, unknown> = {}, cache?: IntrospectionCache) {
  const config = introspectionConfigSchema.parse({
    endpoint: `${endpoint.url}/introspect`,
    issuer: ISSUER,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    claims: { roles: ["roles"] },
    ...overrides,
  });
  return createIntrospectionAuthenticator({ ...config, resource: RESOURCE, ...(cache ? { cache } : {}) });
}

const active = (extra: Record<string, unknown> = {}) => ({ active: true, iss: ISSUER, aud: RESOURCE, sub: "bob", exp: nowS() + 300, iat: nowS(), scope: "tools:read", client_id: "cli", token_type: "Bearer", roles: ["viewer"], jti: "t-1", ...extra });
const bearer = (token: string): Credential => ({ kind: "bearer", token });
const ctx = () => ({ now: time.now(), clientAddress: "127.0.0.1" });

async function refused(authenticator: ReturnType<typeof make>, token: string, code = "invalid_token"): Promise<void> {
  await assert.rejects(authenticator.authenticate(bearer(token), ctx()), (error: unknown) => {
    assert.ok(error instanceof AuthError, String(error));
    assert.equal(error.code, code, error.message);
    assert.ok(!error.message.includes(token), "the message must not echo the token");
    return true;
  });
}

describe("introspection: active tokens", () => {
  test("an active token gives the principal", async () => {
    answers.set("opaque-1", active());
    const principal = await make().authenticate(bearer("opaque-1"), ctx());
    assert.equal(principal.id, `introspection:${ISSUER}#bob`);
    assert.equal(principal.method, "introspection");
    assert.deepEqual(principal.roles, ["viewer"]);
    assert.deepEqual(principal.scopes, ["tools:read"]);
    assert.equal(principal.attributes.client_id, "cli");
    assert.equal(principal.expiresAt, (nowS() + 300) * 1000);
    assert.equal(principal.credentialId, "t-1");
  });
  test("the request is a form POST with the token, a type hint and HTTP Basic client credentials", async () => {
    answers.set("opaque-1", active());
    await make().authenticate(bearer("opaque-1"), ctx());
    const [request] = endpoint.requests;
    assert.equal(request?.method, "POST");
    assert.equal(request?.headers["content-type"], "application/x-www-form-urlencoded");
    assert.ok(String(request?.headers.authorization).startsWith("Basic "), "HTTP Basic client authentication");
    const form = new URLSearchParams(request?.body);
    assert.equal(form.get("token"), "opaque-1");
    assert.equal(form.get("token_type_hint"), "access_token");
    assert.equal(form.get("client_secret"), null);
  });
  test("client_secret_post puts the credentials in the body instead", async () => {
    answers.set("opaque-1", active());
    await make({ clientAuthMethod: "client_secret_post" }).authenticate(bearer("opaque-1"), ctx());
    assert.equal(endpoint.requests[0]?.headers.authorization, undefined);
    assert.equal(new URLSearchParams(endpoint.requests[0]?.body).get("client_id"), CLIENT_ID);
  });
  test("aud as a list containing the resource is accepted", async () => {
    answers.set("opaque-T1", active({ aud: ["other", RESOURCE] }));
    await make().authenticate(bearer("opaque-T1"), ctx());
  });
  test("without requireAudience a response without aud is accepted, but a wrong aud still is not", async () => {
    const { aud: _aud, ...noAud } = active();
    answers.set("opaque-T3", noAud);
    answers.set("opaque-T2", active({ aud: "https://other.example/mcp" }));
    const lenient = make({ requireAudience: false });
    await lenient.authenticate(bearer("opaque-T3"), ctx());
    await refused(lenient, "opaque-T2");
  });
});

describe("introspection: refused answers", () => {
  const cases: Array<[string, unknown, string?]> = [
    ["active: false", { active: false }],
    ['active: "true" (a string)', { ...active(), active: "true" }],
    ["active: 1", { ...active(), active: 1 }],
    ["no active member", (() => { const { active: _a, ...rest } = active(); return rest; })()],
    ["another issuer", active({ iss: "https://evil.example" })],
    ["an issuer with a trailing slash", active({ iss: `${ISSUER}/` })],
    ["no aud", (() => { const { aud: _a, ...rest } = active(); return rest; })()],
    ["a token for another resource", active({ aud: "https://other.example/mcp" })],
    ["no exp", (() => { const { exp: _e, ...rest } = active(); return rest; })()],
    ["nbf in the future", active({ nbf: Math.floor(Date.UTC(2026, 0, 15, 12, 0, 0) / 1000) + 120 })],
    ["iat in the future", active({ iat: Math.floor(Date.UTC(2026, 0, 15, 12, 0, 0) / 1000) + 120 })],
    ["no sub", (() => { const { sub: _s, ...rest } = active(); return rest; })()],
    ["a refresh token", active({ token_type: "refresh_token" })],
    ["a DPoP-bound token", active({ token_type: "DPoP" })],
    ["an expired token", active({ exp: Math.floor(Date.UTC(2026, 0, 15, 12, 0, 0) / 1000) - 60 }), "expired_credentials"],
  ];
  for (const [name, answer, code] of cases) {
    test(name, async () => {
      answers.set("opaque-QX7", answer);
      await refused(make(), "opaque-QX7", code);
    });
  }
});

describe("introspection: the endpoint failing", () => {
  test("HTTP 500 is unavailable (not a refusal of the token), and is not cached", async () => {
    status = 500;
    const authenticator = make();
    await assert.rejects(authenticator.authenticate(bearer("opaque-T1"), ctx()), IntrospectionUnavailableError);
    status = 200;
    answers.set("opaque-T1", active());
    await authenticator.authenticate(bearer("opaque-T1"), ctx());
    assert.equal(endpoint.requests.length, 2);
  });
  test("wrong client credentials (401 from the endpoint) are unavailable", async () => {
    answers.set("opaque-T1", active());
    await assert.rejects(make({ clientSecret: "wrong" }).authenticate(bearer("opaque-T1"), ctx()), IntrospectionUnavailableError);
  });
  test("a response that is not a JSON object is unavailable", async () => {
    answers.set("opaque-T1", "[true]");
    await assert.rejects(make().authenticate(bearer("opaque-T1"), ctx()), IntrospectionUnavailableError);
    answers.set("opaque-T1", "not json");
    await assert.rejects(make().authenticate(bearer("opaque-T1"), ctx()), IntrospectionUnavailableError);
  });
  test("error messages carry neither the token nor the client secret", async () => {
    status = 503;
    await assert.rejects(make().authenticate(bearer("very-secret-token"), ctx()), (error: unknown) => {
      const text = String((error as Error).message);
      return !text.includes("very-secret-token") && !text.includes(CLIENT_SECRET);
    });
  });
});

describe("introspection: cache", () => {
  test("an active answer is reused within the max TTL", async () => {
    answers.set("opaque-T1", active());
    const authenticator = make({ cacheMaxTtl: "60s" });
    await authenticator.authenticate(bearer("opaque-T1"), ctx());
    time.advance(59_000);
    await authenticator.authenticate(bearer("opaque-T1"), ctx());
    assert.equal(endpoint.requests.length, 1);
    time.advance(1_000);
    await authenticator.authenticate(bearer("opaque-T1"), ctx());
    assert.equal(endpoint.requests.length, 2);
  });
  test("a revoked token is seen once the max TTL is over", async () => {
    answers.set("opaque-T1", active());
    const authenticator = make({ cacheMaxTtl: "60s" });
    await authenticator.authenticate(bearer("opaque-T1"), ctx());
    answers.set("opaque-T1", { active: false });
    time.advance(60_000);
    await refused(authenticator, "opaque-T1");
  });
  test("a cached answer never outlives the token's exp", async () => {
    answers.set("opaque-T1", active({ exp: nowS() + 20 }));
    const authenticator = make({ cacheMaxTtl: "5m", clockSkew: 0 });
    await authenticator.authenticate(bearer("opaque-T1"), ctx());
    time.advance(19_000);
    await authenticator.authenticate(bearer("opaque-T1"), ctx());
    assert.equal(endpoint.requests.length, 1);
    time.advance(1_000);
    await refused(authenticator, "opaque-T1", "expired_credentials");
    assert.equal(endpoint.requests.length, 2, "at exp the cache entry is gone and the endpoint is asked again");
  });
  test("an inactive answer is cached briefly, then asked again", async () => {
    const authenticator = make({ negativeCacheTtl: "5s" });
    await refused(authenticator, "opaque-T1");
    time.advance(4_000);
    await refused(authenticator, "opaque-T1");
    assert.equal(endpoint.requests.length, 1);
    answers.set("opaque-T1", active());
    time.advance(1_000);
    await authenticator.authenticate(bearer("opaque-T1"), ctx());
    assert.equal(endpoint.requests.length, 2);
  });
  test("concurrent requests with one token share one introspection", async () => {
    answers.set("opaque-T1", active());
    const authenticator = make();
    await Promise.all(Array.from({ length: 20 }, () => authenticator.authenticate(bearer("opaque-T1"), ctx())));
    assert.equal(endpoint.requests.length, 1);
  });
  test("the cache is keyed by a hash, never by the token", async () => {
    const inner = createMemoryIntrospectionCache(10);
    const keys: string[] = [];
    const spy: IntrospectionCache = { get: (k, n) => inner.get(k, n), set: (k, o, e) => (keys.push(k), inner.set(k, o, e)) };
    answers.set("the-raw-token", active());
    await make({}, spy).authenticate(bearer("the-raw-token"), ctx());
    assert.equal(keys.length, 1);
    assert.ok(!keys[0]!.includes("the-raw-token"), "the cache key is not the token");
  });
  test("the memory cache is bounded", () => {
    const cache = createMemoryIntrospectionCache(3);
    for (let i = 0; i < 10; i += 1) cache.set(`k${i}`, { active: false, code: "invalid_token", message: "x" }, 1e15);
    assert.equal(cache.get("k0", 0), undefined);
    assert.notEqual(cache.get("k9", 0), undefined);
    assert.notEqual(cache.get("k7", 0), undefined);
  });
});

describe("introspection: config", () => {
  test("the endpoint must be https (http only to this machine)", () => {
    const base = { issuer: ISSUER, clientId: "a", clientSecret: "b" };
    assert.equal(introspectionConfigSchema.safeParse({ ...base, endpoint: "http://as.example/introspect" }).success, false);
    assert.equal(introspectionConfigSchema.safeParse({ ...base, endpoint: "https://as.example/introspect" }).success, true);
  });
  test("defaults: Basic auth, aud and exp required, 60 s max TTL, 5 s negative TTL", () => {
    const parsed = introspectionConfigSchema.parse({ endpoint: "https://as.example/i", issuer: ISSUER, clientId: "a", clientSecret: "b" });
    assert.equal(parsed.clientAuthMethod, "client_secret_basic");
    assert.equal(parsed.requireAudience, true);
    assert.equal(parsed.requireExpiry, true);
    assert.equal(parsed.cacheMaxTtl, 60_000);
    assert.equal(parsed.negativeCacheTtl, 5_000);
  });
});
