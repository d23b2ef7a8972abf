/**
 * The authenticator maps a remembered token's claims once (a hot-path saving): the principals it
 * gives for the same token again must be the same, and another token must get its own mapping.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createJwtAuthenticator } from "../../../src/auth/jwt/authenticator.js";
import { jwtIssuerSchema } from "../../../src/auth/jwt/config.js";
import { claimsAt, clock, ISSUER, makeKey, RESOURCE, sign, startJwksServer, type TestKey } from "../helpers.js";

let key: TestKey;
let jwks: Awaited<ReturnType<typeof startJwksServer>>;
const time = clock();
let authenticator: ReturnType<typeof createJwtAuthenticator>;

before(async () => {
  key = await makeKey("ES256", "ec-cache");
  jwks = await startJwksServer([key.jwk]);
  authenticator = createJwtAuthenticator({
    resource: RESOURCE,
    now: time.now,
    issuers: [jwtIssuerSchema.parse({ issuer: ISSUER, jwksUri: `${jwks.url}/jwks.json`, algorithms: ["ES256"], claims: { roles: ["roles"], tenant: "tid" } })],
  });
});

after(async () => {
  await jwks?.close();
});

const authenticate = (token: string) => authenticator.authenticate({ kind: "bearer", token }, { now: time.now(), clientAddress: "127.0.0.1" });

describe("JWT authenticator: claims mapped once per verified token", () => {
  test("the same token again gives an equal principal (roles, scopes, attributes), with this request's time", async () => {
    const token = await sign(key, claimsAt(time.now(), { sub: "alice", roles: ["editor"], tid: "acme", scope: "mcp.read mcp.write" }));
    const first = await authenticate(token);
    time.advance(1_000);
    const second = await authenticate(token);
    assert.deepEqual(second.roles, ["editor"]);
    assert.deepEqual(second.scopes, ["mcp.read", "mcp.write"]);
    assert.equal(second.attributes["tenant"], "acme");
    assert.deepEqual({ ...second, authenticatedAt: 0 }, { ...first, authenticatedAt: 0 });
    assert.equal(second.authenticatedAt, first.authenticatedAt + 1_000);
    // What is shared between requests cannot be changed by one of them.
    assert.throws(() => (second.roles as string[]).push("admin"));
  });

  test("another token gets its own roles, not the remembered ones", async () => {
    const editor = await sign(key, claimsAt(time.now(), { sub: "bob", roles: ["editor"] }));
    const viewer = await sign(key, claimsAt(time.now(), { sub: "carol", roles: ["viewer"] }));
    assert.deepEqual((await authenticate(editor)).roles, ["editor"]);
    assert.deepEqual((await authenticate(viewer)).roles, ["viewer"]);
    assert.deepEqual((await authenticate(editor)).roles, ["editor"]);
    assert.equal((await authenticate(viewer)).id, `jwt:${ISSUER}#carol`);
  });

  test("accepts(): a verified token is taken at once; other kinds, changed or unshaped texts are judged as before", async () => {
    const token = await sign(key, claimsAt(time.now(), { sub: "dave" }));
    await authenticate(token);
    assert.equal(authenticator.accepts?.({ kind: "bearer", token }), true);
    // The remembered text under another credential kind is not a bearer token.
    assert.equal(authenticator.accepts?.({ kind: "api-key", key: token }), false);
    // One more segment: no longer a compact JWS, whatever was remembered for the original.
    assert.equal(authenticator.accepts?.({ kind: "bearer", token: `${token}.x` }), false);
    assert.equal(authenticator.accepts?.({ kind: "bearer", token: "opaque-token" }), false);
    // A changed signature is another token: still JWS-shaped from this issuer, so accepted (to be verified and refused).
    const tampered = `${token.slice(0, -2)}${token.endsWith("AA") ? "BB" : "AA"}`;
    assert.equal(authenticator.accepts?.({ kind: "bearer", token: tampered }), true);
    await assert.rejects(authenticate(tampered));
  });
});
