/**
 * The failed-authentication lockout per client address behind a reverse proxy (listen.trustedProxies),
 * through the real gateway: with the test's own address (127.0.0.1) as the trusted proxy, each
 * forwarded client is counted on its own; without it, X-Forwarded-For is ignored, so a client can
 * neither dodge the lockout by varying the header nor frame another address with it. The address
 * is also what the failure log line records, and what the login page's throttle counts.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { createApiKeyService } from "../../src/auth/api-keys/index.js";
import { loadConfig, type GatewayConfig } from "../../src/config/index.js";
import type { GatewayLogger } from "../../src/gateway/logger.js";
import { openSqliteStore } from "../../src/store/index.js";
import { Browser, formOf, pkce, registerPublicClient, type RunningServer } from "../auth/server/helpers.js";
import { DUAL_ERA, modernHeaders, modernRequest, post, startGateway, type RunningGateway } from "../gateway/helpers.js";

const dir = mkdtempSync(join(tmpdir(), "bastion-gateway-proxy-"));
after(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;
const FIXTURE = { command: DUAL_ERA.kind === "stdio" ? DUAL_ERA.command : "", args: DUAL_ERA.kind === "stdio" ? DUAL_ERA.args : [], env: {} };

function configWith(extra: Record<string, unknown>): GatewayConfig {
  const path = join(dir, `config-${counter++}.json`);
  writeFileSync(path, JSON.stringify({ servers: { fixture: FIXTURE }, shutdownTimeout: "5s", ...extra, listen: { host: "127.0.0.1", port: 0, ...(extra.listen as object) } }));
  return loadConfig({ file: path, env: {} });
}

/** A logger that keeps every line's fields. */
function recordingLogger(): GatewayLogger & { lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const keep = (fields: object) => void lines.push({ ...(fields as Record<string, unknown>) });
  return { lines, debug: keep, info: keep, warn: keep, error: keep };
}

const LOCKOUT = { auth: { lockout: { address: { maxFailures: 3, window: "1m", duration: "1m" } } } };

async function withGateway(extra: Record<string, unknown>, run: (running: RunningGateway, key: string, lines: Array<Record<string, unknown>>) => Promise<void>): Promise<void> {
  const store = openSqliteStore({ path: ":memory:" });
  const key = (await createApiKeyService({ store: store.apiKeys }).create({ name: "alice", role: "editor" })).key;
  const logger = recordingLogger();
  const running = await startGateway({ config: configWith(extra), store, logger });
  try {
    await run(running, key, logger.lines);
  } finally {
    await running.close();
    await store.close();
  }
}

/** tools/list with a credential, as forwarded by whoever set `headers`. */
const listTools = (running: RunningGateway, credential: string, headers: Record<string, string> = {}) =>
  post(`${running.url}/mcp`, modernRequest(1, "tools/list"), { ...modernHeaders("tools/list"), authorization: `Bearer ${credential}`, ...headers });

/** A wrong key with its own public id each time, so only the address counter adds up. */
const wrongKey = (key: string, i: number) => `bst_${"w".repeat(6)}${i}${key.slice(key.indexOf("_", 4))}`;

const failureAddresses = (lines: Array<Record<string, unknown>>) => lines.filter((l) => l.event === "auth.failure").map((l) => l.clientAddress);

describe("client addresses behind a trusted proxy", () => {
  test("each forwarded client is counted on its own: one locked out, another still served", async () => {
    await withGateway({ ...LOCKOUT, listen: { trustedProxies: ["127.0.0.1", "::1"] } }, async (running, key, lines) => {
      const attacker = { "x-forwarded-for": "203.0.113.5" };
      for (let i = 0; i < 3; i++) assert.equal((await listTools(running, wrongKey(key, i), attacker)).status, 401);
      assert.equal((await listTools(running, key, attacker)).status, 429, "the attacker's address is locked");
      assert.equal((await listTools(running, key, { "x-forwarded-for": "198.51.100.7" })).status, 200, "another client behind the same proxy is not");
      assert.deepEqual(failureAddresses(lines).slice(0, 3), ["203.0.113.5", "203.0.113.5", "203.0.113.5"], "the log records the forwarded client");
    });
  });

  test("fail closed: malformed forwarding headers count against the proxy's own address", async () => {
    await withGateway({ ...LOCKOUT, listen: { trustedProxies: ["127.0.0.1", "::1"] } }, async (running, key, lines) => {
      const malformed: Array<Record<string, string>> = [{ "x-forwarded-for": "garbage" }, { forwarded: "for=unknown" }, { "x-forwarded-for": "203.0.113.5", forwarded: "for=198.51.100.7" }];
      for (const [i, header] of malformed.entries()) {
        assert.equal((await listTools(running, wrongKey(key, i), header)).status, 401);
      }
      assert.deepEqual(failureAddresses(lines), ["127.0.0.1", "127.0.0.1", "127.0.0.1"]);
      assert.equal((await listTools(running, key)).status, 429, "the proxy's own address took the failures");
    });
  });
});

describe("attack: X-Forwarded-For from a peer that is not a trusted proxy", () => {
  test("cannot dodge the lockout by sending a new address each time", async () => {
    await withGateway(LOCKOUT, async (running, key, lines) => {
      for (let i = 0; i < 3; i++) assert.equal((await listTools(running, wrongKey(key, i), { "x-forwarded-for": `203.0.113.${i + 1}` })).status, 401);
      assert.equal((await listTools(running, key, { "x-forwarded-for": "198.51.100.200" })).status, 429, "still locked, whatever the header says");
      assert.deepEqual(failureAddresses(lines).slice(0, 3), ["127.0.0.1", "127.0.0.1", "127.0.0.1"]);
    });
  });

  test("cannot frame another address: failures sent in a victim's name count against the sender", async () => {
    // The trusted proxy is some other machine (10.9.9.9): the test's connections are not from it.
    await withGateway({ ...LOCKOUT, listen: { trustedProxies: ["10.9.9.9"] } }, async (running, key, lines) => {
      for (let i = 0; i < 3; i++) assert.equal((await listTools(running, wrongKey(key, i), { "x-forwarded-for": "198.51.100.7", forwarded: "for=198.51.100.7" })).status, 401);
      assert.deepEqual(failureAddresses(lines).slice(0, 3), ["127.0.0.1", "127.0.0.1", "127.0.0.1"], "not the victim's");
    });
  });
});

describe("the login page's throttle counts the forwarded client", () => {
  test("a forwarded address that failed too often is throttled; another forwarded address is not", async () => {
    const extra = { listen: { trustedProxies: ["127.0.0.1"] }, authorizationServer: { login: { maxFailures: 50, maxFailuresPerAddress: 2, failureWindow: "1m", lockoutDuration: "1m" } } };
    await withGateway(extra, async (running) => {
      const issuer = `${running.url}/oauth`;
      const server = { issuer, resource: `${running.url}/mcp`, wire: (u: string) => u } as RunningServer;
      const client = await registerPublicClient(server);
      /** Opens the login page as this forwarded client and submits a wrong password; returns the answer's body. */
      const attempt = async (address: string): Promise<string> => {
        const browser = new Browser((u) => u, { "x-forwarded-for": address });
        const url = new URL(`${issuer}/auth`);
        const params = { response_type: "code", client_id: client.client_id, redirect_uri: client.redirect_uris[0]!, code_challenge: pkce().challenge, code_challenge_method: "S256", scope: "mcp", resource: server.resource, state: "s" };
        for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
        const page = await browser.follow(url.href, client.redirect_uris[0]!);
        const form = formOf(page.body);
        const answer = await browser.follow(new URL(form.action, issuer).href, client.redirect_uris[0]!, { form: { csrf: form.csrf, username: "nobody", password: "wrong password" } });
        return answer.body;
      };
      const alert = (body: string) => /role="alert">([^<]*)</.exec(body)?.[1];
      const first = alert(await attempt("203.0.113.5"));
      assert.match(first ?? "", /Wrong user name or password/);
      await attempt("203.0.113.5");
      const third = alert(await attempt("203.0.113.5"));
      const other = alert(await attempt("198.51.100.7"));
      assert.ok(third !== undefined && third !== first, `the third attempt from 203.0.113.5 is throttled: ${third}`);
      assert.equal(other, first, "198.51.100.7 still gets the plain wrong-password answer");
    });
  });
});
