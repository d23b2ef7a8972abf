/**
 * The mTLS authenticator on its own: credentials as A2's extraction builds them from a TLS
 * socket, certificates made by openssl (and by hand for the odd cases), clocks moved by the test.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import type { PeerCertificate } from "node:tls";
import type { Credential } from "../../../src/auth/credentials.js";
import { AuthError } from "../../../src/auth/errors.js";
import { createMtlsAuthenticator } from "../../../src/auth/mtls/authenticator.js";
import { readCertificate } from "../../../src/auth/mtls/certificate-fields.js";
import { mtlsAuthConfigSchema, type MtlsAuthConfigInput } from "../../../src/auth/mtls/config.js";
import { readCrl } from "../../../src/auth/mtls/crl.js";
import { compileRules, mapCertificate } from "../../../src/auth/mtls/map-certificate.js";
import { splitPem } from "../../../src/auth/mtls/pem.js";
import { LiveRevocation, RevocationIndex } from "../../../src/auth/mtls/revocation.js";
import { certificate, extension, name, OIDS, oid, seq, subjectAltName, tlv, utf8 } from "./der-builder.js";
import { RULES } from "./harness.js";
import { createStandardPki, type IssuedCertificate, type StandardPki } from "./pki.js";

const DAY = 86_400_000;
/** Certificates are made in before(), so "now" is read when each test runs. */
const context = (now = Date.now()) => ({ now, clientAddress: "127.0.0.1" });

const derOf = (pem: string): Buffer => splitPem(pem, "CERTIFICATE")[0]!.der;

/** What `socket.getPeerCertificate(true)` gives: raw DER and the issuer chain (the root links to itself). */
function peer(...pems: string[]): PeerCertificate {
  const links = pems.map((pem) => ({ raw: derOf(pem) }) as unknown as PeerCertificate & { issuerCertificate?: PeerCertificate });
  links.forEach((link, i) => (link.issuerCertificate = links[i + 1] ?? link));
  return links[0]!;
}

function credential(certificateObject: PeerCertificate, authorized = true, authorizationError?: string): Credential {
  return { kind: "client-certificate", certificate: certificateObject, authorized, ...(authorizationError === undefined ? {} : { authorizationError }) };
}

async function refusedWith(promise: Promise<unknown>, code: string, message?: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof AuthError, String(error));
    assert.equal(error.code, code);
    assert.equal(error.status, 401);
    if (message) assert.match(error.message, message);
    return true;
  });
}

describe("createMtlsAuthenticator", () => {
  let pki: StandardPki;
  let index: RevocationIndex;
  const crlOf = (path: string) => readCrl(splitPem(readFileSync(path, "utf8"), "X509 CRL")[0]!.der);
  const chainOf = (cert: IssuedCertificate) => peer(cert.cert, cert.issuer.cert, ...(cert.issuer.parent ? [cert.issuer.parent.cert] : []));
  const authenticator = (rules: MtlsAuthConfigInput = RULES, revocation = new LiveRevocation(index)) =>
    createMtlsAuthenticator({ rules: mtlsAuthConfigSchema.parse(rules).rules, revocation });

  before(() => {
    pki = createStandardPki();
    index = new RevocationIndex([crlOf(pki.rootCrlPath), crlOf(pki.intermediateCrlPath)]);
  });
  after(() => pki?.remove());

  test("a good certificate becomes a principal: fingerprint id, mapped roles, serial, notAfter, the request's time", async () => {
    const now = Date.now();
    const principal = await authenticator().authenticate(credential(chainOf(pki.alice)), context(now));
    const x509 = new X509Certificate(pki.alice.cert);
    assert.deepEqual(principal, {
      id: `cert:${pki.alice.fingerprint256}`,
      method: "mtls",
      roles: ["editor"],
      scopes: [],
      attributes: { tenant: "acme", name: "spiffe://acme.test/ns/prod/sa/alice", mtlsRule: "prod-agents", certificateIssuer: "intermediate Intermediate CA" },
      authenticatedAt: now,
      expiresAt: Date.parse(x509.validTo),
      credentialId: x509.serialNumber,
    });
    assert.ok(Object.isFrozen(principal) && Object.isFrozen(principal.roles) && Object.isFrozen(principal.attributes));
  });

  test("the leaf alone (no chain on the object) is checked too", async () => {
    const principal = await authenticator().authenticate(credential(peer(pki.alice.cert)), context());
    assert.equal(principal.id, `cert:${pki.alice.fingerprint256}`);
  });

  test("lockoutSubject is the certificate's public fingerprint", () => {
    assert.equal(authenticator().lockoutSubject?.(credential(peer(pki.alice.cert))), `cert:${pki.alice.fingerprint256}`);
    assert.equal(authenticator().lockoutSubject?.({ kind: "bearer", token: "x" }), undefined);
  });

  for (const code of ["CERT_REVOKED", "CERT_HAS_EXPIRED", "UNABLE_TO_VERIFY_LEAF_SIGNATURE", "UNABLE_TO_GET_CRL", "DEPTH_ZERO_SELF_SIGNED_CERT"]) {
    test(`OpenSSL's refusal ${code} is refused: invalid_client_certificate`, async () => {
      await refusedWith(authenticator().authenticate(credential(chainOf(pki.alice), false, code), context()), "invalid_client_certificate", new RegExp(code));
    });
  }

  test("authorized true with an authorizationError beside it is refused", async () => {
    await refusedWith(authenticator().authenticate(credential(chainOf(pki.alice), true, "CERT_REVOKED"), context()), "invalid_client_certificate");
  });

  test("authorized false without a reason is refused; an odd reason is not echoed", async () => {
    await refusedWith(authenticator().authenticate(credential(chainOf(pki.alice), false), context()), "invalid_client_certificate", /UNVERIFIED/);
    await refusedWith(authenticator().authenticate(credential(chainOf(pki.alice), false, "<script>secret</script>"), context()), "invalid_client_certificate", /^[^<]*UNVERIFIED[^<]*$/);
  });

  test("authorized must be the boolean true (a truthy string is not)", async () => {
    const odd = { kind: "client-certificate", certificate: chainOf(pki.alice), authorized: "yes" } as unknown as Credential;
    await refusedWith(authenticator().authenticate(odd, context()), "invalid_client_certificate");
  });

  test("another kind of credential is refused", async () => {
    await refusedWith(authenticator().authenticate({ kind: "bearer", token: "abc" }, context()), "malformed_credentials");
  });

  test("a certificate object without DER, or with garbage DER, is refused", async () => {
    await refusedWith(authenticator().authenticate(credential({} as PeerCertificate), context()), "invalid_client_certificate");
    await refusedWith(authenticator().authenticate(credential({ raw: Buffer.from("not a certificate") } as PeerCertificate), context()), "invalid_client_certificate");
  });

  test("the clock: expired after notAfter, not valid before notBefore (OpenSSL's verdict was for the handshake time)", async () => {
    const fields = readCertificate(derOf(pki.alice.cert));
    await refusedWith(authenticator().authenticate(credential(chainOf(pki.alice)), context(fields.notAfter + 1)), "invalid_client_certificate", /expired/);
    await refusedWith(authenticator().authenticate(credential(chainOf(pki.alice)), context(fields.notBefore - 1)), "invalid_client_certificate", /not valid yet/);
    // notAfter itself is still valid (RFC 5280: inclusive); the CRL must be current at that moment too.
    const fresh = pki.intermediate.writeCrl({ lastUpdate: new Date(fields.notAfter - DAY), nextUpdate: new Date(fields.notAfter + DAY) });
    const rootFresh = pki.root.writeCrl({ lastUpdate: new Date(fields.notAfter - DAY), nextUpdate: new Date(fields.notAfter + DAY) });
    const later = new LiveRevocation(new RevocationIndex([crlOf(rootFresh), crlOf(fresh)]));
    const principal = await authenticator(RULES, later).authenticate(credential(chainOf(pki.alice)), context(fields.notAfter));
    assert.equal(principal.expiresAt, fields.notAfter);
  });

  test("a certificate revoked after its handshake is refused by the CRLs in force now", async () => {
    const view = new LiveRevocation(index);
    const auth = authenticator(RULES, view);
    await auth.authenticate(credential(chainOf(pki.bob)), context());
    pki.intermediate.revoke(pki.bob);
    view.replace(new RevocationIndex([crlOf(pki.rootCrlPath), crlOf(pki.intermediate.writeCrl())]));
    await refusedWith(auth.authenticate(credential(chainOf(pki.bob)), context()), "invalid_client_certificate", /revoked/);
    await refusedWith(auth.authenticate(credential(peer(pki.bob.cert)), context()), "invalid_client_certificate", /revoked/);
  });

  test("a revoked intermediate refuses every certificate under it (chain walk)", async () => {
    const intermediate2 = pki.root.createIntermediate("intermediate-2");
    const carol = intermediate2.issue("carol", "client", { subject: { CN: "carol", O: "Acme", OU: "ops" }, san: { email: ["carol@acme.test"] } });
    const before = new LiveRevocation(new RevocationIndex([crlOf(pki.root.writeCrl()), crlOf(intermediate2.writeCrl())]));
    await authenticator(RULES, before).authenticate(credential(chainOf(carol)), context());
    pki.root.revokeCa(intermediate2);
    const after = new LiveRevocation(new RevocationIndex([crlOf(pki.root.writeCrl()), crlOf(intermediate2.writeCrl())]));
    await refusedWith(authenticator(RULES, after).authenticate(credential(chainOf(carol)), context()), "invalid_client_certificate", /revoked/);
  });

  test("no CRL in force for the issuer is refused", async () => {
    const rootOnly = new LiveRevocation(new RevocationIndex([crlOf(pki.rootCrlPath)]));
    await refusedWith(authenticator(RULES, rootOnly).authenticate(credential(chainOf(pki.alice)), context()), "invalid_client_certificate", /No revocation list/);
  });

  test("a CRL past nextUpdate by the injected clock is refused", async () => {
    const crl = crlOf(pki.intermediateCrlPath);
    await refusedWith(authenticator().authenticate(credential(peer(pki.alice.cert)), context(crl.nextUpdate! + 1)), "invalid_client_certificate", /out of date|expired/);
  });

  test("a CA certificate presented as a client certificate is refused", async () => {
    await refusedWith(authenticator({ rules: [{ match: { cn: "intermediate Intermediate CA" } }] }).authenticate(credential(peer(pki.intermediate.cert, pki.root.cert)), context()), "invalid_client_certificate", /CA certificate/);
  });

  test("a server-only certificate (extendedKeyUsage serverAuth) is refused", async () => {
    await refusedWith(authenticator({ rules: [{ match: { cn: "localhost" } }] }).authenticate(credential(peer(pki.server.cert, pki.root.cert)), context()), "invalid_client_certificate", /client authentication/);
  });

  test("a good certificate no rule maps is refused: unknown_credentials (401)", async () => {
    await refusedWith(authenticator().authenticate(credential(chainOf(pki.unmapped)), context()), "unknown_credentials");
    await refusedWith(authenticator({ rules: [] }).authenticate(credential(chainOf(pki.alice)), context()), "unknown_credentials");
  });

  test("the first matching rule wins", async () => {
    const rules = { rules: [{ id: "first", match: { o: "Acme" }, roles: ["viewer"] }, { id: "second", match: { cn: "alice" }, roles: ["admin"] }] };
    const principal = await authenticator(rules).authenticate(credential(chainOf(pki.alice)), context());
    assert.deepEqual(principal.roles, ["viewer"]);
    assert.equal(principal.attributes.mtlsRule, "first");
  });

  test("the issuer matcher tells two trusted CAs apart (same subject and SPIFFE id under another CA)", async () => {
    const both = new LiveRevocation(new RevocationIndex([crlOf(pki.rootCrlPath), crlOf(pki.intermediateCrlPath), crlOf(pki.otherRoot.writeCrl())]));
    const rules = { rules: [{ match: { uri: "spiffe://acme.test/ns/prod/*", issuer: { cn: "intermediate Intermediate CA" } }, roles: ["editor"] }] };
    await authenticator(rules, both).authenticate(credential(chainOf(pki.alice)), context());
    await refusedWith(authenticator(rules, both).authenticate(credential(chainOf(pki.stranger)), context()), "unknown_credentials");
  });
});

describe("mapCertificate: the odd certificates", () => {
  const issuer = name([OIDS.cn, utf8("Test CA")]);
  const map = (rules: MtlsAuthConfigInput, der: Buffer) => mapCertificate(readCertificate(der), compileRules(mtlsAuthConfigSchema.parse(rules).rules));

  test("a CN with an injected attribute matches neither the CN nor the O it pretends to carry", () => {
    const der = certificate({ issuer, subject: name([OIDS.cn, utf8("alice\nO=Acme")]) });
    assert.equal(map({ rules: [{ match: { cn: "alice" } }] }, der), undefined);
    assert.equal(map({ rules: [{ match: { o: "Acme" } }] }, der), undefined);
  });

  test("a NUL inside a name does not truncate it", () => {
    const der = certificate({ issuer, subject: name([OIDS.cn, utf8("admin\u0000.evil")]), extensions: [subjectAltName([{ kind: "dns", value: "admin.acme.test\u0000.evil.test" }])] });
    assert.equal(map({ rules: [{ match: { cn: "admin" } }] }, der), undefined);
    assert.equal(map({ rules: [{ match: { dns: "admin.acme.test" } }] }, der), undefined);
    assert.equal(map({ rules: [{ match: { dns: "*.acme.test" } }] }, der), undefined);
  });

  test("an undecodable CN fails every rule that looks at CN, even when another CN value matches", () => {
    const der = certificate({ issuer, subject: name([OIDS.cn, utf8("alice")], [OIDS.cn, tlv(0x0c, [0xff, 0xfe])]) });
    assert.equal(map({ rules: [{ match: { cn: "alice" } }] }, der), undefined);
  });

  test("{cn} needs exactly one CN: with two, the rule is skipped and the next one tried", () => {
    const der = certificate({ issuer, subject: name([OIDS.cn, utf8("alice")], [OIDS.cn, utf8("admin")], [OIDS.o, utf8("Acme")]) });
    const mapped = map({ rules: [{ id: "by-cn", match: { cn: "alice" }, name: "{cn}", roles: ["admin"] }, { id: "fallback", match: { o: "Acme" }, name: "acme-member", roles: ["viewer"] }] }, der);
    assert.equal(mapped?.ruleId, "fallback");
    assert.equal(mapped?.name, "acme-member");
  });

  test("{dns} is the DNS SAN the rule matched, not the first one in the certificate", () => {
    const der = certificate({ issuer, subject: name([OIDS.cn, utf8("x")]), extensions: [subjectAltName([{ kind: "dns", value: "other.example" }, { kind: "dns", value: "api.acme.test" }])] });
    assert.equal(map({ rules: [{ match: { dns: "*.acme.test" }, name: "svc:{dns}" }] }, der)?.name, "svc:api.acme.test");
  });

  test("a SAN placeholder with several candidates and no matcher on it skips the rule", () => {
    const der = certificate({ issuer, subject: name([OIDS.cn, utf8("x")]), extensions: [subjectAltName([{ kind: "uri", value: "spiffe://a/1" }, { kind: "uri", value: "spiffe://a/2" }])] });
    assert.equal(map({ rules: [{ match: { cn: "x" }, name: "{uri}" }] }, der), undefined);
    assert.equal(map({ rules: [{ match: { cn: "x", uri: "spiffe://a/2" }, name: "{uri}" }] }, der)?.name, "spiffe://a/2");
  });

  test("every matcher of a rule must match (AND), any value of a field may (OR)", () => {
    const der = certificate({ issuer, subject: name([OIDS.cn, utf8("x")], [OIDS.o, utf8("Acme")], [OIDS.ou, utf8("agents")], [OIDS.ou, utf8("prod")]) });
    assert.ok(map({ rules: [{ match: { o: "Acme", ou: "prod" } }] }, der));
    assert.equal(map({ rules: [{ match: { o: "Acme", ou: "ops" } }] }, der), undefined);
    assert.ok(map({ rules: [{ match: { ou: ["ops", "agents"] } }] }, der));
  });

  test("compileRules refuses a rule that would match everything even without the schema", () => {
    assert.throws(() => compileRules([{ match: {}, name: "{cn}", roles: [], scopes: [], attributes: {} }]));
    assert.throws(() => compileRules([{ match: { dns: ["*"] }, name: "x", roles: [], scopes: [], attributes: {} }]));
  });

  test("hand-built extensions are read the way openssl writes them (sanity of the builder)", () => {
    const der = certificate({ issuer, subject: name([OIDS.cn, utf8("x")]), extensions: [extension(OIDS.extKeyUsage, seq(oid(OIDS.clientAuth)))] });
    assert.deepEqual(readCertificate(der).extendedKeyUsages, [OIDS.clientAuth]);
  });
});
