import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { areaOf, formatProfile, summarizeProfile } from "../profile.js";

const frame = (functionName: string, url = "") => ({ functionName, url, lineNumber: 0, columnNumber: 0 });

describe("summarizeProfile", () => {
  // root -> a (dist/gateway) -> b (dist/pii) -> a again (recursion) ; root -> (idle)
  const profile = {
    nodes: [
      { id: 1, callFrame: frame("(root)"), children: [2, 5] },
      { id: 2, callFrame: frame("a", "file:///r/dist/gateway/x.js"), children: [3] },
      { id: 3, callFrame: frame("b", "file:///r/dist/pii/y.js"), children: [4] },
      { id: 4, callFrame: frame("a", "file:///r/dist/gateway/x.js"), children: [] },
      { id: 5, callFrame: frame("(idle)"), children: [] },
    ],
    samples: [2, 3, 4, 4, 5],
    timeDeltas: [1000, 2000, 3000, 1000, 5000],
  };

  test("self time by function, inclusive time counting recursion once, idle apart", () => {
    const summary = summarizeProfile(profile, "/r");
    const a = summary.functions.find((f) => f.key.startsWith("a "))!;
    const b = summary.functions.find((f) => f.key.startsWith("b "))!;
    assert.equal(a.selfMs, 5); // 1 + 3 + 1
    assert.equal(a.totalMs, 7); // 1 + 2 + 4, not 11
    assert.equal(b.selfMs, 2);
    assert.equal(b.totalMs, 6);
    assert.equal(summary.totalMs, 12);
    assert.equal(summary.busyMs, 7);
    assert.equal(a.key, "a dist/gateway/x.js:1");
    assert.match(formatProfile(summary), /src\/pii \(PII engine\)/);
  });

  test("areas", () => {
    assert.equal(areaOf("file:///r/dist/pii/scanner.js", "scan"), "mcp-bastion src/pii (PII engine)");
    assert.equal(areaOf("file:///r/dist/gateway/pipeline.js", "handleRequest"), "mcp-bastion src/gateway (pipeline, relay, sessions)");
    assert.equal(areaOf("node:_http_server", "x"), "node http");
    assert.equal(areaOf("", "(garbage collector)"), "GC");
    assert.equal(areaOf("file:///r/node_modules/pino/lib/proto.js", "info"), "pino (logging)");
  });
});
