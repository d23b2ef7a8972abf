import { fork, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { median, type Timing } from "./timing.js";

/**
 * Throughput passes of each operation in a process of its own, in interleaved rounds (a pass of
 * each process, then the next round), so that no system's speed depends on what the harness or
 * another library left in the process (heap size, collector state, loaded code), while a noisy
 * neighbour still slows every system alike. The worker is throughput-worker.ts.
 */

/** What one worker times: the operation, and how to rebuild the exact inputs from the seed. */
export interface IsolatedJob {
  system: string;
  operation: string;
  seed: number;
  corpusBytes: number;
  inputBytes: number;
}

/** What one scaling worker times: one call on a text of each size (see textOfSize), after a warm-up. */
export interface ScalingJob {
  system: string;
  operation: string;
  seed: number;
  corpusBytes: number;
  sizes: readonly number[];
  /** Timed calls (batches, for small inputs) per size. */
  reps: readonly number[];
  warmUpSeconds: number;
}

export interface ScalingCall {
  bytes: number;
  /** Median seconds per call. */
  seconds: number;
}

type WorkerMessage = { ready: true } | { seconds: number } | { scaling: ScalingCall[] } | { error: string };

const WORKER = join(import.meta.dirname, "throughput-worker.ts");
/** Longest a worker may take to start, warm up, or run one pass before the run is given up. */
const STEP_TIMEOUT_MS = 300_000;

function nextMessage(child: ChildProcess, what: string): Promise<WorkerMessage> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`throughput worker: no answer to ${what} in ${STEP_TIMEOUT_MS / 1000} s`)), STEP_TIMEOUT_MS);
    const onMessage = (message: WorkerMessage) => finish(undefined, message);
    const onExit = (code: number | null) => finish(new Error(`throughput worker exited (${code}) during ${what}`));
    function finish(error: Error | undefined, message?: WorkerMessage): void {
      clearTimeout(timer);
      child.off("message", onMessage);
      child.off("exit", onExit);
      if (error) reject(error);
      else if (message && "error" in message) reject(new Error(`throughput worker: ${message.error}`));
      else resolve(message!);
    }
    child.on("message", onMessage);
    child.once("exit", onExit);
  });
}

/** Forks one worker with this job (its only argument) and the IPC channel. */
function startWorker(job: unknown): ChildProcess {
  return fork(WORKER, [JSON.stringify(job)], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
}

/** The scaling calls of one operation, in a process of its own. */
export async function timeScalingIsolated(job: ScalingJob): Promise<ScalingCall[]> {
  const child = startWorker({ kind: "scaling", ...job });
  try {
    const message = await nextMessage(child, `the scaling calls of ${job.system} ${job.operation}`);
    if (!("scaling" in message)) throw new Error(`throughput worker: unexpected answer ${JSON.stringify(message)}`);
    return message.scaling;
  } finally {
    child.kill();
  }
}

export async function timeRoundsIsolated(jobs: readonly IsolatedJob[], rounds: number, warmUpSeconds: number): Promise<Timing[]> {
  const workers: ChildProcess[] = [];
  try {
    // Started and warmed up one at a time, so no warm-up runs beside another.
    for (const job of jobs) {
      const child = startWorker({ kind: "passes", ...job, warmUpSeconds });
      workers.push(child);
      await nextMessage(child, `the start of ${job.system} ${job.operation}`);
    }
    const samples = jobs.map(() => [] as number[]);
    for (let round = 0; round < rounds; round++) {
      for (let i = 0; i < workers.length; i++) {
        const answer = nextMessage(workers[i]!, `a pass of ${jobs[i]!.system}`);
        workers[i]!.send("pass");
        const message = await answer;
        if (!("seconds" in message)) throw new Error(`throughput worker: unexpected answer ${JSON.stringify(message)}`);
        samples[i]!.push(message.seconds);
      }
    }
    return samples.map((s) => ({ seconds: median(s), samples: s }));
  } finally {
    for (const child of workers) child.kill();
  }
}
