/** The small parts on their own: login throttle, CSRF, HTML escaping, form bodies, the record store, the client policy. */
import assert from "node:assert/strict";
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, test } from "node:test";
import fc from "fast-check";
import { redirectUriProblem, untrustedClientProblem } from "../../../src/auth/server/client-policy.js";
import { csrfToken, csrfTokenMatches, isSameOriginPost } from "../../../src/auth/server/csrf.js";
import { FormBodyError, readFormBody } from "../../../src/auth/server/form-body.js";
import { createMemoryLoginThrottle } from "../../../src/auth/server/login-throttle.js";
import { createMemoryOidcStore } from "../../../src/auth/server/memory-store.js";
import { escapeHtml, renderConsentPage, renderLoginPage } from "../../../src/auth/server/pages.js";

describe("login throttle", () => {
  const make = (now: () => number) => createMemoryLoginThrottle({ maxFailures: 3, maxFailuresPerAddress: 5, windowMs: 60_000, lockoutMs: 120_000, now });

  test("locks a user after maxFailures, for lockoutMs", async () => {
    let t = 0;
    const throttle = make(() => t);
    const keys = ["user:alice", "addr:1.2.3.4"];
    for (let i = 0; i < 2; i++) await throttle.recordFailure(keys);
    assert.equal(await throttle.lockedFor(keys), undefined);
    await throttle.recordFailure(keys);
    assert.equal(await throttle.lockedFor(keys), 120_000);
    t += 119_999;
    assert.equal(await throttle.lockedFor(keys), 1);
    t += 1;
    assert.equal(await throttle.lockedFor(keys), undefined);
  });

  test("failures older than the window are forgotten", async () => {
    let t = 0;
    const throttle = make(() => t);
    await throttle.recordFailure(["user:bob"]);
    await throttle.recordFailure(["user:bob"]);
    t += 60_000;
    await throttle.recordFailure(["user:bob"]);
    assert.equal(await throttle.lockedFor(["user:bob"]), undefined);
  });

  test("a success clears the user's count, not the address's", async () => {
    const throttle = make(() => 0);
    for (let i = 0; i < 2; i++) await throttle.recordFailure(["user:carol", "addr:9.9.9.9"]);
    await throttle.recordSuccess(["user:carol", "addr:9.9.9.9"]);
    await throttle.recordFailure(["user:carol", "addr:9.9.9.9"]);
    assert.equal(await throttle.lockedFor(["user:carol"]), undefined);
    for (let i = 0; i < 2; i++) await throttle.recordFailure(["addr:9.9.9.9"]);
    assert.ok((await throttle.lockedFor(["addr:9.9.9.9"]))! > 0, "5 failures from the address in all");
  });

  test("attack: a flood of made-up names cannot grow memory without bound", async () => {
    const throttle = createMemoryLoginThrottle({ maxFailures: 3, maxFailuresPerAddress: 1000, windowMs: 60_000, lockoutMs: 60_000, now: () => 0, maxKeys: 100 });
    for (let i = 0; i < 1000; i++) await throttle.recordFailure([`user:u${i}`]);
    // The newest keys are still counted.
    for (let i = 0; i < 2; i++) await throttle.recordFailure(["user:u999"]);
    assert.ok(await throttle.lockedFor(["user:u999"]));
  });
});

describe("CSRF", () => {
  const key = Buffer.alloc(32, 7);

  test("a token is bound to its interaction and key", () => {
    const token = csrfToken(key, "uid-1");
    assert.equal(csrfTokenMatches(key, "uid-1", token), true);
    assert.equal(csrfTokenMatches(key, "uid-2", token), false);
    assert.equal(csrfTokenMatches(Buffer.alloc(32, 8), "uid-1", token), false);
  });

  test("attack: missing, empty, truncated, oversized or non-string tokens do not match", () => {
    const token = csrfToken(key, "uid-1");
    for (const presented of [undefined, "", token.slice(0, -1), `${token}x`, "x".repeat(1000), 42, null, [token]]) {
      assert.equal(csrfTokenMatches(key, "uid-1", presented), false, String(presented));
    }
  });

  test("same-origin posts only", () => {
    const origin = "https://gw.example.com";
    assert.equal(isSameOriginPost({}, origin), true, "old browsers send neither header");
    assert.equal(isSameOriginPost({ origin }, origin), true);
    assert.equal(isSameOriginPost({ origin, "sec-fetch-site": "same-origin" }, origin), true);
    assert.equal(isSameOriginPost({ origin: "https://evil.example" }, origin), false);
    assert.equal(isSameOriginPost({ origin: "null" }, origin), false);
    assert.equal(isSameOriginPost({ origin: "https://gw.example.com:8443" }, origin), false);
    assert.equal(isSameOriginPost({ "sec-fetch-site": "cross-site" }, origin), false);
    assert.equal(isSameOriginPost({ "sec-fetch-site": "same-site" }, origin), false);
  });
});

describe("pages", () => {
  test("property: escaped text never contains markup-significant characters", () => {
    fc.assert(fc.property(fc.string(), (s) => !/[<>"'`]/.test(escapeHtml(s))));
  });

  test("attack: values from clients and requests cannot break out of the page", () => {
    const evil = `"><script>alert(1)</script><a href='x`;
    const login = renderLoginPage({ action: `/i/${evil}`, csrf: evil, clientName: evil, username: evil, error: evil });
    const consent = renderConsentPage({ action: "/c", abortAction: "/a", csrf: "t", clientId: evil, clientName: evil, redirectTo: evil, username: evil, scopes: [evil], resources: [evil], unverified: true });
    for (const html of [login, consent]) {
      assert.ok(!html.includes("<script>"));
      assert.ok(!html.includes("<a href"));
    }
  });
});

describe("form bodies", () => {
  async function post(body: string, headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" }, max?: number) {
    const server = createServer(async (req, res) => {
      try {
        const fields = await readFormBody(req, max);
        res.writeHead(200).end(JSON.stringify(fields));
      } catch (error) {
        res.writeHead(error instanceof FormBodyError ? error.status : 500).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      return await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request({ host: "127.0.0.1", port: (server.address() as AddressInfo).port, method: "POST", headers }, (res) => {
          let text = "";
          res.on("data", (c: Buffer) => (text += c.toString()));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
        });
        req.on("error", reject);
        req.end(body);
      });
    } finally {
      server.closeAllConnections();
      server.close();
    }
  }

  test("a form is read into fields", async () => {
    const result = await post("a=1&b=two%20words");
    assert.deepEqual(JSON.parse(result.body), { a: "1", b: "two words" });
  });

  test("attack: a field sent twice is refused", async () => {
    assert.equal((await post("password=a&password=b")).status, 400);
  });

  test("attack: a body over the limit is refused", async () => {
    assert.equal((await post("a=" + "x".repeat(2000), undefined, 1024)).status, 413);
  });

  test("attack: a body that is not a form is refused", async () => {
    assert.equal((await post('{"a":1}', { "content-type": "application/json" })).status, 415);
  });

  test("a field named like an Object.prototype member is just a field", async () => {
    const result = await post("__proto__=x&constructor=y");
    assert.equal(result.status, 200);
  });
});

describe("memory record store", () => {
  test("records expire by the injected clock", async () => {
    let t = 1000;
    const store = createMemoryOidcStore({ now: () => t });
    await store.upsert("Session", "s1", { payload: { uid: "u1" }, expiresAt: 2000 });
    assert.ok(await store.find("Session", "s1"));
    assert.ok(await store.findByUid("Session", "u1"));
    t = 2000;
    assert.equal(await store.find("Session", "s1"), undefined);
    assert.equal(await store.findByUid("Session", "u1"), undefined);
  });

  test("revokeByGrantId removes only that model's records of that grant", async () => {
    const store = createMemoryOidcStore();
    await store.upsert("RefreshToken", "r1", { payload: { grantId: "g1" } });
    await store.upsert("RefreshToken", "r2", { payload: { grantId: "g2" } });
    await store.upsert("AccessToken", "a1", { payload: { grantId: "g1" } });
    await store.revokeByGrantId("RefreshToken", "g1");
    assert.equal(await store.find("RefreshToken", "r1"), undefined);
    assert.ok(await store.find("RefreshToken", "r2"));
    assert.ok(await store.find("AccessToken", "a1"));
  });

  test("consume marks a record; a returned record cannot be changed from outside", async () => {
    const store = createMemoryOidcStore();
    await store.upsert("RefreshToken", "r1", { payload: { grantId: "g1" } });
    await store.consume("RefreshToken", "r1", 42);
    const found = await store.find("RefreshToken", "r1");
    assert.equal(found!.payload.consumed, 42);
    found!.payload.consumed = undefined;
    assert.equal((await store.find("RefreshToken", "r1"))!.payload.consumed, 42);
  });

  test("count counts live records of one model", async () => {
    let t = 0;
    const store = createMemoryOidcStore({ now: () => t });
    await store.upsert("Client", "c1", { payload: {} });
    await store.upsert("Client", "c2", { payload: {}, expiresAt: 10 });
    await store.upsert("Session", "s1", { payload: {} });
    assert.equal(await store.count("Client"), 2);
    t = 10;
    assert.equal(await store.count("Client"), 1);
  });
});

describe("untrusted client policy", () => {
  const base = { redirect_uris: ["https://app.example/cb"], token_endpoint_auth_method: "none" };

  test("a plain public client is accepted", () => {
    assert.equal(untrustedClientProblem(base), undefined);
  });

  test("defaults that oidc-provider fills in (no grant_types, no response_types) are accepted", () => {
    assert.equal(untrustedClientProblem({ redirect_uris: ["https://app.example/cb"] }), undefined);
  });

  test("property: any grant type other than authorization_code / refresh_token is refused", () => {
    fc.assert(
      fc.property(
        fc.string().filter((g) => g !== "authorization_code" && g !== "refresh_token"),
        (grant) => untrustedClientProblem({ ...base, grant_types: ["authorization_code", grant] }) !== undefined,
      ),
    );
  });

  test("redirect URI rules", () => {
    assert.equal(redirectUriProblem("https://a.example/cb?x=1"), undefined);
    assert.equal(redirectUriProblem("http://[::1]:9/cb"), undefined);
    assert.equal(redirectUriProblem("com.example.app:/cb"), undefined);
    for (const bad of ["http://a.example/cb", "javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:,x", "https://a.example/cb#f", "https://u@a.example/cb", "relative/path", "app:/cb", 42, "h".repeat(3000)]) {
      assert.ok(redirectUriProblem(bad), String(bad).slice(0, 40));
    }
  });
});
