/**
 * One operation's throughput passes in a process of its own (isolated.ts forks it): rebuilds the
 * seeded corpus and its inputs, warms the operation up, says it is ready, then answers every
 * "pass" with the seconds one pass took (after a full collection, as in-process rounds do).
 */
import { allAdapters } from "./adapters.js";
import { docsUpTo, generateCorpus } from "./corpus.js";
import type { IsolatedJob } from "./isolated.js";
import { sink, timedPass, warmUp } from "./timing.js";

const job = JSON.parse(process.argv[2] ?? "{}") as IsolatedJob & { warmUpSeconds: number };
const send = (message: unknown): void => void process.send!(message);

try {
  const adapter = allAdapters().find((a) => a.name === job.system);
  const op = adapter?.operations.find((o) => o.label === job.operation);
  if (op === undefined) throw new Error(`no operation ${job.operation} of ${job.system}`);
  const inputs = docsUpTo(generateCorpus(job.seed, job.corpusBytes).docs, job.inputBytes);
  await warmUp(op, inputs, job.warmUpSeconds);
  process.on("message", (message) => {
    if (message !== "pass") return;
    timedPass(op, inputs).then(
      (seconds) => send({ seconds }),
      (error: unknown) => send({ error: String(error) }),
    );
  });
  // The parent going away ends us.
  process.on("disconnect", () => process.exit(sink >= 0 ? 0 : 1));
  send({ ready: true });
} catch (error) {
  send({ error: String(error) });
  process.exitCode = 1;
}
