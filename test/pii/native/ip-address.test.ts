/**
 * The native IP_ADDRESS recognizer (native/pii/src/recognizers/ip_address.rs, ip_parse.rs)
 * reports exactly what the TypeScript one (src/pii/recognizers/ip-address.ts, ip-parse.ts)
 * reports: on the benchmark corpus, on random IPv4 and IPv6-ish text (groups, "::" anywhere,
 * embedded IPv4, zone ids, prefixes, version cues, garbage), on the TypeScript tests' own
 * samples, and on arbitrary strings.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import ipaddr from "ipaddr.js";
import { ipAddressRecognizer } from "../../../src/pii/recognizers/ip-address.js";
import { assertAgreesOn, corpusSlices, corpusTexts, kernelSwitchedOff, mixedText, requireKernel } from "./differential.js";

const IP_FRAGMENTS = [
  "10.0.0.1", "192.168.1.20", "255.255.255.255", "0.0.0.0", "256.1.1.1", "01.02.03.04", "1.2.3.4.5", "1.3.6.1.4.1",
  "10.0.0.0/8", "/32", "/33", "/08", "/128", "/129", ":8080", "2001:db8::1", "fe80::1%eth0", "%25eth0", "::ffff:192.0.2.1",
  "::1", "::", "1::2", "a::b", "std::vector", "00:1a:2b:ff:fe:3c:4d:5e", "2001:0db8:85a3:0000:0000:8a2e:0370:7334",
  "version ", "ver. ", "v", "firmware is ", "app_version=", "Release ", "OID ", "ip ", "host ", "from ", "listening on ",
  "Chrome/", "curl/", "http://", "[", "]", ":", "x", "_", ". ", "! ", "? ", "\n", "é", "٣",
];

const octet = fc.oneof(
  { weight: 12, arbitrary: fc.integer({ min: 0, max: 255 }).map(String) },
  { weight: 1, arbitrary: fc.constantFrom("256", "300", "999", "01", "00", "010", "1000", "0255") },
);
const quad = fc
  .oneof({ weight: 6, arbitrary: fc.constant(4) }, { weight: 1, arbitrary: fc.constantFrom(3, 5) })
  .chain((parts) => fc.array(octet, { minLength: parts, maxLength: parts }))
  .map((parts) => parts.join("."));
const prefix = fc.constantFrom("", "", "/0", "/8", "/24", "/32", "/33", "/08", "/64", "/128", "/129", "/1234", "/", "/8x", "/8.1", "/8.", "/٣");
const zone = fc.constantFrom("", "", "%eth0", "%en0", "%3", "%25eth0", "%eth0.100.", "%", "%a_b-c", "%" + "x".repeat(16), "%" + "x".repeat(17), "%é");
const group = fc.oneof(
  fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16)),
  fc.constantFrom("0", "00", "000", "0000", "12345", "db8", "DB8", "ffff", "FFFF", "g1", "1", "a", "fe80", ""),
);
/** IPv6-ish: 1-10 groups, "::" in any place (or two), an embedded quad, a zone and a prefix. */
const ipv6ish = fc
  .tuple(
    fc.array(group, { minLength: 1, maxLength: 10 }),
    fc.array(fc.constantFrom(":", ":", ":", "::", ":::", "."), { minLength: 10, maxLength: 10 }),
    fc.option(quad, { nil: undefined }),
    fc.constantFrom("", "::", ":"),
    fc.constantFrom("", "::", ":", "."),
    zone,
    prefix,
  )
  .map(([groups, joins, embedded, lead, tail, z, p]) => {
    let text = lead + groups.map((g, k) => (k === 0 ? g : joins[k]! + g)).join("");
    if (embedded !== undefined) text += `:${embedded}`;
    return text + tail + z + p;
  });
/** Real addresses from ipaddr.js in every text form. */
const realIpv6 = fc
  .tuple(
    fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0xffff })), { minLength: 8, maxLength: 8 }),
    fc.constantFrom("compressed", "full", "embedded", "embedded-compressed"),
  )
  .map(([parts, form]) => {
    const ip = ipaddr.fromByteArray(parts.flatMap((p) => [p >> 8, p & 0xff])) as ipaddr.IPv6;
    const hex = ip.parts.map((part) => part.toString(16));
    const quadPart = ip.toByteArray().slice(12).join(".");
    if (form === "compressed") return ip.toString();
    if (form === "full") return hex.map((h) => h.padStart(4, "0")).join(":");
    if (form === "embedded") return `${hex.slice(0, 6).join(":")}:${quadPart}`;
    return `${ipaddr.fromByteArray([...ip.toByteArray().slice(0, 12), 0, 0, 0, 0]).toString().replace(/::?0?$/, "::").replace(/:0$/, ":")}${quadPart}`;
  });
const left = fc.constantFrom("", " ", "from ", "ip=", "ip:", "(", '"', "\n", "host: ", "[", "x", "_", ".", ":", "1:", "::", "a", "/", "v", "version ", "é");
const right = fc.constantFrom("", " ", ".", " ok", ")", '"', ",", "\n", "]", ":", ":443", "x", "_", ".1", ". ", "%", "/", "é");
const ipv6Text = fc.tuple(left, fc.oneof(ipv6ish, realIpv6), zone, prefix, right).map((parts) => parts.join(""));
const ipv4Text = fc.tuple(left, quad, prefix, right).map((parts) => parts.join(""));
/** Version cues at every distance, with stops, digits, sentence ends and line breaks between. */
const cueWord = fc.constantFrom(
  "version", "Version:", "VER", "ver.", "v", "release", "Rel", "build", "firmware", "fw", "rev", "patch", "sdk", "oid", "MIB",
  "section", "fig.", "table", "app_version", "productVersion", "FileVersion", "prerelease", "myfirmware", "xrevision",
  "ip", "IPv4", "host", "from", "on", "listening", "the", "is", "now", "to", "2.1", "x9", "_", "ok.", "done!", "what?", "etc.",
  "\n", "\r", "=", '"', ":", ",", "(", "a".repeat(30), "abbreviation.",
);
const cueText = fc
  .tuple(fc.array(cueWord, { maxLength: 9 }), fc.array(fc.constantFrom(" ", "  ", ": ", '": "', "\t", "=", ". "), { minLength: 10, maxLength: 10 }), quad)
  .map(([words, gaps, q]) => words.map((w, k) => w + gaps[k]!).join("") + q);
/** Colon and dot soup: the run walks, the colon counts, the trims. */
const soup = fc
  .array(fc.constantFrom("1", "12", "255", "300", ".", ":", "::", "ff", "fe80", "%eth0", "/64", "/33", " ", "v", "x", "0", "db8", "\n", "1.2.3.4", "g", "_"), {
    maxLength: 40,
  })
  .map((parts) => parts.join(""));

/** Quads and IPv6 addresses packed into one digit cluster (gaps of the text scan between them). */
const packed = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: quad },
      { weight: 1, arbitrary: fc.constantFrom("::ffff:1.2.3.4", "fe80::1", "64:ff9b::192.0.2.33", "1:2:3:4:5:6:1.2.3.4") },
      { weight: 2, arbitrary: fc.constantFrom(" ", "-", "/", "(", ")", ".", "..", "\u00a0", "\u2010", "/24", "/33 ", " - ", ":", "12") },
    ),
    { maxLength: 12 },
  )
  .map((parts) => parts.join(""));

const TS_SAMPLES = [
  "2024-01-15T10:30:00Z GET /index.html 200 from 203.0.113.7",
  '{"client_ip": "198.51.100.23", "ok": true}',
  "jane,192.168.1.20,active",
  "Can you whitelist 10.0.0.5 for me?",
  "ssh root@172.16.254.1",
  "1.2.3.4",
  "range 10.0.0.1-10.0.0.9",
  "0.0.0.0 and 255.255.255.255",
  "256.1.1.1", "1.256.1.1", "1.1.256.1", "1.1.1.256", "999.999.999.999", "300.1.2.3",
  "01.02.03.04", "192.168.001.010", "10.0.0.01", "010.0.0.1",
  "from 10.0.0.1:8080 to 10.0.0.2:443", "http://10.0.0.1:8080/health", "Ping 8.8.8.8.", "(8.8.4.4), [1.1.1.1]", "ip:10.1.2.3",
  "allow 10.0.0.0/8, 192.168.0.0/16 and 0.0.0.0/0; 1.2.3.4/32.", "10.0.0.1/33", "10.0.0.1/08", "10.0.0.1/index.html", "10.0.0.0/8x",
  "1.2.3", "10.0.0", "1.2.3.4.5", "1.3.6.1.4.1.9.9.23", ".1.3.6.1.2.1.1.1.0", "iso.3.6.1.2.1", "OID 1.3.6.1", "x.10.0.0.1",
  "v1.2.3.4", "V10.0.0.1", "abc1.2.3.4", "1.2.3.4a", "11.2.3.4567", "id_10.0.0.1",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
  "http://10.0.0.1/",
  "version 1.2.3.4", "Version: 1.2.3.4", "ver 1.2.3.4", "ver. 10.0.0.1", "v 1.2.3.4", '{"version": "1.2.3.4"}', "app_version=1.2.3.4",
  "productVersion 1.2.3.4", "the firmware is now 2.1.0.7", "Release 4.1.1.1 is out", "build 10.0.19041.1 installed",
  "upgraded to 1.2.3.4", "Note: running 10.2.23.83. Regarding the outage", "see section 1.2.3.4", "OID 1.3.6.1",
  "nginx version 1.25.3 listening on 10.0.0.5", "version check from 10.0.0.1 failed", '{"version": "2.1", "ip": "10.0.0.2"}',
  "Version: 1.2.3.4 deployed to 10.0.0.3", "firmware update, host 192.168.1.1", "version\n10.0.0.4 GET /",
  "agent version 7.2 reported 10.0.0.9", "the service running on 10.0.0.5", "release 2024 rollout 172.16.0.4",
  "blocked 1.2.3.4 after 5 failed logins",
  ...[
    "2001:0db8:85a3:0000:0000:8a2e:0370:7334", "2001:db8:85a3::8a2e:370:7334", "2001:DB8::1", "2001:db8::", "fe80::1", "fe80::",
    "::1", "ff02::1:ff00:1", "::ffff:192.0.2.1", "::ffff:c000:0201", "64:ff9b::192.0.2.33", "2001:db8:1:2:3:4:192.0.2.1",
    "::192.0.2.1", "0:0:0:0:0:0:0:1", "1:2:3:4:5:6:7:8",
  ].map((ip) => `addr ${ip} up`),
  "ping fe80::1%eth0 now", "fe80::a00:27ff:fe4e:66a1%en0,", "fe80::1%3", "fe80::1%eth0.100.", "http://[fe80::1%25eth0]:8080/",
  "route 2001:db8::/32.", "2001:db8::1/128", "fe80::/10, fc00::/7", "2001:db8::1/129", "fe80::1%eth0/64",
  "[2001:db8::1]:443", "Connect to ::1.", "at 2001:db8::1: connection refused", "ip:fe80::1", '"src":"2001:db8::7"',
  "client ::ffff:10.0.0.1 and 10.0.0.2",
  "2001:db8:::1", "1:2:3:4:5:6:7:8:9", "2001:db8::g1", "12345::1", "1::2::3", "::ffff:192.0.2.256", "::ffff:192.000.2.1", "fe80::1%",
  "at a:1bc:2d:3e:4f:5a:6b:7c now", "at 0a:1b:2c:3d:4e:5f:6a:7b now",
  "::", "the :: operator", "std::vector<int> v;", "std::string s = a::b;", "Foo::Bar::baz()", "use crate::io::Result;", "A::B",
  "ace::fade", "xs[1::2] and ys[::2]", "a::before { content: '' }", "10:30:00", "at 10:30:00.123 and 23:59:59", "2024-01-15T10:30:00Z",
  "Mon Jan 15 10:30:00 UTC 2024", "MAC 00:1A:2B:3C:4D:5E", "mac 00-1a-2b-3c-4d-5e and 001a.2b3c.4d5e", "EUI-64 00:1a:2b:ff:fe:3c:4d:5e",
  "SHA1 Fingerprint=A9:4A:8F:E5:CC:B1:9B:A6:1C:4C:08:73:D3:91:E9:87:98:2F:BB:D3", "uuid 550e8400-e29b-41d4-a716-446655440000",
  "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "md5 d41d8cd98f00b204e9800998ecf8427e",
  "ratio 16:9 and 4:3", "John 3:16", "x2001:db8::1", "2001:db8::1x", "$1,234.56 and 1.5 and 3.14159", "2024.01.15 and 15.01.2024",
  "ISBN 978-3-16-148410-0", "epoch 1700000000.123", "1.2.3.4.5.6.7.8", "snmpget 1.3.6.1.2.1.1.5.0",
  // The linear-time inputs, a tenth of their size.
  "1.".repeat(50_000), ":".repeat(1 << 17), "a:".repeat(50_000), "ffff:".repeat(20_000), "1".repeat(1 << 17),
  "10.0.0.1 ".repeat(10_000), "fe80::1 ".repeat(10_000),
];

const binaryString = fc.string({ unit: "binary", maxLength: 60 });
const bmpString = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 60 });
const runs = { numRuns: 3000 };

if (!kernelSwitchedOff) {
  const kernel = requireKernel();
  const texts = corpusTexts();
  const agrees = (text: string) => assertAgreesOn(kernel, ipAddressRecognizer, [text]);

  test("native IP: the same candidates as ip-address.ts on the 2 MiB benchmark corpus", () => {
    assertAgreesOn(kernel, ipAddressRecognizer, texts);
  });

  test("native IP: the same on the TypeScript tests' samples", () => {
    assertAgreesOn(kernel, ipAddressRecognizer, TS_SAMPLES);
  });

  test("native IP: the same with addresses at every offset of the kernel's colon blocks", () => {
    // The kernel looks for IPv6 colons a block of characters at a time (ip_address.rs V6_BLOCK):
    // addresses across and at the ends of those blocks, after colons of every kind, and texts
    // ending at every offset.
    const filler = "k: v, t=1:2 ab::c ".repeat(12);
    const samples: string[] = [];
    for (const ip of ["fe80::1", "2001:db8::1:2", "1:2:3:4:5:6:7:8", "::1", "a::b", "::ffff:10.0.0.1", "12:30:45:67:89:10"]) {
      for (let pad = 0; pad < 200; pad++) samples.push(`${filler.slice(0, pad)}${ip} ${"x:".repeat(pad % 7)}`);
    }
    assertAgreesOn(kernel, ipAddressRecognizer, samples);
  });

  test("native IP: the same on mixed text with address fragments", () => {
    fc.assert(fc.property(mixedText(IP_FRAGMENTS), agrees), runs);
  });

  test("native IP: the same on corpus slices", () => {
    fc.assert(fc.property(corpusSlices(texts), agrees), runs);
  });

  test("native IP: the same on IPv6-ish text (groups, '::' anywhere, embedded IPv4, zones, prefixes)", () => {
    fc.assert(fc.property(ipv6Text, agrees), { numRuns: 20_000 });
    fc.assert(fc.property(fc.array(ipv6Text, { maxLength: 5 }), (parts) => agrees(parts.join(" "))), runs);
  });

  test("native IP: the same on IPv4 text (octets at the edges, leading zeros, parts, prefixes)", () => {
    fc.assert(fc.property(ipv4Text, agrees), { numRuns: 10_000 });
  });

  test("native IP: the same on addresses packed into one digit cluster", () => {
    fc.assert(fc.property(packed, agrees), { numRuns: 10_000 });
  });

  test("native IP: the same on version cues at every distance", () => {
    fc.assert(fc.property(cueText, agrees), { numRuns: 10_000 });
  });

  test("native IP: the same on colon and dot soup", () => {
    fc.assert(fc.property(soup, agrees), { numRuns: 10_000 });
  });

  test("native IP: the same on arbitrary strings (lone surrogates, all of U+0000-U+FFFF)", () => {
    fc.assert(fc.property(binaryString, agrees), runs);
    fc.assert(fc.property(bmpString, agrees), runs);
    const glue = fc.constantFrom("1.2.3.4", "::1", "fe80::1%eth0", "10.0.0.0/8", ":", ".");
    fc.assert(fc.property(fc.array(fc.oneof(bmpString, glue), { maxLength: 6 }), (parts) => agrees(parts.join(""))), runs);
  });

  test("native IP: every BMP code unit next to an address (the glued and boundary checks)", () => {
    const samples: string[] = [];
    for (let code = 0; code < 0x10000; code++) {
      const c = String.fromCharCode(code);
      samples.push(`${c}1.2.3.4${c} ${c}fe80::1${c} ::1%e${c} 10.0.0.0/8${c} ${c}/1.2.3.4 2001:db8::1/64${c}`);
    }
    assertAgreesOn(kernel, ipAddressRecognizer, samples);
  });
}
