/**
 * Where mcp-bastion's PII detection spends its time, per recognizer and in the scanner, on the
 * benchmark corpus (one call per document, as the main benchmark times `detect`), and what one
 * gateway call costs on a small JSON tool result with many short strings (`maskJson`).
 *
 *   node --import tsx bench/pii/engine-cost.ts [--bytes N] [--rounds N] [--seed N] [--against DIR] [--gc]
 *
 * `--against DIR` loads a second engine from DIR/src/pii/index.ts (an older checkout, e.g.
 * `git worktree add /tmp/before HEAD~1`) and times both in the same interleaved rounds, so a
 * before/after comparison on a shared machine is fair. Every figure is the median of the rounds,
 * in CPU time of this process (user + system), which a busy machine disturbs less than wall time.
 *
 * What detect costs beyond the sum of its parts is split in two rows: running the scan and the
 * seven recognizers one document at a time (as detect does) against each over all documents
 * (switching between seven recognizers' code and tables per document costs cache locality; it
 * is not megamorphic calls, deopts or GC, which cost the same either way), and what the scanner
 * adds itself (context words, overlaps, the findings).
 */
import { availableParallelism, cpus } from "node:os";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import * as current from "../../src/pii/index.js";
import * as currentTextScan from "../../src/pii/text-scan.js";
import { piiDocuments } from "../gateway/pii-payload.js";
import { generateCorpus } from "./corpus.js";
import { fixed, table } from "./report.js";
import { collectGarbage, median } from "./timing.js";

const { values: flags } = parseArgs({
  options: {
    bytes: { type: "string", default: String(2 * 1024 * 1024) },
    rounds: { type: "string", default: "9" },
    seed: { type: "string", default: "20250601" },
    against: { type: "string" },
    gc: { type: "boolean", default: false },
  },
  allowPositionals: false,
});

type PiiModule = typeof current;

interface Contender {
  name: string;
  pii: PiiModule;
  /** The contender's own text scan module (each side's scan is timed with its own code). */
  textScan: typeof currentTextScan;
}

const contenders: Contender[] = [{ name: "current", pii: current, textScan: currentTextScan }];
if (flags.against !== undefined) {
  const module = (path: string) => import(pathToFileURL(resolve(flags.against!, path)).href);
  contenders.push({
    name: `against ${flags.against}`,
    pii: (await module("src/pii/index.ts")) as PiiModule,
    textScan: (await module("src/pii/text-scan.ts")) as typeof currentTextScan,
  });
}

const rounds = Number(flags.rounds);
const docs = generateCorpus(Number(flags.seed), Number(flags.bytes)).docs.map((d) => d.text);
const bytes = docs.reduce((n, t) => n + Buffer.byteLength(t, "utf8"), 0);
const MiB = bytes / 1048576;

/** A small MCP tool result as a gateway sees it: ~2 KB of JSON, ~50 mostly short strings. */
function toolResult(i: number): unknown {
  const rows = Array.from({ length: 8 }, (_, k) => ({
    id: `cus_${(i * 7 + k).toString(36).padStart(8, "0")}`,
    name: ["Ada Lovelace", "Grace Hopper", "Alan Turing", "Edsger Dijkstra"][k % 4],
    status: k % 3 === 0 ? "active" : "pending",
    email: k % 2 === 0 ? `user${i}.${k}@example.com` : null,
    created_at: `2024-0${1 + (k % 9)}-1${k % 10}T10:3${k % 10}:00Z`,
    plan: "pro",
    seats: 3 + k,
    note: k % 4 === 1 ? `Moved to 221B Baker Street, London NW1 6XE on 2024-0${1 + k}-01; card ending 1111.` : "",
  }));
  return {
    jsonrpc: "2.0",
    id: i,
    result: {
      content: [{ type: "text", text: `Found ${rows.length} customers; call +1 415 555 2671 for support.` }],
      structuredContent: { customers: rows, next_cursor: null, region: "us-east-1" },
      isError: false,
    },
  };
}
const jsonInputs = Array.from({ length: 1000 }, (_, i) => toolResult(i));
/**
 * The gateway benchmark's ~2 KB tool results dense with PII (about 50 entities each), as text:
 * what masking costs per call when nearly every line holds something to mask.
 */
const denseDocs = piiDocuments();
const denseBytes = Math.round(denseDocs.reduce((n, t) => n + Buffer.byteLength(t, "utf8"), 0) / denseDocs.length);
/** Passes over the dense documents per timed run (one pass is too short to time alone). */
const DENSE_REPEAT = 20;
const jsonBytes = JSON.stringify(jsonInputs[0]).length;
let jsonStrings = 0;
current.createPiiEngine().maskJson(jsonInputs[0], {});
(function count(node: unknown): void {
  if (typeof node === "string") jsonStrings++;
  else if (Array.isArray(node)) node.forEach(count);
  else if (node !== null && typeof node === "object") Object.values(node).forEach(count);
})(jsonInputs[0]);

let sink = 0;
interface Task {
  label: string;
  contender: string;
  /** Divides the pass time into the unit printed (MiB, calls). */
  per: number;
  run(): void;
}

/** The digit clusters of a scan (computing them if needed), the way the recognizers ask, with the contender's code. */
function scanDigitsOf(c: Contender, text: string, scan: unknown): unknown {
  return c.textScan.digitClustersOf(text, scan as never);
}

const tasks: Task[] = [];
for (const c of contenders) {
  const engine = c.pii.createPiiEngine();
  // The shared text scan, made once per document as the scanner makes it; the recognizers are
  // then timed with it already made, so each row is that recognizer's own work.
  const { createTextScan } = c.pii as Partial<typeof current>;
  const scans = createTextScan === undefined ? undefined : docs.map((text) => createTextScan(text));
  if (createTextScan !== undefined) {
    tasks.push({
      label: "find (shared text scan)",
      contender: c.name,
      per: MiB,
      run() {
        for (const text of docs) sink += scanDigitsOf(c, text, createTextScan(text)) === undefined ? 0 : 1;
      },
    });
    scans!.forEach((scan, k) => scanDigitsOf(c, docs[k]!, scan));
  }
  for (const recognizer of c.pii.defaultRecognizers()) {
    tasks.push({
      label: `find ${recognizer.type}`,
      contender: c.name,
      per: MiB,
      run() {
        for (let k = 0; k < docs.length; k++) sink += recognizer.find(docs[k]!, scans?.[k] as never).length;
      },
    });
  }
  if (createTextScan !== undefined) {
    // What detect does before scoring: a fresh scan and all seven recognizers, one document at a
    // time. Against the sum of the rows above, it shows what running them together costs.
    const recognizers = c.pii.defaultRecognizers();
    tasks.push({
      label: "together",
      contender: c.name,
      per: MiB,
      run() {
        for (const text of docs) {
          const scan = createTextScan(text);
          for (const recognizer of recognizers) sink += recognizer.find(text, scan as never).length;
        }
      },
    });
  }
  tasks.push({ label: "detect", contender: c.name, per: MiB, run: () => docs.forEach((t) => (sink += engine.detect(t).length)) });
  for (const op of ["detect", "mask"] as const) {
    tasks.push({
      label: `${op} (dense)`,
      contender: c.name,
      per: (DENSE_REPEAT * denseDocs.length) / 1000, // ms per 1000 documents = µs per document
      run() {
        for (let r = 0; r < DENSE_REPEAT; r++) for (const text of denseDocs) sink += engine[op](text).length;
      },
    });
  }
  tasks.push({
    label: "maskJson (tool result)",
    contender: c.name,
    per: jsonInputs.length / 1000, // ms per 1000 calls = µs per call
    run() {
      for (const value of jsonInputs) sink += engine.maskJson(value) === value ? 0 : 1;
    },
  });
}

// Warm-up (each task for a third of a second at least, so the JIT has settled), then interleaved
// rounds: every task once per round.
for (const task of tasks) {
  const started = performance.now();
  do task.run();
  while (performance.now() - started < 333);
}
const samples = tasks.map(() => [] as number[]);
for (let round = 0; round < rounds; round++) {
  tasks.forEach((task, i) => {
    // A full collection before a pass (as run.ts does) costs the pass that follows a cold start
    // in V8, for every engine alike; --gc keeps that, the default measures the steady state.
    if (flags.gc === true) collectGarbage();
    const started = process.cpuUsage();
    task.run();
    const spent = process.cpuUsage(started);
    samples[i]!.push((spent.user + spent.system) / 1e3 / task.per);
  });
}
const samplesOf = (label: string, contender: string): number[] => samples[tasks.findIndex((t) => t.label === label && t.contender === contender)]!;
const cost = (label: string, contender: string): number => median(samplesOf(label, contender));
/** "median (fastest round)": on a shared machine the fastest round shows the cost best. */
const cell = (label: string, contender: string, digits: number): string =>
  `${fixed(cost(label, contender), digits)} (${fixed(Math.min(...samplesOf(label, contender)), digits)})`;

const log = (line = ""): void => void process.stdout.write(line + "\n");
log(`# PII engine cost`);
log();
log(`corpus seed ${flags.seed}: ${fixed(MiB, 2)} MiB in ${docs.length} documents, one call per document; ${rounds} interleaved rounds${flags.gc === true ? ", a full GC before each pass" : ""}: median (fastest round)`);
log(`node ${process.version}, ${availableParallelism()} CPUs (${cpus()[0]?.model ?? "unknown"})`);
log();
const recognizerLabels = [...new Set(tasks.filter((t) => t.label.startsWith("find ")).map((t) => t.label))];
const has = (label: string, c: Contender): boolean => tasks.some((t) => t.label === label && t.contender === c.name);
const rows: string[][] = [];
for (const label of recognizerLabels) rows.push([label.slice(5), ...contenders.map((c) => (has(label, c) ? cell(label, c.name, 2) : "-"))]);
const findSum = (c: Contender): number => recognizerLabels.reduce((n, l) => n + (has(l, c) ? cost(l, c.name) : 0), 0);
rows.push(["sum of recognizers", ...contenders.map((c) => fixed(findSum(c), 2))]);
rows.push(["scanner (detect - sum)", ...contenders.map((c) => fixed(cost("detect", c.name) - findSum(c), 2))]);
// The scanner's excess splits in two: the recognizers (and the scan) run one document at a time
// cost more than each over all documents (every switch between seven recognizers' code per
// document costs locality), and what the scanner does itself (context words, overlaps).
const together = (c: Contender, f: (n: number) => string): string => (has("together", c) ? f(cost("together", c.name)) : "-");
rows.push(["  of it: run together, per doc", ...contenders.map((c) => together(c, (n) => fixed(n - findSum(c), 2)))]);
rows.push(["  of it: context, overlaps", ...contenders.map((c) => together(c, (n) => fixed(cost("detect", c.name) - n, 2)))]);
rows.push(["detect", ...contenders.map((c) => cell("detect", c.name, 2))]);
rows.push(["detect MiB/s", ...contenders.map((c) => fixed(1000 / cost("detect", c.name), 1))]);
log("## Cost per recognizer, ms per MiB of corpus (`find` per document, the shared text scan made beforehand and timed on its own)");
log();
log(table(["part", ...contenders.map((c) => c.name)], rows));
log();
log(`## A gateway call: maskJson on a ${jsonBytes}-byte tool result with ${jsonStrings} strings, µs per call`);
log();
log(table(["operation", ...contenders.map((c) => c.name)], [["maskJson", ...contenders.map((c) => cell("maskJson (tool result)", c.name, 1))]]));
log();
log(`## A tool result dense with PII: bench/gateway's ${denseDocs.length} documents of ~${denseBytes} bytes, ~50 entities each, µs per document`);
log();
log(
  table(
    ["operation", ...contenders.map((c) => c.name)],
    (["detect", "mask"] as const).map((op) => [op, ...contenders.map((c) => cell(`${op} (dense)`, c.name, 1))]),
  ),
);
log();
log(`(sink ${sink})`);
