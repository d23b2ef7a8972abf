/**
 * Red team R1: reversible PII tokens used across scopes and principals, forged tokens, and the
 * Host/Origin guard (DNS rebinding) and CORS, against a real gateway in `pii.mode: tokens` with
 * API keys in a real SQLite store, in front of the hostile fixture upstream. Its tool `echo-raw`
 * returns the arguments it received base64-encoded in an image block (never masked), so each test
 * sees exactly what reached the upstream. A pass documents a defence; a failure is a bypass.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createApiKeyService, type ApiKeyService } from "../../src/auth/api-keys/index.js";
import type { GatewayConfig } from "../../src/config/index.js";
import type { UpstreamConfig } from "../../src/gateway/upstream/types.js";
import { openSqliteStore, type SqliteStore } from "../../src/store/index.js";
import { modernHeaders, modernRequest, openRawSession, post, POST_HEADERS, startGateway, testConfig, type RunningGateway } from "../gateway/helpers.js";
import { EVIL } from "./evil-upstream.js";
import { rawRequest, readStream } from "./r1-raw-http.js";

const EMAIL = "jane.doe@example.com";
/** The arguments the upstream received, from echo-raw's image block (JSON or the last SSE event). */
function upstreamSaw(reply: { text: string; json: unknown }): unknown {
  const message = (reply.json ?? JSON.parse(reply.text.trim().split("\n").filter((l) => l.startsWith("data:")).at(-1)!.slice(5))) as {
    result?: { content?: Array<{ data?: string }> };
  };
  const data = message.result?.content?.[0]?.data;
  assert.ok(typeof data === "string", `no echo: ${reply.text.slice(0, 300)}`);
  return JSON.parse(Buffer.from(data, "base64").toString("utf8"));
}

describe("R1 reversible tokens: restored only for the scope they were issued to", () => {
  let store: SqliteStore;
  let running: RunningGateway;
  let route: string;
  let alice: Record<string, string>;
  let bob: Record<string, string>;
  let service: ApiKeyService;

  before(async () => {
    store = openSqliteStore({ path: ":memory:" });
    service = createApiKeyService({ store: store.apiKeys });
    alice = { "x-api-key": (await service.create({ name: "alice", role: "editor" })).key };
    bob = { "x-api-key": (await service.create({ name: "bob", role: "editor" })).key };
    const base = testConfig({ evil: EVIL, modern: { ...EVIL, env: { EVIL_MODERN: "1" } } as UpstreamConfig });
    const config: GatewayConfig = {
      ...base,
      pii: { ...base.pii, mode: "tokens" },
      auth: { ...base.auth, required: true, lockout: { ...base.auth.lockout, enabled: false } },
    };
    running = await startGateway({ config, store });
    route = `${running.url}/servers/evil/mcp`;
  });
  after(async () => {
    await running.close();
    await store.close();
  });

  const callIn = (session: string, who: Record<string, string>, name: string, args: Record<string, unknown> = {}) =>
    post(route, { jsonrpc: "2.0", id: 9, method: "tools/call", params: { name, arguments: args } }, { ...who, "mcp-session-id": session });
  const callStateless = (who: Record<string, string>, name: string, args: Record<string, unknown> = {}) =>
    post(route, modernRequest(9, "tools/call", { name, arguments: args }), { ...who, ...modernHeaders("tools/call", name) });

  test("a session's own token is restored for the tool (positive control); another session, or another principal, gets the token text", async () => {
    const mine = await openRawSession(route, alice);
    const shown = await callIn(mine, alice, "text");
    assert.match(shown.text, /mail <EMAIL_ADDRESS_1>/);
    assert.deepEqual(upstreamSaw(await callIn(mine, alice, "echo-raw", { to: "<EMAIL_ADDRESS_1>" })), { to: EMAIL });

    const sameCallerOtherSession = await openRawSession(route, alice);
    assert.deepEqual(upstreamSaw(await callIn(sameCallerOtherSession, alice, "echo-raw", { to: "<EMAIL_ADDRESS_1>" })), { to: "<EMAIL_ADDRESS_1>" });
    const bobs = await openRawSession(route, bob);
    assert.deepEqual(upstreamSaw(await callIn(bobs, bob, "echo-raw", { to: "<EMAIL_ADDRESS_1>" })), { to: "<EMAIL_ADDRESS_1>" });
    // Stateless, as alice or bob: the caller's scope is not the session's.
    assert.deepEqual(upstreamSaw(await callStateless(alice, "echo-raw", { to: "<EMAIL_ADDRESS_1>" })), { to: "<EMAIL_ADDRESS_1>" });
    assert.deepEqual(upstreamSaw(await callStateless(bob, "echo-raw", { to: "<EMAIL_ADDRESS_1>" })), { to: "<EMAIL_ADDRESS_1>" });
    for (const [session, who] of [[mine, alice], [sameCallerOtherSession, alice], [bobs, bob]] as const) {
      await fetch(route, { method: "DELETE", headers: { ...who, "mcp-session-id": session } });
    }
  });

  test("stateless: a token issued to alice is restored for alice only, never for bob", async () => {
    assert.match((await callStateless(alice, "text")).text, /<EMAIL_ADDRESS_\d+>/);
    const token = /<EMAIL_ADDRESS_\d+>/.exec((await callStateless(alice, "text")).text)![0];
    assert.deepEqual(upstreamSaw(await callStateless(alice, "echo-raw", { to: token })), { to: EMAIL });
    assert.deepEqual(upstreamSaw(await callStateless(bob, "echo-raw", { to: token })), { to: token });
  });

  test("attack: tokens a session was never given, in any spelling, are never restored to anyone's value", async () => {
    // Alice holds tokens in her scopes; bob forges every variant in his.
    await callStateless(alice, "text");
    const bobs = await openRawSession(route, bob);
    const forged = ["<EMAIL_ADDRESS_1>", "<EMAIL_ADDRESS_0>", "<EMAIL_ADDRESS_01>", "<email_address_1>", "<EMAIL_ADDRESS_1 >", "< EMAIL_ADDRESS_1>", "＜EMAIL_ADDRESS_1＞",
      "<EMAIL_ADDRESS_-1>", "<EMAIL_ADDRESS_1e0>", "<EMAIL_ADDRESS>", "<CREDIT_CARD_1>", "&lt;EMAIL_ADDRESS_1&gt;", "\u003cEMAIL_ADDRESS_1\u003e"];
    const args = { list: forged, nested: { "<EMAIL_ADDRESS_1>": forged } };
    const sawInSession = JSON.stringify(upstreamSaw(await callIn(bobs, bob, "echo-raw", args)));
    const sawStateless = JSON.stringify(upstreamSaw(await callStateless(bob, "echo-raw", args)));
    for (const saw of [sawInSession, sawStateless]) assert.ok(!saw.includes(EMAIL) && !saw.includes("jane"), saw);
    await fetch(route, { method: "DELETE", headers: { ...bob, "mcp-session-id": bobs } });
  });

  test("attack: a key revoked while its session's GET stream is open: the stream delivers nothing more and ends", async () => {
    // Both keys' sessions get a log line ~0.8 s after calling `later`; the kept key's stream is the positive control.
    const doomed = await service.create({ name: "doomed", role: "editor" });
    const kept = await service.create({ name: "kept", role: "editor" });
    const streams: string[] = [];
    for (const key of [doomed.key, kept.key]) {
      const who = { "x-api-key": key };
      const session = await openRawSession(route, who);
      const get = await fetch(route, { headers: { ...who, accept: "text/event-stream", "mcp-session-id": session } });
      assert.equal(get.status, 200);
      assert.equal((await callIn(session, who, "later")).status, 200);
      if (key === doomed.key) await service.revoke(doomed.metadata.id);
      streams.push(await readStream(get, 3_000));
    }
    assert.match(streams[1]!, /"data":"later"/, "positive control: the kept key's stream got the log line");
    assert.ok(!streams[0]!.includes("later"), `the revoked key's stream got: ${streams[0]}`);
  });

  test("attack: a key revoked while its 2026-07-28 listen stream is open: the stream delivers nothing more and ends", async () => {
    const doomed = await service.create({ name: "doomed-listen", role: "editor" });
    const kept = await service.create({ name: "kept-listen", role: "editor" });
    const modernRoute = `${running.url}/servers/modern/mcp`;
    const streams: string[] = [];
    for (const key of [doomed.key, kept.key]) {
      const response = await fetch(modernRoute, {
        method: "POST",
        headers: { ...POST_HEADERS, ...modernHeaders("subscriptions/listen"), "x-api-key": key },
        body: JSON.stringify(modernRequest(31, "subscriptions/listen", { notifications: { toolsListChanged: true } })),
      });
      if (key === doomed.key) await service.revoke(doomed.metadata.id);
      streams.push(`${response.status} ${await readStream(response, 3_000)}`);
    }
    assert.match(streams[1]!, /"data":"later"/, `positive control: the kept key's listen got the log line: ${streams[1]}`);
    assert.ok(!streams[0]!.includes("later"), `the revoked key's listen got: ${streams[0]}`);
  });

  test("attack: a token sent back in a notification or a ping is not restored (only arguments the tool needs are)", async () => {
    const mine = await openRawSession(route, alice);
    assert.match((await callIn(mine, alice, "text")).text, /<EMAIL_ADDRESS_1>/);
    // Unknown methods are relayed to the upstream, which answers with an error quoting the method name.
    const reply = await post(route, { jsonrpc: "2.0", id: 11, method: "x/<EMAIL_ADDRESS_1>", params: { v: "<EMAIL_ADDRESS_1>" } }, { ...alice, "mcp-session-id": mine });
    assert.ok(!reply.text.includes(EMAIL), reply.text);
    await fetch(route, { method: "DELETE", headers: { ...alice, "mcp-session-id": mine } });
  });
});

describe("R1 Host/Origin guard and CORS", () => {
  let running: RunningGateway;
  let port: string;

  before(async () => {
    running = await startGateway({ config: testConfig({ evil: EVIL }) });
    port = new URL(running.url).port;
  });
  after(() => running.close());

  const tryWith = (headers: Array<[string, string]>, method = "POST") =>
    rawRequest(running.url, {
      method,
      path: "/servers/evil/mcp",
      headers: [...Object.entries(POST_HEADERS), ...Object.entries(modernHeaders("tools/call", "text")), ...headers],
      ...(method === "POST" ? { body: JSON.stringify(modernRequest(1, "tools/call", { name: "text", arguments: {} })) } : {}),
    });

  test("positive control: a loopback Host, with and without a loopback Origin, is served", async () => {
    assert.equal((await tryWith([["Host", `127.0.0.1:${port}`]])).status, 200);
    const withOrigin = await tryWith([["Host", `localhost:${port}`], ["Origin", `http://localhost:${port}`]]);
    assert.equal(withOrigin.status, 200);
    assert.equal(withOrigin.headers["access-control-allow-origin"], `http://localhost:${port}`);
  });

  test("attack (DNS rebinding): a foreign Host in any disguise is refused (421/400) and never served", async () => {
    for (const host of ["evil.example", `evil.example:${port}`, `127.0.0.1.evil.example:${port}`, `localhost.evil.example:${port}`, `localhost.:${port}`, `127.0.0.1:${port}@evil.example`,
      `evil.example#127.0.0.1:${port}`, `127.0.0.1 :${port}`, `127.0.0.2:${port}`, `0.0.0.0:${port}`, `2130706433:${port}`, `0x7f000001:${port}`, `127.1:${port}`, ""]) {
      const reply = await tryWith([["Host", host]]);
      assert.ok([400, 421].includes(reply.status), `Host ${JSON.stringify(host)} -> ${reply.status}`);
      assert.ok(!reply.body.includes("EMAIL_ADDRESS") && !reply.body.includes("result"), reply.body);
    }
  });

  test("attack: a foreign, opaque or malformed Origin is 403, with no CORS grant; so are two Origins", async () => {
    for (const origin of ["http://evil.example", `http://evil.example:${port}`, `http://127.0.0.1.evil.example:${port}`, `http://localhost@evil.example:${port}`, "null", "file://", `chrome-extension://abc`,
      `http://127.0.0.1:${port}, http://evil.example`, `http://evil.example, http://127.0.0.1:${port}`, " ", "*", `ws://127.0.0.1:${port}`, `http://127.0.0.1:${port}.evil.example`]) {
      const reply = await tryWith([["Origin", origin]]);
      assert.ok([400, 403].includes(reply.status), `Origin ${JSON.stringify(origin)} -> ${reply.status}`);
      assert.equal(reply.headers["access-control-allow-origin"], undefined, origin);
    }
    const two = await tryWith([["Origin", `http://127.0.0.1:${port}`], ["Origin", "http://evil.example"]]);
    assert.equal(two.status, 403);
    const preflight = await tryWith([["Origin", "http://evil.example"], ["Access-Control-Request-Method", "POST"]], "OPTIONS");
    assert.equal(preflight.status, 403);
    assert.equal(preflight.headers["access-control-allow-origin"], undefined);
  });

  test("CORS never grants credentials or a wildcard, even to an allowed Origin", async () => {
    const reply = await tryWith([["Origin", `http://127.0.0.1:${port}`]], "OPTIONS");
    assert.equal(reply.status, 204);
    assert.equal(reply.headers["access-control-allow-origin"], `http://127.0.0.1:${port}`);
    assert.equal(reply.headers["access-control-allow-credentials"], undefined);
  });
});
