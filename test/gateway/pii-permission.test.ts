/**
 * Opting out of PII masking (X-Mask-PII-Before-LLM: 0, X-Mask-PII-In-Logs: 0) needs both the
 * config's pii.allowOptOut and the caller's permission pii:unmask: a scope `pii:unmask`, or the
 * admin role. Turning masking on never needs anything.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { IncomingMessage } from "node:http";
import type { Principal } from "../../src/auth/principal.js";
import { GatewayError } from "../../src/gateway/errors.js";
import { ANONYMOUS, mayUnmaskPii } from "../../src/gateway/principal.js";
import { EMAIL, EVERYTHING, openRawSession, post, startGateway, testConfig, type RunningGateway } from "./helpers.js";

const PRINCIPALS: Record<string, Principal> = {
  plain: { ...ANONYMOUS, id: "key:plain", method: "api-key", roles: ["editor"], scopes: ["tools:call"] },
  scoped: { ...ANONYMOUS, id: "key:scoped", method: "api-key", roles: ["viewer"], scopes: ["pii:unmask"] },
  admin: { ...ANONYMOUS, id: "key:admin", method: "api-key", roles: ["admin"], scopes: [] },
};

describe("mayUnmaskPii", () => {
  test("the scope pii:unmask or the admin role, nothing else", () => {
    assert.equal(mayUnmaskPii(PRINCIPALS.plain!), false);
    assert.equal(mayUnmaskPii(PRINCIPALS.scoped!), true);
    assert.equal(mayUnmaskPii(PRINCIPALS.admin!), true);
    assert.equal(mayUnmaskPii(ANONYMOUS), false);
    assert.equal(mayUnmaskPii({ ...ANONYMOUS, scopes: ["pii:unmask:extra", "PII:UNMASK"], roles: ["administrator", "Admin"] }), false);
  });
});

describe("PII opt-out through the gateway needs pii:unmask", () => {
  let running: RunningGateway;
  let endpoint: string;

  before(async () => {
    const base = testConfig({ everything: EVERYTHING });
    running = await startGateway({
      config: { ...base, pii: { ...base.pii, allowOptOut: true } },
      steps: {
        authenticate: async (req: IncomingMessage) => {
          const who = req.headers["x-test-principal"];
          const principal = typeof who === "string" ? PRINCIPALS[who] : undefined;
          if (principal === undefined) throw new GatewayError("INVALID_REQUEST", "no principal");
          return principal;
        },
      },
    });
    endpoint = `${running.url}/servers/everything/mcp`;
  });
  after(() => running.close());

  async function echo(who: string, headers: Record<string, string>) {
    const as = { "x-test-principal": who };
    const session = await openRawSession(endpoint, as);
    const reply = await post(endpoint, { jsonrpc: "2.0", id: 5, method: "tools/call", params: { name: "echo", arguments: { message: EMAIL } } }, { ...as, "mcp-session-id": session, ...headers });
    await fetch(endpoint, { method: "DELETE", headers: { ...as, "mcp-session-id": session } });
    return reply;
  }

  test("without the permission: 403 for either header, even though the config allows opting out", async () => {
    for (const header of ["x-mask-pii-before-llm", "x-mask-pii-in-logs"]) {
      const refused = await echo("plain", { [header]: "0" });
      assert.equal(refused.status, 403, header);
      assert.match(refused.text, /not allowed for this caller/);
      assert.ok(!refused.text.includes(EMAIL));
    }
  });

  test("without the permission, turning masking on is still allowed (and the e-mail is masked)", async () => {
    const on = await echo("plain", { "x-mask-pii-before-llm": "1" });
    assert.equal(on.status, 200);
    assert.match(on.text, /<EMAIL_ADDRESS>/);
    assert.ok(!on.text.includes(EMAIL));
  });

  test("with the scope pii:unmask: the opt-out is honoured", async () => {
    const unmasked = await echo("scoped", { "x-mask-pii-before-llm": "0" });
    assert.equal(unmasked.status, 200);
    assert.ok(unmasked.text.includes(EMAIL));
  });

  test("with the admin role: the opt-out is honoured", async () => {
    const unmasked = await echo("admin", { "x-mask-pii-before-llm": "false" });
    assert.equal(unmasked.status, 200);
    assert.ok(unmasked.text.includes(EMAIL));
  });
});
