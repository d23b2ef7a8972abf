/** The `authorizationServer` config section: defaults, and every refusal. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ZodError } from "zod";
import { authorizationServerConfigSchema, parseAuthorizationServerConfig, resolveAuthorizationServerConfig } from "../../../src/auth/server/index.js";

const minimal = { issuer: "https://gw.example.com/oauth", resources: [{ uri: "https://gw.example.com/mcp", scopes: ["mcp:tools", "mcp:admin"] }] };

describe("authorizationServer config", () => {
  test("a minimal section gets safe defaults", () => {
    const config = parseAuthorizationServerConfig(minimal);
    assert.equal(config.issuer, "https://gw.example.com/oauth");
    assert.deepEqual(config.resources[0]!.defaultScopes, ["mcp:tools", "mcp:admin"]);
    assert.equal(config.signingAlgorithm, "ES256");
    assert.equal(config.accessTokenTtlMs, 10 * 60_000);
    assert.equal(config.authorizationCodeTtlMs, 60_000);
    assert.equal(config.refreshTokenIdleTtlMs, 14 * 86_400_000);
    assert.equal(config.refreshTokenAbsoluteTtlMs, 90 * 86_400_000);
    assert.equal(config.sessionIdleTimeoutMs, 30 * 60_000);
    assert.equal(config.sessionAbsoluteTimeoutMs, 12 * 3_600_000);
    assert.deepEqual(config.registration, { enabled: true, maxClients: 10_000 });
    assert.deepEqual(config.clientIdMetadataDocuments, { enabled: true, allowedHosts: [], maxBytes: 5120, fetchTimeoutMs: 3000 });
    assert.deepEqual(config.login, { maxFailures: 5, maxFailuresPerAddress: 50, failureWindowMs: 900_000, lockoutDurationMs: 900_000 });
    assert.deepEqual(config.allowedHosts, ["gw.example.com"]);
    assert.deepEqual(config.clients, []);
  });

  test("durations are read like the rest of the config, up to a year", () => {
    const config = parseAuthorizationServerConfig({ ...minimal, accessTokenTtl: "5m", refreshTokenAbsoluteTtl: "365d", refreshTokenIdleTtl: 3_600_000 });
    assert.equal(config.accessTokenTtlMs, 300_000);
    assert.equal(config.refreshTokenAbsoluteTtlMs, 365 * 86_400_000);
    assert.equal(config.refreshTokenIdleTtlMs, 3_600_000);
  });

  test("a static client is read with its defaults", () => {
    const config = parseAuthorizationServerConfig({ ...minimal, clients: [{ clientId: "robot", clientSecret: "s".repeat(32), grantTypes: ["client_credentials"], roles: ["automation"] }] });
    assert.deepEqual(config.clients[0], { clientId: "robot", clientSecret: "s".repeat(32), grantTypes: ["client_credentials"], roles: ["automation"], redirectUris: [] });
  });

  for (const [name, section] of [
    ["no issuer", { resources: minimal.resources }],
    ["an http issuer on a public host", { ...minimal, issuer: "http://gw.example.com" }],
    ["an issuer with a query", { ...minimal, issuer: "https://gw.example.com/oauth?x=1" }],
    ["an issuer with a fragment", { ...minimal, issuer: "https://gw.example.com/oauth#x" }],
    ["an issuer with a trailing slash", { ...minimal, issuer: "https://gw.example.com/" }],
    ["an issuer with credentials", { ...minimal, issuer: "https://u:p@gw.example.com" }],
    ["no resources", { ...minimal, resources: [] }],
    ["a resource on http", { ...minimal, resources: [{ uri: "http://gw.example.com/mcp", scopes: ["a"] }] }],
    ["a resource without scopes", { ...minimal, resources: [{ uri: "https://gw.example.com/mcp", scopes: [] }] }],
    ["the reserved scope openid", { ...minimal, resources: [{ uri: "https://gw.example.com/mcp", scopes: ["openid"] }] }],
    ["a scope with a space", { ...minimal, resources: [{ uri: "https://gw.example.com/mcp", scopes: ["a b"] }] }],
    ["a scope with a quote", { ...minimal, resources: [{ uri: "https://gw.example.com/mcp", scopes: ['a"b'] }] }],
    ["a default scope the resource lacks", { ...minimal, resources: [{ uri: "https://gw.example.com/mcp", scopes: ["a"], defaultScopes: ["b"] }] }],
    ["the same resource twice", { ...minimal, resources: [minimal.resources[0], minimal.resources[0]] }],
    ["an unknown key (a typo must not leave a default)", { ...minimal, acessTokenTtl: "1m" }],
    ["an unknown algorithm", { ...minimal, signingAlgorithm: "HS256" }],
    ["alg none", { ...minimal, signingAlgorithm: "none" }],
    ["a zero duration", { ...minimal, accessTokenTtl: 0 }],
    ["a sub-second duration", { ...minimal, accessTokenTtl: "500ms" }],
    ["a duration over a year", { ...minimal, refreshTokenAbsoluteTtl: "400d" }],
    ["an absolute refresh lifetime shorter than the idle one", { ...minimal, refreshTokenIdleTtl: "2d", refreshTokenAbsoluteTtl: "1d" }],
    ["an absolute session timeout shorter than the idle one", { ...minimal, sessionIdleTimeout: "2h", sessionAbsoluteTimeout: "1h" }],
    ["a short initial access token", { ...minimal, registration: { initialAccessToken: "short" } }],
    ["client_credentials without a secret", { ...minimal, clients: [{ clientId: "robot", grantTypes: ["client_credentials"] }] }],
    ["a short client secret", { ...minimal, clients: [{ clientId: "robot", clientSecret: "short", grantTypes: ["client_credentials"] }] }],
    ["authorization_code without redirect URIs", { ...minimal, clients: [{ clientId: "app", grantTypes: ["authorization_code"] }] }],
    ["the implicit grant", { ...minimal, clients: [{ clientId: "app", grantTypes: ["implicit"], redirectUris: ["https://a.example/cb"] }] }],
    ["a client id with a slash", { ...minimal, clients: [{ clientId: "a/b", redirectUris: ["https://a.example/cb"] }] }],
    ["the same client twice", { ...minimal, clients: [{ clientId: "a", redirectUris: ["https://a.example/cb"] }, { clientId: "a", redirectUris: ["https://a.example/cb"] }] }],
    ["a redirect URI with a fragment", { ...minimal, clients: [{ clientId: "a", redirectUris: ["https://a.example/cb#x"] }] }],
  ] as const) {
    test(`refused: ${name}`, () => {
      assert.throws(() => parseAuthorizationServerConfig(section), ZodError);
    });
  }

  test("nested in a larger schema: resolve(parse(section)) equals parseAuthorizationServerConfig(section)", () => {
    const section = { ...minimal, accessTokenTtl: "5m", clients: [{ clientId: "a", redirectUris: ["https://a.example/cb"] }] };
    const parsed = authorizationServerConfigSchema.parse(section);
    assert.deepEqual(resolveAuthorizationServerConfig(parsed), parseAuthorizationServerConfig(section));
    assert.deepEqual(parseAuthorizationServerConfig(parsed), parseAuthorizationServerConfig(section), "parsing an already-parsed section changes nothing");
  });

  test("an http issuer is allowed on loopback (local use, tests)", () => {
    for (const issuer of ["http://127.0.0.1:8080", "http://localhost:8080/oauth", "http://[::1]:8080"]) {
      assert.equal(parseAuthorizationServerConfig({ ...minimal, issuer }).issuer, issuer);
    }
  });

  test("error messages carry the path of the bad value", () => {
    try {
      parseAuthorizationServerConfig({ ...minimal, clients: [{ clientId: "robot", clientSecret: "short", grantTypes: ["client_credentials"] }] });
      assert.fail("expected a ZodError");
    } catch (error) {
      assert.ok(error instanceof ZodError);
      assert.deepEqual(error.issues[0]!.path, ["clients", 0, "clientSecret"]);
    }
  });
});
