import assert from "node:assert/strict";
import { once } from "node:events";
import { request as httpsRequest, createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import fc from "fast-check";
import { extractCredential, type Credential } from "../../src/auth/credentials.js";
import { AuthError } from "../../src/auth/errors.js";
import { createTestPki, type IssuedCertificate, type TestPki } from "./mtls/pki.js";
import { rawRequest, startServer, type TestServer } from "./helpers.js";

/** What the server answers: the credential it extracted, or the refusal's code. */
function describeOutcome(run: () => Credential): Record<string, unknown> {
  try {
    const credential = run();
    if (credential.kind === "bearer") return { kind: "bearer", token: credential.token };
    if (credential.kind === "api-key") return { kind: "api-key", key: credential.key };
    return { kind: "client-certificate", authorized: credential.authorized, subject: credential.certificate.subject?.CN, hasError: credential.authorizationError !== undefined };
  } catch (error) {
    if (error instanceof AuthError) return { code: error.code, message: error.message };
    return { crash: String(error) };
  }
}

let server: TestServer;
before(async () => {
  server = await startServer((req, res) => {
    const body = Buffer.from(JSON.stringify(describeOutcome(() => extractCredential(req))));
    res.writeHead(200, { "content-type": "application/json", "content-length": body.length }).end(body);
  });
});
after(() => server.close());

async function send(headerLines: string[], path = "/mcp", body = ""): Promise<Record<string, unknown>> {
  const response = await rawRequest(server.port, path, headerLines, body);
  assert.equal(response.status, 200);
  return JSON.parse(response.body) as Record<string, unknown>;
}

const JWT_LIKE = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln";
const API_KEY = "bst_abcdefghijklmnop_0123456789abcdefghijABCDEFGHIJ0123456789abc";

describe("extractCredential: accepted credentials", () => {
  test("Authorization: Bearer <token>", async () => {
    assert.deepEqual(await send([`Authorization: Bearer ${JWT_LIKE}`]), { kind: "bearer", token: JWT_LIKE });
  });
  test("the scheme is case-insensitive", async () => {
    assert.deepEqual(await send([`authorization: bEaReR ${JWT_LIKE}`]), { kind: "bearer", token: JWT_LIKE });
  });
  test("b64token characters and trailing '=' padding are allowed", async () => {
    const token = "abc-._~+/XYZ09==";
    assert.deepEqual(await send([`Authorization: Bearer ${token}`]), { kind: "bearer", token });
  });
  test("X-API-Key: <key>", async () => {
    assert.deepEqual(await send([`X-API-Key: ${API_KEY}`]), { kind: "api-key", key: API_KEY });
  });
  test("Authorization: Bearer bst_... is an API key, not a token", async () => {
    assert.deepEqual(await send([`Authorization: Bearer ${API_KEY}`]), { kind: "api-key", key: API_KEY });
  });
  test("the same API key in both headers is one credential", async () => {
    assert.deepEqual(await send([`Authorization: Bearer ${API_KEY}`, `X-API-Key: ${API_KEY}`]), { kind: "api-key", key: API_KEY });
  });
  test("a query string without credential parameters is fine", async () => {
    assert.deepEqual(await send([`Authorization: Bearer ${JWT_LIKE}`], "/mcp?session=1&tokenizer=x"), { kind: "bearer", token: JWT_LIKE });
  });
  test("a non-credential header that merely looks like one is ignored (Proxy-Authorization)", async () => {
    assert.deepEqual(await send([`Proxy-Authorization: Bearer other`, `Authorization: Bearer ${JWT_LIKE}`]), { kind: "bearer", token: JWT_LIKE });
  });
});

describe("extractCredential: missing and empty credentials", () => {
  test("no credential at all", async () => {
    assert.equal((await send([])).code, "missing_credentials");
  });
  test("empty Authorization header", async () => {
    assert.equal((await send(["Authorization: "])).code, "malformed_credentials");
  });
  test("Authorization: Bearer with no token", async () => {
    assert.equal((await send(["Authorization: Bearer"])).code, "malformed_credentials");
    assert.equal((await send(["Authorization: Bearer "])).code, "malformed_credentials");
  });
  test("empty X-API-Key header", async () => {
    assert.equal((await send(["X-API-Key: "])).code, "malformed_credentials");
  });
  test("a token in a form body is not looked at", async () => {
    const outcome = await send(["Content-Type: application/x-www-form-urlencoded"], "/mcp", `access_token=${JWT_LIKE}`);
    assert.equal(outcome.code, "missing_credentials");
  });
});

describe("extractCredential: malformed credentials", () => {
  const cases: Array<[string, string]> = [
    ["another scheme (Basic)", "Authorization: Basic YWxpY2U6c2VjcmV0"],
    ["another scheme (Digest)", 'Authorization: Digest username="a"'],
    ["DPoP scheme", `Authorization: DPoP ${JWT_LIKE}`],
    ["a scheme that only starts with Bearer", `Authorization: Bearerx ${JWT_LIKE}`],
    ["two spaces after the scheme", `Authorization: Bearer  ${JWT_LIKE}`],
    ["a tab after the scheme", `Authorization: Bearer\t${JWT_LIKE}`],
    ["two tokens", `Authorization: Bearer ${JWT_LIKE} ${JWT_LIKE}`],
    ["a comma-joined second token", `Authorization: Bearer ${JWT_LIKE}, Bearer ${JWT_LIKE}`],
    ["a quote in the token", 'Authorization: Bearer ab"cd'],
    ["padding in the middle", "Authorization: Bearer ab=cd"],
    ["only padding", "Authorization: Bearer ==="],
    ["a non-ASCII token", "Authorization: Bearer t\u00f6ken"],
    ["an API key with a space", "X-API-Key: bst_a b"],
    ["an API key with a comma", "X-API-Key: bst_a,b"],
    ["an API key with a quote", 'X-API-Key: "bst_a"'],
  ];
  for (const [name, line] of cases) {
    test(name, async () => {
      assert.equal((await send([line])).code, "malformed_credentials");
    });
  }
  test("an over-long token", async () => {
    assert.equal((await send([`Authorization: Bearer ${"a".repeat(8193)}`])).code, "malformed_credentials");
    assert.deepEqual((await send([`Authorization: Bearer ${"a".repeat(8192)}`])).kind, "bearer");
  });
  test("an over-long API key", async () => {
    assert.equal((await send([`X-API-Key: bst_${"a".repeat(8200)}`])).code, "malformed_credentials");
  });
  test("refusal messages never echo the credential", async () => {
    const secret = "s3cretTOKENvalue";
    for (const line of [`Authorization: Basic ${secret}`, `Authorization: Bearer ${secret} ${secret}`, `X-API-Key: ${secret},x`]) {
      const outcome = await send([line]);
      assert.ok(typeof outcome.message === "string" && !outcome.message.includes(secret), String(outcome.message));
    }
  });
});

describe("extractCredential: duplicated credentials", () => {
  test("two Authorization headers (Node keeps only the first: rawHeaders tell)", async () => {
    assert.equal((await send([`Authorization: Bearer ${JWT_LIKE}`, `Authorization: Bearer ${JWT_LIKE}`])).code, "multiple_credentials");
  });
  test("two Authorization headers with different cases", async () => {
    assert.equal((await send([`Authorization: Bearer ${JWT_LIKE}`, "AUTHORIZATION: Bearer other"])).code, "multiple_credentials");
  });
  test("two X-API-Key headers (Node joins them with ', ')", async () => {
    assert.equal((await send([`X-API-Key: ${API_KEY}`, `x-api-key: ${API_KEY}`])).code, "multiple_credentials");
  });
  test("a bearer token and an API key", async () => {
    assert.equal((await send([`Authorization: Bearer ${JWT_LIKE}`, `X-API-Key: ${API_KEY}`])).code, "multiple_credentials");
  });
  test("two different API keys in Authorization and X-API-Key", async () => {
    const other = API_KEY.replace("abcdefghijklmnop", "bbcdefghijklmnop");
    assert.equal((await send([`Authorization: Bearer ${API_KEY}`, `X-API-Key: ${other}`])).code, "multiple_credentials");
  });
});

describe("extractCredential: credentials in the query string", () => {
  for (const name of ["access_token", "api_key", "token", "ACCESS_TOKEN", "apikey", "api-key", "id_token"]) {
    test(`?${name}= is refused`, async () => {
      assert.equal((await send([], `/mcp?${name}=abc`)).code, "token_in_query");
    });
  }
  test("refused even beside a valid header credential, and even when empty", async () => {
    assert.equal((await send([`Authorization: Bearer ${JWT_LIKE}`], "/mcp?x=1&access_token=")).code, "token_in_query");
  });
  test("refused when percent-encoded", async () => {
    assert.equal((await send([], "/mcp?access%5Ftoken=abc")).code, "token_in_query");
  });
  test("a fragment-looking part is still the query to the server", async () => {
    assert.equal((await send([], "/mcp?a=1&token=x")).code, "token_in_query");
  });
});

describe("extractCredential: properties", () => {
  test("any b64token after 'Bearer ' is extracted exactly (or as an API key by its prefix)", () => {
    const b64token = fc.stringMatching(/^[A-Za-z0-9\-._~+/]{1,200}={0,2}$/);
    fc.assert(
      fc.property(b64token, (token) => {
        const req = fakeRequest([["Authorization", `Bearer ${token}`]]);
        const credential = extractCredential(req);
        if (token.startsWith("bst_")) return credential.kind === "api-key" && credential.key === token;
        return credential.kind === "bearer" && credential.token === token;
      }),
      { numRuns: 300 },
    );
  });
  test("any value with a character outside b64token is refused, never crashes", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 60 }), (junk) => {
        const value = `Bearer a${junk}`;
        const req = fakeRequest([["Authorization", value]]);
        try {
          const credential = extractCredential(req);
          // Accepted only if what is left after the optional trailing whitespace is a b64token.
          const token = `a${junk}`.replace(/[ \t]+$/, "");
          return credential.kind === "bearer" && credential.token === token && /^[A-Za-z0-9\-._~+/]+=*$/.test(token);
        } catch (error) {
          return error instanceof AuthError && error.code === "malformed_credentials";
        }
      }),
      { numRuns: 300 },
    );
  });
});

function fakeRequest(headers: Array<[string, string]>, url = "/mcp"): Parameters<typeof extractCredential>[0] {
  return { url, rawHeaders: headers.flat(), headers: Object.fromEntries(headers.map(([k, v]) => [k.toLowerCase(), v])), socket: {} } as unknown as Parameters<typeof extractCredential>[0];
}

describe("extractCredential: TLS client certificates", () => {
  let pki: TestPki;
  let good: IssuedCertificate;
  let stranger: IssuedCertificate;
  let serverCert: IssuedCertificate;
  let rootCert: string;
  let port: number;
  let close: () => Promise<void>;

  before(async () => {
    pki = createTestPki("bastion-cred-");
    const root = pki.createRoot("root");
    const other = pki.createRoot("other", { CN: "Other CA", O: "Elsewhere" });
    rootCert = root.cert;
    serverCert = root.issue("server", "server", { subject: { CN: "localhost" }, san: { dns: ["localhost"], ip: ["127.0.0.1"] } });
    good = root.issue("client", "client", { subject: { CN: "agent-1", O: "Acme" } });
    stranger = other.issue("stranger", "client", { subject: { CN: "agent-1", O: "Acme" } });
    const server = createHttpsServer({ key: serverCert.key, cert: serverCert.cert, ca: rootCert, requestCert: true, rejectUnauthorized: false }, (req, res) => {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(describeOutcome(() => extractCredential(req))));
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    port = (server.address() as AddressInfo).port;
    close = async () => {
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    };
  });
  after(async () => {
    await close?.();
    pki?.remove();
  });

  function tlsSend(cert: IssuedCertificate | undefined, headers: Record<string, string> = {}): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const req = httpsRequest(
        { host: "127.0.0.1", port, path: "/mcp", method: "POST", ca: rootCert, servername: "localhost", headers, agent: false, timeout: 5_000, ...(cert ? { key: cert.key, cert: cert.cert } : {}) },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>));
        },
      );
      req.on("timeout", () => req.destroy(new Error("timed out")));
      req.on("error", reject);
      req.end();
    });
  }

  test("a verified client certificate is the credential", async () => {
    assert.deepEqual(await tlsSend(good), { kind: "client-certificate", authorized: true, subject: "agent-1", hasError: false });
  });
  test("a certificate from another CA is extracted as not authorized, with the reason", async () => {
    assert.deepEqual(await tlsSend(stranger), { kind: "client-certificate", authorized: false, subject: "agent-1", hasError: true });
  });
  test("no certificate and no header: missing", async () => {
    assert.equal((await tlsSend(undefined)).code, "missing_credentials");
  });
  test("a verified certificate beside a bearer token: the token is the credential", async () => {
    assert.deepEqual(await tlsSend(good, { authorization: `Bearer ${JWT_LIKE}` }), { kind: "bearer", token: JWT_LIKE });
  });
  test("an unverified certificate beside a bearer token is refused", async () => {
    assert.equal((await tlsSend(stranger, { authorization: `Bearer ${JWT_LIKE}` })).code, "invalid_client_certificate");
  });
});

describe("trimOptionalWhitespace", () => {
  test("cuts SP and HTAB at both ends only, as /^[ \\t]+|[ \\t]+$/g does; other whitespace stays", async () => {
    const { trimOptionalWhitespace } = await import("../../src/auth/credentials.js");
    assert.equal(trimOptionalWhitespace(" \t Bearer a b\t "), "Bearer a b");
    assert.equal(trimOptionalWhitespace("\u00a0key\n"), "\u00a0key\n", "no-break space and newline are not optional whitespace");
    assert.equal(trimOptionalWhitespace(" \t "), "");
    fc.assert(
      fc.property(fc.stringMatching(/^[ \t\na-z\u00a0]{0,40}$/), (value) => {
        assert.equal(trimOptionalWhitespace(value), value.replace(/^[ \t]+|[ \t]+$/g, ""));
      }),
      { numRuns: 500 },
    );
  });
});
