/**
 * The rule the run enforces, per revision: every scored scenario passes against the fixture
 * directly, and every scenario that passes directly also passes through each gateway route.
 * A scenario without a result (crash, timeout, never written) counts as failed: fail closed.
 */
import type { Requirements, ScenarioResult } from "./suite.js";

export type Cell = "pass" | "fail" | "missing" | "not run";

export interface TargetResults {
  /** Column name, such as `direct` or `gateway/stdio`. */
  name: string;
  /** `undefined` when this target was not run at all (gateway unavailable and not required). */
  results: Map<string, ScenarioResult> | undefined;
}

export interface Row {
  scenario: string;
  /** `scored`, or the suite's reason for not scoring it (extension, pending, added-after-release). */
  scoring: string;
  cells: Cell[];
  /** First failure message per target, for the report under the table. */
  failures: Array<string | undefined>;
}

export interface RevisionVerdict {
  revision: string;
  columns: string[];
  rows: Row[];
  problems: string[];
}

function cellOf(results: Map<string, ScenarioResult> | undefined, scenario: string): Cell {
  if (results === undefined) return "not run";
  return results.get(scenario)?.outcome ?? "missing";
}

export function judgeRevision(requirements: Requirements, direct: TargetResults, gateways: TargetResults[]): RevisionVerdict {
  const targets = [direct, ...gateways];
  const scenarios = [
    ...requirements.scored.map((scenario) => ({ scenario, scoring: "scored" })),
    ...requirements.notScored.map(({ scenario, reason }) => ({ scenario, scoring: reason })),
  ];
  const problems: string[] = [];
  const rows = scenarios.map(({ scenario, scoring }) => {
    const cells = targets.map((target) => cellOf(target.results, scenario));
    const failures = targets.map((target) => target.results?.get(scenario)?.failures[0]);
    const [directCell, ...gatewayCells] = cells;
    if (scoring === "scored" && directCell !== "pass") {
      problems.push(`${requirements.revision} ${scenario}: scored scenario is ${directCell} against the fixture directly`);
    }
    gatewayCells.forEach((cell, index) => {
      const gateway = gateways[index] as TargetResults;
      if (directCell === "pass" && cell !== "pass" && cell !== "not run") {
        problems.push(`${requirements.revision} ${scenario}: passes directly but is ${cell} through ${gateway.name}`);
      }
    });
    return { scenario, scoring, cells, failures };
  });
  return { revision: requirements.revision, columns: targets.map((target) => target.name), rows, problems };
}

export function renderTable(verdict: RevisionVerdict): string {
  const header = ["scenario", "scoring", ...verdict.columns];
  const body = verdict.rows.map((row) => [row.scenario, row.scoring, ...row.cells.map((cell) => (cell === "pass" ? "pass" : cell.toUpperCase()))]);
  const widths = header.map((title, column) => Math.max(title.length, ...body.map((line) => (line[column] as string).length)));
  const format = (line: string[]): string => line.map((value, column) => value.padEnd(widths[column] as number)).join(" | ").trimEnd();
  const lines = [
    `Requirements ${verdict.revision}`,
    format(header),
    widths.map((width) => "-".repeat(width)).join("-|-"),
    ...body.map(format),
  ];
  const notes = verdict.rows.flatMap((row) =>
    row.failures.flatMap((failure, index) =>
      failure === undefined ? [] : [`  ${row.scenario} [${verdict.columns[index]}]: ${failure.slice(0, 240)}`],
    ),
  );
  if (notes.length > 0) lines.push("", "First failing check per scenario and target:", ...notes);
  return lines.join("\n");
}
