/**
 * PII benchmark: accuracy (per-type precision/recall/F1, hard-negative flag rates) and speed
 * (MiB/s, scaling with input size) for mcp-bastion and its npm peers, side by side in one run.
 *
 *   npm run bench:pii -- [--quick] [--seed N]
 *
 * Writes the full results (including per-format recall and example misses) to bench/pii/results/.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { ENTITY_TYPES, type EntityType } from "../../src/index.js";
import { allAdapters, type Span, type SystemAdapter, type TimedOperation } from "./adapters.js";
import { DOC_KINDS, docsUpTo, generateCorpus, NEGATIVE_KINDS } from "./corpus.js";
import { fixed, humanSize, humanTime, mib, percent, table } from "./report.js";
import { scoreSystem, type Prf, type SystemScore } from "./score.js";
import { timeRoundsIsolated, timeScalingIsolated } from "./isolated.js";
import { sink } from "./timing.js";

const { values: flags } = parseArgs({
  options: { quick: { type: "boolean", default: false }, seed: { type: "string", default: "20250601" } },
  allowPositionals: false,
});
const quick = flags.quick === true;
const seed = Number(flags.seed);
if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new Error(`--seed must be an integer from 0 to 4294967295, got ${flags.seed}`);

const KiB = 1024;
const MiB = 1024 * 1024;
/**
 * Full runs time 15 interleaved rounds: a pass over 2 MiB takes mcp-bastion ~20 ms, and this
 * machine's speed swings ~1.5x between passes for every system alike; with 5 rounds, whether
 * each system had one undisturbed pass was luck, and the best-pass ratio moved 1.6-2.7x between
 * runs of one build. More rounds cost ~10 s.
 */
const CONFIG = quick
  ? { corpusBytes: 256 * KiB, throughputBytes: 256 * KiB, slowPeerBytes: 32 * KiB, reps: 3, warmUpSeconds: 0.3, scaling: [KiB, 256 * KiB, 4 * MiB], scalingReps: [5, 3, 1] }
  : { corpusBytes: 2 * MiB, throughputBytes: 2 * MiB, slowPeerBytes: 128 * KiB, reps: 15, warmUpSeconds: 1, scaling: [KiB, MiB, 50 * MiB], scalingReps: [7, 5, 3] };
/** Peers whose throughput input is capped (seconds per MiB make the full set too slow to repeat). */
const SLOW_PEERS = new Set(["openredaction"]);

const bytesOf = (text: string): number => Buffer.byteLength(text, "utf8");
const log = (line = ""): void => void process.stdout.write(line + "\n");
const started = performance.now();


const prfCell = (p: Prf): string => `${fixed(p.precision, 3)} / ${fixed(p.recall, 3)} / ${fixed(p.f1, 3)}`;

// ---------------------------------------------------------------------------------------------
// Corpus

const corpus = generateCorpus(seed, CONFIG.corpusBytes);
const docs = corpus.docs;
const corpusBytes = docs.reduce((n, d) => n + bytesOf(d.text), 0);
const goldByType = Object.fromEntries(ENTITY_TYPES.map((t) => [t, 0])) as Record<EntityType, number>;
const negByKind = Object.fromEntries(NEGATIVE_KINDS.map((k) => [k, 0])) as Record<(typeof NEGATIVE_KINDS)[number], number>;
const docsByKind = Object.fromEntries(DOC_KINDS.map((k) => [k, 0])) as Record<(typeof DOC_KINDS)[number], number>;
for (const doc of docs) {
  docsByKind[doc.kind]++;
  for (const e of doc.entities) goldByType[e.type]++;
  for (const n of doc.negatives) negByKind[n.kind]++;
}

log(`# PII benchmark${quick ? " (--quick)" : ""}`);
log();
log(`seed ${seed}; corpus ${mib(corpusBytes)} in ${docs.length} documents (${DOC_KINDS.map((k) => `${k} ${docsByKind[k]}`).join(", ")})`);
log(`gold entities: ${ENTITY_TYPES.map((t) => `${t} ${goldByType[t]}`).join(", ")}`);
log(`hard negatives: ${NEGATIVE_KINDS.reduce((n, k) => n + negByKind[k], 0)} spans of ${NEGATIVE_KINDS.length} kinds`);
log(`node ${process.version}, ${availableParallelism()} CPUs (${cpus()[0]?.model ?? "unknown"})`);

// ---------------------------------------------------------------------------------------------
// Accuracy: every system over the same documents

const adapters: SystemAdapter[] = allAdapters();
const scores = new Map<string, SystemScore>();
const accuracySeconds = new Map<string, number>();
for (const adapter of adapters) {
  const predictions: Span[][] = [];
  const t0 = performance.now();
  for (const doc of docs) predictions.push(await adapter.findings(doc.text));
  accuracySeconds.set(adapter.name, (performance.now() - t0) / 1000);
  scores.set(adapter.name, scoreSystem(docs, predictions, adapter.covers));
}
const names = adapters.map((a) => a.name);
const scoreOf = (name: string): SystemScore => scores.get(name)!;
const covers = (adapter: SystemAdapter, type: EntityType): boolean => adapter.covers.includes(type);

log();
log("## Accuracy per type: precision / recall / F1 (overlap rule: a finding of the right type covering >= 50% of the gold span)");
log();
log(
  table(
    ["type", "gold", ...names],
    [
      ...ENTITY_TYPES.map((type) => [
        type,
        String(goldByType[type]),
        ...adapters.map((a) => (covers(a, type) ? prfCell(scoreOf(a.name).perType.overlap[type]) : "not covered")),
      ]),
      ["micro, covered types", "", ...adapters.map((a) => `${prfCell(scoreOf(a.name).microCovered.overlap)} (${a.covers.length}/7)`)],
      ["micro, all 7 types", "", ...adapters.map((a) => prfCell(scoreOf(a.name).microAll.overlap))],
    ],
    1,
  ),
);
log();
log("Exact-span rule (same type, same start and end), F1:");
log();
log(
  table(
    ["type", ...names],
    [
      ...ENTITY_TYPES.map((type) => [type, ...adapters.map((a) => (covers(a, type) ? fixed(scoreOf(a.name).perType.exact[type].f1) : "-"))]),
      ["micro, covered types", ...adapters.map((a) => fixed(scoreOf(a.name).microCovered.exact.f1))],
      ["micro, all 7 types", ...adapters.map((a) => fixed(scoreOf(a.name).microAll.exact.f1))],
    ],
  ),
);

log();
log("## Hard negatives: share of spans overlapped by any finding (target <= 1%)");
log();
log(
  table(
    ["kind", "spans", ...names],
    NEGATIVE_KINDS.map((kind) => [
      kind,
      String(negByKind[kind]),
      ...adapters.map((a) => {
        const r = scoreOf(a.name).negatives[kind];
        return `${percent(r.rate)} (${r.flagged})`;
      }),
    ]),
  ),
);

// ---------------------------------------------------------------------------------------------
// Throughput: the same documents, one call per document, warm-up then median of several passes

interface ThroughputRow {
  system: string;
  operation: string;
  types: number;
  bytes: number;
  docs: number;
  seconds: number;
  mibPerSecond: number;
  /** MiB/s of the slowest and the fastest pass, to show how noisy the machine was. */
  range: [number, number];
}

const fullInputs = docsUpTo(docs, CONFIG.throughputBytes);
const slowInputs = docsUpTo(docs, CONFIG.slowPeerBytes);
const contenders = adapters.flatMap((adapter) => {
  const inputs = SLOW_PEERS.has(adapter.name) ? slowInputs : fullInputs;
  const bytes = inputs.reduce((n, t) => n + bytesOf(t), 0);
  return adapter.operations.map((op) => ({ adapter, op, inputs, bytes }));
});
// Each operation in a process of its own (interleaved rounds all the same): in this process, with
// the harness's own large heap and every library loaded, a peer's passes were seen to slow down 3-4x
// for whole runs, which no user's process would see.
const timings = await timeRoundsIsolated(
  contenders.map(({ adapter, op }) => ({
    system: adapter.name,
    operation: op.label,
    seed,
    corpusBytes: CONFIG.corpusBytes,
    inputBytes: SLOW_PEERS.has(adapter.name) ? CONFIG.slowPeerBytes : CONFIG.throughputBytes,
  })),
  CONFIG.reps,
  CONFIG.warmUpSeconds,
);
const throughput: ThroughputRow[] = contenders.map(({ adapter, op, inputs, bytes }, i) => ({
  system: adapter.name,
  operation: op.label,
  types: adapter.covers.length,
  bytes,
  docs: inputs.length,
  seconds: timings[i]!.seconds,
  mibPerSecond: bytes / MiB / timings[i]!.seconds,
  range: [bytes / MiB / Math.max(...timings[i]!.samples), bytes / MiB / Math.min(...timings[i]!.samples)],
}));
const peerRows = throughput.filter((r) => r.system !== "mcp-bastion");
/**
 * Speed compared on each system's best pass as well as its median: a system's passes can drop into
 * a slow state for part of a run (seen here: @redactpii/node's passes between ~11 and ~50 MiB/s in
 * one run, while it runs a steady ~50 on its own), and a peer's slow passes must not decide a
 * target. The best pass is each system's speed when nothing disturbs it; the target uses it.
 */
const bestOf = (r: ThroughputRow): number => r.range[1];
const fastestPeer = peerRows.reduce((best, r) => (bestOf(r) > bestOf(best) ? r : best), peerRows[0]!);

log();
log(`## Throughput: one call per document; warm-up, then ${CONFIG.reps} interleaved rounds (a pass of every system per round), median pass`);
log();
log(
  table(
    ["system", "operation", "types", "input", "median pass", "MiB/s", "passes' range", "vs fastest peer", "best passes vs fastest peer's"],
    throughput.map((r) => [
      r.system,
      r.operation,
      `${r.types}/7`,
      `${humanSize(r.bytes)} (${r.docs} docs)`,
      humanTime(r.seconds),
      fixed(r.mibPerSecond, 2),
      `${fixed(r.range[0], 2)}-${fixed(r.range[1], 2)}`,
      `${fixed(r.mibPerSecond / fastestPeer.mibPerSecond, 2)}x`,
      `${fixed(bestOf(r) / bestOf(fastestPeer), 2)}x`,
    ]),
    2,
  ),
);
log();
log(`Fastest peer: ${fastestPeer.system} (${fastestPeer.operation}, covers ${fastestPeer.types} of 7 types).`);
for (const name of SLOW_PEERS) log(`${name} is timed on the first ${humanSize(CONFIG.slowPeerBytes)} of the same documents (it runs at well under 1 MiB/s; the full set repeated would take minutes).`);

// ---------------------------------------------------------------------------------------------
// Scaling: one input of growing size

interface ScalingRow {
  system: string;
  operation: string;
  bytes: number;
  seconds: number;
  mibPerSecond: number;
  nsPerByte: number;
}

const scalingOps: { system: string; op: TimedOperation }[] = [];
const bastion = adapters.find((a) => a.name === "mcp-bastion")!;
for (const op of bastion.operations) if (op.label === "detect" || op.label === "mask") scalingOps.push({ system: bastion.name, op });
const fastestAdapter = adapters.find((a) => a.name === fastestPeer.system)!;
scalingOps.push({ system: fastestAdapter.name, op: fastestAdapter.operations.find((o) => o.label === fastestPeer.operation)! });

const scaling: ScalingRow[] = [];
// In processes of their own too, for the reason the throughput passes are.
for (const { system, op } of scalingOps) {
  const calls = await timeScalingIsolated({ system, operation: op.label, seed, corpusBytes: CONFIG.corpusBytes, sizes: CONFIG.scaling, reps: CONFIG.scalingReps, warmUpSeconds: CONFIG.warmUpSeconds });
  for (const { bytes, seconds } of calls) {
    scaling.push({ system, operation: op.label, bytes, seconds, mibPerSecond: bytes / MiB / seconds, nsPerByte: (seconds * 1e9) / bytes });
  }
}

log();
log("## Scaling: one input of each size (cost per byte should stay flat if scanning is linear)");
log();
log(
  table(
    ["system", "operation", "input", "time per call", "MiB/s", "ns/byte", `ns/byte vs ${humanSize(scaling[1]!.bytes)}`],
    scaling.map((r) => {
      // Each operation's rows come in CONFIG.scaling's order: its second is the reference size.
      const reference = scaling.filter((s) => s.system === r.system && s.operation === r.operation)[1]!;
      return [r.system, r.operation, humanSize(r.bytes), humanTime(r.seconds), fixed(r.mibPerSecond, 2), fixed(r.nsPerByte, 2), `${fixed(r.nsPerByte / reference.nsPerByte, 2)}x`];
    }),
    2,
  ),
);

// ---------------------------------------------------------------------------------------------
// Targets, weak spots, fidelity

const ours = scoreOf("mcp-bastion");
const ourDetect = throughput.find((r) => r.system === "mcp-bastion" && r.operation === "detect")!;
const worstType = ENTITY_TYPES.reduce((w, t) => (ours.perType.overlap[t].f1 < ours.perType.overlap[w].f1 ? t : w), ENTITY_TYPES[0]);
const worstNegative = NEGATIVE_KINDS.reduce((w, k) => (ours.negatives[k].rate > ours.negatives[w].rate ? k : w), NEGATIVE_KINDS[0]);
const ourScaling = scaling.filter((r) => r.system === "mcp-bastion" && r.operation === "detect");
const largest = ourScaling[ourScaling.length - 1]!;
const middle = ourScaling[1]!;
const peerScaling = scaling.filter((r) => r.system === fastestPeer.system);
// The peer's own growth on the same inputs shows how much of ours is the machine (memory, noise).
const peerGrowth = peerScaling[peerScaling.length - 1]!.nsPerByte / peerScaling[1]!.nsPerByte;
const verdict = (ok: boolean): string => (ok ? "PASS" : "FAIL");
const targets = [
  ["micro-F1, all 7 types >= 0.97", fixed(ours.microAll.overlap.f1), verdict(ours.microAll.overlap.f1 >= 0.97)],
  ["every type F1 >= 0.95", `lowest ${fixed(ours.perType.overlap[worstType].f1)} (${worstType})`, verdict(ours.perType.overlap[worstType].f1 >= 0.95)],
  ["every hard-negative kind <= 1%", `highest ${percent(ours.negatives[worstNegative].rate)} (${worstNegative})`, verdict(ours.negatives[worstNegative].rate <= 0.01)],
  [
    `detect >= 2x fastest peer (${fastestPeer.system}; best passes)`,
    `${fixed(bestOf(ourDetect) / bestOf(fastestPeer), 2)}x (medians: ${fixed(ourDetect.mibPerSecond / fastestPeer.mibPerSecond, 2)}x)`,
    verdict(bestOf(ourDetect) >= 2 * bestOf(fastestPeer)),
  ],
  [
    `linear: ns/byte at ${humanSize(largest.bytes)} within 1.5x of ${humanSize(middle.bytes)}`,
    `${fixed(largest.nsPerByte / middle.nsPerByte, 2)}x (${fastestPeer.system}: ${fixed(peerGrowth, 2)}x)`,
    verdict(largest.nsPerByte <= 1.5 * middle.nsPerByte),
  ],
];
log();
log("## Targets (mcp-bastion, overlap rule)");
log();
log(table(["target", "measured", "result"], targets, 3));

const weakest = Object.entries(ours.variants)
  .filter(([, v]) => v.total >= 20 && v.found < v.total)
  .sort((a, b) => a[1].found / a[1].total - b[1].found / b[1].total)
  .slice(0, 20);
log();
log("## mcp-bastion: formats with the lowest recall (at least 20 gold spans)");
log();
log(table(["type and format", "gold", "recall"], weakest.map(([name, v]) => [name, String(v.total), percent(v.found / v.total)])));

log();
log("## How each system was run");
log();
for (const adapter of adapters) {
  const f = adapter.fidelity();
  const fidelity = f === null ? "" : `; fidelity: ${f.agreed}/${f.checked} ${f.what}`;
  log(`- ${adapter.name}: ${adapter.method}; accuracy pass ${fixed(accuracySeconds.get(adapter.name)!, 2)} s${fidelity}`);
}

const resultsDir = join(dirname(fileURLToPath(import.meta.url)), "results");
mkdirSync(resultsDir, { recursive: true });
const stamp = new Date().toISOString().replace(/[:.]/g, "-");
const file = join(resultsDir, `pii-${quick ? "quick-" : ""}${stamp}.json`);
writeFileSync(
  file,
  JSON.stringify(
    {
      seed,
      quick,
      node: process.version,
      cpus: availableParallelism(),
      corpus: { bytes: corpusBytes, docs: docs.length, docsByKind, goldByType, negByKind },
      systems: adapters.map((a) => ({ name: a.name, covers: a.covers, method: a.method, fidelity: a.fidelity(), accuracySeconds: accuracySeconds.get(a.name), score: scoreOf(a.name) })),
      throughput,
      fastestPeer,
      scaling,
      targets: targets.map(([target, measured, result]) => ({ target, measured, result })),
      sink,
    },
    null,
    2,
  ),
);
log();
log(`Results: ${relative(process.cwd(), file)} (total run ${fixed((performance.now() - started) / 1000, 1)} s)`);
