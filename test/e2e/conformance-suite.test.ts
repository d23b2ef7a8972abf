/**
 * The pinned @modelcontextprotocol/conformance suite (on Node 22) against the fixture, both
 * requirement sets, through the same driver CI uses. The gateway routes are left to the CI
 * command (`scripts/conformance/run.ts --gateway required`), so this stays about the fixture.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";

const repoRoot = join(import.meta.dirname, "../..");

interface Report {
  suite: string;
  report: Array<{ revision: string; columns: string[]; rows: Array<{ scenario: string; scoring: string; cells: string[] }> }>;
  problems: string[];
}

test("every scored conformance scenario of 2025-11-25 and 2026-07-28 passes against the fixture", async () => {
  const dir = await mkdtemp(join(tmpdir(), "conformance-suite-test-"));
  try {
    const jsonPath = join(dir, "report.json");
    const driver = spawn(
      process.execPath,
      ["--import", "tsx", join(repoRoot, "scripts/conformance/run.ts"), "--gateway", "off", "--json", jsonPath, "--deadline-s", "300"],
      { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    driver.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    driver.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => driver.once("exit", resolve));
    assert.equal(code, 0, output);

    const report = JSON.parse(await readFile(jsonPath, "utf8")) as Report;
    assert.equal(report.suite, "0.2.0-alpha.12");
    assert.deepEqual(report.problems, []);
    assert.deepEqual(
      report.report.map((revision) => revision.revision),
      ["2025-11-25", "2026-07-28"],
    );
    for (const revision of report.report) {
      const scored = revision.rows.filter((row) => row.scoring === "scored");
      assert.ok(scored.length >= 30, `${revision.revision}: only ${scored.length} scored scenarios`);
      for (const row of scored) assert.equal(row.cells[0], "pass", `${revision.revision} ${row.scenario}`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
