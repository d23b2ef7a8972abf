/**
 * createAuthenticate: dispatch by credential kind, lockout, logging, failing closed. Requests go
 * through a real node:http server on 127.0.0.1; the JWT verifier is real; the other
 * authenticators are small fakes, and one block uses the real API-key service (SQLite).
 */
import assert from "node:assert/strict";
import type { IncomingMessage } from "node:http";
import { after, before, beforeEach, describe, test } from "node:test";
import { createApiKeyAuthenticator, createApiKeyService } from "../../src/auth/api-keys/index.js";
import { createAuthenticate, type Authenticate } from "../../src/auth/authenticate.js";
import { authErrorResponse } from "../../src/auth/challenge.js";
import type { Authenticator } from "../../src/auth/credentials.js";
import { AuthError } from "../../src/auth/errors.js";
import { IntrospectionUnavailableError } from "../../src/auth/introspection/client.js";
import { createJwtAuthenticator } from "../../src/auth/jwt/authenticator.js";
import { jwtIssuerSchema } from "../../src/auth/jwt/config.js";
import { KeySetUnavailableError } from "../../src/auth/jwt/key-set.js";
import { createLockout } from "../../src/auth/lockout/lockout.js";
import type { Principal } from "../../src/auth/principal.js";
import { resourceMetadataUrl } from "../../src/auth/resource-metadata.js";
import { openSqliteStore, type SqliteStore } from "../../src/store/index.js";
import { claimsAt, clock, ISSUER, makeKey, RESOURCE, recordingLogger, sign, startServer, type TestKey, type TestServer } from "./helpers.js";

const GOOD_KEY = `bst_aaaaaaaaaaaaaaaa_${"A".repeat(43)}`;
const BAD_KEY_SAME_ID = `bst_aaaaaaaaaaaaaaaa_${"B".repeat(43)}`;

function principal(id: string, method: Principal["method"], now: number, extra: Partial<Principal> = {}): Principal {
  return { id, method, roles: [], scopes: [], attributes: {}, authenticatedAt: now, ...extra };
}

/** Fake API-key authenticator: one good key. */
const fakeApiKeys: Authenticator = {
  kinds: ["api-key"],
  async authenticate(credential, context) {
    if (credential.kind === "api-key" && credential.key === GOOD_KEY) return principal("key:aaaaaaaaaaaaaaaa", "api-key", context.now);
    throw new AuthError("unknown_credentials", "Unknown API key");
  },
};

/** Tokens the fake introspection was asked about. */
const introspected: string[] = [];

/** Fake introspection: "opaque-good" is active, "opaque-down" finds the endpoint down, "opaque-stale" returns an expired principal. */
const fakeIntrospection: Authenticator = {
  kinds: ["bearer"],
  accepts: (credential) => credential.kind === "bearer",
  async authenticate(credential, context) {
    const token = credential.kind === "bearer" ? credential.token : "";
    introspected.push(token);
    if (token === "opaque-good") return principal("introspection:x#bob", "introspection", context.now);
    if (token === "opaque-stale") return principal("introspection:x#bob", "introspection", context.now, { expiresAt: context.now - 1 });
    if (token === "opaque-down") throw new IntrospectionUnavailableError("The introspection endpoint answered HTTP 503");
    if (token === "opaque-bug") throw new TypeError(`boom with ${token}`);
    throw new AuthError("invalid_token", "The token is not active");
  },
};

const time = clock();
let rsa: TestKey;
let server: TestServer;
let authenticate: Authenticate;
let log: ReturnType<typeof recordingLogger>;
let jwtDown: boolean;
/** The JWT verifier (which an outage can be switched on for), introspection, API keys: in dispatch order. */
let all: Authenticator[];

function build(authenticators: Authenticator[]): Authenticate {
  return createAuthenticate({
    authenticators,
    lockout: createLockout({ address: { maxFailures: 5, windowMs: 60_000, lockoutMs: 300_000 }, subject: { maxFailures: 3, windowMs: 60_000, lockoutMs: 600_000 } }),
    logger: log.logger,
    now: time.now,
    // Tests stand in for many clients with a header; the gateway passes its trusted-proxy logic here.
    clientAddressOf: (req: IncomingMessage) => String(req.headers["x-test-client"] ?? req.socket.remoteAddress),
  });
}

before(async () => {
  rsa = await makeKey("RS256", "rsa-1");
  const jwt = createJwtAuthenticator({ resource: RESOURCE, issuers: [jwtIssuerSchema.parse({ issuer: ISSUER, jwks: { keys: [rsa.jwk] }, algorithms: ["RS256"] })] });
  const flakyJwt: Authenticator = {
    ...jwt,
    accepts: jwt.accepts!,
    authenticate: async (credential, context) => {
      if (jwtDown) throw new KeySetUnavailableError("The issuer's JWKS answered HTTP 503");
      return jwt.authenticate(credential, context);
    },
  };
  server = await startServer(async (req, res) => {
    try {
      const who = await authenticate(req);
      const body = JSON.stringify({ id: who.id, method: who.method });
      res.writeHead(200, { "content-type": "application/json" }).end(body);
    } catch (error) {
      assert.ok(error instanceof AuthError, `only AuthError may escape: ${String(error)}`);
      const { status, headers } = authErrorResponse(error, { resourceMetadataUrl: resourceMetadataUrl(RESOURCE), scopes: ["tools:read"] });
      res.writeHead(status, { ...headers, "content-type": "application/json" }).end(JSON.stringify({ code: error.code }));
    }
  });
  all = [flakyJwt, fakeIntrospection, fakeApiKeys];
});
after(() => server?.close());
beforeEach(() => {
  log = recordingLogger();
  jwtDown = false;
  authenticate = build(all);
});

async function call(headers: Record<string, string>, path = "/mcp"): Promise<{ status: number; body: Record<string, unknown>; challenge: string | null; retryAfter: string | null }> {
  const response = await fetch(`${server.url}${path}`, { method: "POST", headers });
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, challenge: response.headers.get("www-authenticate"), retryAfter: response.headers.get("retry-after") };
}

describe("authenticate: dispatch", () => {
  test("a bearer JWT goes to the JWT verifier", async () => {
    const token = await sign(rsa, claimsAt(time.now()));
    assert.deepEqual((await call({ authorization: `Bearer ${token}` })).body, { id: `jwt:${ISSUER}#alice`, method: "jwt" });
  });
  test("an opaque bearer token goes to introspection", async () => {
    assert.deepEqual((await call({ authorization: "Bearer opaque-good" })).body, { id: "introspection:x#bob", method: "introspection" });
  });
  test("Bearer bst_... and X-API-Key go to the API-key authenticator", async () => {
    assert.deepEqual((await call({ authorization: `Bearer ${GOOD_KEY}` })).body, { id: "key:aaaaaaaaaaaaaaaa", method: "api-key" });
    assert.deepEqual((await call({ "x-api-key": GOOD_KEY })).body, { id: "key:aaaaaaaaaaaaaaaa", method: "api-key" });
  });
  test("a credential kind no authenticator takes is refused", async () => {
    authenticate = build([fakeIntrospection]);
    const response = await call({ "x-api-key": GOOD_KEY });
    assert.equal(response.status, 401);
    assert.equal(response.body.code, "unknown_credentials");
  });
  test("a JWT from an issuer the JWT verifier does not trust goes to introspection", async () => {
    const token = await sign(rsa, claimsAt(time.now(), { iss: "https://elsewhere.example" }));
    const trusted = await sign(rsa, claimsAt(time.now()));
    introspected.length = 0;
    assert.equal((await call({ authorization: `Bearer ${trusted}` })).status, 200);
    assert.equal((await call({ authorization: `Bearer ${token}` })).body.code, "invalid_token");
    assert.deepEqual(introspected, [token], "only the untrusted issuer's JWT reached introspection");
    authenticate = build([all[0]!, fakeApiKeys]);
    assert.equal((await call({ authorization: `Bearer ${token}` })).body.code, "unknown_credentials");
  });
  test("with no introspection configured, an opaque token is refused", async () => {
    authenticate = build([all[0]!, fakeApiKeys]);
    assert.equal((await call({ authorization: "Bearer opaque-good" })).body.code, "unknown_credentials");
  });
  test("a principal that is already expired is refused", async () => {
    assert.equal((await call({ authorization: "Bearer opaque-stale" })).body.code, "expired_credentials");
  });
});

describe("authenticate: refusals and challenges", () => {
  test("no credential: 401 with resource_metadata and scope, no error", async () => {
    const response = await call({});
    assert.equal(response.status, 401);
    assert.equal(response.challenge, `Bearer scope="tools:read", resource_metadata="https://gw.example/.well-known/oauth-protected-resource/mcp"`);
  });
  test("a bad token: 401 with error=\"invalid_token\"", async () => {
    const token = await sign(rsa, claimsAt(time.now(), { aud: "https://other.example/mcp" }));
    const response = await call({ authorization: `Bearer ${token}` });
    assert.equal(response.status, 401);
    assert.match(response.challenge ?? "", /^Bearer error="invalid_token"/);
  });
  test("a token in the query string: 401 invalid_request", async () => {
    const response = await call({}, "/mcp?access_token=abc");
    assert.equal(response.body.code, "token_in_query");
    assert.match(response.challenge ?? "", /error="invalid_request"/);
  });
  test("an issuer that cannot be reached: 401 (fail closed), logged as an error, not counted", async () => {
    jwtDown = true;
    const token = await sign(rsa, claimsAt(time.now()));
    for (let i = 0; i < 8; i += 1) assert.equal((await call({ authorization: `Bearer ${token}` })).status, 401);
    assert.equal((await call({ authorization: "Bearer opaque-down" })).status, 401);
    assert.ok(log.lines.some((line) => line.level === "error" && line.fields.event === "auth.unavailable" && line.fields.reason === "KeySetUnavailableError"), "logged as unavailable");
    jwtDown = false;
    assert.equal((await call({ authorization: `Bearer ${token}` })).status, 200, "no lockout from an issuer outage");
  });
  test("an unexpected error is a 401 too, and its message (which could hold anything) is not logged", async () => {
    assert.equal((await call({ authorization: "Bearer opaque-bug" })).status, 401);
    const line = log.lines.find((l) => l.fields.event === "auth.unavailable");
    assert.equal(line?.fields.reason, "TypeError");
    assert.ok(!JSON.stringify(log.lines).includes("opaque-bug"), "the token is not in the log");
  });
});

describe("authenticate: lockout and logging", () => {
  test("repeated failures from one address lock it out: 429 with Retry-After, even for a good credential", async () => {
    const headers = { "x-test-client": "203.0.113.9" };
    for (let i = 0; i < 5; i += 1) assert.equal((await call({ ...headers, authorization: "Bearer opaque-wrong" })).status, 401);
    const locked = await call({ ...headers, authorization: "Bearer opaque-good" });
    assert.equal(locked.status, 429);
    assert.equal(locked.body.code, "locked_out");
    assert.equal(locked.retryAfter, "300");
    assert.equal((await call({ "x-test-client": "203.0.113.10", authorization: "Bearer opaque-good" })).status, 200, "another address is unaffected");
    const start = time.now();
    time.advance(300_000);
    try {
      assert.equal((await call({ ...headers, authorization: "Bearer opaque-good" })).status, 200, "the lock ends");
    } finally {
      time.set(start);
    }
  });
  test("requests without any credential are not counted (clients probe for the metadata first)", async () => {
    const headers = { "x-test-client": "203.0.113.20" };
    for (let i = 0; i < 10; i += 1) assert.equal((await call(headers)).status, 401);
    assert.equal((await call({ ...headers, authorization: "Bearer opaque-good" })).status, 200);
  });
  test("guesses at one API key id from many addresses lock that key id (subject key:<id>)", async () => {
    for (let i = 0; i < 3; i += 1) assert.equal((await call({ "x-test-client": `198.51.100.${i}`, "x-api-key": BAD_KEY_SAME_ID })).status, 401);
    const locked = await call({ "x-test-client": "198.51.100.99", "x-api-key": GOOD_KEY });
    assert.equal(locked.status, 429);
    assert.equal(locked.retryAfter, "600");
    assert.equal((await call({ "x-test-client": "198.51.100.99", authorization: "Bearer opaque-good" })).status, 200, "only that key id is locked");
  });
  test("every failure is logged with code, address and kind, never the credential", async () => {
    const secretToken = "opaque-SECRET-1234";
    await call({ "x-test-client": "192.0.2.44", authorization: `Bearer ${secretToken}` });
    await call({ "x-test-client": "192.0.2.44", "x-api-key": BAD_KEY_SAME_ID });
    const failures = log.lines.filter((line) => line.fields.event === "auth.failure");
    assert.equal(failures.length, 2);
    assert.deepEqual(failures.map((f) => [f.fields.code, f.fields.clientAddress, f.fields.credentialKind]), [
      ["invalid_token", "192.0.2.44", "bearer"],
      ["unknown_credentials", "192.0.2.44", "api-key"],
    ]);
    assert.equal(failures[1]!.fields.subject, "key:aaaaaaaaaaaaaaaa", "the public key id is logged");
    const all = JSON.stringify(log.lines);
    assert.ok(!all.includes("SECRET-1234") && !all.includes("B".repeat(43)), "no secret in any log line");
  });
  test("the lockout itself is logged", async () => {
    for (let i = 0; i < 5; i += 1) await call({ "x-test-client": "192.0.2.50", authorization: "Bearer opaque-wrong" });
    assert.ok(log.lines.some((line) => line.fields.event === "auth.lockout" && line.fields.clientAddress === "192.0.2.50"), "lockout logged");
  });
});

describe("authenticate: with the real API-key service (SQLite)", () => {
  let store: SqliteStore;
  before(() => {
    store = openSqliteStore({ path: ":memory:", now: time.now });
  });
  after(() => store?.close());

  test("a created key authenticates in either header; a revoked one is refused; guessing its secret locks its id", async () => {
    const service = createApiKeyService({ store: store.apiKeys, now: time.now });
    const issued = await service.create({ name: "ci", role: "editor" });
    authenticate = build([fakeIntrospection, createApiKeyAuthenticator(service)]);
    const expectedId = (await service.authenticate(issued.key, time.now())).id;
    assert.deepEqual((await call({ "x-api-key": issued.key })).body, { id: expectedId, method: "api-key" });
    assert.deepEqual((await call({ authorization: `Bearer ${issued.key}` })).body, { id: expectedId, method: "api-key" });

    const guessed = `${issued.key.slice(0, issued.key.lastIndexOf("_") + 1)}${"Z".repeat(43)}`;
    for (let i = 0; i < 3; i += 1) assert.equal((await call({ "x-test-client": `198.18.0.${i}`, "x-api-key": guessed })).status, 401);
    assert.equal((await call({ "x-test-client": "198.18.0.200", "x-api-key": issued.key })).status, 429, "the key id is locked");

    const other = await service.create({ name: "other", role: "viewer" });
    await service.revoke(other.metadata.id);
    const revoked = await call({ "x-api-key": other.key });
    assert.equal(revoked.status, 401);
    assert.equal(revoked.body.code, "revoked_credentials");
    assert.ok(!JSON.stringify(log.lines).includes(other.key.slice(-43)), "no key secret in the log");
  });
});
