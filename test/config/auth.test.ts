/** The config sections for authentication: store, auth (with the resource URI), tls; env secrets. */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, deriveResource, loadConfig } from "../../src/config/index.js";

const dir = mkdtempSync(join(tmpdir(), "bastion-config-auth-"));
let counter = 0;
function file(value: unknown): string {
  const path = join(dir, `config-${counter++}.json`);
  writeFileSync(path, JSON.stringify(value));
  return path;
}
const SERVERS = { servers: { remote: { url: "http://127.0.0.1:3001/mcp" } } };
const INTROSPECTION = { endpoint: "https://login.example.com/introspect", issuer: "https://login.example.com/", clientId: "mcp-bastion" };

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return [...error.problems];
  }
  assert.fail("expected the configuration to be refused");
}

describe("auth, store and tls config", () => {
  test("defaults: authentication required, API keys on, lockout on, store under the working directory, resource from listen, no TLS", () => {
    const config = loadConfig({ env: {}, cwd: dir });
    assert.equal(config.auth.required, true);
    assert.equal(config.auth.apiKeys.enabled, true);
    assert.equal(config.auth.lockout.enabled, true);
    assert.equal(config.auth.jwt, undefined);
    assert.equal(config.auth.introspection, undefined);
    assert.deepEqual(config.auth.mtls.rules, []);
    assert.equal(config.auth.resource, "http://127.0.0.1:8080/mcp");
    assert.deepEqual(config.auth.authorizationServers, []);
    assert.equal(config.store.path, join(dir, ".bastion", "bastion.db"));
    assert.equal(config.tls, undefined);
  });

  test("the resource is derived from config only: listen host and port, https with tls; none for port 0 or a wildcard", () => {
    assert.equal(deriveResource("127.0.0.1", 9000, false), "http://127.0.0.1:9000/mcp");
    assert.equal(deriveResource("localhost", 9000, false), "http://localhost:9000/mcp");
    assert.equal(deriveResource("::1", 9000, false), "http://[::1]:9000/mcp");
    assert.equal(deriveResource("mcp.example.com", 443, true), "https://mcp.example.com/mcp");
    assert.equal(deriveResource("127.0.0.1", 0, false), undefined);
    assert.equal(deriveResource("0.0.0.0", 8080, true), undefined);
    assert.equal(deriveResource("10.1.2.3", 8080, false), undefined, "plain http off this machine is no resource identifier");
    assert.equal(loadConfig({ env: {}, flags: { port: 0 } }).auth.resource, undefined);
    assert.equal(loadConfig({ env: { BASTION_AUTH_RESOURCE: "https://mcp.example.com/mcp" } }).auth.resource, "https://mcp.example.com/mcp");
  });

  test("JWT or introspection need a resource: on a wildcard address it must be set", () => {
    const jwt = { issuers: [{ issuer: "https://login.example.com/", jwksUri: "https://login.example.com/jwks" }] };
    const [problem] = problemsOf(() => loadConfig({ file: file({ ...SERVERS, listen: { host: "0.0.0.0" }, allowedHosts: ["*"], auth: { jwt } }), env: {} }));
    assert.match(problem!, /^auth\.resource: must be set for auth\.jwt or auth\.introspection when listening on 0\.0\.0\.0/);
    const ok = loadConfig({ file: file({ ...SERVERS, listen: { host: "0.0.0.0" }, allowedHosts: ["*"], auth: { jwt, resource: "https://mcp.example.com/mcp" } }), env: {} });
    assert.equal(ok.auth.jwt?.issuers[0]?.issuer, "https://login.example.com/");
    assert.deepEqual(ok.auth.jwt?.issuers[0]?.algorithms, ["RS256", "PS256", "ES256", "EdDSA", "Ed25519"], "the module's own defaults");
    // API keys alone do not need one.
    assert.equal(loadConfig({ file: file({ ...SERVERS, listen: { host: "0.0.0.0" }, allowedHosts: ["*"] }), env: {} }).auth.resource, undefined);
  });

  test("sub-sections are checked by the auth modules' own schemas", () => {
    const problems = problemsOf(() =>
      loadConfig({
        file: file({ ...SERVERS, auth: { required: "yes", jwt: { issuers: [{ issuer: "https://x/", jwksUri: "http://evil.example/jwks", algorithms: ["HS256"] }] }, resource: "http://evil.example/mcp", lockout: { bogus: 1 } } }),
        env: {},
      }),
    );
    const text = problems.join("\n");
    assert.match(text, /auth\.required: got "yes", expected true or false/);
    assert.match(text, /auth\.jwt\.issuers\[0\]\.jwksUri: .*expected an https:\/\/ URL/);
    assert.match(text, /auth\.jwt\.issuers\[0\]\.algorithms\[0\]: .*asymmetric algorithms only/);
    assert.match(text, /auth\.resource: got "http:\/\/evil\.example\/mcp"/);
    assert.match(text, /auth\.lockout\.bogus: unknown key/);
  });

  test("the introspection client secret may come from BASTION_INTROSPECTION_CLIENT_SECRET, and is never shown in an error", () => {
    const path = file({ ...SERVERS, auth: { introspection: INTROSPECTION } });
    const config = loadConfig({ file: path, env: { BASTION_INTROSPECTION_CLIENT_SECRET: "s3cr3t-from-env" } });
    assert.equal(config.auth.introspection?.clientSecret, "s3cr3t-from-env");
    assert.equal(config.auth.introspection?.clientAuthMethod, "client_secret_basic");
    const [missing] = problemsOf(() => loadConfig({ file: path, env: {} }));
    assert.match(missing!, /^auth\.introspection\.clientSecret: got \(a secret, not shown\), expected/);
    const bad = problemsOf(() => loadConfig({ file: file({ ...SERVERS, auth: { introspection: { ...INTROSPECTION, clientSecret: ["hunter2-secret"] } } }), env: {} }));
    assert.ok(!bad.join("\n").includes("hunter2-secret"), bad.join("\n"));
  });

  test("tls: paths resolved against the working directory, https resource; mTLS rules need tls", () => {
    const config = loadConfig({
      file: file({ ...SERVERS, listen: { host: "localhost", port: 8443 }, tls: { cert: "server.pem", key: "/abs/server.key", clientCertificates: { mode: "optional", ca: "ca.pem", crl: ["a.crl"] } } }),
      env: {},
      cwd: dir,
    });
    assert.equal(config.tls?.cert, join(dir, "server.pem"));
    assert.equal(config.tls?.key, "/abs/server.key");
    assert.deepEqual(config.tls?.clientCertificates.ca, [join(dir, "ca.pem")]);
    assert.deepEqual(config.tls?.clientCertificates.crl, [join(dir, "a.crl")]);
    assert.equal(config.auth.resource, "https://localhost:8443/mcp");
    const [noCrl] = problemsOf(() => loadConfig({ file: file({ ...SERVERS, tls: { cert: "s", key: "k", clientCertificates: { mode: "required", ca: ["ca.pem"] } } }), env: {} }));
    assert.match(noCrl!, /tls\.clientCertificates\.crl: .*revocation is always checked/);
    const [rulesWithoutTls] = problemsOf(() => loadConfig({ file: file({ ...SERVERS, auth: { mtls: { rules: [{ match: { cn: "alice" } }] } } }), env: {} }));
    assert.match(rulesWithoutTls!, /^auth\.mtls\.rules: .*need tls\.clientCertificates/);
  });

  test("BASTION_AUTH_REQUIRED and BASTION_STORE_PATH", () => {
    const config = loadConfig({ env: { BASTION_AUTH_REQUIRED: "0", BASTION_STORE_PATH: "data/keys.db" }, cwd: dir });
    assert.equal(config.auth.required, false);
    assert.equal(config.store.path, join(dir, "data", "keys.db"));
    const [problem] = problemsOf(() => loadConfig({ env: { BASTION_AUTH_REQUIRED: "maybe" } }));
    assert.match(problem!, /^BASTION_AUTH_REQUIRED: got "maybe", expected 1, 0, true or false$/);
  });
});

describe("listen.trustedProxies", () => {
  test("none by default: forwarding headers are believed from nobody", () => {
    assert.equal(loadConfig({ file: file(SERVERS), env: {} }).listen.trustedProxies, undefined);
  });

  test("addresses and CIDR blocks are kept", () => {
    const config = loadConfig({ file: file({ ...SERVERS, listen: { trustedProxies: ["10.0.0.0/8", "fd00::/8", "192.0.2.7"] } }), env: {} });
    assert.deepEqual(config.listen.trustedProxies, ["10.0.0.0/8", "fd00::/8", "192.0.2.7"]);
  });

  test("anything else is refused, naming the key", () => {
    for (const bad of ["proxy.example.com", "10.0.0.0/33", "*", "10.0.0.1 "]) {
      const [problem] = problemsOf(() => loadConfig({ file: file({ ...SERVERS, listen: { trustedProxies: [bad] } }), env: {} }));
      assert.match(problem ?? "", /listen\.trustedProxies/, bad);
    }
  });
});
