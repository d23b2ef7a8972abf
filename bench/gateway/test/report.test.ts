import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { CellMeasurement } from "../client.js";
import { buildRows, checkTargets, resultsTable, targetsTable, type Measurement } from "../report.js";
import { summarize } from "../stats.js";
import type { SystemName } from "../systems.js";
import type { Payload } from "../wire.js";

function cell(payload: Payload, rps: number, p50: number, errors = 0): CellMeasurement {
  const latency = summarize([p50]);
  return { payload, completed: 100, errors, seconds: 1, rps, latencyMs: latency, sample: { bytes: 2000, emailsVisible: 0, maskTags: 0 } };
}

function m(round: number, system: SystemName, concurrency: number, payload: Payload, rps: number, p50: number, errors = 0): Measurement {
  return { round, system, concurrency, cell: cell(payload, rps, p50, errors) };
}

const SYSTEMS: SystemName[] = ["upstream-stdio", "upstream-http", "mcp-bastion", "mcp-proxy"];

describe("buildRows", () => {
  test("medians over rounds, ratios and added p50 paired within each round", () => {
    const data: Measurement[] = [
      // round 0: bastion 300 vs proxy 100 (3x); round 1: 200 vs 200 (1x); round 2: 400 vs 200 (2x)
      m(0, "mcp-bastion", 16, "echo", 300, 1.0), m(0, "mcp-proxy", 16, "echo", 100, 3.0), m(0, "upstream-stdio", 16, "echo", 1000, 0.4),
      m(1, "mcp-bastion", 16, "echo", 200, 2.0), m(1, "mcp-proxy", 16, "echo", 200, 3.0), m(1, "upstream-stdio", 16, "echo", 1000, 0.5),
      m(2, "mcp-bastion", 16, "echo", 400, 0.9), m(2, "mcp-proxy", 16, "echo", 200, 3.0), m(2, "upstream-stdio", 16, "echo", 1000, 0.6),
    ];
    const rows = buildRows(data, ["echo"], [16], SYSTEMS);
    const bastion = rows.find((r) => r.system === "mcp-bastion")!;
    assert.equal(bastion.rps, 300);
    assert.equal(bastion.p50, 1.0);
    assert.equal(bastion.ratioVsProxy, 2); // median of 3, 1, 2 - not 300/200
    assert.ok(Math.abs(bastion.addedP50VsStdio! - 0.6) < 1e-12); // median of 0.6, 1.5, 0.3
    assert.equal(bastion.addedP50VsSdkHttp, undefined); // no SDK HTTP measurements
    assert.equal(rows.some((r) => r.system === "upstream-http"), false);
  });

  test("a round with errors is left out of the paired figures", () => {
    const data: Measurement[] = [m(0, "mcp-bastion", 16, "pii", 100, 1, 5), m(0, "mcp-proxy", 16, "pii", 100, 1)];
    const rows = buildRows(data, ["pii"], [16], SYSTEMS);
    const bastion = rows.find((r) => r.system === "mcp-bastion")!;
    assert.equal(bastion.ratioVsProxy, undefined);
    assert.equal(bastion.errors, 5);
    assert.match(resultsTable(rows), /\[5 errors\]/);
  });
});

describe("checkTargets", () => {
  const rowsFor = (bastionRps: number, bastionP50: number) =>
    buildRows(
      [
        m(0, "mcp-bastion", 16, "echo", bastionRps, 1), m(0, "mcp-proxy", 16, "echo", 100, 1),
        m(0, "mcp-bastion", 1, "echo", 100, bastionP50), m(0, "upstream-stdio", 1, "echo", 100, 0.2), m(0, "mcp-proxy", 1, "echo", 100, 1),
      ],
      ["echo"], [1, 16], SYSTEMS,
    );

  test("passes at 1.5x mcp-proxy and 0.5 ms added, fails just beyond", () => {
    const pass = checkTargets(rowsFor(150, 0.7), ["echo"]);
    assert.deepEqual(pass.map((c) => c.pass), [true, true]);
    const fail = checkTargets(rowsFor(149, 0.71), ["echo"]);
    assert.deepEqual(fail.map((c) => c.pass), [false, false]);
    assert.match(targetsTable(fail), /FAIL/);
  });

  test("a target that was not measured fails", () => {
    const checks = checkTargets([], ["pii"]);
    assert.equal(checks.length, 2);
    assert.ok(checks.every((c) => !c.pass && c.measured === undefined));
  });
});
