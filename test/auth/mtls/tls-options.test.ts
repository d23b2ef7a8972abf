/**
 * createTlsOptions: the listener's options, and every reason the gateway refuses to start
 * (fail closed) rather than run with client certificates it cannot check.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createPrivateKey } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readCertificate } from "../../../src/auth/mtls/certificate-fields.js";
import { TlsConfigError } from "../../../src/auth/mtls/errors.js";
import { splitPem, toPem } from "../../../src/auth/mtls/pem.js";
import { createTlsOptions } from "../../../src/auth/mtls/tls-options.js";
import { tlsConfigSchema } from "../../../src/auth/mtls/config.js";
import { crl as buildCrl, extension, integer, OIDS } from "./der-builder.js";
import { get, principalOf, startMtlsServer, tlsConfig } from "./harness.js";
import { createStandardPki, TestCa, type StandardPki } from "./pki.js";

const DAY = 86_400_000;

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof TlsConfigError, `expected TlsConfigError, got ${String(error)}`);
    return error.problems.join("\n");
  }
  assert.fail("expected createTlsOptions to refuse");
}

describe("createTlsOptions", () => {
  let pki: StandardPki;
  const crls = () => [pki.rootCrlPath, pki.intermediateCrlPath];
  before(() => {
    pki = createStandardPki();
  });
  after(() => pki?.remove());

  /** A CRL for `ca` built by hand (any fields), signed with `signer`'s key (default: the CA's own). */
  function handmadeCrl(file: string, ca: TestCa, fields: { thisUpdate: Date; nextUpdate?: Date; extensions?: Buffer[] }, signer: TestCa = ca): string {
    const issuer = Buffer.from(readCertificate(splitPem(ca.cert, "CERTIFICATE")[0]!.der).subject.der);
    const der = buildCrl({ issuer, ...fields, signWith: createPrivateKey(readFileSync(signer.keyPath)) });
    return pki.writeFile(file, toPem(der, "X509 CRL"));
  }

  test("required: the handshake demands a verified certificate; TLS 1.2 minimum; one CRL per entry", () => {
    const tls = createTlsOptions(tlsConfig(pki, { mode: "required" }));
    assert.equal(tls.serverOptions.requestCert, true);
    assert.equal(tls.serverOptions.rejectUnauthorized, true);
    assert.equal(tls.serverOptions.minVersion, "TLSv1.2");
    assert.equal((tls.serverOptions.ca as string[]).length, 2);
    assert.equal((tls.serverOptions.crl as string[]).length, 2);
    for (const crl of tls.serverOptions.crl as string[]) assert.equal(crl.split("BEGIN X509 CRL").length, 2);
    assert.deepEqual(tls.warnings, []);
  });

  test("optional: the certificate is asked for, and OpenSSL's verdict is left to the authenticator", () => {
    const tls = createTlsOptions(tlsConfig(pki, { mode: "optional" }));
    assert.equal(tls.serverOptions.requestCert, true);
    assert.equal(tls.serverOptions.rejectUnauthorized, false);
  });

  test("off: no certificate is asked for, no CA or CRL is read", () => {
    const tls = createTlsOptions(tlsConfigSchema.parse({ cert: pki.server.certPath, key: pki.server.keyPath, clientCertificates: { mode: "off", crl: ["/nonexistent.crl"] } }));
    assert.equal(tls.serverOptions.requestCert, false);
    assert.equal(tls.serverOptions.rejectUnauthorized, false);
    assert.equal(tls.serverOptions.crl, undefined);
    assert.equal(tls.serverOptions.ca, undefined);
  });

  for (const mode of ["optional", "required"] as const) {
    test(`${mode}: a missing CRL file refuses to start, naming the file`, () => {
      const missing = join(pki.dir, "missing.crl.pem");
      assert.match(refusal(() => createTlsOptions(tlsConfig(pki, { mode, crl: [pki.rootCrlPath, missing] }))), /missing\.crl\.pem: cannot be read \(ENOENT\)/);
    });

    test(`${mode}: a CA without a CRL refuses to start (OpenSSL checks every CA in the chain)`, () => {
      assert.match(refusal(() => createTlsOptions(tlsConfig(pki, { mode, crl: [pki.intermediateCrlPath] }))), /"root Root CA" .* has no CRL/);
    });

    test(`${mode}: a CRL from a CA that is not configured refuses to start`, () => {
      const other = pki.otherRoot.writeCrl();
      assert.match(refusal(() => createTlsOptions(tlsConfig(pki, { mode, crl: [...crls(), other] }))), /issued by no configured CA/);
    });

    test(`${mode}: a forged CRL (an impostor CA with the intermediate's name, another key) refuses to start`, () => {
      const impostor = TestCa.createRoot(pki.dir, `impostor-${mode}`, { CN: "intermediate Intermediate CA", O: "Bastion Test" });
      const forged = handmadeCrl(`forged-${mode}.crl.pem`, pki.intermediate, { thisUpdate: new Date(Date.now() - 60_000), nextUpdate: new Date(Date.now() + DAY) }, impostor);
      assert.match(refusal(() => createTlsOptions(tlsConfig(pki, { mode, crl: [pki.rootCrlPath, forged] }))), /signature that the key of the CA it names does not verify/);
    });

    test(`${mode}: a CRL without nextUpdate refuses to start`, () => {
      const endless = handmadeCrl(`endless-${mode}.crl.pem`, pki.intermediate, { thisUpdate: new Date(Date.now() - 60_000) });
      assert.match(refusal(() => createTlsOptions(tlsConfig(pki, { mode, crl: [pki.rootCrlPath, endless] }))), /has no nextUpdate/);
    });

    test(`${mode}: a delta CRL or a partitioned CRL refuses to start`, () => {
      const delta = handmadeCrl(`delta-${mode}.crl.pem`, pki.intermediate, {
        thisUpdate: new Date(Date.now() - 60_000),
        nextUpdate: new Date(Date.now() + DAY),
        extensions: [extension(OIDS.deltaCrlIndicator, integer("05"), true)],
      });
      assert.match(refusal(() => createTlsOptions(tlsConfig(pki, { mode, crl: [pki.rootCrlPath, delta] }))), /a delta CRL is not supported/);
      const partitioned = handmadeCrl(`idp-${mode}.crl.pem`, pki.intermediate, {
        thisUpdate: new Date(Date.now() - 60_000),
        nextUpdate: new Date(Date.now() + DAY),
        extensions: [extension(OIDS.issuingDistributionPoint, Buffer.from([0x30, 0x00]), true)],
      });
      assert.match(refusal(() => createTlsOptions(tlsConfig(pki, { mode, crl: [pki.rootCrlPath, partitioned] }))), /issuingDistributionPoint/);
    });

    test(`${mode}: a CA file holding a leaf certificate refuses to start`, () => {
      assert.match(refusal(() => createTlsOptions(tlsConfig(pki, { mode, ca: [pki.caBundlePath, pki.alice.certPath] }))), /is not a CA certificate/);
    });

    test(`${mode}: a damaged CRL file (BEGIN without END) refuses to start`, () => {
      const damaged = pki.writeFile(`damaged-${mode}.crl.pem`, readFileSync(pki.intermediateCrlPath, "utf8").replace(/-----END X509 CRL-----\n?$/, ""));
      assert.match(refusal(() => createTlsOptions(tlsConfig(pki, { mode, crl: [pki.rootCrlPath, damaged] }))), /no matching END line/);
    });
  }

  test("required: an expired CRL refuses to start", () => {
    const stale = pki.intermediate.writeCrl({ lastUpdate: new Date(Date.now() - 3 * DAY), nextUpdate: new Date(Date.now() - DAY) });
    assert.match(refusal(() => createTlsOptions(tlsConfig(pki, { mode: "required", crl: [pki.rootCrlPath, stale] }))), /expired at .* \(nextUpdate\)/);
  });

  test("required: a CRL that is not valid yet refuses to start", () => {
    const early = pki.intermediate.writeCrl({ lastUpdate: new Date(Date.now() + DAY), nextUpdate: new Date(Date.now() + 2 * DAY) });
    assert.match(refusal(() => createTlsOptions(tlsConfig(pki, { mode: "required", crl: [pki.rootCrlPath, early] }))), /not valid yet/);
  });

  test("required: the injected clock decides (a CRL current now is expired a week later)", () => {
    const later = () => Date.now() + 7 * DAY;
    assert.match(refusal(() => createTlsOptions(tlsConfig(pki, { mode: "required" }), { now: later })), /expired/);
  });

  test("optional: an expired CRL starts with a warning (other credentials keep working)", () => {
    const stale = pki.intermediate.writeCrl({ lastUpdate: new Date(Date.now() - 3 * DAY), nextUpdate: new Date(Date.now() - DAY) });
    const tls = createTlsOptions(tlsConfig(pki, { mode: "optional", crl: [pki.rootCrlPath, stale] }));
    assert.match(tls.warnings.join("\n"), /expired/);
  });

  test("a server key that does not belong to the certificate refuses to start", () => {
    const config = tlsConfigSchema.parse({ ...tlsConfig(pki, { mode: "required" }), key: pki.alice.keyPath });
    assert.match(refusal(() => createTlsOptions(config)), /does not belong to the certificate/);
  });

  test("an unreadable key is refused without its contents in the message", () => {
    const secret = "-----BEGIN PRIVATE KEY-----\nTUlJQ1NFQ1JFVFNFQ1JFVA==\n-----END PRIVATE KEY-----\n";
    const keyPath = pki.writeFile("bad.key", secret);
    const config = tlsConfigSchema.parse({ ...tlsConfig(pki, { mode: "required" }), key: keyPath });
    let message = "";
    try {
      createTlsOptions(config);
    } catch (error) {
      message = (error as Error).message;
    }
    assert.match(message, /bad\.key: not an unencrypted PEM or DER private key/);
    assert.doesNotMatch(message, /TUlJQ1NFQ1JFVFNFQ1JFVA|PRIVATE KEY-----/);
  });

  test("a DER CRL file is accepted", () => {
    const der = splitPem(readFileSync(pki.intermediateCrlPath, "utf8"), "X509 CRL")[0]!.der;
    const derPath = join(pki.dir, "intermediate.crl.der");
    writeFileSync(derPath, der);
    const tls = createTlsOptions(tlsConfig(pki, { mode: "required", crl: [pki.rootCrlPath, derPath] }));
    assert.equal((tls.serverOptions.crl as string[]).length, 2);
  });

  test("an expired server certificate is a warning", () => {
    const expiredServer = pki.root.issue("expired-server", "server", { subject: { CN: "localhost" }, san: { dns: ["localhost"] }, notBefore: new Date(Date.now() - 3 * DAY), notAfter: new Date(Date.now() - DAY) });
    const tls = createTlsOptions(tlsConfigSchema.parse({ ...tlsConfig(pki, { mode: "required" }), cert: expiredServer.certPath, key: expiredServer.keyPath }));
    assert.match(tls.warnings.join("\n"), /server certificate .* expired/);
  });
});

describe("a CRL bundle: several CRLs in one file", () => {
  let pki: StandardPki;
  before(() => {
    pki = createStandardPki();
  });
  after(() => pki?.remove());

  test("every CRL in the file is given to OpenSSL (Node reads only the first of a string)", async () => {
    const bundle = pki.writeFile("bundle.crl.pem", readFileSync(pki.rootCrlPath, "utf8") + readFileSync(pki.intermediateCrlPath, "utf8"));
    const server = await startMtlsServer(pki, { mode: "required", crl: [bundle] });
    try {
      principalOf(await get(server.port, pki, { cert: pki.alice }));
      assert.ok("error" in (await get(server.port, pki, { cert: pki.revoked })));
    } finally {
      await server.close();
    }
  });
});
