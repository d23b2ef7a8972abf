import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { AuthError } from "../../src/auth/errors.js";
import { authErrorResponse, wwwAuthenticate } from "../../src/auth/challenge.js";
import { LockedOutError } from "../../src/auth/lockout/lockout.js";
import {
  buildResourceMetadata,
  createResourceMetadataHandler,
  resourceMetadataConfigSchema,
  resourceMetadataPaths,
  resourceMetadataUrl,
} from "../../src/auth/resource-metadata.js";
import { startServer, type TestServer } from "./helpers.js";

const config = resourceMetadataConfigSchema.parse({
  resource: "https://gw.example/mcp",
  authorizationServers: ["https://auth.example"],
  scopesSupported: ["tools:read", "tools:call"],
  resourceName: "Example gateway",
});

describe("protected resource metadata (RFC 9728)", () => {
  let server: TestServer;
  before(async () => {
    const handle = createResourceMetadataHandler(config);
    server = await startServer((req, res) => {
      if (!handle(req, res)) res.writeHead(404, { "content-length": "0" }).end();
    });
  });
  after(() => server?.close());

  test("the document has the resource, authorization servers, scopes and header-only bearer method", () => {
    assert.deepEqual(buildResourceMetadata(config), {
      resource: "https://gw.example/mcp",
      authorization_servers: ["https://auth.example"],
      bearer_methods_supported: ["header"],
      scopes_supported: ["tools:read", "tools:call"],
      resource_name: "Example gateway",
    });
  });
  test("served at the path-inserted and at the root well-known URI", async () => {
    for (const path of ["/.well-known/oauth-protected-resource/mcp", "/.well-known/oauth-protected-resource"]) {
      const response = await fetch(`${server.url}${path}`);
      assert.equal(response.status, 200, path);
      assert.equal(response.headers.get("content-type"), "application/json");
      assert.equal(response.headers.get("access-control-allow-origin"), "*");
      assert.deepEqual(await response.json(), buildResourceMetadata(config));
    }
  });
  test("never built from Host or X-Forwarded-* headers", async () => {
    const response = await fetch(`${server.url}/.well-known/oauth-protected-resource/mcp`, {
      headers: { "x-forwarded-host": "evil.example", "x-forwarded-proto": "http", forwarded: "host=evil.example" },
    });
    const text = await response.text();
    assert.ok(!text.includes("evil.example") && !text.includes("127.0.0.1"), text);
    const raw = await fetch(`${server.url}/.well-known/oauth-protected-resource`, { headers: { host: "evil.example" } }).then((r) => r.text());
    assert.ok(!raw.includes("evil.example"), raw);
  });
  test("a query string is ignored; other paths are not handled", async () => {
    assert.equal((await fetch(`${server.url}/.well-known/oauth-protected-resource/mcp?x=1`)).status, 200);
    for (const path of ["/.well-known/oauth-protected-resource/other", "/.well-known/oauth-protected-resource/mcp/", "/.well-known/oauth-protected-resourcex", "/mcp"]) {
      assert.equal((await fetch(`${server.url}${path}`)).status, 404, path);
    }
  });
  test("HEAD has no body, OPTIONS answers a preflight, other methods get 405", async () => {
    const head = await fetch(`${server.url}/.well-known/oauth-protected-resource`, { method: "HEAD" });
    assert.equal(head.status, 200);
    assert.equal(await head.text(), "");
    const options = await fetch(`${server.url}/.well-known/oauth-protected-resource`, { method: "OPTIONS" });
    assert.equal(options.status, 204);
    const post = await fetch(`${server.url}/.well-known/oauth-protected-resource`, { method: "POST", body: "{}" });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get("allow"), "GET, HEAD, OPTIONS");
  });
  test("paths and the metadata URL (terminating slash removed; a root resource has one path)", () => {
    assert.deepEqual(resourceMetadataPaths("https://gw.example/mcp"), ["/.well-known/oauth-protected-resource", "/.well-known/oauth-protected-resource/mcp"]);
    assert.deepEqual(resourceMetadataPaths("https://gw.example/a/b/"), ["/.well-known/oauth-protected-resource", "/.well-known/oauth-protected-resource/a/b"]);
    assert.deepEqual(resourceMetadataPaths("https://gw.example/"), ["/.well-known/oauth-protected-resource"]);
    assert.equal(resourceMetadataUrl("https://gw.example:8443/mcp"), "https://gw.example:8443/.well-known/oauth-protected-resource/mcp");
    assert.equal(resourceMetadataUrl("https://gw.example"), "https://gw.example/.well-known/oauth-protected-resource");
  });
  test("config: the resource must be https (http only to this machine), with no query or fragment", () => {
    for (const resource of ["http://gw.example/mcp", "https://gw.example/mcp?x=1", "https://gw.example/mcp#f", "https://u:p@gw.example/mcp", "gw.example/mcp"]) {
      assert.equal(resourceMetadataConfigSchema.safeParse({ resource }).success, false, resource);
    }
    assert.equal(resourceMetadataConfigSchema.safeParse({ resource: "http://127.0.0.1:3000/mcp" }).success, true);
    assert.equal(resourceMetadataConfigSchema.safeParse({ resource: "https://gw.example/mcp", scopesSupported: ['bad"scope'] }).success, false);
  });
});

describe("WWW-Authenticate challenges", () => {
  const options = { resourceMetadataUrl: resourceMetadataUrl(config.resource), scopes: config.scopesSupported ?? [] };
  const META = 'resource_metadata="https://gw.example/.well-known/oauth-protected-resource/mcp"';

  test("no credential: resource_metadata and scope, no error code", () => {
    assert.equal(wwwAuthenticate(undefined, options), `Bearer scope="tools:read tools:call", ${META}`);
    assert.equal(wwwAuthenticate(new AuthError("missing_credentials", "Authentication required"), options), `Bearer scope="tools:read tools:call", ${META}`);
  });
  test("a refused token: error=\"invalid_token\" with a description", () => {
    const header = wwwAuthenticate(new AuthError("expired_credentials", "The token has expired"), options);
    assert.equal(header, `Bearer error="invalid_token", error_description="The token has expired", scope="tools:read tools:call", ${META}`);
  });
  test("a malformed or duplicated credential, or one in the query: error=\"invalid_request\"", () => {
    for (const code of ["malformed_credentials", "multiple_credentials", "token_in_query"] as const) {
      assert.match(wwwAuthenticate(new AuthError(code, "x"), options), /^Bearer error="invalid_request"/);
    }
  });
  test("insufficient scope: 403, error=\"insufficient_scope\" and the scopes needed", () => {
    const response = authErrorResponse(new AuthError("insufficient_scope", "Needs tools:call", ["tools:call", "admin"]), options);
    assert.equal(response.status, 403);
    assert.equal(response.headers["www-authenticate"], `Bearer error="insufficient_scope", error_description="Needs tools:call", scope="tools:call admin", ${META}`);
  });
  test("401 for every other refusal", () => {
    assert.equal(authErrorResponse(new AuthError("invalid_token", "x"), options).status, 401);
    assert.equal(authErrorResponse(new AuthError("unknown_credentials", "x"), options).status, 401);
  });
  test("locked out: 429 with Retry-After and no challenge", () => {
    const response = authErrorResponse(new LockedOutError(120), options);
    assert.deepEqual(response, { status: 429, headers: { "retry-after": "120" } });
  });
  test("quotes, backslashes and control characters cannot break out of the header", () => {
    const header = wwwAuthenticate(new AuthError("invalid_token", 'bad "quote" \\ and\r\nInjected: yes'), { resourceMetadataUrl: 'https://gw.example/a"b', scopes: ['x"y', "ok"] });
    assert.ok(!/[\r\n]/.test(header), header);
    assert.equal(header.split('"').length % 2, 1, `quotes balanced: ${header}`);
    assert.match(header, /error_description="bad quote  andInjected: yes"/);
    assert.match(header, /scope="ok"/);
  });
});
