/**
 * The gateway's logs and PII: one line per relayed message through a per-request logger, masked
 * by the in-logs setting (config default, X-Mask-PII-In-Logs per request, opt-out only where the
 * config allows it); upstream stderr and invalid output through the same masking logger; secrets
 * never written. A real gateway, a real stdio upstream, and a log destination the test reads.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import pino from "pino";
import { createLogger } from "../../src/audit/logger.js";
import type { GatewayConfig, MessageLogLevel } from "../../src/config/index.js";
import { ANONYMOUS } from "../../src/gateway/principal.js";
import { createMessageLog, DEFAULT_SUMMARY_LIMITS, describeMessage, summarizeValue } from "../../src/gateway/message-log.js";
import { EMAIL, NOISY, openRawSession, post, startGateway, testConfig, type RunningGateway } from "./helpers.js";

const TOKEN = "eyJhbGciOiJIUzI1NiJ9.c2VjcmV0LXNlc3Npb24.Zm9vYmFyYmF6cXV4";
const API_KEY = "sk-live-4f9a8b7c6d5e4f3a2b1c";
const AUTH = { authorization: `Bearer ${TOKEN}` };
const UNMASKER = { ...ANONYMOUS, scopes: ["pii:unmask"] };

interface Line {
  level: number;
  msg?: string;
  event?: string;
  from?: string;
  kind?: string;
  method?: string;
  id?: number;
  name?: string;
  arguments?: Record<string, unknown>;
  result?: { content?: Array<{ text?: string }> };
  line?: string;
  sample?: string;
  route?: string;
  principal?: string;
  session?: string;
}

function capture(options: { maskPii: boolean; level?: string }) {
  const raw: string[] = [];
  const logger = createLogger({ level: options.level ?? "debug", maskPii: options.maskPii, destination: { write: (s: string) => void raw.push(s) } });
  return {
    logger,
    text: () => raw.join(""),
    lines: () => raw.map((s) => JSON.parse(s) as Line),
  };
}

type Capture = ReturnType<typeof capture>;

async function withGateway(
  pii: Partial<GatewayConfig["pii"]>,
  messages: MessageLogLevel,
  level: string,
  run: (running: RunningGateway, log: Capture) => Promise<void>,
): Promise<void> {
  const base = testConfig({ noisy: NOISY });
  const config: GatewayConfig = { ...base, pii: { ...base.pii, ...pii }, log: { level: "debug", messages } };
  const log = capture({ maskPii: config.pii.inLogs, level });
  // Authentication is not what these tests are about: the caller is the anonymous principal with
  // the permission to opt out of masking (the Authorization header below is a secret to keep out of logs).
  const running = await startGateway({ config, logger: log.logger, upstreamLogger: log.logger, steps: { authenticate: async () => UNMASKER } });
  try {
    await run(running, log);
  } finally {
    await running.close();
  }
}

const route = (running: RunningGateway) => `${running.url}/servers/noisy/mcp`;

async function callEcho(running: RunningGateway, id: number, message: string, headers: Record<string, string> = {}) {
  const session = await openRawSession(route(running), { ...AUTH, ...headers });
  return post(
    route(running),
    { jsonrpc: "2.0", id, method: "tools/call", params: { name: "echo_all", arguments: { message, apiKey: API_KEY } } },
    { ...AUTH, ...headers, "mcp-session-id": session },
  );
}

const messageLines = (log: Capture, id: number) => log.lines().filter((line) => line.event === "mcp.message" && line.id === id);
const clientLine = (log: Capture, id: number) => messageLines(log, id).find((line) => line.from === "client" && line.method === "tools/call");
const serverLine = (log: Capture, id: number) => messageLines(log, id).find((line) => line.from === "server" && line.kind === "response");
const resultText = (line: Line | undefined) => line?.result?.content?.[0]?.text ?? "";

/** Upstream stderr and stdout are read as they come: wait (bounded) until the line is there. */
async function upstreamLine(log: Capture, event: string, needle: string): Promise<Line> {
  for (let i = 0; i < 200; i++) {
    const found = log.lines().find((line) => line.event === event && (line.line ?? line.sample ?? "").includes(needle));
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no ${event} line with ${needle} in:\n${log.text()}`);
}

function assertNoSecrets(log: Capture): void {
  assert.ok(!log.text().includes(TOKEN), "the bearer token is never written");
  assert.ok(!log.text().includes(API_KEY), "the API key argument is never written");
}

describe("message lines: one per relayed message, masked per the request's in-logs setting", () => {
  test("in-logs on: arguments and result are logged with the e-mail masked; an opt-out header is refused with 403", async () => {
    await withGateway({ inLogs: true, allowOptOut: false }, "debug", "debug", async (running, log) => {
      const reply = await callEcho(running, 11, `mail ${EMAIL}`);
      assert.equal(reply.status, 200, reply.text);
      const request = clientLine(log, 11);
      assert.ok(request, log.text());
      assert.equal(request.name, "echo_all");
      assert.equal(request.kind, "request");
      assert.equal(request.route, "noisy");
      assert.equal(request.principal, "anonymous");
      assert.equal(request.session?.length, 8, "a session id is logged by its first characters only");
      assert.deepEqual(request.arguments, { message: "mail <EMAIL_ADDRESS>", apiKey: "[REDACTED]" });
      const response = serverLine(log, 11);
      assert.equal(response?.method, "tools/call");
      assert.match(resultText(response), /^Echo: .*mail <EMAIL_ADDRESS>/);

      assert.match((await upstreamLine(log, "upstream.stderr", "echo_all called")).line!, /echo_all called for mail <EMAIL_ADDRESS>/);
      assert.match((await upstreamLine(log, "upstream.invalid_output", "not json")).sample!, /not json: mail <EMAIL_ADDRESS>/);

      const refused = await post(route(running), { jsonrpc: "2.0", id: 12, method: "tools/call", params: { name: "echo_all", arguments: { message: EMAIL } } }, {
        ...AUTH,
        "x-mask-pii-in-logs": "0",
      });
      assert.equal(refused.status, 403);
      assert.match(refused.text, /X-Mask-PII-In-Logs: turning PII masking off is not allowed/);
      assert.equal(messageLines(log, 12).length, 0, "a refused request's message is not logged");
      assert.ok(!log.text().includes(EMAIL), "no unmasked e-mail anywhere in the log");
      assertNoSecrets(log);
    });
  });

  test("in-logs on, opt-out allowed: X-Mask-PII-In-Logs: 0 unmasks that request's lines only; upstream lines keep the config's setting", async () => {
    await withGateway({ inLogs: true, allowOptOut: true }, "debug", "debug", async (running, log) => {
      assert.equal((await callEcho(running, 21, `mail ${EMAIL}`, { "x-mask-pii-in-logs": "0" })).status, 200);
      assert.equal(clientLine(log, 21)?.arguments?.["message"], `mail ${EMAIL}`);
      assert.equal(clientLine(log, 21)?.arguments?.["apiKey"], "[REDACTED]", "secrets are cut whatever the PII setting");
      assert.match(resultText(serverLine(log, 21)), new RegExp(`mail ${EMAIL.replace(/\./g, "\\.")}`));

      assert.equal((await callEcho(running, 22, `call ${EMAIL}`)).status, 200);
      assert.equal(clientLine(log, 22)?.arguments?.["message"], "call <EMAIL_ADDRESS>", "the next request, without the header, is masked");
      assert.match(resultText(serverLine(log, 22)), /call <EMAIL_ADDRESS>/);
      assert.ok(!resultText(serverLine(log, 22)).includes(EMAIL));

      // Upstream output belongs to no request: it follows pii.inLogs (on).
      await upstreamLine(log, "upstream.stderr", "call <EMAIL_ADDRESS>");
      assert.ok(!log.lines().some((line) => line.event === "upstream.stderr" && (line.line ?? "").includes(EMAIL)));
      assertNoSecrets(log);
    });
  });

  test("in-logs off by config: lines are unmasked, and X-Mask-PII-In-Logs: 1 masks a request's lines again", async () => {
    await withGateway({ inLogs: false, allowOptOut: false }, "debug", "debug", async (running, log) => {
      assert.equal((await callEcho(running, 31, `mail ${EMAIL}`)).status, 200);
      assert.equal(clientLine(log, 31)?.arguments?.["message"], `mail ${EMAIL}`);
      await upstreamLine(log, "upstream.stderr", `mail ${EMAIL}`);

      assert.equal((await callEcho(running, 32, `call ${EMAIL}`, { "x-mask-pii-in-logs": "1" })).status, 200);
      assert.equal(clientLine(log, 32)?.arguments?.["message"], "call <EMAIL_ADDRESS>");
      assert.ok(!JSON.stringify(messageLines(log, 32)).includes(EMAIL));
      assertNoSecrets(log);
    });
  });

  test("log.messages: info writes the lines at info; off writes none", async () => {
    await withGateway({}, "info", "info", async (running, log) => {
      await callEcho(running, 41, `mail ${EMAIL}`);
      const line = clientLine(log, 41);
      assert.equal(line?.level, 30, "info");
      assert.equal(line?.arguments?.["message"], "mail <EMAIL_ADDRESS>");
    });
    await withGateway({}, "off", "debug", async (running, log) => {
      await callEcho(running, 42, `mail ${EMAIL}`);
      assert.equal(log.lines().filter((line) => line.event === "mcp.message").length, 0);
    });
    await withGateway({}, "debug", "info", async (running, log) => {
      await callEcho(running, 43, `mail ${EMAIL}`);
      assert.equal(log.lines().filter((line) => line.event === "mcp.message").length, 0, "debug lines under an info logger are not even built");
    });
  });
});

describe("createMessageLog", () => {
  const settings = { beforeLlm: true, inLogs: true };

  test("a logger that cannot mask per request gets no message lines", () => {
    const plain = pino({ level: "debug" }, { write: () => undefined });
    assert.equal(createMessageLog(plain, { level: "debug" }).forRequest(settings, () => ({})), undefined);
    const masking = capture({ maskPii: true }).logger;
    assert.notEqual(createMessageLog(masking, { level: "debug" }).forRequest(settings, () => ({})), undefined);
    assert.equal(createMessageLog(masking, { level: "off" }).forRequest(settings, () => ({})), undefined);
  });

  test("requests, notifications, responses and errors are described by method, name and a summary", () => {
    const log = capture({ maskPii: true });
    const request = createMessageLog(log.logger, { level: "debug" }).forRequest(settings, () => ({ route: "*" }))!;
    request.client({ jsonrpc: "2.0", id: 1, method: "resources/read", params: { uri: `mailto:${EMAIL}`, _meta: { progressToken: 3 } } });
    request.client({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 1 } });
    request.server({ jsonrpc: "2.0", id: 1, error: { code: -32002, message: `no such resource for ${EMAIL}` } }, "resources/read");
    request.server({ jsonrpc: "2.0", id: 2, result: { contents: [{ uri: "a", mimeType: "image/png", blob: "A".repeat(5000) }] } }, "resources/read");
    const [read, cancelled, failed, blob] = log.lines();
    assert.deepEqual([read!.from, read!.kind, read!.method, read!.name], ["client", "request", "resources/read", "mailto:<EMAIL_ADDRESS>"]);
    assert.equal((read as { params?: unknown }).params, undefined, "_meta is left out");
    assert.deepEqual((cancelled as { params?: unknown }).params, { requestId: 1 });
    assert.equal(cancelled!.kind, "notification");
    assert.deepEqual((failed as { error?: unknown }).error, { code: -32002, message: "no such resource for <EMAIL_ADDRESS>" });
    assert.deepEqual((blob as { result?: unknown }).result, { contents: [{ uri: "a", mimeType: "image/png", blob: "[5000 chars of base64]" }] });
  });
});

describe("summarizeValue: a bounded copy for a log line", () => {
  const limits = DEFAULT_SUMMARY_LIMITS;
  const cut = (text: string, max: number) => `${text.slice(0, max)}…`;

  test("long strings are masked before they are cut, so no part of an entity survives the cut", () => {
    const log = capture({ maskPii: true });
    const text = `${"x ".repeat(120)}${EMAIL} ${"y ".repeat(200)}`; // the address straddles the 256-character cut
    const line = describeMessage({ jsonrpc: "2.0", id: 1, result: { text } }, "tools/call", limits, log.logger);
    const kept = (line["result"] as { text: string }).text;
    assert.ok(kept.length < text.length);
    assert.ok(kept.includes("<EMAIL_ADDRESS>") || !kept.includes("jane"), kept);
    assert.ok(!kept.includes("jane.doe@"), kept);
  });

  test("a __proto__ key stays a key, and the copy does not touch the original", () => {
    const value = JSON.parse('{"__proto__": {"polluted": true}, "a": [1, 2]}') as Record<string, unknown>;
    const copy = summarizeValue(value, limits, cut) as Record<string, unknown>;
    assert.deepEqual(Object.keys(copy), ["__proto__", "a"]);
    assert.equal(({} as Record<string, unknown>)["polluted"], undefined);
    assert.deepEqual(JSON.parse(JSON.stringify(copy)), { ["__proto__"]: { polluted: true }, a: [1, 2] });
  });

  test("arrays, keys and depth are capped with a note of what was left out", () => {
    const copy = summarizeValue({ list: Array.from({ length: 40 }, (_, i) => i), deep: { a: { b: { c: { d: { e: { f: { g: 1 } } } } } } } }, limits, cut) as {
      list: unknown[];
      deep: unknown;
    };
    assert.equal(copy.list.length, limits.items + 1);
    assert.equal(copy.list.at(-1), `… ${40 - limits.items} more`);
    assert.match(JSON.stringify(copy.deep), /\[object, 1 keys\]/);
  });

  test("property: whatever the value, its summary stays small", () => {
    const bound = 8 * (limits.totalChars + limits.stringChars + 64);
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.array(fc.string({ minLength: 300, maxLength: 3000 }), { maxLength: 30 }), (value, big) => {
        const input = { value, big, wide: Object.fromEntries(big.map((s, i) => [`k${i}`, s])) };
        const json = JSON.stringify(summarizeValue(input, limits, cut));
        return json.length <= bound;
      }),
      { numRuns: 200 },
    );
  });
});
