/**
 * Reading certificates from DER: agrees with Node/OpenSSL on real certificates, keeps attacker-
 * chosen names as data (no text rendering to inject into), and refuses malformed DER with a
 * DerError and nothing else.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { createCertificateCache } from "../../../src/auth/mtls/certificate-cache.js";
import { hasUndecodable, OID, readCertificate, valuesOf } from "../../../src/auth/mtls/certificate-fields.js";
import { DerError, readDirectoryString, readElement, readIntegerHex, readOid, readSingle, readTime } from "../../../src/auth/mtls/der.js";
import { readCrl } from "../../../src/auth/mtls/crl.js";
import { splitPem } from "../../../src/auth/mtls/pem.js";
import { bmp, certificate, extension, ia5, integer, name, OIDS, oid, printable, seq, subjectAltName, tlv, utcTime, utf8 } from "./der-builder.js";
import { createStandardPki, type IssuedCertificate, type StandardPki } from "./pki.js";

const derOf = (pem: string): Buffer => splitPem(pem, "CERTIFICATE")[0]!.der;

describe("certificates made by openssl, compared with Node's reading of them", () => {
  let pki: StandardPki;
  before(() => {
    pki = createStandardPki();
  });
  after(() => pki?.remove());

  const compare = (issued: () => IssuedCertificate) => () => {
    const cert = issued();
    const der = derOf(cert.cert);
    const ours = readCertificate(der);
    const node = new X509Certificate(der);
    assert.equal(ours.serial, node.serialNumber.toUpperCase());
    assert.equal(ours.fingerprint256, node.fingerprint256.replace(/:/g, "").toLowerCase());
    assert.equal(ours.notBefore, Date.parse(node.validFrom));
    assert.equal(ours.notAfter, Date.parse(node.validTo));
    assert.equal(ours.isCa, node.ca);
    const nodeSans = (node.subjectAltName ?? "").split(", ").filter((s) => s !== "");
    const oursSans = [
      ...ours.subjectAltNames.dns.map((v) => `DNS:${v}`),
      ...ours.subjectAltNames.email.map((v) => `email:${v}`),
      ...ours.subjectAltNames.uri.map((v) => `URI:${v}`),
      ...ours.subjectAltNames.ip.map((v) => `IP Address:${v.includes(":") ? v.toUpperCase() : v}`),
    ];
    assert.deepEqual([...oursSans].sort(), nodeSans.map((s) => s.replace(/^IP Address:(.*)$/, (_m, ip: string) => `IP Address:${expandIpv6(ip)}`)).sort());
    const cn = valuesOf(ours.subject, OID.commonName);
    assert.deepEqual(cn, [node.subject.split("\n").find((l) => l.startsWith("CN="))!.slice(3)]);
  };

  test("alice (SPIFFE URI)", compare(() => pki.alice));
  test("bob (DNS and email)", compare(() => pki.bob));
  test("the server (DNS and IP addresses)", compare(() => pki.server));
  test("an expired certificate (validity in the past)", compare(() => pki.expired));

  test("a CA certificate is a CA; a client certificate carries clientAuth", () => {
    assert.equal(readCertificate(derOf(pki.intermediate.cert)).isCa, true);
    assert.deepEqual(readCertificate(derOf(pki.alice.cert)).extendedKeyUsages, [OID.clientAuth]);
  });

  test("CRLs made by openssl: issuer, times and the revoked serial", () => {
    const crlDer = splitPem(readFileSync(pki.intermediateCrlPath, "utf8"), "X509 CRL")[0]!.der;
    const crl = readCrl(crlDer);
    assert.ok(crl.revokedSerials.has(pki.revoked.serial));
    assert.ok(!crl.revokedSerials.has(pki.alice.serial));
    assert.ok(crl.nextUpdate! > crl.thisUpdate);
    assert.deepEqual(Buffer.from(crl.issuer.der), Buffer.from(readCertificate(derOf(pki.intermediate.cert)).subject.der));
    assert.equal(crl.unsupported, undefined);
  });
});

/** Node prints IPv6 SANs compressed in upper case; ours are 8 groups, lower case. */
function expandIpv6(ip: string): string {
  if (!ip.includes(":")) return ip;
  const [head, tail] = ip.split("::") as [string, string | undefined];
  const left = head === "" ? [] : head.split(":");
  const right = tail === undefined || tail === "" ? [] : tail.split(":");
  const groups = [...left, ...Array(8 - left.length - right.length).fill("0"), ...right];
  return groups.map((g) => parseInt(g, 16).toString(16)).join(":").toUpperCase();
}

describe("names are data, never text to be re-parsed", () => {
  const issuer = name([OIDS.cn, utf8("Test CA")]);

  test("a CN that looks like more attributes stays one CN value", () => {
    const fields = readCertificate(certificate({ issuer, subject: name([OIDS.cn, utf8("alice\nO=Admins, CN=root")]) }));
    assert.deepEqual(valuesOf(fields.subject, OID.commonName), ["alice\nO=Admins, CN=root"]);
    assert.deepEqual(valuesOf(fields.subject, OID.organizationName), []);
  });

  test("several CN attributes are all kept, in order", () => {
    const fields = readCertificate(certificate({ issuer, subject: name([OIDS.cn, utf8("alice")], [OIDS.cn, utf8("admin")]) }));
    assert.deepEqual(valuesOf(fields.subject, OID.commonName), ["alice", "admin"]);
  });

  test("a SAN that looks like a list stays one value", () => {
    const fields = readCertificate(
      certificate({ issuer, subject: name([OIDS.cn, utf8("x")]), extensions: [subjectAltName([{ kind: "dns", value: "a.test, URI:spiffe://acme.test/admin" }])] }),
    );
    assert.deepEqual(fields.subjectAltNames.dns, ["a.test, URI:spiffe://acme.test/admin"]);
    assert.deepEqual(fields.subjectAltNames.uri, []);
  });

  test("BMPString and PrintableString names decode; invalid UTF-8 and non-ASCII PrintableString do not", () => {
    const fields = readCertificate(
      certificate({
        issuer,
        subject: name([OIDS.cn, bmp("Zoë")], [OIDS.o, printable("Acme")], [OIDS.ou, tlv(0x0c, [0xc3, 0x28])], [OIDS.ou, printable("caf\u00e9")]),
      }),
    );
    assert.deepEqual(valuesOf(fields.subject, OID.commonName), ["Zoë"]);
    assert.deepEqual(valuesOf(fields.subject, OID.organizationName), ["Acme"]);
    assert.deepEqual(valuesOf(fields.subject, OID.organizationalUnitName), []);
    assert.equal(hasUndecodable(fields.subject, OID.organizationalUnitName), true);
    assert.equal(hasUndecodable(fields.subject, OID.commonName), false);
  });

  test("a SAN with non-ASCII bytes is left out, not mangled", () => {
    const fields = readCertificate(
      certificate({ issuer, subject: name([OIDS.cn, utf8("x")]), extensions: [subjectAltName([{ kind: "dns", value: Buffer.from("ex\u00e4mple.test", "latin1") }, { kind: "dns", value: "ok.test" }])] }),
    );
    assert.deepEqual(fields.subjectAltNames.dns, ["ok.test"]);
  });

  test("a duplicated extension is refused (RFC 5280 4.2)", () => {
    const san = subjectAltName([{ kind: "dns", value: "a.test" }]);
    assert.throws(() => readCertificate(certificate({ issuer, subject: name([OIDS.cn, utf8("x")]), extensions: [san, san] })), DerError);
  });

  test("basicConstraints cA and extendedKeyUsage are read", () => {
    const fields = readCertificate(
      certificate({
        issuer,
        subject: name([OIDS.cn, utf8("x")]),
        extensions: [extension(OIDS.basicConstraints, seq(tlv(0x01, [0xff])), true), extension(OIDS.extKeyUsage, seq(oid(OIDS.serverAuth)))],
      }),
    );
    assert.equal(fields.isCa, true);
    assert.deepEqual(fields.extendedKeyUsages, [OIDS.serverAuth]);
  });

  test("a name round-trips: any UTF-8 CN, O and IA5 SANs read back exactly (property)", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40, unit: "grapheme" }), fc.string({ minLength: 1, maxLength: 20 }), fc.stringMatching(/^[a-z0-9.-]{1,30}$/), (cn, o, dns) => {
        const fields = readCertificate(
          certificate({ issuer, subject: name([OIDS.cn, utf8(cn)], [OIDS.o, utf8(o)]), extensions: [subjectAltName([{ kind: "dns", value: dns }, { kind: "uri", value: `spiffe://t/${dns}` }])] }),
        );
        assert.deepEqual(valuesOf(fields.subject, OID.commonName), [cn]);
        assert.deepEqual(valuesOf(fields.subject, OID.organizationName), [o]);
        assert.deepEqual(fields.subjectAltNames.dns, [dns]);
        assert.deepEqual(fields.subjectAltNames.uri, [`spiffe://t/${dns}`]);
      }),
      { numRuns: 200 },
    );
  });
});

describe("malformed DER is refused with DerError", () => {
  const cases: Array<[string, number[]]> = [
    ["empty input", []],
    ["a tag without a length", [0x30]],
    ["indefinite length", [0x30, 0x80, 0x00, 0x00]],
    ["a length longer than the data", [0x30, 0x05, 0x01]],
    ["a non-minimal long-form length", [0x04, 0x81, 0x01, 0x00]],
    ["a long-form length with a leading zero byte", [0x04, 0x82, 0x00, 0x81, ...Array(0x81).fill(0)]],
    ["a length of more than 4 bytes", [0x04, 0x85, 0x01, 0x00, 0x00, 0x00, 0x00]],
    ["a high tag number", [0x1f, 0x81, 0x01, 0x00]],
    ["trailing data after the element", [0x05, 0x00, 0x00]],
  ];
  for (const [label, bytes] of cases) {
    test(label, () => assert.throws(() => readSingle(Uint8Array.from(bytes)), DerError));
  }

  test("non-minimal integers are refused; serials print as OpenSSL does", () => {
    assert.throws(() => readIntegerHex(readElement(Uint8Array.from([0x02, 0x02, 0x00, 0x01]), 0).element), DerError);
    assert.throws(() => readIntegerHex(readElement(Uint8Array.from([0x02, 0x00]), 0).element), DerError);
    assert.equal(readIntegerHex(readElement(integer("00ff"), 0).element), "FF");
    assert.equal(readIntegerHex(readElement(integer("0"), 0).element), "0");
    assert.equal(readIntegerHex(readElement(integer("0f3a"), 0).element), "0F3A");
    assert.equal(readIntegerHex(readSingle(Uint8Array.from([0x02, 0x02, 0xff, 0x7f]))), "-FF7F");
    assert.notEqual(readIntegerHex(readSingle(Uint8Array.from([0x02, 0x02, 0xff, 0x7f]))), readIntegerHex(readSingle(Uint8Array.from([0x02, 0x03, 0x00, 0xff, 0x7f]))));
  });

  test("object identifiers decode; a non-minimal arc or a truncated one is refused", () => {
    assert.equal(readOid(readSingle(oid("2.5.29.17"))), "2.5.29.17");
    assert.equal(readOid(readSingle(oid("1.2.840.113549.1.1.11"))), "1.2.840.113549.1.1.11");
    assert.throws(() => readOid(readSingle(Uint8Array.from([0x06, 0x02, 0x80, 0x01]))), DerError);
    assert.throws(() => readOid(readSingle(Uint8Array.from([0x06, 0x01, 0x81]))), DerError);
  });

  test("times: UTCTime windows 1950-2049, impossible dates and other shapes are refused", () => {
    assert.equal(readTime(readSingle(utcTime(new Date("2049-12-31T23:59:59Z")))), Date.parse("2049-12-31T23:59:59Z"));
    assert.equal(readTime(readSingle(tlv(0x17, Buffer.from("500101000000Z")))), Date.parse("1950-01-01T00:00:00Z"));
    assert.equal(readTime(readSingle(tlv(0x18, Buffer.from("20991231235959Z")))), Date.parse("2099-12-31T23:59:59Z"));
    for (const bad of ["991301000000Z", "990230000000Z", "990101250000Z", "9901010000Z", "990101000000+0100", "990101000000"]) {
      assert.throws(() => readTime(readSingle(tlv(0x17, Buffer.from(bad)))), DerError, bad);
    }
    assert.throws(() => readTime(readSingle(ia5("990101000000Z"))), DerError);
  });

  test("directory strings of unknown types decode to nothing", () => {
    assert.equal(readDirectoryString(readSingle(tlv(0x04, Buffer.from("abc")))), undefined);
  });

  test("random bytes never raise anything but DerError (property)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        for (const read of [readCertificate, readCrl]) {
          try {
            read(bytes);
          } catch (error) {
            if (!(error instanceof DerError)) throw error;
          }
        }
      }),
      { numRuns: 2000 },
    );
  });

  test("a real certificate with any one byte changed either parses or raises DerError (property)", () => {
    const der = certificate({ issuer: name([OIDS.cn, utf8("CA")]), subject: name([OIDS.cn, utf8("x")]), extensions: [subjectAltName([{ kind: "uri", value: "spiffe://t/x" }])] });
    fc.assert(
      fc.property(fc.nat({ max: der.length - 1 }), fc.integer({ min: 0, max: 255 }), (index, value) => {
        const copy = Buffer.from(der);
        copy[index] = value;
        try {
          readCertificate(copy);
        } catch (error) {
          if (!(error instanceof DerError)) throw error;
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe("the certificate cache", () => {
  const issuer = name([OIDS.cn, utf8("CA")]);
  test("the same bytes give the same fields; other bytes are read afresh; the size stays bounded", () => {
    const read = createCertificateCache(2);
    const a = certificate({ issuer, subject: name([OIDS.cn, utf8("a")]) });
    const b = certificate({ issuer, subject: name([OIDS.cn, utf8("b")]) });
    const c = certificate({ issuer, subject: name([OIDS.cn, utf8("c")]) });
    const first = read(a);
    assert.equal(read(Buffer.from(a)), first, "a copy of the same bytes is a hit");
    assert.deepEqual(valuesOf(read(b).subject, OID.commonName), ["b"]);
    read(c); // evicts a
    assert.notEqual(read(a), first, "a was evicted and read again");
    assert.deepEqual(valuesOf(read(a).subject, OID.commonName), ["a"]);
  });

  test("malformed bytes are not cached as anything", () => {
    const read = createCertificateCache();
    assert.throws(() => read(Uint8Array.from([0x30, 0x00])), DerError);
    assert.throws(() => read(Uint8Array.from([0x30, 0x00])), DerError);
  });
});
