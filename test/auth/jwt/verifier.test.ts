/**
 * The JWT authenticator end to end: real keys made with jose at test time, a real JWKS served on
 * 127.0.0.1, and every class of attack from issue 4 beside the accepted token.
 */
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { exportSPKI } from "jose";
import type { Credential } from "../../../src/auth/credentials.js";
import { AuthError } from "../../../src/auth/errors.js";
import { createJwtAuthenticator } from "../../../src/auth/jwt/authenticator.js";
import { jwtIssuerSchema } from "../../../src/auth/jwt/config.js";
import { b64url, claimsAt, clock, ISSUER, makeKey, RESOURCE, rawToken, sign, signRaw, startJwksServer, startServer, type TestKey, type TestServer } from "../helpers.js";

const OTHER_ISSUER = "https://login.other.example/tenant-1/v2.0";

let rsa: TestKey;
let ec: TestKey;
let attacker: TestKey;
let otherIssuerKey: TestKey;
let jwks: Awaited<ReturnType<typeof startJwksServer>>;
let otherJwks: Awaited<ReturnType<typeof startJwksServer>>;
let attackerServer: TestServer;
const time = clock();

let authenticator: ReturnType<typeof createJwtAuthenticator>;

before(async () => {
  [rsa, ec, attacker, otherIssuerKey] = await Promise.all([makeKey("RS256", "rsa-1"), makeKey("ES256", "ec-1"), makeKey("RS256", "rsa-1"), makeKey("ES256", "other-1")]);
  jwks = await startJwksServer([rsa.jwk, ec.jwk]);
  otherJwks = await startJwksServer([otherIssuerKey.jwk]);
  attackerServer = await startServer((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [attacker.jwk] })));
  authenticator = createJwtAuthenticator({
    resource: RESOURCE,
    now: time.now,
    issuers: [
      jwtIssuerSchema.parse({
        issuer: ISSUER,
        jwksUri: `${jwks.url}/jwks.json`,
        algorithms: ["RS256", "ES256"],
        requireAtJwt: true,
        claims: { roles: ["roles"], groups: [["ext", "groups"]], tenant: "tid", mfaAmrValues: ["mfa", "hwk"] },
      }),
      jwtIssuerSchema.parse({
        issuer: OTHER_ISSUER,
        jwksUri: `${otherJwks.url}/keys`,
        audience: "api://gateway",
        algorithms: ["ES256"],
        claims: { roles: ["https://other.example/roles"], roleMap: { "Gateway.Admin": ["admin"], "Gateway.Reader": ["viewer"] }, defaultRoles: ["member"] },
      }),
    ],
  });
});

after(async () => {
  await Promise.all([jwks?.close(), otherJwks?.close(), attackerServer?.close()]);
});

const context = () => ({ now: time.now(), clientAddress: "127.0.0.1" });
const bearer = (token: string): Credential => ({ kind: "bearer", token });

async function accepted(token: string) {
  return authenticator.authenticate(bearer(token), context());
}

async function refused(token: string, code = "invalid_token"): Promise<AuthError> {
  let caught: unknown;
  try {
    await authenticator.authenticate(bearer(token), context());
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof AuthError, `expected an AuthError, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  assert.ok(!caught.message.includes(token), "the message must not echo the token");
  return caught;
}

describe("JWT: accepted tokens", () => {
  test("an RS256 at+jwt token from the trusted issuer gives the principal", async () => {
    const principal = await accepted(await sign(rsa, claimsAt(time.now(), { roles: ["editor", "viewer"], ext: { groups: ["eng", "ops"] }, tid: "acme", client_id: "cli-1" })));
    assert.equal(principal.id, `jwt:${ISSUER}#alice`);
    assert.equal(principal.method, "jwt");
    assert.deepEqual(principal.roles, ["editor", "viewer"]);
    assert.deepEqual(principal.scopes, ["tools:read", "tools:call"]);
    assert.deepEqual(principal.attributes, { groups: ["eng", "ops"], tenant: "acme", client_id: "cli-1", issuer: ISSUER, subject: "alice" });
    assert.equal(principal.authenticatedAt, time.now());
    assert.equal(principal.expiresAt, (Math.floor(time.now() / 1000) + 300) * 1000);
    assert.equal(principal.credentialId, "jti-1");
    assert.equal(principal.mfaAt, undefined);
    assert.ok(Object.isFrozen(principal), "the principal is frozen");
  });
  test("an ES256 token verifies with the EC key", async () => {
    assert.equal((await accepted(await sign(ec, claimsAt(time.now())))).id, `jwt:${ISSUER}#alice`);
  });
  test("aud as a list containing the resource is accepted", async () => {
    await accepted(await sign(rsa, claimsAt(time.now(), { aud: ["https://other.example", RESOURCE] })));
  });
  test("MFA: amr with a configured value and auth_time give mfaAt", async () => {
    const authTime = Math.floor(time.now() / 1000) - 120;
    const principal = await accepted(await sign(rsa, claimsAt(time.now(), { amr: ["pwd", "hwk"], auth_time: authTime })));
    assert.equal(principal.mfaAt, authTime * 1000);
    const noMfa = await accepted(await sign(rsa, claimsAt(time.now(), { amr: ["pwd"], auth_time: authTime })));
    assert.equal(noMfa.mfaAt, undefined);
  });
  test("a second issuer with its own audience and claim mapping", async () => {
    const claims = claimsAt(time.now(), { iss: OTHER_ISSUER, aud: "api://gateway", sub: "u-42", scp: ["mcp.read", "mcp.write"], "https://other.example/roles": ["Gateway.Admin", "Unmapped"] });
    const principal = await accepted(await sign(otherIssuerKey, claims, { typ: "JWT" }));
    assert.equal(principal.id, `jwt:${OTHER_ISSUER}#u-42`);
    assert.deepEqual(principal.roles, ["member", "admin"]);
    assert.deepEqual(principal.scopes, ["tools:read", "tools:call", "mcp.read", "mcp.write"]);
  });
  test("the second issuer's token without typ is accepted (typ not required there)", async () => {
    const claims = claimsAt(time.now(), { iss: OTHER_ISSUER, aud: "api://gateway" });
    await accepted(await sign(otherIssuerKey, claims, { typ: undefined }));
  });
  test("accepts() takes JWT-shaped bearer tokens from configured issuers, and unreadable ones (to refuse them)", async () => {
    const token = await sign(rsa, claimsAt(time.now()));
    assert.equal(authenticator.accepts?.(bearer(token)), true);
    assert.equal(authenticator.accepts?.(bearer(await sign(rsa, claimsAt(time.now(), { iss: "https://elsewhere.example" })))), false);
    assert.equal(authenticator.accepts?.(bearer(`${b64url({ alg: "RS256" })}.bm90IGpzb24.c2ln`)), true);
    assert.equal(authenticator.accepts?.(bearer("opaque-token")), false);
    assert.equal(authenticator.accepts?.({ kind: "api-key", key: token }), false);
  });
});

describe("JWT: forged algorithms and keys", () => {
  test("alg none (unsigned token) is refused", async () => {
    for (const alg of ["none", "None", "NONE"]) {
      await refused(rawToken({ alg, typ: "at+jwt" }, claimsAt(time.now())));
      await refused(rawToken({ alg, typ: "at+jwt", kid: rsa.kid }, claimsAt(time.now()), "c2ln"));
    }
  });
  test("RS/HS confusion: HS256 with the RSA public key as the HMAC secret is refused", async () => {
    const publicPem = await exportSPKI(rsa.pair.publicKey);
    for (const header of [{ alg: "HS256", typ: "at+jwt", kid: rsa.kid }, { alg: "HS256", typ: "at+jwt" }]) {
      const input = `${b64url(header)}.${b64url(claimsAt(time.now()))}`;
      for (const secret of [publicPem, JSON.stringify(rsa.jwk), rsa.jwk.n!]) {
        const signature = createHmac("sha256", secret).update(input).digest("base64url");
        await refused(`${input}.${signature}`);
      }
    }
  });
  test("an algorithm the issuer does not allow (PS256 with the RSA key) is refused", async () => {
    await refused(signRaw(rsa, { alg: "PS256", kid: rsa.kid, typ: "at+jwt" }, claimsAt(time.now()), true));
    // The same construction with RS256 is accepted: the refusal above is the algorithm's.
    await accepted(signRaw(rsa, { alg: "RS256", kid: rsa.kid, typ: "at+jwt" }, claimsAt(time.now())));
  });
  test("alg and key type mismatch (ES256 header on the RSA kid) is refused", async () => {
    await refused(await sign(ec, claimsAt(time.now()), { kid: rsa.kid }));
  });
  test("a forged kid: signed by the attacker's key under the trusted kid is refused", async () => {
    assert.equal(attacker.kid, rsa.kid);
    await refused(await sign(attacker, claimsAt(time.now())));
  });
  test("an unknown kid is refused", async () => {
    await refused(await sign(attacker, claimsAt(time.now()), { kid: "no-such-key" }));
  });
  test("a non-string kid is refused", async () => {
    await refused(await sign(rsa, claimsAt(time.now()), { kid: 7 as unknown as string }));
  });
  test("jku pointing at the attacker's JWKS is refused and never fetched", async () => {
    const before = attackerServer.requests.length;
    await refused(await sign(attacker, claimsAt(time.now()), { kid: "attacker", jku: `${attackerServer.url}/jwks` }));
    await refused(await sign(rsa, claimsAt(time.now()), { jku: `${attackerServer.url}/jwks` }));
    assert.equal(attackerServer.requests.length, before, "the jku URL must never be fetched");
  });
  test("x5u is refused and never fetched", async () => {
    const before = attackerServer.requests.length;
    await refused(await sign(attacker, claimsAt(time.now()), { x5u: `${attackerServer.url}/cert.pem` }));
    assert.equal(attackerServer.requests.length, before);
  });
  test("an embedded jwk (the attacker's own public key) is refused", async () => {
    const { kid: _kid, ...jwk } = attacker.jwk;
    await refused(await sign(attacker, claimsAt(time.now()), { kid: undefined, jwk }));
    await refused(await sign(rsa, claimsAt(time.now()), { jwk: rsa.jwk }));
  });
  test("an embedded x5c chain is refused", async () => {
    await refused(await sign(rsa, claimsAt(time.now()), { x5c: ["MIIB"] }));
  });
  test("a crit header is refused, even one naming a registered claim", async () => {
    const header = { alg: "RS256", kid: rsa.kid, typ: "at+jwt" };
    await refused(signRaw(rsa, { ...header, crit: ["exp"], exp: 1 }, claimsAt(time.now())));
    await refused(signRaw(rsa, { ...header, crit: ["urn:example:ext"], "urn:example:ext": true }, claimsAt(time.now())));
    await refused(signRaw(rsa, { ...header, crit: ["b64"], b64: true }, claimsAt(time.now())));
  });
  test("a JWE-shaped token (five parts) is refused", async () => {
    await refused(`${b64url({ alg: "dir", enc: "A256GCM" })}.a.b.c.d`);
  });
});

describe("JWT: tampering", () => {
  test("a flipped bit in the signature is refused", async () => {
    const token = await sign(rsa, claimsAt(time.now()));
    const [h, p, s] = token.split(".") as [string, string, string];
    const bytes = Buffer.from(s, "base64url");
    bytes[0]! ^= 0x01;
    await refused(`${h}.${p}.${bytes.toString("base64url")}`);
  });
  test("a changed payload with the original signature is refused", async () => {
    const token = await sign(rsa, claimsAt(time.now()));
    const [h, , s] = token.split(".") as [string, string, string];
    await refused(`${h}.${b64url(claimsAt(time.now(), { sub: "admin", roles: ["admin"] }))}.${s}`);
  });
  test("a changed header with the original signature is refused", async () => {
    const token = await sign(rsa, claimsAt(time.now()));
    const [, p, s] = token.split(".") as [string, string, string];
    await refused(`${b64url({ alg: "RS256", kid: rsa.kid, typ: "at+jwt", extra: 1 })}.${p}.${s}`);
  });
  test("an empty signature is refused", async () => {
    const token = await sign(rsa, claimsAt(time.now()));
    await refused(`${token.slice(0, token.lastIndexOf("."))}.`);
  });
  test("a token from the other issuer signed with the first issuer's key is refused (keys are per issuer)", async () => {
    await refused(await sign(ec, claimsAt(time.now(), { iss: OTHER_ISSUER, aud: "api://gateway" }), { typ: "JWT" }));
  });
});

describe("JWT: time", () => {
  const s = () => Math.floor(time.now() / 1000);
  test("an expired token is refused as expired_credentials", async () => {
    await refused(await sign(rsa, claimsAt(time.now(), { exp: s() - 31 })), "expired_credentials");
  });
  test("a token expired within the 30 s skew is accepted", async () => {
    await accepted(await sign(rsa, claimsAt(time.now(), { exp: s() - 29 })));
  });
  test("a token without exp is refused", async () => {
    const { exp: _exp, ...claims } = claimsAt(time.now());
    await refused(await sign(rsa, claims));
  });
  test("a not-yet-valid token (nbf beyond the skew) is refused; within the skew it is accepted", async () => {
    await refused(await sign(rsa, claimsAt(time.now(), { nbf: s() + 31 })));
    await accepted(await sign(rsa, claimsAt(time.now(), { nbf: s() + 29 })));
  });
  test("a token issued in the future is refused", async () => {
    await refused(await sign(rsa, claimsAt(time.now(), { iat: s() + 120 })));
  });
  test("moving the clock expires a token that was accepted", async () => {
    const token = await sign(rsa, claimsAt(time.now(), { exp: s() + 60 }));
    await accepted(token);
    const start = time.now();
    try {
      time.advance(91_000);
      await refused(token, "expired_credentials");
    } finally {
      time.set(start);
    }
  });
  test("a string exp is refused", async () => {
    await refused(await sign(rsa, claimsAt(time.now(), { exp: String(s() + 300) as unknown as number })));
  });
});

describe("JWT: issuer, audience, subject, type", () => {
  test("an untrusted issuer is refused", async () => {
    await refused(await sign(rsa, claimsAt(time.now(), { iss: "https://evil.example" })));
  });
  test("an issuer that differs only by a trailing slash or case is refused", async () => {
    await refused(await sign(rsa, claimsAt(time.now(), { iss: `${ISSUER}/` })));
    await refused(await sign(rsa, claimsAt(time.now(), { iss: ISSUER.toUpperCase() })));
  });
  test("a missing iss is refused", async () => {
    const { iss: _iss, ...claims } = claimsAt(time.now());
    await refused(await sign(rsa, claims));
  });
  test("a token for another resource is refused", async () => {
    await refused(await sign(rsa, claimsAt(time.now(), { aud: "https://other-gateway.example/mcp" })));
    await refused(await sign(rsa, claimsAt(time.now(), { aud: [`${RESOURCE}/extra`] })));
  });
  test("a missing aud is refused", async () => {
    const { aud: _aud, ...claims } = claimsAt(time.now());
    await refused(await sign(rsa, claims));
  });
  test("the first issuer's audience is not accepted for the second issuer (audience per issuer)", async () => {
    await refused(await sign(otherIssuerKey, claimsAt(time.now(), { iss: OTHER_ISSUER, aud: RESOURCE }), { typ: "JWT" }));
  });
  test("a missing sub is refused", async () => {
    const { sub: _sub, ...claims } = claimsAt(time.now());
    await refused(await sign(rsa, claims));
  });
  test("typ mismatch: JWT or none where at+jwt is required is refused", async () => {
    await refused(await sign(rsa, claimsAt(time.now()), { typ: "JWT" }));
    await refused(await sign(rsa, claimsAt(time.now()), { typ: undefined }));
    await accepted(await sign(rsa, claimsAt(time.now()), { typ: "application/at+jwt" }));
  });
  test("a DPoP proof or logout token presented as an access token is refused where typ is not required", async () => {
    await refused(await sign(otherIssuerKey, claimsAt(time.now(), { iss: OTHER_ISSUER, aud: "api://gateway" }), { typ: "dpop+jwt" }));
    await refused(await sign(otherIssuerKey, claimsAt(time.now(), { iss: OTHER_ISSUER, aud: "api://gateway" }), { typ: "logout+jwt" }));
  });
  test("a payload that is not a JSON object is refused", async () => {
    await refused(rawToken({ alg: "RS256", kid: rsa.kid, typ: "at+jwt" }, [1, 2] as unknown as Record<string, unknown>, "c2ln"));
  });
  test("a non-bearer credential handed to it is refused", async () => {
    await assert.rejects(authenticator.authenticate({ kind: "api-key", key: "x" }, context()), (error: unknown) => error instanceof AuthError && error.code === "invalid_token");
  });
});
