/**
 * One operation's timings in a process of its own (isolated.ts forks it). It rebuilds the seeded
 * corpus and its inputs, then either
 *   - passes: warms the operation up, says it is ready, and answers every "pass" with the seconds
 *     one pass over the inputs took (after a full collection, as in-process rounds did); or
 *   - scaling: times one call on a text of each size and sends them all back.
 */
import { allAdapters } from "./adapters.js";
import { docsUpTo, generateCorpus, textOfSize } from "./corpus.js";
import type { IsolatedJob, ScalingJob } from "./isolated.js";
import { sink, timedPass, timeSingle, warmUp } from "./timing.js";

type Job = ({ kind: "passes"; warmUpSeconds: number } & IsolatedJob) | ({ kind: "scaling" } & ScalingJob);

const job = JSON.parse(process.argv[2] ?? "{}") as Job;
const send = (message: unknown): void => void process.send!(message);

try {
  const adapter = allAdapters().find((a) => a.name === job.system);
  const op = adapter?.operations.find((o) => o.label === job.operation);
  if (op === undefined) throw new Error(`no operation ${job.operation} of ${job.system}`);
  const docs = generateCorpus(job.seed, job.corpusBytes).docs;
  if (job.kind === "scaling") {
    const texts = job.sizes.map((size) => textOfSize(docs, size));
    await warmUp(op, [texts[1] ?? texts[0]!], job.warmUpSeconds);
    const calls = [];
    for (let i = 0; i < texts.length; i++) {
      const timing = await timeSingle(op, texts[i]!, job.reps[i] ?? 1);
      calls.push({ bytes: Buffer.byteLength(texts[i]!, "utf8"), seconds: timing.seconds });
    }
    send({ scaling: calls });
  } else {
    const inputs = docsUpTo(docs, job.inputBytes);
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
  }
} catch (error) {
  send({ error: String(error) });
  process.exitCode = 1;
}
