/**
 * Mutual TLS end to end: a real HTTPS server from createTlsOptions, real TLS clients presenting
 * certificates made at test time by the openssl CLI, real CRLs checked by OpenSSL.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { Agent } from "node:https";
import { createStandardPki, type StandardPki } from "./pki.js";
import { get, GOOD_BEARER, principalOf, rawGet, startMtlsServer, type MtlsServer, type Reply } from "./harness.js";

const refusedAtHandshake = (reply: Reply): boolean => "error" in reply;
const statusOf = (reply: Reply): number | undefined => ("status" in reply ? reply.status : undefined);
const codeOf = (reply: Reply): unknown => ("json" in reply ? reply.json.code : undefined);

/** Polls (bounded) until the server has reported a refused handshake. */
async function refusalReason(server: MtlsServer, count: number): Promise<string | undefined> {
  for (let i = 0; i < 200 && server.refusals.length < count; i += 1) await new Promise((r) => setTimeout(r, 10));
  return server.refusals[count - 1]?.reason;
}

describe("required client certificates", () => {
  let pki: StandardPki;
  let server: MtlsServer;
  before(async () => {
    pki = createStandardPki();
    server = await startMtlsServer(pki, { mode: "required" });
  });
  after(async () => {
    await server?.close();
    pki?.remove();
  });

  test("a good certificate under the intermediate CA gets a principal with the mapped name and roles", async () => {
    const principal = principalOf(await get(server.port, pki, { cert: pki.alice }));
    assert.equal(principal.id, `cert:${pki.alice.fingerprint256}`);
    assert.equal(principal.method, "mtls");
    assert.deepEqual(principal.roles, ["editor"]);
    assert.deepEqual(principal.attributes, {
      tenant: "acme",
      name: "spiffe://acme.test/ns/prod/sa/alice",
      mtlsRule: "prod-agents",
      certificateIssuer: "intermediate Intermediate CA",
    });
    assert.equal(principal.credentialId, pki.alice.serial);
    assert.equal(typeof principal.expiresAt, "number");
  });

  test("the second rule maps another certificate (first match wins, in order)", async () => {
    const principal = principalOf(await get(server.port, pki, { cert: pki.bob }));
    assert.deepEqual(principal.roles, ["admin", "viewer"]);
    assert.equal((principal.attributes as Record<string, unknown>).name, "bob@acme.test");
    assert.equal((principal.attributes as Record<string, unknown>).mtlsRule, "ops");
  });

  test("a revoked certificate is refused at the handshake, and the refusal says CERT_REVOKED", async () => {
    const before = server.refusals.length;
    const reply = await get(server.port, pki, { cert: pki.revoked });
    assert.ok(refusedAtHandshake(reply), JSON.stringify(reply));
    assert.equal(await refusalReason(server, before + 1), "CERT_REVOKED");
  });

  test("a certificate from another CA (same subject and SPIFFE id as alice) is refused at the handshake", async () => {
    const before = server.refusals.length;
    const reply = await get(server.port, pki, { cert: pki.stranger });
    assert.ok(refusedAtHandshake(reply), JSON.stringify(reply));
    assert.match((await refusalReason(server, before + 1)) ?? "", /UNABLE_TO_(VERIFY_LEAF_SIGNATURE|GET_ISSUER_CERT)/);
  });

  test("an expired certificate is refused at the handshake (CERT_HAS_EXPIRED)", async () => {
    const before = server.refusals.length;
    const reply = await get(server.port, pki, { cert: pki.expired });
    assert.ok(refusedAtHandshake(reply), JSON.stringify(reply));
    assert.equal(await refusalReason(server, before + 1), "CERT_HAS_EXPIRED");
  });

  test("no certificate is refused at the handshake, even with a good bearer token", async () => {
    const reply = await get(server.port, pki, { headers: { authorization: `Bearer ${GOOD_BEARER}` } });
    assert.ok(refusedAtHandshake(reply), JSON.stringify(reply));
  });

  test("a server certificate presented as a client certificate is refused (purpose)", async () => {
    const reply = await get(server.port, pki, { cert: pki.server });
    assert.ok(refusedAtHandshake(reply), JSON.stringify(reply));
  });

  test("a good certificate whose subject no rule maps gets 401 unknown_credentials", async () => {
    const reply = await get(server.port, pki, { cert: pki.unmapped });
    assert.equal(statusOf(reply), 401);
    assert.equal(codeOf(reply), "unknown_credentials");
  });
});

describe("optional client certificates", () => {
  let pki: StandardPki;
  let server: MtlsServer;
  before(async () => {
    pki = createStandardPki();
    server = await startMtlsServer(pki, { mode: "optional" });
  });
  after(async () => {
    await server?.close();
    pki?.remove();
  });

  test("a good certificate authenticates", async () => {
    const principal = principalOf(await get(server.port, pki, { cert: pki.alice }));
    assert.equal(principal.id, `cert:${pki.alice.fingerprint256}`);
  });

  test("no certificate falls through to the other credentials (a good bearer token)", async () => {
    const principal = principalOf(await get(server.port, pki, { headers: { authorization: `Bearer ${GOOD_BEARER}` } }));
    assert.equal(principal.method, "jwt");
  });

  test("no certificate and no other credential is 401 missing_credentials", async () => {
    const reply = await get(server.port, pki);
    assert.equal(statusOf(reply), 401);
    assert.equal(codeOf(reply), "missing_credentials");
  });

  test("a revoked certificate completes the handshake but is refused per request: 401 invalid_client_certificate (CERT_REVOKED)", async () => {
    const reply = await get(server.port, pki, { cert: pki.revoked });
    assert.equal(statusOf(reply), 401);
    assert.equal(codeOf(reply), "invalid_client_certificate");
    assert.match(String((reply as { json: Record<string, unknown> }).json.message), /CERT_REVOKED/);
  });

  test("a revoked certificate beside a good bearer token still refuses the request", async () => {
    const reply = await get(server.port, pki, { cert: pki.revoked, headers: { authorization: `Bearer ${GOOD_BEARER}` } });
    assert.equal(statusOf(reply), 401);
    assert.equal(codeOf(reply), "invalid_client_certificate");
  });

  test("a certificate from another CA is 401 invalid_client_certificate", async () => {
    const reply = await get(server.port, pki, { cert: pki.stranger });
    assert.equal(statusOf(reply), 401);
    assert.equal(codeOf(reply), "invalid_client_certificate");
  });

  test("an expired certificate is 401 invalid_client_certificate (CERT_HAS_EXPIRED)", async () => {
    const reply = await get(server.port, pki, { cert: pki.expired });
    assert.equal(statusOf(reply), 401);
    assert.match(String((reply as { json: Record<string, unknown> }).json.message), /CERT_HAS_EXPIRED/);
  });

  test("an unmapped certificate is 401 unknown_credentials", async () => {
    const reply = await get(server.port, pki, { cert: pki.unmapped });
    assert.equal(statusOf(reply), 401);
    assert.equal(codeOf(reply), "unknown_credentials");
  });
});

describe("CRL reload without restart", () => {
  let pki: StandardPki;
  let server: MtlsServer;
  before(async () => {
    pki = createStandardPki();
    server = await startMtlsServer(pki, { mode: "required" });
  });
  after(async () => {
    await server?.close();
    pki?.remove();
  });

  test("revoking a certificate and reloading refuses new connections, closes open ones and refuses resumed TLS sessions", async () => {
    // Before: bob works on a fresh connection, on a kept-alive one, and can resume his TLS session.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      principalOf(await get(server.port, pki, { cert: pki.bob, agent }));
      const first = await rawGet(server.port, pki, pki.bob);
      assert.equal(first.status, 200);
      assert.ok(first.session, "the server handed out a TLS session");
      const resumed = await rawGet(server.port, pki, pki.bob, first.session);
      assert.equal(resumed.status, 200);
      assert.equal(resumed.reused, true, "the session was resumed (so the test below can tell resumption apart)");
      assert.equal(server.reloader.liveCertificateConnections >= 1, true);

      pki.intermediate.revoke(pki.bob);
      pki.intermediate.writeCrl({ path: pki.intermediateCrlPath });
      const outcome = server.reloader.reload();
      assert.equal(outcome.ok, true, JSON.stringify(outcome));
      assert.equal(outcome.ok && outcome.closedConnections >= 1, true, "bob's kept-alive connection was closed");

      // After: a fresh connection is refused at the handshake,
      assert.ok(refusedAtHandshake(await get(server.port, pki, { cert: pki.bob })));
      // the kept-alive agent must reconnect and is refused,
      assert.ok(refusedAtHandshake(await get(server.port, pki, { cert: pki.bob, agent })));
      // and the saved TLS session is not resumed into an authenticated request.
      const replay = await rawGet(server.port, pki, pki.bob, first.session);
      assert.equal(replay.reused, false);
      assert.notEqual(replay.status, 200);
      // alice is unaffected.
      principalOf(await get(server.port, pki, { cert: pki.alice }));
    } finally {
      agent.destroy();
    }
  });

  test("an older CRL does not replace the one in force (no un-revoking)", async () => {
    const older = pki.intermediate.writeCrl({ lastUpdate: new Date(Date.now() - 3 * 86_400_000), nextUpdate: new Date(Date.now() + 86_400_000) });
    const { copyFileSync } = await import("node:fs");
    copyFileSync(older, pki.intermediateCrlPath);
    const outcome = server.reloader.reload();
    assert.equal(outcome.ok, false);
    assert.match(!outcome.ok ? outcome.problems.join("\n") : "", /older/);
    // bob is still revoked.
    assert.ok(refusedAtHandshake(await get(server.port, pki, { cert: pki.bob })));
  });

  test("a damaged CRL file does not replace the one in force", async () => {
    const { writeFileSync } = await import("node:fs");
    writeFileSync(pki.intermediateCrlPath, "-----BEGIN X509 CRL-----\nnot base64 at all!\n-----END X509 CRL-----\n");
    const outcome = server.reloader.reload();
    assert.equal(outcome.ok, false);
    principalOf(await get(server.port, pki, { cert: pki.alice }));
    assert.ok(refusedAtHandshake(await get(server.port, pki, { cert: pki.bob })));
  });
});

describe("CRL reload on file change (watched)", () => {
  let pki: StandardPki;
  let server: MtlsServer;
  const outcomes: Array<(outcome: unknown) => void> = [];
  before(async () => {
    pki = createStandardPki();
    server = await startMtlsServer(pki, {
      mode: "optional",
      watch: true,
      interval: 50,
      onReload: (outcome) => outcomes.shift()?.(outcome),
    });
  });
  after(async () => {
    await server?.close();
    pki?.remove();
  });

  test("writing a new CRL over the watched file puts it in force without a restart", async () => {
    principalOf(await get(server.port, pki, { cert: pki.alice }));
    const reloaded = new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("the watcher did not reload within 15 s")), 15_000);
      outcomes.push((outcome) => {
        clearTimeout(timer);
        resolve(outcome);
      });
    });
    pki.intermediate.revoke(pki.alice);
    pki.intermediate.writeCrl({ path: pki.intermediateCrlPath });
    const outcome = (await reloaded) as { ok: boolean };
    assert.equal(outcome.ok, true);
    const reply = await get(server.port, pki, { cert: pki.alice });
    assert.equal(statusOf(reply), 401);
    assert.match(String((reply as { json: Record<string, unknown> }).json.message), /CERT_REVOKED/);
  });
});

describe("protocol versions", () => {
  let pki: StandardPki;
  before(() => {
    pki = createStandardPki();
  });
  after(() => pki?.remove());

  test("TLS 1.2 clients are served by default; with minVersion TLSv1.3 they are refused", async () => {
    const tls12 = await startMtlsServer(pki, { mode: "required" });
    const tls13 = await startMtlsServer(pki, { mode: "required", minVersion: "TLSv1.3" });
    try {
      principalOf(await get(tls12.port, pki, { cert: pki.alice, maxVersion: "TLSv1.2" }));
      principalOf(await get(tls13.port, pki, { cert: pki.alice }));
      assert.ok(refusedAtHandshake(await get(tls13.port, pki, { cert: pki.alice, maxVersion: "TLSv1.2" })));
    } finally {
      await tls12.close();
      await tls13.close();
    }
  });

  test("over TLS 1.2 a revoked certificate is refused too", async () => {
    const server = await startMtlsServer(pki, { mode: "required" });
    try {
      assert.ok(refusedAtHandshake(await get(server.port, pki, { cert: pki.revoked, maxVersion: "TLSv1.2" })));
      principalOf(await get(server.port, pki, { cert: pki.bob, maxVersion: "TLSv1.2" }));
    } finally {
      await server.close();
    }
  });
});

describe("a CRL that goes stale while the gateway runs", () => {
  let pki: StandardPki;
  before(() => {
    pki = createStandardPki();
  });
  after(() => pki?.remove());

  test("past nextUpdate every certificate under that CA is refused (CRL_HAS_EXPIRED), and the operator is told", async () => {
    const staleCrl = pki.intermediate.writeCrl({ lastUpdate: new Date(Date.now() - 60_000), nextUpdate: new Date(Date.now() + 3_000) });
    const stale: string[] = [];
    let wake: () => void = () => undefined;
    const noticed = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no stale-CRL report within 20 s")), 20_000);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    const onCrlStale = ({ path }: { path: string }) => {
      stale.push(path);
      wake();
    };
    const optional = await startMtlsServer(pki, { mode: "optional", crl: [pki.rootCrlPath, staleCrl], onCrlStale });
    const required = await startMtlsServer(pki, { mode: "required", crl: [pki.rootCrlPath, staleCrl] });
    try {
      principalOf(await get(optional.port, pki, { cert: pki.alice }));
      principalOf(await get(required.port, pki, { cert: pki.alice }));
      await noticed;
      assert.deepEqual(stale, [staleCrl]);
      // OpenSSL's own verdict, per request (optional) and at the handshake (required).
      let reply = await get(optional.port, pki, { cert: pki.alice });
      for (let i = 0; i < 50 && statusOf(reply) === 200; i += 1) {
        await new Promise((r) => setTimeout(r, 100)); // OpenSSL's clock is whole seconds
        reply = await get(optional.port, pki, { cert: pki.alice });
      }
      assert.equal(statusOf(reply), 401);
      assert.match(String((reply as { json: Record<string, unknown> }).json.message), /CRL_HAS_EXPIRED/);
      assert.ok(refusedAtHandshake(await get(required.port, pki, { cert: pki.alice })));
      // Other credentials still work on the optional listener.
      principalOf(await get(optional.port, pki, { headers: { authorization: `Bearer ${GOOD_BEARER}` } }));
    } finally {
      await optional.close();
      await required.close();
    }
  });
});
