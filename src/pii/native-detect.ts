import { nativeKernel, type NativeKernel } from "./native.js";
import { ENTITY_TYPES, type EntityType, type Finding } from "./types.js";

/**
 * `detect` by the compiled kernel (native.ts): the built-in recognizers, context words, threshold
 * and overlaps, on the text as a reader sees it, in one call. The kernel reports exactly what
 * the TypeScript scanner reports (test/pii/native); the scanner's allow-list is applied to its
 * findings afterwards, by the caller.
 */
export type KernelDetect = (text: string) => Finding[];

/** One warning per process when the kernel fails a call (a bug: it should never happen). */
let warned = false;

/** Findings of one call are written here as (type, start, end, score) quads; grown on demand. */
const USUAL_FINDINGS = 256;
let out = new Float64Array(4 * USUAL_FINDINGS);
/**
 * Grown past this many findings, the array is let go after its call (32 MiB of quads). Not
 * less: a call that finds more findings than the array holds runs twice, so an array let go
 * after every large text would make each one cost double (a 50 MiB text has ~0.5 M findings).
 */
const FINDINGS_KEPT = 1 << 20;

/**
 * The kernel's detect for these entity types and threshold, or undefined when there is no kernel
 * (not built, switched off) or it predates `detect`. `fallback` answers a call the kernel refuses
 * (it throws only on a bug or a missing table, and the TypeScript scanner answers the same).
 */
export function kernelDetect(
  entities: readonly EntityType[],
  threshold: number,
  fallback: KernelDetect,
  kernel: NativeKernel | undefined = nativeKernel,
): KernelDetect | undefined {
  if (kernel === undefined || typeof kernel.detect !== "function") return undefined;
  const detectIn = kernel.detect.bind(kernel);
  let types = 0;
  for (const type of entities) types |= 1 << ENTITY_TYPES.indexOf(type);
  return (text: string): Finding[] => {
    let count: number;
    try {
      count = detectIn(types, threshold, text, out, text.length);
      if (4 * count > out.length) {
        out = new Float64Array(4 * count * 2);
        count = detectIn(types, threshold, text, out, text.length);
      }
    } catch (error) {
      if (!warned) {
        warned = true;
        process.emitWarning(`PII kernel failed (${(error as Error).message}); this call and any like it use the TypeScript recognizers`, "BastionPiiKernel");
      }
      return fallback(text);
    }
    const findings: Finding[] = new Array<Finding>(count);
    // `| 0`: the type index and offsets are small integers read as doubles; as integers they index
    // ENTITY_TYPES directly and are stored as small integers (as the TypeScript path stores them).
    for (let k = 0, at = 0; k < count; k++, at += 4) {
      findings[k] = { type: ENTITY_TYPES[out[at]! | 0]!, start: out[at + 1]! | 0, end: out[at + 2]! | 0, score: out[at + 3]! };
    }
    if (out.length > 4 * FINDINGS_KEPT) out = new Float64Array(4 * USUAL_FINDINGS);
    return findings;
  };
}
