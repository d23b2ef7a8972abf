/**
 * Access tokens of the built-in authorization server stop working at once when their grant ends
 * (issue 4, "logout and revocation that take effect at once"): the gateway checks on every
 * request, in process, that the token's grant still stands and its user is enabled. Each case
 * shows the token working first, then refused right after sign-out, refresh-token reuse, a
 * revocation request, or the user being disabled; and a store that cannot be read refuses (fail
 * closed). Real gateway, real SQLite store, real stdio upstream.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { OidcStore } from "../../src/auth/server/index.js";
import { basicAuth, PASSWORD, signedInClient, tokenRequest, type RunningServer } from "../auth/server/helpers.js";
import { DUAL_ERA, modernHeaders, modernRequest, post } from "../gateway/helpers.js";
import { startOAuthTestGateway, type OAuthTestGateway } from "./oauth-gateway.js";

const ROBOT_SECRET = "robot-secret-0123456789-abcdefghijklmnop";
const CLI = join(import.meta.dirname, "..", "..", "src", "cli", "main.ts");

/** `bastion ARGS --db DB` in a process of its own, as an operator runs it beside the serving gateway (on its store file). */
function bastion(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, ["--import", "tsx", CLI, ...args, "--db", running.dbPath], { encoding: "utf8", input: "", timeout: 60_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}
const FIXTURE = { command: DUAL_ERA.kind === "stdio" ? DUAL_ERA.command : "", args: DUAL_ERA.kind === "stdio" ? DUAL_ERA.args : [], env: {} };

/** The real SQLite record store, with a switch that makes reading grants fail (a broken disk, a dropped connection). */
function breakableGrants(inner: OidcStore): OidcStore & { broken: boolean } {
  const store = {
    broken: false,
    upsert: inner.upsert.bind(inner),
    find: async (model: string, id: string) => {
      if (store.broken && model === "Grant") throw new Error("disk I/O error");
      return inner.find(model, id);
    },
    findByUid: inner.findByUid.bind(inner),
    findByUserCode: inner.findByUserCode.bind(inner),
    consume: inner.consume.bind(inner),
    destroy: inner.destroy.bind(inner),
    revokeByGrantId: inner.revokeByGrantId.bind(inner),
    count: inner.count.bind(inner),
  };
  return store;
}

let running: OAuthTestGateway;
let records: OidcStore & { broken: boolean };
let url: string;
let server: RunningServer;

before(async () => {
  running = await startOAuthTestGateway({
    users: [{ username: "alice", password: PASSWORD, roles: ["editor"] }],
    servers: { fixture: FIXTURE },
    authorizationServer: () => ({
      clients: [{ clientId: "robot", clientSecret: ROBOT_SECRET, grantTypes: ["client_credentials"], scope: "mcp", roles: ["automation"] }],
    }),
    oidcStore: (inner) => (records = breakableGrants(inner)),
  });
  url = running.url;
  const as = await running.gateway.authorizationServer!.get();
  server = { as, issuer: as.issuer, resource: running.resource, wire: (u) => u, port: running.port, close: async () => undefined };
});

after(() => running?.close());

/** tools/list through the gateway with this access token: the status (200 when accepted). */
async function call(token: string): Promise<{ status: number; challenge: string }> {
  const reply = await post(`${url}/mcp`, modernRequest(1, "tools/list"), { ...modernHeaders("tools/list"), authorization: `Bearer ${token}` });
  return { status: reply.status, challenge: reply.headers.get("www-authenticate") ?? "" };
}

async function assertRefused(token: string, why: string): Promise<void> {
  const reply = await call(token);
  assert.equal(reply.status, 401, why);
  assert.match(reply.challenge, /error="invalid_token"/, why);
}

const refresh = (clientId: string, refreshToken: string) => tokenRequest(server, { grant_type: "refresh_token", refresh_token: refreshToken, client_id: clientId });

const revoke = (clientId: string, token: string, hint?: string) =>
  fetch(`${server.issuer}/token/revocation`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ token, client_id: clientId, ...(hint ? { token_type_hint: hint } : {}) }).toString(),
  });

describe("access tokens end with their grant", () => {
  test("signing out: the token works before, and is refused right after", async () => {
    const { tokens, browser } = await signedInClient(server);
    const token = tokens.body.access_token as string;
    assert.equal((await call(token)).status, 200);

    const confirm = await browser.request(`${server.issuer}/session/end`);
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(confirm.body)![1]!;
    assert.equal((await browser.request(`${server.issuer}/session/end/confirm`, { form: { xsrf, logout: "yes" } })).status, 303);
    await assertRefused(token, "the grant made in the signed-out session is gone");
  });

  test("attack: a reused refresh token ends every access token of the grant, the thief's and the owner's", async () => {
    const { client, tokens } = await signedInClient(server);
    const first = tokens.body.access_token as string;
    const stolen = tokens.body.refresh_token as string;
    const legit = await refresh(client.client_id, stolen);
    assert.equal(legit.status, 200);
    const second = legit.body.access_token as string;
    assert.equal((await call(first)).status, 200);
    assert.equal((await call(second)).status, 200);

    assert.equal((await refresh(client.client_id, stolen)).status, 400, "reuse detected");
    await assertRefused(first, "the first access token");
    await assertRefused(second, "the access token from the legitimate refresh");
  });

  test("revoking the refresh token (RFC 7009) ends the access token", async () => {
    const { client, tokens } = await signedInClient(server);
    const token = tokens.body.access_token as string;
    assert.equal((await call(token)).status, 200);
    assert.equal((await revoke(client.client_id, tokens.body.refresh_token as string, "refresh_token")).status, 200);
    await assertRefused(token, "its grant was revoked with the refresh token");
  });

  test("revoking the access token itself ends it (and its grant); attack: another client's revocation does nothing", async () => {
    const { client, tokens } = await signedInClient(server);
    const { client: other } = await signedInClient(server);
    const token = tokens.body.access_token as string;
    assert.equal((await revoke(other.client_id, token, "access_token")).status, 200, "RFC 7009: 200 whatever happened");
    assert.equal((await call(token)).status, 200, "another client cannot revoke it");

    assert.equal((await revoke(client.client_id, token, "access_token")).status, 200);
    await assertRefused(token, "revoked by its own client");
    assert.equal((await refresh(client.client_id, tokens.body.refresh_token as string)).status, 400, "the grant's refresh token went with it");
  });

  test("disabling the user refuses their tokens at once; enabling them again restores the grant", async () => {
    const { tokens } = await signedInClient(server);
    const token = tokens.body.access_token as string;
    assert.equal((await call(token)).status, 200);
    await server.as.users.setDisabled("alice", true);
    try {
      await assertRefused(token, "the user is disabled");
    } finally {
      await server.as.users.setDisabled("alice", false);
    }
    assert.equal((await call(token)).status, 200);
  });

  test("a client-credentials token (no grant, no user) is accepted while its client is configured", async () => {
    const issued = await tokenRequest(server, { grant_type: "client_credentials", scope: "mcp", resource: server.resource }, basicAuth("robot", ROBOT_SECRET));
    assert.equal(issued.status, 200, JSON.stringify(issued.body));
    assert.equal((await call(issued.body.access_token as string)).status, 200);
  });

  test("fail closed: when the grant cannot be looked up, the token is refused (and works again once it can)", async () => {
    const { tokens } = await signedInClient(server);
    const token = tokens.body.access_token as string;
    assert.equal((await call(token)).status, 200);
    records.broken = true;
    try {
      await assertRefused(token, "the store failed");
    } finally {
      records.broken = false;
    }
    assert.equal((await call(token)).status, 200);
  });
});

describe("an operator's commands from another process take effect at once", () => {
  test("bastion users disable: the user's tokens are refused on their next request; enable restores them", async () => {
    const { tokens } = await signedInClient(server);
    const token = tokens.body.access_token as string;
    assert.equal((await call(token)).status, 200);
    const disabled = bastion("users", "disable", "alice");
    assert.equal(disabled.status, 0, disabled.stderr);
    try {
      await assertRefused(token, "alice was disabled by another process");
    } finally {
      assert.equal(bastion("users", "enable", "alice").status, 0);
    }
    assert.equal((await call(token)).status, 200);
  });

  test("bastion keys revoke: the key is refused on its next request; attack: a revoked key in either header stays refused", async () => {
    const created = bastion("keys", "create", "--name", "ci-bot", "--role", "editor");
    assert.equal(created.status, 0, created.stderr);
    const key = created.stdout.trim();
    const id = /^bst_([a-z2-7]{16})_/.exec(key)?.[1];
    assert.ok(id !== undefined, "the key is printed once, alone on stdout");
    assert.equal((await call(key)).status, 200);
    const revoked = bastion("keys", "revoke", id);
    assert.equal(revoked.status, 0, revoked.stderr);
    assert.equal((await call(key)).status, 401, "Authorization: Bearer");
    const viaHeader = await post(`${url}/mcp`, modernRequest(1, "tools/list"), { ...modernHeaders("tools/list"), "x-api-key": key });
    assert.equal(viaHeader.status, 401, "X-API-Key");
  });
});
