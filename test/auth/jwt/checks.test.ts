/**
 * One block per check module (src/auth/jwt/check-*.ts), each with what it accepts and what it
 * refuses, as in panva/jose's test suite.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { AuthError } from "../../../src/auth/errors.js";
import { checkAlgorithm } from "../../../src/auth/jwt/check-algorithm.js";
import { checkAudience } from "../../../src/auth/jwt/check-audience.js";
import { checkNoCriticalHeaders } from "../../../src/auth/jwt/check-critical.js";
import { checkNoEmbeddedKeys } from "../../../src/auth/jwt/check-embedded-keys.js";
import { checkExpiry } from "../../../src/auth/jwt/check-expiry.js";
import { checkIssuedAt } from "../../../src/auth/jwt/check-issued-at.js";
import { checkIssuer } from "../../../src/auth/jwt/check-issuer.js";
import { checkNotBefore } from "../../../src/auth/jwt/check-not-before.js";
import { checkSubject } from "../../../src/auth/jwt/check-subject.js";
import { checkType } from "../../../src/auth/jwt/check-type.js";
import { decodeCompactJws, looksLikeCompactJws } from "../../../src/auth/jwt/compact.js";
import { b64url } from "../helpers.js";

function refuses(run: () => unknown, code: string = "invalid_token"): void {
  assert.throws(run, (error: unknown) => error instanceof AuthError && error.code === code);
}

const NOW = 1_700_000_000_000;
const NOW_S = NOW / 1000;
const SKEW = 30_000;

describe("compact.ts: structure", () => {
  const header = b64url({ alg: "RS256" });
  const payload = b64url({ sub: "a" });
  test("three base64url segments with JSON objects decode", () => {
    const jws = decodeCompactJws(`${header}.${payload}.c2ln`);
    assert.deepEqual(jws.header, { alg: "RS256" });
    assert.deepEqual(jws.claims, { sub: "a" });
  });
  test("a JWE (five parts), two parts or four parts are refused", () => {
    refuses(() => decodeCompactJws(`${header}.${payload}.a.b.c`));
    refuses(() => decodeCompactJws(`${header}.${payload}`));
    refuses(() => decodeCompactJws(`${header}.${payload}.a.b`));
  });
  test("an empty header or payload is refused", () => {
    refuses(() => decodeCompactJws(`.${payload}.c2ln`));
    refuses(() => decodeCompactJws(`${header}..c2ln`));
  });
  test("non-base64url characters (standard base64 '+', '/', padding) are refused", () => {
    refuses(() => decodeCompactJws(`${header}+.${payload}.c2ln`));
    refuses(() => decodeCompactJws(`${header}.${payload}.c2ln=`));
    refuses(() => decodeCompactJws(`${header}.${payload}/.c2ln`));
  });
  test("a header that is not JSON, or JSON but not an object, is refused", () => {
    refuses(() => decodeCompactJws(`${b64url("not json")}.${payload}.c2ln`));
    refuses(() => decodeCompactJws(`${b64url([1, 2])}.${payload}.c2ln`));
    refuses(() => decodeCompactJws(`${b64url("null")}.${payload}.c2ln`));
    refuses(() => decodeCompactJws(`${header}.${b64url('"a string"')}.c2ln`));
  });
  test("invalid UTF-8 in the header is refused", () => {
    refuses(() => decodeCompactJws(`${Buffer.from([0x7b, 0xff, 0x7d]).toString("base64url")}.${payload}.c2ln`));
  });
  test("looksLikeCompactJws tells JWTs from opaque tokens", () => {
    assert.equal(looksLikeCompactJws(`${header}.${payload}.c2ln`), true);
    assert.equal(looksLikeCompactJws("opaque-token-value"), false);
    assert.equal(looksLikeCompactJws("a.b"), false);
    assert.equal(looksLikeCompactJws("a+b.c.d"), false);
  });
  test("never throws anything but AuthError on arbitrary input", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (text) => {
        try {
          decodeCompactJws(text);
          return true;
        } catch (error) {
          return error instanceof AuthError && error.code === "invalid_token";
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe("check-algorithm.ts", () => {
  const allowed = new Set(["RS256", "ES256"]);
  test("an allowed asymmetric algorithm passes", () => {
    assert.equal(checkAlgorithm({ alg: "RS256" }, allowed), "RS256");
    assert.equal(checkAlgorithm({ alg: "ES256" }, allowed), "ES256");
  });
  test("alg none, in any case, is refused", () => {
    for (const alg of ["none", "None", "NONE", "nOnE"]) refuses(() => checkAlgorithm({ alg }, new Set([...allowed, alg])));
  });
  test("HMAC algorithms are refused even if configured (RS/HS confusion)", () => {
    for (const alg of ["HS256", "HS384", "HS512"]) refuses(() => checkAlgorithm({ alg }, new Set([alg])));
  });
  test("an asymmetric algorithm not in the issuer's list is refused", () => {
    refuses(() => checkAlgorithm({ alg: "PS256" }, allowed));
    refuses(() => checkAlgorithm({ alg: "rs256" }, allowed));
  });
  test("a missing, empty or non-string alg is refused", () => {
    refuses(() => checkAlgorithm({}, allowed));
    refuses(() => checkAlgorithm({ alg: "" }, allowed));
    refuses(() => checkAlgorithm({ alg: ["RS256"] }, allowed));
    refuses(() => checkAlgorithm({ alg: null }, allowed));
  });
});

describe("check-embedded-keys.ts", () => {
  test("a header without key parameters passes", () => {
    checkNoEmbeddedKeys({ alg: "RS256", kid: "k1", typ: "at+jwt" });
  });
  for (const name of ["jku", "jwk", "x5u", "x5c"]) {
    test(`a "${name}" header is refused whatever its value`, () => {
      refuses(() => checkNoEmbeddedKeys({ alg: "RS256", [name]: "https://attacker.example/keys" }));
      refuses(() => checkNoEmbeddedKeys({ alg: "RS256", [name]: null }));
    });
  }
});

describe("check-critical.ts", () => {
  test("no crit passes", () => checkNoCriticalHeaders({ alg: "RS256" }));
  test("any crit is refused: a known claim, b64, an unknown extension, even an empty list", () => {
    refuses(() => checkNoCriticalHeaders({ alg: "RS256", crit: ["exp"], exp: 1 }));
    refuses(() => checkNoCriticalHeaders({ alg: "RS256", crit: ["b64"], b64: false }));
    refuses(() => checkNoCriticalHeaders({ alg: "RS256", crit: ["http://example.com/ext"] }));
    refuses(() => checkNoCriticalHeaders({ alg: "RS256", crit: [] }));
  });
});

describe("check-type.ts", () => {
  test("with at+jwt required: at+jwt and application/at+jwt, any case, pass", () => {
    for (const typ of ["at+jwt", "AT+JWT", "application/at+jwt", "Application/At+JWT"]) checkType({ typ }, true);
  });
  test("with at+jwt required: missing, JWT, or anything else is refused", () => {
    refuses(() => checkType({}, true));
    for (const typ of ["JWT", "jwt", "dpop+jwt", "application/jwt", "at+jwt2", "xat+jwt"]) refuses(() => checkType({ typ }, true));
    refuses(() => checkType({ typ: 1 }, true));
  });
  test("without it: absent, JWT and at+jwt pass", () => {
    for (const typ of [undefined, "JWT", "jwt", "application/jwt", "at+jwt"]) checkType(typ === undefined ? {} : { typ }, false);
  });
  test("without it: a JWT made for something else is refused (cross-JWT confusion)", () => {
    for (const typ of ["dpop+jwt", "logout+jwt", "secevent+jwt", "JOSE", "application/json"]) refuses(() => checkType({ typ }, false));
  });
});

describe("check-issuer.ts", () => {
  test("the exact issuer passes", () => checkIssuer({ iss: "https://issuer.example" }, "https://issuer.example"));
  test("anything else is refused: no normalization", () => {
    for (const iss of [undefined, "", "https://issuer.example/", "https://ISSUER.example", "http://issuer.example", ["https://issuer.example"], "https://issuer.example.evil"]) {
      refuses(() => checkIssuer(iss === undefined ? {} : { iss }, "https://issuer.example"));
    }
  });
});

describe("check-audience.ts", () => {
  const me = "https://gw.example/mcp";
  test("a string equal to the resource, or a list containing it, passes", () => {
    checkAudience({ aud: me }, me);
    checkAudience({ aud: ["https://other.example", me] }, me);
  });
  test("missing, empty, another resource, a near miss, or the wrong type is refused", () => {
    for (const aud of [undefined, "", [], "https://other.example/mcp", `${me}/`, "https://gw.example", "https://gw.example/mcp2", [1], { me }, null, 7]) {
      refuses(() => checkAudience(aud === undefined ? {} : { aud }, me));
    }
  });
  test("a list with a non-string member is refused even if it names the resource", () => {
    refuses(() => checkAudience({ aud: [me, 5] }, me));
  });
});

describe("check-expiry.ts", () => {
  test("a future exp passes and gives the expiry in ms", () => {
    assert.equal(checkExpiry({ exp: NOW_S + 60 }, NOW, SKEW), (NOW_S + 60) * 1000);
  });
  test("a missing exp is refused", () => refuses(() => checkExpiry({}, NOW, SKEW)));
  test("an expired token is refused as expired_credentials", () => {
    refuses(() => checkExpiry({ exp: NOW_S - 31 }, NOW, SKEW), "expired_credentials");
  });
  test("exp within the skew passes; at exp + skew it no longer does", () => {
    checkExpiry({ exp: NOW_S - 29 }, NOW, SKEW);
    refuses(() => checkExpiry({ exp: NOW_S - 30 }, NOW, SKEW), "expired_credentials");
    refuses(() => checkExpiry({ exp: NOW_S }, NOW, 0), "expired_credentials");
  });
  test("a non-numeric exp is refused (string, NaN-like, negative, boolean)", () => {
    for (const exp of [String(NOW_S + 60), null, true, -1, [NOW_S + 60]]) refuses(() => checkExpiry({ exp }, NOW, SKEW));
  });
});

describe("check-not-before.ts", () => {
  test("absent or past nbf passes", () => {
    checkNotBefore({}, NOW, SKEW);
    checkNotBefore({ nbf: NOW_S - 10 }, NOW, SKEW);
  });
  test("nbf within the skew passes", () => checkNotBefore({ nbf: NOW_S + 29 }, NOW, SKEW));
  test("a token not yet valid is refused", () => {
    refuses(() => checkNotBefore({ nbf: NOW_S + 31 }, NOW, SKEW));
    refuses(() => checkNotBefore({ nbf: NOW_S + 1 }, NOW, 0));
  });
  test("a non-numeric nbf is refused", () => refuses(() => checkNotBefore({ nbf: "0" }, NOW, SKEW)));
});

describe("check-issued-at.ts", () => {
  test("absent or past iat passes", () => {
    checkIssuedAt({}, NOW, SKEW);
    checkIssuedAt({ iat: NOW_S - 100 }, NOW, SKEW);
  });
  test("an iat in the future beyond the skew is refused", () => {
    checkIssuedAt({ iat: NOW_S + 29 }, NOW, SKEW);
    refuses(() => checkIssuedAt({ iat: NOW_S + 31 }, NOW, SKEW));
  });
  test("with a max age, iat is required and old tokens are refused", () => {
    refuses(() => checkIssuedAt({}, NOW, SKEW, 600_000));
    checkIssuedAt({ iat: NOW_S - 600 }, NOW, SKEW, 600_000);
    refuses(() => checkIssuedAt({ iat: NOW_S - 700 }, NOW, SKEW, 600_000), "expired_credentials");
  });
  test("a non-numeric iat is refused", () => refuses(() => checkIssuedAt({ iat: {} }, NOW, SKEW)));
});

describe("check-subject.ts", () => {
  test("a non-empty sub passes", () => assert.equal(checkSubject({ sub: "alice" }), "alice"));
  test("missing, empty, non-string or over-long sub is refused", () => {
    for (const sub of [undefined, "", 42, ["alice"], "x".repeat(1025)]) refuses(() => checkSubject(sub === undefined ? {} : { sub }));
  });
});
