/**
 * The fetcher for client ID metadata documents: the only request the authorization server makes to
 * an address a stranger chooses. Each fence has its attack.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import fc from "fast-check";
import { createRestrictedFetch, isPublicAddress, RestrictedFetchError } from "../../../src/auth/server/restricted-fetch.js";
import { makeCertificates, startDocumentServer, type DocumentServer, type TestCertificates } from "./tls.js";

describe("which addresses are public", () => {
  for (const address of ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "2a00:1450:4001:80b::200e"]) {
    test(`public: ${address}`, () => assert.equal(isPublicAddress(address), true));
  }
  for (const [name, address] of [
    ["loopback", "127.0.0.1"],
    ["loopback, elsewhere in 127/8", "127.255.0.1"],
    ["IPv6 loopback", "::1"],
    ["private 10/8", "10.1.2.3"],
    ["private 172.16/12", "172.20.0.1"],
    ["private 192.168/16", "192.168.1.1"],
    ["cloud metadata (link-local)", "169.254.169.254"],
    ["carrier-grade NAT", "100.64.0.1"],
    ["unspecified", "0.0.0.0"],
    ["multicast", "224.0.0.1"],
    ["broadcast", "255.255.255.255"],
    ["documentation range", "192.0.2.1"],
    ["IPv6 unique local", "fd00::1"],
    ["IPv6 link-local", "fe80::1"],
    ["IPv4-mapped private", "::ffff:10.0.0.1"],
    ["IPv4-mapped loopback", "::ffff:127.0.0.1"],
    ["IPv6 unspecified", "::"],
    ["NAT64 of a private address", "64:ff9b::a00:1"],
    ["not an address", "example.com"],
  ] as const) {
    test(`attack: ${name} (${address}) is not public`, () => assert.equal(isPublicAddress(address), false));
  }
  test("loopback only when allowed (tests)", () => {
    assert.equal(isPublicAddress("127.0.0.1", true), true);
    assert.equal(isPublicAddress("10.0.0.1", true), false);
  });
  test("property: every address in 10/8, 127/8, 169.254/16 and 192.168/16 is refused", () => {
    fc.assert(
      fc.property(fc.constantFrom(10, 127, 169, 192), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), (first, b, c, d) => {
        const second = first === 169 ? 254 : first === 192 ? 168 : b;
        return !isPublicAddress(`${first}.${second}.${c}.${d}`);
      }),
    );
  });
});

describe("fetching", () => {
  let certs: TestCertificates;
  let docs: DocumentServer;
  before(async () => {
    certs = makeCertificates();
    docs = await startDocumentServer(certs, (req, res) => {
      if (req.url === "/doc") return res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
      if (req.url === "/big") return res.writeHead(200, { "content-type": "application/json" }).end(`{"pad":"${"x".repeat(10_000)}"}`);
      if (req.url === "/big-chunked") {
        res.writeHead(200, { "content-type": "application/json" });
        for (let i = 0; i < 20; i++) res.write("x".repeat(1000));
        return res.end();
      }
      if (req.url === "/redirect") return res.writeHead(302, { location: "https://169.254.169.254/latest/meta-data/" }).end();
      if (req.url === "/slow") return; // never answers
      res.writeHead(404).end();
    });
  });
  after(() => docs.close());

  const fetcher = (overrides: Partial<Parameters<typeof createRestrictedFetch>[0]> = {}) => createRestrictedFetch({ maxBytes: 5 * 1024, timeoutMs: 1500, allowLoopback: true, ca: certs.ca, ...overrides });

  test("a small document on an allowed address is fetched", async () => {
    const response = await fetcher()(`${docs.origin}/doc`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { ok: true });
  });

  test("the checked address is the one connected to, and the host name is still verified by TLS", async () => {
    let lookups = 0;
    const lookup = async () => {
      lookups++;
      return [{ address: "127.0.0.1", family: 4 }];
    };
    const response = await fetcher({ lookup })(`https://doc.test:${docs.port}/doc`);
    assert.equal(response.status, 200);
    assert.equal(lookups, 1, "resolved once");
  });

  test("attack: a host name whose certificate does not match is refused", async () => {
    const lookup = async () => [{ address: "127.0.0.1", family: 4 }];
    await assert.rejects(fetcher({ lookup })(`https://other.test:${docs.port}/doc`), /altnames|Hostname|certificate/i);
  });

  test("attack: loopback is refused unless allowed", async () => {
    await assert.rejects(fetcher({ allowLoopback: false })(`${docs.origin}/doc`), RestrictedFetchError);
  });

  test("attack: a host name resolving to a private address is refused before connecting", async () => {
    const lookup = async () => [{ address: "10.0.0.7", family: 4 }];
    await assert.rejects(fetcher({ lookup })(`https://internal.test:${docs.port}/doc`), /non-public/);
  });

  test("attack: a host name resolving to a public and a private address is refused (DNS rebinding)", async () => {
    const lookup = async () => [
      { address: "8.8.8.8", family: 4 },
      { address: "169.254.169.254", family: 4 },
    ];
    await assert.rejects(fetcher({ lookup })(`https://rebind.test:${docs.port}/doc`), /non-public/);
  });

  test("attack: plain http is refused", async () => {
    await assert.rejects(fetcher()(`http://127.0.0.1:${docs.port}/doc`), /only https/);
  });

  test("attack: credentials in the URL are refused", async () => {
    await assert.rejects(fetcher()(`https://user:pw@127.0.0.1:${docs.port}/doc`), /credentials/);
  });

  test("attack: a method other than GET is refused", async () => {
    await assert.rejects(fetcher()(`${docs.origin}/doc`, { method: "POST" }), /only GET/);
  });

  test("attack: a host outside the allow-list is refused", async () => {
    await assert.rejects(fetcher({ allowedHosts: ["clients.example"] })(`${docs.origin}/doc`), /allow-list/);
  });

  test("attack: a body over the size limit is refused (declared length)", async () => {
    await assert.rejects(fetcher()(`${docs.origin}/big`), /too large/);
  });

  test("attack: a body over the size limit is refused (streamed without a length)", async () => {
    await assert.rejects(fetcher()(`${docs.origin}/big-chunked`), /too large/);
  });

  test("attack: a redirect is not followed (to a metadata address or anywhere)", async () => {
    const response = await fetcher()(`${docs.origin}/redirect`);
    assert.equal(response.status, 302);
    assert.equal(docs.hits.filter((h) => h === "/redirect").length, 1);
  });

  test("attack: a server that never answers is given up on", async () => {
    await assert.rejects(fetcher({ timeoutMs: 300 })(`${docs.origin}/slow`), /timed out/);
  });

  test("an abort signal ends the request", async () => {
    const controller = new AbortController();
    const pending = fetcher({ timeoutMs: 10_000 })(`${docs.origin}/slow`, { signal: controller.signal });
    controller.abort();
    await assert.rejects(pending, /aborted/);
  });

  test("attack: the system's CA store is used when no test CA is given (our test CA is not trusted)", async () => {
    await assert.rejects(fetcher({ ca: undefined as unknown as string })(`${docs.origin}/doc`), /certificate/i);
  });
});
