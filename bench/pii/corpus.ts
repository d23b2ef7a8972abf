/**
 * The labelled PII corpus: documents of eight kinds (mail, tickets, logs, JSON tool results, CSV,
 * chat) mixing the seven entity types in many formats with hard negatives and filler. A seed names
 * one corpus exactly; labels are recorded while the text is built, never found by regex after.
 */
import { DOC_KINDS, type CorpusDoc, type DocKind } from "./gen/builder.js";
import { generateDocument } from "./gen/documents.js";
import { Rng } from "./gen/prng.js";

export { DOC_KINDS, NEGATIVE_KINDS } from "./gen/builder.js";
export type { CorpusDoc, DocKind, EntityLabel, NegativeKind, NegativeLabel } from "./gen/builder.js";

export interface Corpus {
  docs: CorpusDoc[];
}

// Prose-heavy kinds carry most entity variety; logs and tables most of the volume in real traffic.
const KIND_WEIGHTS: readonly (readonly [DocKind, number])[] = [
  ["email", 3],
  ["support_ticket", 3],
  ["nginx_log", 1],
  ["syslog", 1],
  ["app_json_log", 2],
  ["json_tool_result", 3],
  ["csv", 2],
  ["chat", 3],
];

if (KIND_WEIGHTS.length !== DOC_KINDS.length) throw new Error("every document kind needs a weight");

/** Documents until their text reaches about `approxBytes` UTF-8 bytes (at least one). */
export function generateCorpus(seed: number, approxBytes: number): Corpus {
  const rng = new Rng(seed);
  const docs: CorpusDoc[] = [];
  let bytes = 0;
  do {
    const doc = generateDocument(rng, rng.weighted(KIND_WEIGHTS));
    docs.push(doc);
    bytes += Buffer.byteLength(doc.text, "utf8");
  } while (bytes < approxBytes);
  return { docs };
}

/** The first documents' texts, up to about `bytes` UTF-8 bytes (the throughput inputs). */
export function docsUpTo(docs: readonly CorpusDoc[], bytes: number): string[] {
  const out: string[] = [];
  let total = 0;
  for (const doc of docs) {
    if (total >= bytes) break;
    out.push(doc.text);
    total += Buffer.byteLength(doc.text, "utf8");
  }
  return out;
}

/** One text of about `bytes` UTF-8 bytes, made of corpus documents end to end (repeating if needed). */
export function textOfSize(docs: readonly CorpusDoc[], bytes: number): string {
  const parts: string[] = [];
  let chars = 0;
  for (let i = 0; chars < bytes; i++) {
    const text = docs[i % docs.length]!.text;
    parts.push(text, "\n\n");
    chars += text.length + 2;
  }
  let text = parts.join("").slice(0, bytes);
  while (Buffer.byteLength(text, "utf8") > bytes) text = text.slice(0, text.length - Math.ceil((Buffer.byteLength(text, "utf8") - bytes) / 3) - 1);
  // Never end on half a surrogate pair.
  const last = text.charCodeAt(text.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? text.slice(0, -1) : text;
}
