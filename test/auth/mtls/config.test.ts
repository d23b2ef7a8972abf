/** The TLS and mTLS config sections: defaults, and every refusal that keeps a setting from failing open. */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mtlsAuthConfigSchema, tlsConfigSchema } from "../../../src/auth/mtls/config.js";

const base = { cert: "/etc/server.pem", key: "/etc/server.key" };
const problems = (result: { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } }) =>
  result.success ? [] : result.error!.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);

describe("tls", () => {
  test("defaults: TLS 1.2 minimum, client certificates off, files polled every 30 s", () => {
    const parsed = tlsConfigSchema.parse(base);
    assert.equal(parsed.minVersion, "TLSv1.2");
    assert.deepEqual(parsed.clientCertificates, { mode: "off", ca: [], crl: [] });
    assert.deepEqual(parsed.reload, { watch: true, interval: 30_000 });
  });

  test("one path or a list of paths; durations as text", () => {
    const parsed = tlsConfigSchema.parse({ ...base, clientCertificates: { mode: "required", ca: "/ca.pem", crl: ["/a.crl", "/b.crl"] }, reload: { interval: "5m" } });
    assert.deepEqual(parsed.clientCertificates.ca, ["/ca.pem"]);
    assert.deepEqual(parsed.clientCertificates.crl, ["/a.crl", "/b.crl"]);
    assert.equal(parsed.reload.interval, 300_000);
    assert.equal(tlsConfigSchema.safeParse({ ...base, reload: { interval: "soon" } }).success, false);
  });

  test("TLS versions older than 1.2 are refused", () => {
    for (const minVersion of ["TLSv1", "TLSv1.1", "SSLv3"]) assert.equal(tlsConfigSchema.safeParse({ ...base, minVersion }).success, false, minVersion);
    assert.equal(tlsConfigSchema.parse({ ...base, minVersion: "TLSv1.3" }).minVersion, "TLSv1.3");
  });

  for (const mode of ["optional", "required"] as const) {
    test(`${mode} client certificates need a CA and a CRL (revocation is never skipped)`, () => {
      assert.match(problems(tlsConfigSchema.safeParse({ ...base, clientCertificates: { mode, crl: "/a.crl" } })).join("\n"), /clientCertificates\.ca/);
      assert.match(problems(tlsConfigSchema.safeParse({ ...base, clientCertificates: { mode, ca: "/ca.pem" } })).join("\n"), /clientCertificates\.crl: .*revocation/);
      assert.match(problems(tlsConfigSchema.safeParse({ ...base, clientCertificates: { mode, ca: "/ca.pem", crl: [] } })).join("\n"), /clientCertificates\.crl/);
    });
  }

  test("unknown keys (typos) and unknown modes are refused", () => {
    assert.equal(tlsConfigSchema.safeParse({ ...base, clientCertificate: { mode: "required" } }).success, false);
    assert.equal(tlsConfigSchema.safeParse({ ...base, clientCertificates: { mode: "require" } }).success, false);
    assert.equal(tlsConfigSchema.safeParse({ ...base, clientCertificates: { mode: "off", rejectUnauthorized: false } }).success, false);
  });

  test("server certificate and key are required", () => {
    assert.equal(tlsConfigSchema.safeParse({ cert: "/c.pem" }).success, false);
    assert.equal(tlsConfigSchema.safeParse({ key: "/k.pem" }).success, false);
    assert.equal(tlsConfigSchema.safeParse({ cert: "", key: "/k.pem" }).success, false);
  });
});

describe("auth.mtls rules", () => {
  test("a rule's defaults: name {cn}, no roles, no scopes, no attributes", () => {
    const { rules } = mtlsAuthConfigSchema.parse({ rules: [{ match: { cn: "alice" } }] });
    assert.deepEqual(rules[0], { match: { cn: ["alice"] }, name: "{cn}", roles: [], scopes: [], attributes: {} });
  });

  test("no rules at all is allowed (every certificate is then refused)", () => {
    assert.deepEqual(mtlsAuthConfigSchema.parse({}).rules, []);
  });

  test("a rule that matches every certificate is refused", () => {
    assert.equal(mtlsAuthConfigSchema.safeParse({ rules: [{ match: {} }] }).success, false);
    assert.equal(mtlsAuthConfigSchema.safeParse({ rules: [{ match: { issuer: { cn: "Root" } } }] }).success, false);
    assert.equal(mtlsAuthConfigSchema.safeParse({ rules: [{ name: "x" }] }).success, false);
  });

  test("bad patterns are refused with the reason", () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ cn: "*" }, /wildcards/],
      [{ dns: "*.test" }, /DNS name/],
      [{ email: "bob" }, /email/],
      [{ uri: "spiffe://acme.test/*/x" }, /URI/],
      [{ ou: [] }, /at least one/],
      [{ o: ["Acme", ""] }, /empty/],
    ];
    for (const [match, reason] of cases) {
      const result = mtlsAuthConfigSchema.safeParse({ rules: [{ match }] });
      assert.match(problems(result).join("\n"), reason, JSON.stringify(match));
    }
  });

  test("names: placeholders {cn} {dns} {email} {uri} only, and no stray braces", () => {
    assert.equal(mtlsAuthConfigSchema.safeParse({ rules: [{ match: { cn: "a" }, name: "agent:{uri}" }] }).success, true);
    assert.equal(mtlsAuthConfigSchema.safeParse({ rules: [{ match: { cn: "a" }, name: "{serial}" }] }).success, false);
    assert.equal(mtlsAuthConfigSchema.safeParse({ rules: [{ match: { cn: "a" }, name: "{cn" }] }).success, false);
    assert.equal(mtlsAuthConfigSchema.safeParse({ rules: [{ match: { cn: "a" }, name: "" }] }).success, false);
  });

  test("rule attributes may not set the authenticator's own attributes", () => {
    for (const key of ["name", "mtlsRule", "certificateIssuer"]) {
      assert.equal(mtlsAuthConfigSchema.safeParse({ rules: [{ match: { cn: "a" }, attributes: { [key]: "x" } }] }).success, false, key);
    }
    assert.equal(mtlsAuthConfigSchema.safeParse({ rules: [{ match: { cn: "a" }, attributes: { tenant: "acme", groups: ["a", "b"] } }] }).success, true);
  });

  test("unknown keys in a rule or its match are refused", () => {
    assert.equal(mtlsAuthConfigSchema.safeParse({ rules: [{ match: { cn: "a", subject: "x" } }] }).success, false);
    assert.equal(mtlsAuthConfigSchema.safeParse({ rules: [{ match: { cn: "a" }, role: "admin" }] }).success, false);
  });
});
