import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { resolvePiiPolicy, type PiiDefaults } from "../../../src/gateway/pii/index.js";

const ON: PiiDefaults = { beforeLlm: true, inLogs: true, allowOptOut: false };
const OFF: PiiDefaults = { beforeLlm: false, inLogs: false, allowOptOut: false };
const may = { mayOptOut: true };

const LLM = "x-mask-pii-before-llm";
const LOGS = "x-mask-pii-in-logs";

describe("resolvePiiPolicy", () => {
  test("no headers: the defaults", () => {
    assert.deepEqual(resolvePiiPolicy(ON, {}, may), { beforeLlm: true, inLogs: true });
    assert.deepEqual(resolvePiiPolicy(OFF, {}, may), { beforeLlm: false, inLogs: false });
    assert.deepEqual(resolvePiiPolicy({ ...OFF, inLogs: true }, {}, may), { beforeLlm: false, inLogs: true });
  });

  test("a header may always turn masking on, even when opting out is not allowed", () => {
    for (const value of ["1", "true", "TRUE", "True", " 1 "]) {
      assert.deepEqual(resolvePiiPolicy(OFF, { [LLM]: value }, { mayOptOut: false }), { beforeLlm: true, inLogs: false }, value);
      assert.deepEqual(resolvePiiPolicy(OFF, { [LOGS]: value }, { mayOptOut: false }), { beforeLlm: false, inLogs: true }, value);
    }
  });

  test("turning masking off is refused with 403 unless config allows opting out", () => {
    for (const value of ["0", "false", "FALSE"]) {
      for (const header of [LLM, LOGS]) {
        const decision = resolvePiiPolicy(ON, { [header]: value }, may);
        assert.ok("refused" in decision, `${header}: ${value}`);
        assert.equal(decision.refused.status, 403);
        assert.equal(decision.refused.code, "PII_OPT_OUT_FORBIDDEN");
        assert.equal(decision.refused.header, header);
        assert.match(decision.refused.message, /not allowed by this gateway's configuration/);
      }
    }
  });

  test("with opt-out allowed by config (and the caller), a header may turn masking off", () => {
    const allow = { ...ON, allowOptOut: true };
    assert.deepEqual(resolvePiiPolicy(allow, { [LLM]: "0" }, may), { beforeLlm: false, inLogs: true });
    assert.deepEqual(resolvePiiPolicy(allow, { [LOGS]: "false" }, may), { beforeLlm: true, inLogs: false });
    assert.deepEqual(resolvePiiPolicy(allow, { [LLM]: "0", [LOGS]: "0" }, may), { beforeLlm: false, inLogs: false });
  });

  test("config allows opting out but this caller may not (the issue 4 permission hook): 403", () => {
    const decision = resolvePiiPolicy({ ...ON, allowOptOut: true }, { [LLM]: "0" }, { mayOptOut: false });
    assert.ok("refused" in decision);
    assert.equal(decision.refused.status, 403);
    assert.match(decision.refused.message, /for this caller/);
  });

  test("asking for what is already the setting is not an opt-out", () => {
    assert.deepEqual(resolvePiiPolicy(OFF, { [LLM]: "0", [LOGS]: "false" }, { mayOptOut: false }), { beforeLlm: false, inLogs: false });
    assert.deepEqual(resolvePiiPolicy(ON, { [LLM]: "1" }, { mayOptOut: false }), { beforeLlm: true, inLogs: true });
  });

  test("junk values are refused with 400, naming the header, whatever the direction", () => {
    for (const value of ["", "yes", "no", "on", "off", "2", "-1", "1, 0", "1,1", "tru", "0x1", "1\u0000"]) {
      for (const defaults of [ON, OFF, { ...ON, allowOptOut: true }]) {
        const decision = resolvePiiPolicy(defaults, { [LOGS]: value }, may);
        assert.ok("refused" in decision, JSON.stringify(value));
        assert.equal(decision.refused.status, 400);
        assert.equal(decision.refused.code, "PII_HEADER_INVALID");
        assert.equal(decision.refused.header, LOGS);
        assert.match(decision.refused.message, /X-Mask-PII-In-Logs must be 1, 0, true or false/);
      }
    }
  });

  test("a header repeated with several values is refused; a single-element list is read", () => {
    const repeated = resolvePiiPolicy(OFF, { [LLM]: ["1", "0"] }, may);
    assert.ok("refused" in repeated && repeated.refused.status === 400);
    assert.deepEqual(resolvePiiPolicy(OFF, { [LLM]: ["1"] }, may), { beforeLlm: true, inLogs: false });
  });

  test("WHATWG Headers work too (case-insensitive names)", () => {
    const headers = new Headers({ "X-Mask-PII-Before-LLM": "true" });
    assert.deepEqual(resolvePiiPolicy(OFF, headers, may), { beforeLlm: true, inLogs: false });
    const off = resolvePiiPolicy(ON, new Headers({ "X-Mask-PII-In-Logs": "0" }), may);
    assert.ok("refused" in off && off.refused.status === 403);
  });

  test("a very long junk value is not echoed in full", () => {
    const decision = resolvePiiPolicy(ON, { [LLM]: "x".repeat(10_000) }, may);
    assert.ok("refused" in decision);
    assert.ok(decision.refused.message.length < 200);
  });

  test("property: the result never has masking off where the defaults had it on, unless opting out is allowed", () => {
    const switchValue = fc.option(fc.constantFrom("1", "0", "true", "false", "TRUE", "junk", ""), { nil: undefined });
    fc.assert(
      fc.property(fc.boolean(), fc.boolean(), fc.boolean(), fc.boolean(), switchValue, switchValue, (llm, logs, allow, mayOptOut, h1, h2) => {
        const headers: Record<string, string> = {};
        if (h1 !== undefined) headers[LLM] = h1;
        if (h2 !== undefined) headers[LOGS] = h2;
        const decision = resolvePiiPolicy({ beforeLlm: llm, inLogs: logs, allowOptOut: allow }, headers, { mayOptOut });
        if ("refused" in decision) return;
        if (!(allow && mayOptOut)) {
          assert.ok(decision.beforeLlm || !llm);
          assert.ok(decision.inLogs || !logs);
        }
      }),
      { numRuns: 500 },
    );
  });
});
