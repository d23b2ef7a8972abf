/**
 * The client address behind trusted proxies only (src/auth/client-address): forwarding headers are
 * read only when the socket's peer is a trusted proxy, from the right, and any doubt gives the peer.
 */
import assert from "node:assert/strict";
import type { IncomingMessage } from "node:http";
import { describe, test } from "node:test";
import fc from "fast-check";
import { createClientAddressOf, parseForwarded, parseProxyEntry, parseXForwardedFor, trustedProxiesSchema } from "../../src/auth/client-address/index.js";

/** The two things the function reads of a request: the socket's peer and the headers (as node:http gives them). */
function request(peer: string | undefined, headers: Record<string, string | string[]> = {}): IncomingMessage {
  return { socket: { remoteAddress: peer }, headers } as unknown as IncomingMessage;
}

const PROXY = "10.0.0.5";
const behindProxy = createClientAddressOf(["10.0.0.0/24", "fd00::/8"]);
const noProxies = createClientAddressOf([]);

describe("trusted proxies: the setting", () => {
  test("addresses and CIDR blocks are accepted; anything else is refused", () => {
    for (const ok of ["10.0.0.0/8", "192.0.2.7", "::1", "fd00::/8", "0.0.0.0/0", "::/0", "2001:db8::/128"]) {
      assert.ok(parseProxyEntry(ok), ok);
      assert.ok(trustedProxiesSchema.safeParse([ok]).success, ok);
    }
    for (const bad of ["", "10.0.0.0/33", "fd00::/129", "10.0.0.0/", "10.0.0.0/-1", "localhost", "010.0.0.1", "10.1", "fe80::1%eth0", "10.0.0.0/8/8", " 10.0.0.1"]) {
      assert.equal(parseProxyEntry(bad), undefined, bad);
      assert.equal(trustedProxiesSchema.safeParse([bad]).success, false, bad);
    }
    assert.deepEqual(trustedProxiesSchema.parse(undefined), [], "empty by default");
  });
});

describe("the client address", () => {
  test("without trusted proxies the headers are ignored: the peer is the client", () => {
    assert.equal(noProxies(request("192.0.2.1", { "x-forwarded-for": "198.51.100.9" })), "192.0.2.1");
    assert.equal(noProxies(request("192.0.2.1", { forwarded: "for=198.51.100.9" })), "192.0.2.1");
    assert.equal(noProxies(request("::ffff:192.0.2.1")), "192.0.2.1", "IPv4-mapped IPv6 is one spelling");
  });

  test("attack: a spoofed X-Forwarded-For from an untrusted peer does not change the address", () => {
    for (const spoof of ["198.51.100.9", "10.0.0.5", "198.51.100.9, 10.0.0.5", "127.0.0.1"]) {
      assert.equal(behindProxy(request("192.0.2.1", { "x-forwarded-for": spoof })), "192.0.2.1", spoof);
      assert.equal(behindProxy(request("192.0.2.1", { forwarded: `for=${spoof.split(",")[0]}` })), "192.0.2.1", spoof);
    }
  });

  test("from a trusted proxy: the rightmost hop that is not itself a trusted proxy", () => {
    assert.equal(behindProxy(request(PROXY, { "x-forwarded-for": "198.51.100.9" })), "198.51.100.9");
    assert.equal(behindProxy(request(PROXY, { "x-forwarded-for": "203.0.113.1, 198.51.100.9, 10.0.0.7" })), "198.51.100.9", "the client-written left part proves nothing");
    assert.equal(behindProxy(request(PROXY, { "x-forwarded-for": ["203.0.113.1", "198.51.100.9"] })), "198.51.100.9", "repeated header lines");
    assert.equal(behindProxy(request(PROXY, { "x-forwarded-for": "10.0.0.9, 10.0.0.7" })), "10.0.0.9", "all trusted: the leftmost");
    assert.equal(behindProxy(request(PROXY, { "x-forwarded-for": "[2001:db8::1]:443" })), "2001:db8::1");
    assert.equal(behindProxy(request(PROXY, { "x-forwarded-for": "198.51.100.9:5555" })), "198.51.100.9");
    assert.equal(behindProxy(request("fd00::1", { forwarded: 'for=198.51.100.9;proto=https, for="[2001:db8::17]:4711"' })), "2001:db8::17");
    assert.equal(behindProxy(request(PROXY, { forwarded: 'For="198.51.100.9:80";by=10.0.0.5' })), "198.51.100.9");
    assert.equal(behindProxy(request(PROXY)), PROXY, "no header: the proxy itself");
  });

  test("fail closed: malformed or unusable headers give the peer", () => {
    const malformed: Array<Record<string, string>> = [
      { "x-forwarded-for": "" },
      { "x-forwarded-for": "garbage" },
      { "x-forwarded-for": "198.51.100.9, " },
      { "x-forwarded-for": "198.51.100.9,,10.0.0.7" },
      { "x-forwarded-for": "unknown" },
      { "x-forwarded-for": "198.51.100.9 10.0.0.7" },
      { "x-forwarded-for": "0x7f.1" },
      { "x-forwarded-for": "[198.51.100.9]" },
      { "x-forwarded-for": "fe80::1%eth0" },
      { "x-forwarded-for": Array.from({ length: 40 }, (_, i) => `198.51.100.${i}`).join(", ") },
      { forwarded: "for=unknown" },
      { forwarded: "for=_hidden" },
      { forwarded: 'for="198.51.100.9' },
      { forwarded: "proto=https" },
      { forwarded: "for=198.51.100.9;for=203.0.113.1" },
      { forwarded: "for=[2001:db8::1]" },
      { forwarded: "198.51.100.9" },
      { "x-forwarded-for": "198.51.100.9", forwarded: "for=203.0.113.1" },
    ];
    for (const headers of malformed) assert.equal(behindProxy(request(PROXY, headers)), PROXY, JSON.stringify(headers).slice(0, 80));
  });

  test("property: from an untrusted peer, whatever the headers, the peer", () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.string(), fc.string(), (peer, xff, forwarded) => {
        fc.pre(!peer.startsWith("10.0.0."));
        return behindProxy(request(peer, { "x-forwarded-for": xff, forwarded })) === peer;
      }),
      { numRuns: 300 },
    );
  });

  test("property: from a trusted proxy the answer is the peer or one of the header's own hops, and never throws", () => {
    const hop = fc.oneof(fc.ipV4(), fc.ipV6(), fc.constantFrom("unknown", "", "10.0.0.7", "_x", "[::1]:80"));
    fc.assert(
      fc.property(fc.array(hop, { maxLength: 6 }), fc.string({ maxLength: 20 }), (hops, junk) => {
        const header = hops.join(", ") + junk;
        const answer = behindProxy(request(PROXY, { "x-forwarded-for": header }));
        const parsed = parseXForwardedFor(header);
        return answer === PROXY || (parsed !== undefined && parsed.some((h) => h.toString() === answer));
      }),
      { numRuns: 300 },
    );
    fc.assert(fc.property(fc.string({ maxLength: 60 }), (value) => parseForwarded(value) === undefined || Array.isArray(parseForwarded(value))), { numRuns: 300 });
  });
});
