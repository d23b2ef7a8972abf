import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type { TimedOperation } from "./adapters.js";

/**
 * A full garbage collection before each timed sample, so no sample pays for the garbage of the one
 * before (with 50 MiB inputs that debt is large and lands on whoever runs next). The npm script
 * cannot pass --expose-gc, so it is switched on here; without it, sampling simply goes on.
 */
setFlagsFromString("--expose-gc");
const gcCandidate: unknown = runInNewContext("typeof gc === 'function' ? gc : undefined");
export const collectGarbage: () => void = typeof gcCandidate === "function" ? () => void gcCandidate() : () => undefined;

/** Keeps results alive so no engine can skip the work; reported so it is observably used. */
export let sink = 0;

function consume(result: unknown): void {
  if (typeof result === "string" || Array.isArray(result)) sink += result.length;
  else if (result !== undefined && result !== null) sink += 1;
}

async function onePass(op: TimedOperation, inputs: readonly string[]): Promise<number> {
  const started = process.hrtime.bigint();
  if (op.async) {
    for (const text of inputs) consume(await op.run(text));
  } else {
    for (const text of inputs) consume(op.run(text));
  }
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** One throughput sample (isolated.ts's workers): a full collection, then one pass over the inputs (seconds). */
export function timedPass(op: TimedOperation, inputs: readonly string[]): Promise<number> {
  collectGarbage();
  return onePass(op, inputs);
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export interface Timing {
  /** Median seconds for one pass over all inputs. */
  seconds: number;
  samples: number[];
}

/** Runs passes until at least `minSeconds` have gone by (and at least one), so the JIT has settled. */
export async function warmUp(op: TimedOperation, inputs: readonly string[], minSeconds: number): Promise<void> {
  let spent = 0;
  do spent += await onePass(op, inputs);
  while (spent < minSeconds);
}

/**
 * Seconds per call on one input. Small inputs are called in batches until a batch takes at least
 * `minBatchSeconds`, so timer resolution and call overhead do not dominate.
 */
export async function timeSingle(op: TimedOperation, text: string, reps: number, minBatchSeconds = 0.05): Promise<Timing> {
  let batch = 1;
  for (;;) {
    const seconds = await onePass(op, new Array<string>(batch).fill(text));
    if (seconds >= minBatchSeconds || batch >= 1 << 20) break;
    batch *= seconds <= 0 ? 16 : Math.min(16, Math.ceil((minBatchSeconds / seconds) * 1.2));
  }
  const inputs = new Array<string>(batch).fill(text);
  const samples: number[] = [];
  for (let i = 0; i < reps; i++) {
    collectGarbage();
    samples.push((await onePass(op, inputs)) / batch);
  }
  return { seconds: median(samples), samples };
}
