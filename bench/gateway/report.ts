import type { CellMeasurement } from "./client.js";
import { median } from "./stats.js";
import { SYSTEM_LABELS, type SystemName } from "./systems.js";
import type { Payload } from "./wire.js";

/**
 * Turns the rounds' measurements into the benchmark's tables. Every figure is a median over the
 * rounds. Ratios and added latencies are paired: computed within each round (the systems of one
 * round ran back to back, under the same neighbours) and then the median of those is taken.
 */

export interface Measurement {
  round: number;
  system: SystemName;
  concurrency: number;
  cell: CellMeasurement;
  /** CPU pressure on the machine right after this cell (PSI "some" avg10, %). */
  cpuPressureAvg10?: number;
  /** The machine's idle share (%) over the second before this cell's group started (with --quiet). */
  machineIdleBefore?: number;
}

export interface Row {
  payload: Payload;
  concurrency: number;
  system: SystemName;
  rounds: number;
  rps: number;
  p50: number;
  p99: number;
  /** Median over rounds of rps / mcp-proxy's rps in the same round. */
  ratioVsProxy?: number;
  /** Median over rounds of p50 - the raw stdio upstream's p50 in the same round (ms). */
  addedP50VsStdio?: number;
  /** The same against the upstream exposed over HTTP by the SDK (ms). */
  addedP50VsSdkHttp?: number;
  errors: number;
  completed: number;
  firstError?: string;
  /** PII payload: emails still readable / masks in the first answer of the first round. */
  emailsVisible?: number;
  maskTags?: number;
  answerBytes: number;
  echoIntact?: boolean;
  /** Medians over rounds of CPU microseconds per call (see CellMeasurement.cpuUsPerCall). */
  cpuUsPerCall?: { client: number; front: number; upstream: number };
}

export interface TargetCheck {
  name: string;
  payload: Payload;
  measured: number | undefined;
  threshold: string;
  pass: boolean;
  note: string;
}

function pairedMedian(mine: readonly Measurement[], theirs: readonly Measurement[], f: (a: CellMeasurement, b: CellMeasurement) => number): number | undefined {
  const values: number[] = [];
  for (const m of mine) {
    const other = theirs.find((t) => t.round === m.round);
    if (other !== undefined && other.cell.errors === 0 && m.cell.errors === 0) values.push(f(m.cell, other.cell));
  }
  return values.length === 0 ? undefined : median(values);
}

export function buildRows(measurements: readonly Measurement[], payloads: readonly Payload[], concurrencies: readonly number[], systems: readonly SystemName[]): Row[] {
  const rows: Row[] = [];
  for (const payload of payloads) {
    for (const concurrency of concurrencies) {
      const of = (system: SystemName) => measurements.filter((m) => m.system === system && m.concurrency === concurrency && m.cell.payload === payload);
      const proxy = of("mcp-proxy");
      const stdio = of("upstream-stdio");
      const sdkHttp = of("upstream-http");
      for (const system of systems) {
        const mine = of(system);
        if (mine.length === 0) continue;
        const first = [...mine].sort((a, b) => a.round - b.round)[0]!.cell;
        const ratio = system === "mcp-proxy" ? undefined : pairedMedian(mine, proxy, (a, b) => a.rps / b.rps);
        const vsStdio = system === "upstream-stdio" ? undefined : pairedMedian(mine, stdio, (a, b) => a.latencyMs.p50 - b.latencyMs.p50);
        const vsSdk = system === "upstream-http" || system === "upstream-stdio" ? undefined : pairedMedian(mine, sdkHttp, (a, b) => a.latencyMs.p50 - b.latencyMs.p50);
        const firstError = mine.find((m) => m.cell.firstError !== undefined)?.cell.firstError;
        const cpus = mine.map((m) => m.cell.cpuUsPerCall).filter((c): c is NonNullable<typeof c> => c !== undefined);
        const cpu = cpus.length === 0 ? undefined : { client: median(cpus.map((c) => c.client)), front: median(cpus.map((c) => c.front)), upstream: median(cpus.map((c) => c.upstream)) };
        rows.push({
          payload,
          concurrency,
          system,
          rounds: mine.length,
          rps: median(mine.map((m) => m.cell.rps)),
          p50: median(mine.map((m) => m.cell.latencyMs.p50)),
          p99: median(mine.map((m) => m.cell.latencyMs.p99)),
          ...(ratio !== undefined ? { ratioVsProxy: ratio } : {}),
          ...(vsStdio !== undefined ? { addedP50VsStdio: vsStdio } : {}),
          ...(vsSdk !== undefined ? { addedP50VsSdkHttp: vsSdk } : {}),
          errors: mine.reduce((sum, m) => sum + m.cell.errors, 0),
          completed: mine.reduce((sum, m) => sum + m.cell.completed, 0),
          ...(firstError !== undefined ? { firstError } : {}),
          answerBytes: first.sample.bytes,
          ...(payload === "pii" ? { emailsVisible: first.sample.emailsVisible, maskTags: first.sample.maskTags } : {}),
          ...(first.echoIntact !== undefined ? { echoIntact: first.echoIntact } : {}),
          ...(cpu !== undefined ? { cpuUsPerCall: cpu } : {}),
        });
      }
    }
  }
  return rows;
}

export const THROUGHPUT_TARGET = 1.5;
export const ADDED_P50_TARGET_MS = 0.5;

export function checkTargets(rows: readonly Row[], payloads: readonly Payload[]): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const find = (payload: Payload, concurrency: number, system: SystemName) => rows.find((r) => r.payload === payload && r.concurrency === concurrency && r.system === system);
  for (const payload of payloads) {
    const at16 = find(payload, 16, "mcp-bastion");
    const ratio = at16?.ratioVsProxy;
    checks.push({
      name: "throughput vs mcp-proxy, concurrency 16, masking on",
      payload,
      measured: ratio,
      threshold: `>= ${THROUGHPUT_TARGET}x`,
      pass: ratio !== undefined && ratio >= THROUGHPUT_TARGET && (at16?.errors ?? 1) === 0,
      note: at16 === undefined ? "not measured" : `${fmt(at16.rps, 0)} vs ${fmt(find(payload, 16, "mcp-proxy")?.rps, 0)} req/s`,
    });
  }
  for (const payload of payloads) {
    const at1 = find(payload, 1, "mcp-bastion");
    const added = at1?.addedP50VsStdio;
    checks.push({
      name: "added p50 at concurrency 1 over the upstream alone (stdio)",
      payload,
      measured: added,
      threshold: `<= ${ADDED_P50_TARGET_MS} ms`,
      pass: added !== undefined && added <= ADDED_P50_TARGET_MS && (at1?.errors ?? 1) === 0,
      note: at1 === undefined ? "not measured" : `p50 ${fmt(at1.p50, 3)} vs ${fmt(find(payload, 1, "upstream-stdio")?.p50, 3)} ms; vs SDK HTTP: ${signed(at1.addedP50VsSdkHttp, 3)} ms`,
    });
  }
  return checks;
}

function fmt(value: number | undefined, digits: number): string {
  return value === undefined || Number.isNaN(value) ? "-" : value.toFixed(digits);
}

function signed(value: number | undefined, digits: number): string {
  if (value === undefined || Number.isNaN(value)) return "-";
  return `${value >= 0 ? "+" : ""}${value.toFixed(digits)}`;
}

function table(header: readonly string[], body: readonly (readonly string[])[], rightAligned: ReadonlySet<number>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => (rightAligned.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(" | ")} |`;
  const rule = `|${widths.map((w, i) => (rightAligned.has(i) ? `${"-".repeat(w + 1)}:` : "-".repeat(w + 2))).join("|")}|`;
  return [line(header), rule, ...body.map(line)].join("\n");
}

export function resultsTable(rows: readonly Row[]): string {
  const header = ["payload", "concurrency", "system", "req/s", "p50 ms", "p99 ms", "ratio vs mcp-proxy", "added p50 vs upstream (stdio)", "added p50 vs upstream (SDK HTTP)", "CPU us/call front+upstream"];
  // The payload's size as the upstream sends it: the largest answer seen (masking shortens it).
  const piiBytes = Math.max(0, ...rows.filter((r) => r.payload === "pii").map((r) => r.answerBytes));
  const body = rows.map((r) => [
    r.payload === "echo" ? "echo (small)" : `pii (~${(piiBytes / 1024).toFixed(1)} KB)`,
    String(r.concurrency),
    `${SYSTEM_LABELS[r.system]}${r.errors > 0 ? ` [${r.errors} errors]` : ""}`,
    fmt(r.rps, 0),
    fmt(r.p50, 3),
    fmt(r.p99, 3),
    r.system === "mcp-proxy" ? "1.00x" : r.ratioVsProxy === undefined ? "-" : `${r.ratioVsProxy.toFixed(2)}x`,
    r.system === "upstream-stdio" ? "0" : signed(r.addedP50VsStdio, 3),
    r.system === "upstream-http" ? "0" : signed(r.addedP50VsSdkHttp, 3),
    r.cpuUsPerCall === undefined ? "-" : `${r.cpuUsPerCall.front.toFixed(0)}+${r.cpuUsPerCall.upstream.toFixed(0)}`,
  ]);
  return table(header, body, new Set([1, 3, 4, 5, 6, 7, 8, 9]));
}

export function targetsTable(checks: readonly TargetCheck[]): string {
  const header = ["target", "payload", "threshold", "measured", "result", "detail"];
  const body = checks.map((c) => [
    c.name,
    c.payload,
    c.threshold,
    c.measured === undefined ? "-" : c.threshold.endsWith("x") ? `${c.measured.toFixed(2)}x` : `${signed(c.measured, 3)} ms`,
    c.pass ? "PASS" : "FAIL",
    c.note,
  ]);
  return table(header, body, new Set([3]));
}

/** What the model would see of the PII payload, per system (first answer of the first round, concurrency 1 when measured). */
export function exposureTable(rows: readonly Row[]): string {
  const seen = new Set<SystemName>();
  const body: string[][] = [];
  for (const r of rows) {
    if (r.payload !== "pii" || seen.has(r.system)) continue;
    seen.add(r.system);
    body.push([SYSTEM_LABELS[r.system], String(r.answerBytes), String(r.emailsVisible ?? "-"), String(r.maskTags ?? "-")]);
  }
  return table(["system", "answer bytes", "emails readable", "PII masks"], body, new Set([1, 2, 3]));
}
