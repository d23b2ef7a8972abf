/**
 * Authentication through the real gateway (createGateway on 127.0.0.1, real upstreams, a real
 * SQLite store): API keys as Bearer and X-API-Key, refusals with the WWW-Authenticate challenge,
 * the Protected Resource Metadata at both well-known paths, sessions bound to the principal,
 * lockout, JWTs from a JWKS served on 127.0.0.1, and the client's credentials never reaching an
 * HTTP upstream.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { createApiKeyService, type ApiKeyService } from "../../src/auth/api-keys/index.js";
import { loadConfig, type GatewayConfig } from "../../src/config/index.js";
import { openSqliteStore, type SqliteStore } from "../../src/store/index.js";
import { DUAL_ERA, INITIALIZE, modernHeaders, modernRequest, openRawSession, post, startGateway, type RunningGateway } from "../gateway/helpers.js";
import { startRawServer, type TestServer } from "../gateway/upstream/http-servers.js";

const dir = mkdtempSync(join(tmpdir(), "bastion-gateway-auth-"));
let counter = 0;

/** A config through the real loader (file schema, defaults), on a free port, fronting `servers`. */
function configWith(extra: Record<string, unknown>, servers: Record<string, unknown>): GatewayConfig {
  const path = join(dir, `config-${counter++}.json`);
  writeFileSync(path, JSON.stringify({ listen: { host: "127.0.0.1", port: 0 }, servers, shutdownTimeout: "5s", ...extra }));
  return loadConfig({ file: path, env: {} });
}

const FIXTURE = { command: DUAL_ERA.kind === "stdio" ? DUAL_ERA.command : "", args: DUAL_ERA.kind === "stdio" ? DUAL_ERA.args : [], env: {} };

/** tools/list on the stateless (2026-07-28) revision: one request, no session. */
const listTools = (running: RunningGateway, headers: Record<string, string>) =>
  post(`${running.url}/servers/fixture/mcp`, modernRequest(1, "tools/list"), { ...modernHeaders("tools/list"), ...headers });

const challengeOf = (reply: { headers: Headers }) => reply.headers.get("www-authenticate") ?? "";

describe("API keys through the gateway", () => {
  let store: SqliteStore;
  let service: ApiKeyService;
  let running: RunningGateway;
  let key: string;
  let other: string;
  let metadataUrl: string;

  before(async () => {
    store = openSqliteStore({ path: ":memory:" });
    service = createApiKeyService({ store: store.apiKeys });
    key = (await service.create({ name: "alice", role: "editor" })).key;
    other = (await service.create({ name: "bob", role: "editor" })).key;
    running = await startGateway({ config: configWith({ auth: { scopesSupported: ["tools:call"] } }, { fixture: FIXTURE }), store });
    // tools/list goes to /servers/fixture/mcp: that route is its own resource, with its own metadata.
    metadataUrl = `${running.url}/.well-known/oauth-protected-resource/servers/fixture/mcp`;
  });
  after(async () => {
    await running.close();
    await store.close();
  });

  test("Authorization: Bearer KEY and X-API-Key: KEY both work", async () => {
    for (const headers of [{ authorization: `Bearer ${key}` }, { "x-api-key": key }] as Array<Record<string, string>>) {
      const reply = await listTools(running, headers);
      assert.equal(reply.status, 200, reply.text);
      assert.ok(((reply.json as { result: { tools: unknown[] } }).result.tools).length > 0);
    }
  });

  test("no credential: 401 with a challenge pointing at the metadata, without an error code", async () => {
    const reply = await listTools(running, {});
    assert.equal(reply.status, 401);
    assert.equal(challengeOf(reply), `Bearer scope="tools:call", resource_metadata="${metadataUrl}"`);
    assert.equal((reply.json as { error: { message: string } }).error.message, "Authentication required");
  });

  test("a wrong key and a revoked key: 401 with error=\"invalid_token\"; the key is never echoed", async () => {
    const wrong = `${key.slice(0, -4)}AAAA`;
    const refused = await listTools(running, { authorization: `Bearer ${wrong}` });
    assert.equal(refused.status, 401);
    assert.match(challengeOf(refused), /^Bearer error="invalid_token", error_description="[^"]*", scope="tools:call", resource_metadata="/);
    assert.ok(!refused.text.includes(wrong) && !challengeOf(refused).includes(wrong));

    const doomed = await service.create({ name: "doomed", role: "viewer" });
    assert.equal((await listTools(running, { "x-api-key": doomed.key })).status, 200);
    await service.revoke(doomed.metadata.id);
    const revoked = await listTools(running, { "x-api-key": doomed.key });
    assert.equal(revoked.status, 401);
    assert.match(challengeOf(revoked), /error="invalid_token"/);
  });

  test("a credential in the query string, two different credentials, another scheme: 401 invalid_request", async () => {
    const inQuery = await post(`${running.url}/servers/fixture/mcp?api_key=${key}`, modernRequest(1, "tools/list"), modernHeaders("tools/list"));
    assert.equal(inQuery.status, 401);
    assert.match(challengeOf(inQuery), /error="invalid_request"/);
    const both = await listTools(running, { authorization: `Bearer ${key}`, "x-api-key": other });
    assert.equal(both.status, 401);
    assert.match(challengeOf(both), /error="invalid_request"/);
    const basic = await listTools(running, { authorization: `Basic ${Buffer.from(`a:${key}`).toString("base64")}` });
    assert.equal(basic.status, 401);
  });

  test("the Protected Resource Metadata is served, without credentials, at both well-known paths", async () => {
    for (const path of ["/.well-known/oauth-protected-resource", "/.well-known/oauth-protected-resource/mcp"]) {
      const reply = await fetch(`${running.url}${path}`);
      assert.equal(reply.status, 200, path);
      const document = (await reply.json()) as Record<string, unknown>;
      assert.equal(document.resource, `${running.url}/mcp`, "from the bound listen address, not from Host");
      assert.deepEqual(document.bearer_methods_supported, ["header"]);
      assert.deepEqual(document.scopes_supported, ["tools:call"]);
    }
    const route = (await (await fetch(`${running.url}/.well-known/oauth-protected-resource/servers/fixture/mcp`)).json()) as Record<string, unknown>;
    assert.equal(route.resource, `${running.url}/servers/fixture/mcp`, "a server's route is its own resource");
    for (const path of ["other", "servers/nope/mcp", "servers/fixture"]) assert.equal((await fetch(`${running.url}/.well-known/oauth-protected-resource/${path}`)).status, 404, path);
  });

  test("a session opened by one principal is 404 to another; no credential with a valid session id is 401", async () => {
    const url = `${running.url}/servers/fixture/mcp`;
    const alice = { authorization: `Bearer ${key}` };
    const session = await openRawSession(url, alice);
    const list = { jsonrpc: "2.0", id: 2, method: "tools/list" };
    assert.equal((await post(url, list, { ...alice, "mcp-session-id": session })).status, 200);
    const stolen = await post(url, list, { "x-api-key": other, "mcp-session-id": session });
    assert.equal(stolen.status, 404, "another principal: as if the session did not exist");
    const bare = await post(url, list, { "mcp-session-id": session });
    assert.equal(bare.status, 401, "a session id authenticates nothing");
    assert.match(challengeOf(bare), /^Bearer /);
    const bareGet = await fetch(url, { headers: { accept: "text/event-stream", "mcp-session-id": session } });
    assert.equal(bareGet.status, 401);
    const bareDelete = await fetch(url, { method: "DELETE", headers: { "mcp-session-id": session } });
    assert.equal(bareDelete.status, 401);
    assert.equal((await post(url, list, { ...alice, "mcp-session-id": session })).status, 200, "the owner is unaffected");
    assert.equal((await fetch(url, { method: "DELETE", headers: { ...alice, "mcp-session-id": session } })).status, 200);
  });

  test("initialize without a credential opens no session", async () => {
    const reply = await post(`${running.url}/servers/fixture/mcp`, INITIALIZE);
    assert.equal(reply.status, 401);
    assert.equal(reply.headers.get("mcp-session-id"), null);
  });
});

describe("lockout through the gateway", () => {
  test("after repeated failures from one address: 429 with Retry-After, even for a good key", async () => {
    const store = openSqliteStore({ path: ":memory:" });
    const key = (await createApiKeyService({ store: store.apiKeys }).create({ name: "alice", role: "editor" })).key;
    const running = await startGateway({
      config: configWith({ auth: { lockout: { address: { maxFailures: 3, window: "1m", duration: "1m" } } } }, { fixture: FIXTURE }),
      store,
    });
    try {
      for (let i = 0; i < 3; i++) assert.equal((await listTools(running, { authorization: `Bearer ${key.slice(0, -4)}ZZZ${i}` })).status, 401);
      const locked = await listTools(running, { authorization: `Bearer ${key}` });
      assert.equal(locked.status, 429);
      assert.match(locked.headers.get("retry-after") ?? "", /^\d+$/);
      assert.ok(Number(locked.headers.get("retry-after")) > 0);
    } finally {
      await running.close();
      await store.close();
    }
  });
});

describe("JWT from a JWKS on 127.0.0.1", () => {
  const ISSUER = "https://issuer.test/";
  let jwks: Server;
  let running: RunningGateway;
  let sign: (claims: Record<string, unknown>, options?: { expiresIn?: string | number }) => Promise<string>;
  let resource: string;

  before(async () => {
    const { publicKey, privateKey } = await generateKeyPair("ES256");
    const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "ES256", use: "sig" };
    jwks = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, "127.0.0.1", resolve));
    const jwksUri = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks`;
    running = await startGateway({
      config: configWith({ auth: { apiKeys: { enabled: false }, jwt: { issuers: [{ issuer: ISSUER, jwksUri, claims: { roles: ["roles"] } }] } } }, { fixture: FIXTURE }),
    });
    assert.equal(running.gateway.authentication!.resource, `${running.url}/mcp`);
    // tools/list goes to /servers/fixture/mcp: tokens must name that route (src/auth/route-resources.ts).
    resource = running.gateway.authentication!.resourceOf({ kind: "server", server: "fixture" })!;
    assert.equal(resource, `${running.url}/servers/fixture/mcp`);
    sign = (claims, options = {}) => {
      const jwt = new SignJWT(claims).setProtectedHeader({ alg: "ES256", kid: "k1", typ: "at+jwt" }).setIssuer(ISSUER).setIssuedAt();
      if (options.expiresIn !== undefined) jwt.setExpirationTime(options.expiresIn);
      return jwt.sign(privateKey);
    };
  });
  after(async () => {
    await running.close();
    await new Promise<void>((resolve) => jwks.close(() => resolve()));
  });

  test("a valid token for this resource works", async () => {
    const token = await sign({ sub: "alice", aud: resource, roles: ["editor"] }, { expiresIn: "5m" });
    const reply = await listTools(running, { authorization: `Bearer ${token}` });
    assert.equal(reply.status, 200, reply.text);
  });

  test("an expired token, a token for another resource or another route, a token without exp: 401 invalid_token", async () => {
    const now = Math.floor(Date.now() / 1000);
    const expired = await sign({ sub: "alice", aud: resource }, { expiresIn: now - 120 });
    const elsewhere = await sign({ sub: "alice", aud: "https://other.example/mcp" }, { expiresIn: "5m" });
    const otherRoute = await sign({ sub: "alice", aud: `${running.url}/mcp` }, { expiresIn: "5m" });
    const forever = await sign({ sub: "alice", aud: resource });
    for (const token of [expired, elsewhere, otherRoute, forever]) {
      const reply = await listTools(running, { authorization: `Bearer ${token}` });
      assert.equal(reply.status, 401);
      assert.match(challengeOf(reply), /^Bearer error="invalid_token"/);
      assert.match(challengeOf(reply), new RegExp(`resource_metadata="${running.url.replace(/[.]/g, "\\.")}/\\.well-known/oauth-protected-resource/servers/fixture/mcp"`));
    }
  });

  test("an API key is refused when API keys are off", async () => {
    const reply = await listTools(running, { "x-api-key": "bst_aaaaaaaaaaaaaaaa_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb" });
    assert.equal(reply.status, 401);
  });
});

describe("the client's credentials are never forwarded upstream", () => {
  let upstream: TestServer;
  let store: SqliteStore;
  let running: RunningGateway;
  let key: string;

  before(async () => {
    // An HTTP upstream that answers the stateless probe / calls with a minimal JSON answer and records every request's headers.
    upstream = await startRawServer((req, res, body) => {
      const message = body === "" ? undefined : (JSON.parse(body) as { id?: unknown; method?: string });
      if (message?.id === undefined) {
        res.writeHead(202).end();
        return;
      }
      const result =
        message.method === "initialize"
          ? { protocolVersion: "2025-11-25", capabilities: { tools: {} }, serverInfo: { name: "raw", version: "1" } }
          : message.method === "tools/list"
            ? { tools: [{ name: "noop", inputSchema: { type: "object" } }] }
            : {};
      res.writeHead(200, { "content-type": "application/json", ...(message.method === "initialize" ? { "mcp-session-id": "upstream-session" } : {}) });
      res.end(JSON.stringify({ jsonrpc: "2.0", id: message.id, result }));
    });
    store = openSqliteStore({ path: ":memory:" });
    key = (await createApiKeyService({ store: store.apiKeys }).create({ name: "alice", role: "editor" })).key;
    running = await startGateway({
      config: configWith({}, { remote: { url: upstream.url, headers: { Authorization: "Bearer upstream-own-secret", "X-Upstream-Key": "k-123" } } }),
      store,
    });
  });
  after(async () => {
    await running.close();
    await store.close();
    await upstream.close();
  });

  test("neither Authorization nor X-API-Key from the client reaches the upstream; it gets its own configured headers", async () => {
    const url = `${running.url}/servers/remote/mcp`;
    for (const headers of [{ authorization: `Bearer ${key}` }, { "x-api-key": key }] as Array<Record<string, string>>) {
      const session = await openRawSession(url, headers);
      const listed = await post(url, { jsonrpc: "2.0", id: 2, method: "tools/list" }, { ...headers, "mcp-session-id": session });
      assert.equal(listed.status, 200, listed.text);
      await fetch(url, { method: "DELETE", headers: { ...headers, "mcp-session-id": session } });
    }
    assert.ok(upstream.seen.length >= 4, `the upstream saw ${upstream.seen.length} requests`);
    for (const seen of upstream.seen) {
      assert.equal(seen.headers.authorization, "Bearer upstream-own-secret", "the upstream's own credential, never the client's");
      assert.equal(seen.headers["x-upstream-key"], "k-123");
      assert.equal(seen.headers["x-api-key"], undefined);
      assert.ok(!JSON.stringify(seen.headers).includes(key), "the client's key appears nowhere in the upstream's headers");
    }
  });
});
