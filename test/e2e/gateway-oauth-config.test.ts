/**
 * The `authorizationServer` section and the store's secret key, through the real config loader:
 * the built-in authorization server is on by default when no external issuer is configured, off
 * when one is, refused when it cannot know its resource; its section is checked by src/auth/server's
 * schema with the key path in the message; BASTION_SECRET_KEY is read (and never echoed).
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { resolveEmbeddedAuthorizationServer } from "../../src/config/authorization-server.js";
import { ConfigError, loadConfig } from "../../src/config/index.js";

const dir = mkdtempSync(join(tmpdir(), "bastion-oauth-config-"));
after(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;

function load(file: Record<string, unknown>, env: Record<string, string> = {}) {
  const path = join(dir, `c${counter++}.json`);
  writeFileSync(path, JSON.stringify({ servers: { a: { command: "node" } }, ...file }));
  return loadConfig({ file: path, env, cwd: dir });
}

function problems(file: Record<string, unknown>, env: Record<string, string> = {}): string {
  try {
    load(file, env);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.message;
  }
  assert.fail("expected a ConfigError");
}

describe("authorizationServer", () => {
  test("on by default: issuer <resource origin>/oauth, one resource (the gateway's) with scope mcp", () => {
    const config = load({});
    assert.ok(config.authorizationServer);
    const resolved = resolveEmbeddedAuthorizationServer(config.authorizationServer, config.auth.resource!, config.auth.scopesSupported);
    assert.equal(resolved.issuer, "http://127.0.0.1:8080/oauth");
    assert.deepEqual(resolved.resources, [{ uri: "http://127.0.0.1:8080/mcp", scopes: ["mcp"], defaultScopes: ["mcp"] }]);
    assert.deepEqual(resolved.allowedHosts, ["127.0.0.1:8080"]);
  });

  test("the issuer follows auth.resource (behind a proxy) and the scopes follow auth.scopesSupported", () => {
    const config = load({ auth: { resource: "https://mcp.example.com/mcp", scopesSupported: ["tools", "prompts"] } });
    const resolved = resolveEmbeddedAuthorizationServer(config.authorizationServer!, config.auth.resource!, config.auth.scopesSupported);
    assert.equal(resolved.issuer, "https://mcp.example.com/oauth");
    assert.deepEqual(resolved.resources[0]?.scopes, ["tools", "prompts"]);
  });

  test("off by default when an external issuer is configured; on again when asked for", () => {
    const external = { auth: { authorizationServers: ["https://idp.example.com"] } };
    assert.equal(load(external).authorizationServer, undefined);
    assert.equal(load({ auth: { jwt: { issuers: [{ issuer: "https://idp.example.com", jwksUri: "https://idp.example.com/jwks" }] } } }).authorizationServer, undefined);
    assert.ok(load({ ...external, authorizationServer: { enabled: true } }).authorizationServer);
    assert.equal(load({ authorizationServer: { enabled: false } }).authorizationServer, undefined);
    assert.equal(load({}, { BASTION_AUTHORIZATION_SERVER: "0" }).authorizationServer, undefined);
  });

  test("on a wildcard address without auth.resource: off by default, an error when asked for", () => {
    const wildcard = { listen: { host: "0.0.0.0", port: 8080 }, allowedHosts: ["mcp.example.com"] };
    assert.equal(load(wildcard).authorizationServer, undefined);
    assert.match(problems({ ...wildcard, authorizationServer: { enabled: true } }), /authorizationServer\.enabled: the built-in authorization server needs auth\.resource/);
  });

  test("the section is checked by the authorization server's own schema; errors name the key; secrets are not shown", () => {
    assert.match(problems({ authorizationServer: { signingAlgorithm: "HS256" } }), /authorizationServer\.signingAlgorithm: got "HS256", expected one of/);
    assert.match(problems({ authorizationServer: { colour: "blue" } }), /authorizationServer\.colour: unknown key/);
    assert.match(problems({ authorizationServer: { enabled: "yes" } }), /authorizationServer\.enabled: got "yes", expected true or false/);
    const secret = "short-secret";
    const message = problems({ authorizationServer: { clients: [{ clientId: "robot", clientSecret: secret, grantTypes: ["client_credentials"] }] } });
    assert.match(message, /authorizationServer\.clients\[0\]\.clientSecret: got \(a secret, not shown\)/);
    assert.ok(!message.includes(secret));
    assert.match(problems({ authorizationServer: { resources: [{ uri: "http://127.0.0.1:8080/other", scopes: ["x"] }] } }), /authorizationServer\.resources: .*includes this gateway's resource/);
  });
});

describe("the store's secret key", () => {
  test("default: the file secret.key beside the store; BASTION_SECRET_KEY (base64 or hex) instead", () => {
    const config = load({});
    assert.equal(config.store.secretKeyFile, join(dir, ".bastion", "secret.key"));
    assert.equal(config.store.secretKey, undefined);
    const key = randomBytes(32);
    assert.deepEqual(load({}, { BASTION_SECRET_KEY: key.toString("base64") }).store.secretKey, key);
    assert.deepEqual(load({}, { BASTION_SECRET_KEY: key.toString("hex") }).store.secretKey, key);
  });

  test("the key is never read from the config file", () => {
    assert.match(problems({ store: { secretKey: randomBytes(32).toString("base64") } }), /store\.secretKey: unknown key/);
  });

  test("a malformed BASTION_SECRET_KEY is an error naming the variable, without its value", () => {
    const bad = "not-a-key-0123456789";
    const message = problems({}, { BASTION_SECRET_KEY: bad });
    assert.match(message, /BASTION_SECRET_KEY: got \(a secret, not shown\), expected 32 bytes/);
    assert.ok(!message.includes(bad));
  });
});
