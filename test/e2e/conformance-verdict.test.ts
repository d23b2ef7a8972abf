/**
 * The rule scripts/conformance/run.ts enforces, and how it reads the suite's result files.
 * Fail closed: a scenario without a readable result never counts as passing.
 */
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import fc from "fast-check";
import { readResults, type ScenarioResult, scenarioOfResultDir, summarizeChecks } from "../../scripts/conformance/suite.js";
import { judgeRevision, renderTable } from "../../scripts/conformance/verdict.js";

const result = (outcome: ScenarioResult["outcome"]): ScenarioResult => ({
  outcome,
  checks: 1,
  failures: outcome === "pass" ? [] : [`${outcome}: reason`],
  warnings: 0,
});

const requirements = {
  revision: "2026-07-28",
  scored: ["tools-list", "caching"],
  notScored: [{ scenario: "tasks-lifecycle", reason: "extension" }],
};

describe("reading the suite's results", () => {
  test("finds the scenario in a result directory name, and ignores other names", () => {
    assert.equal(scenarioOfResultDir("server-tools-call-image-2026-11-26T07-02-18-799Z"), "tools-call-image");
    assert.equal(scenarioOfResultDir("server-sep-2164-resource-not-found-2026-01-02T03-04-05-006Z"), "sep-2164-resource-not-found");
    assert.equal(scenarioOfResultDir("client-initialize-2026-11-26T07-02-18-799Z"), undefined);
    assert.equal(scenarioOfResultDir("server-tools-list"), undefined);
  });

  test("a scenario passes when no check failed; warnings do not fail it, one failure does", () => {
    assert.equal(summarizeChecks([{ id: "a", status: "SUCCESS" }, { id: "b", status: "WARNING" }]).outcome, "pass");
    const failed = summarizeChecks([{ id: "a", status: "SUCCESS" }, { id: "b", status: "FAILURE", errorMessage: "boom" }]);
    assert.equal(failed.outcome, "fail");
    assert.deepEqual(failed.failures, ["b: boom"]);
    assert.throws(() => summarizeChecks([{ id: "a", status: "MAYBE" }]));
  });

  test("a result directory without a readable checks.json counts as missing, never as passing", async () => {
    const dir = await mkdtemp(join(tmpdir(), "conformance-verdict-"));
    try {
      const ok = join(dir, "server-ping-2026-01-01T00-00-00-000Z");
      const broken = join(dir, "server-caching-2026-01-01T00-00-00-000Z");
      const empty = join(dir, "server-tools-list-2026-01-01T00-00-00-000Z");
      await Promise.all([mkdir(ok), mkdir(broken), mkdir(empty)]);
      await writeFile(join(ok, "checks.json"), JSON.stringify([{ id: "ping", status: "SUCCESS" }]));
      await writeFile(join(broken, "checks.json"), JSON.stringify({ not: "a list" }));
      const results = await readResults(dir);
      assert.equal(results.get("ping")?.outcome, "pass");
      assert.equal(results.get("caching")?.outcome, "missing");
      assert.equal(results.get("tools-list")?.outcome, "missing");
      assert.equal((await readResults(join(dir, "does-not-exist"))).size, 0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("the verdict", () => {
  test("all scored scenarios passing directly and through the gateway: no problem", () => {
    const pass = new Map([
      ["tools-list", result("pass")],
      ["caching", result("pass")],
      ["tasks-lifecycle", result("fail")],
    ]);
    const verdict = judgeRevision(requirements, { name: "direct", results: pass }, [{ name: "gateway/stdio", results: new Map(pass) }]);
    assert.deepEqual(verdict.problems, []);
    assert.deepEqual(verdict.columns, ["direct", "gateway/stdio"]);
  });

  test("a scored scenario failing or missing directly is a problem; an unscored one is not", () => {
    const direct = new Map([
      ["tools-list", result("fail")],
      ["tasks-lifecycle", result("fail")],
    ]);
    const verdict = judgeRevision(requirements, { name: "direct", results: direct }, []);
    assert.equal(verdict.problems.length, 2);
    assert.match(verdict.problems[0] ?? "", /tools-list: scored scenario is fail/);
    assert.match(verdict.problems[1] ?? "", /caching: scored scenario is missing/);
  });

  test("passing directly but failing or missing through a gateway route is a problem", () => {
    const direct = new Map([
      ["tools-list", result("pass")],
      ["caching", result("pass")],
      ["tasks-lifecycle", result("pass")],
    ]);
    const gateway = new Map([
      ["tools-list", result("pass")],
      ["tasks-lifecycle", result("fail")],
    ]);
    const verdict = judgeRevision(requirements, { name: "direct", results: direct }, [{ name: "gateway/http", results: gateway }]);
    assert.deepEqual(verdict.problems, [
      "2026-07-28 caching: passes directly but is missing through gateway/http",
      "2026-07-28 tasks-lifecycle: passes directly but is fail through gateway/http",
    ]);
    assert.match(renderTable(verdict), /tasks-lifecycle \| extension \| pass\s+\| FAIL/);
  });

  test("a route that was not run shows as such and is not judged", () => {
    const direct = new Map([
      ["tools-list", result("pass")],
      ["caching", result("pass")],
    ]);
    const verdict = judgeRevision(requirements, { name: "direct", results: direct }, [{ name: "gateway/stdio", results: undefined }]);
    assert.deepEqual(verdict.problems, []);
    assert.deepEqual(verdict.rows[0]?.cells, ["pass", "not run"]);
  });

  test("for any outcomes, a problem is raised exactly when the rule is broken", () => {
    const outcome = fc.constantFrom<ScenarioResult["outcome"] | undefined>("pass", "fail", "missing", undefined);
    fc.assert(
      fc.property(fc.array(fc.tuple(outcome, outcome, outcome), { minLength: 3, maxLength: 3 }), (triples) => {
        const scenarios = ["tools-list", "caching", "tasks-lifecycle"];
        const maps = [new Map<string, ScenarioResult>(), new Map<string, ScenarioResult>(), new Map<string, ScenarioResult>()];
        triples.forEach((triple, index) =>
          triple.forEach((value, target) => {
            if (value !== undefined) maps[target]?.set(scenarios[index] as string, result(value));
          }),
        );
        const verdict = judgeRevision(requirements, { name: "direct", results: maps[0] }, [
          { name: "gateway/stdio", results: maps[1] },
          { name: "gateway/http", results: maps[2] },
        ]);
        let expected = 0;
        triples.forEach(([direct, stdio, http], index) => {
          const directPasses = direct === "pass";
          if (index < 2 && !directPasses) expected++;
          if (directPasses && stdio !== "pass") expected++;
          if (directPasses && http !== "pass") expected++;
        });
        assert.equal(verdict.problems.length, expected);
      }),
    );
  });
});
