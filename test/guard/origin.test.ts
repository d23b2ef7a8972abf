import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createOriginGuard, splitHostPort } from "../../src/guard/origin.js";

const loopback = createOriginGuard({ allowedHosts: ["localhost", "127.0.0.1", "[::1]"], allowedOrigins: ["localhost", "127.0.0.1", "[::1]"] });

describe("Host allow-list", () => {
  test("loopback names pass on any port", () => {
    for (const host of ["localhost", "localhost:8080", "127.0.0.1:1", "[::1]:8080", "[::1]", "LOCALHOST:80"]) {
      assert.deepEqual(loopback(host, undefined), { ok: true }, host);
    }
  });

  test("a rebinding name, a missing Host and malformed Hosts are refused with 421", () => {
    for (const host of ["evil.example.com", "evil.example.com:8080", "localhost.evil.com", "127.0.0.1.nip.io", undefined, "", "[::1", "a b", "localhost:80x", "[::1]x", "user@localhost"]) {
      const result = loopback(host, undefined);
      assert.equal(result.ok, false, String(host));
      assert.ok(!result.ok && result.status === 421 && result.reason === "host");
    }
  });

  test("name:port entries match that port only; * matches anything", () => {
    const guard = createOriginGuard({ allowedHosts: ["mcp.example.com:8443"], allowedOrigins: [] });
    assert.equal(guard("mcp.example.com:8443", undefined).ok, true);
    assert.equal(guard("mcp.example.com:8080", undefined).ok, false);
    assert.equal(guard("mcp.example.com", undefined).ok, false);
    const any = createOriginGuard({ allowedHosts: ["*"], allowedOrigins: [] });
    assert.equal(any("whatever.example", undefined).ok, true);
  });
});

describe("Origin allow-list", () => {
  test("no Origin passes (non-browser clients); loopback origins pass", () => {
    assert.equal(loopback("localhost", undefined).ok, true);
    for (const origin of ["http://localhost", "http://localhost:5173", "https://127.0.0.1:3000", "http://[::1]:8080"]) {
      assert.deepEqual(loopback("localhost", origin), { ok: true }, origin);
    }
  });

  test("foreign, opaque, malformed and non-web origins are refused with 403", () => {
    for (const origin of ["http://evil.example.com", "https://localhost.evil.com", "null", "not a url", "file:///etc/passwd", "chrome-extension://localhost", ""]) {
      const result = loopback("localhost", origin);
      assert.equal(result.ok, false, origin);
      assert.ok(!result.ok && result.status === 403 && result.reason === "origin", origin);
    }
  });

  test("full-origin entries match scheme, host and port exactly", () => {
    const guard = createOriginGuard({ allowedHosts: ["*"], allowedOrigins: ["https://app.example.com"] });
    assert.equal(guard("x", "https://app.example.com").ok, true);
    assert.equal(guard("x", "https://app.example.com:443").ok, true);
    assert.equal(guard("x", "http://app.example.com").ok, false);
    assert.equal(guard("x", "https://app.example.com:8443").ok, false);
    assert.equal(guard("x", "https://other.example.com").ok, false);
  });

  test("the Host check runs first", () => {
    const result = loopback("evil.example.com", "http://evil.example.com");
    assert.ok(!result.ok && result.reason === "host");
  });
});

test("splitHostPort", () => {
  assert.deepEqual(splitHostPort("Example.COM:80"), { host: "example.com", port: "80" });
  assert.deepEqual(splitHostPort("[::1]:80"), { host: "[::1]", port: "80" });
  assert.deepEqual(splitHostPort("[::1]"), { host: "[::1]" });
  assert.equal(splitHostPort("::1"), undefined);
  assert.equal(splitHostPort(""), undefined);
});
