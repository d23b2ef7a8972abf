/**
 * The differential tests' shared parts: the native kernel (native/pii) must report exactly what
 * the TypeScript engine reports. Each check runs over the benchmark corpus and over random text
 * (fast-check), and prints the first texts where the two disagree.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { generateCorpus } from "../../../bench/pii/corpus.js";
import { nativeLoad, type NativeKernel } from "../../../src/pii/native.js";
import { createTextScan } from "../../../src/pii/text-scan.js";
import { ENTITY_TYPES, type Candidate, type EntityType, type Recognizer } from "../../../src/pii/types.js";
import { FILLER_FRAGMENTS, PII_FRAGMENTS } from "../samples.js";

/**
 * The kernel, which these tests need: a build without it (no Rust toolchain) fails them, unless
 * BASTION_PII_NATIVE=0 says it is meant to be off.
 */
export function requireKernel(): NativeKernel {
  const { kernel, reason } = nativeLoad;
  assert.ok(kernel, `the native PII kernel is ${reason} (npm run build makes it; BASTION_PII_NATIVE=0 runs without)`);
  return kernel;
}

export const kernelSwitchedOff = process.env["BASTION_PII_NATIVE"] === "0";

/** The benchmark corpus's documents (seed 20250601, as bench/pii runs it), about `bytes` of them. */
export function corpusTexts(bytes = 2 * 1024 * 1024, seed = 20250601): string[] {
  return generateCorpus(seed, bytes).docs.map((doc) => doc.text);
}

let out = new Float64Array(3 * 1024);

/** Recognizer `type`'s candidates from the kernel. */
export function nativeCandidates(kernel: NativeKernel, type: EntityType, text: string): Candidate[] {
  const id = ENTITY_TYPES.indexOf(type);
  let count = kernel.find(id, text, out);
  if (3 * count > out.length) {
    out = new Float64Array(3 * count * 2);
    count = kernel.find(id, text, out);
  }
  const candidates: Candidate[] = [];
  for (let k = 0; k < count; k++) candidates.push({ start: out[3 * k]!, end: out[3 * k + 1]!, score: out[3 * k + 2]! });
  return candidates;
}

/** The TypeScript recognizer's candidates, as the scanner asks for them. */
export function referenceCandidates(recognizer: Recognizer, text: string): Candidate[] {
  return recognizer.find(text, createTextScan(text)).map((c) => ({ start: c.start, end: c.end, score: c.score }));
}

/** Texts where the two disagree, with both answers (at most `limit`). */
export function disagreements(
  kernel: NativeKernel,
  recognizer: Recognizer,
  texts: Iterable<string>,
  limit = 3,
): { text: string; native: Candidate[]; reference: Candidate[] }[] {
  const found = [];
  for (const text of texts) {
    const native = nativeCandidates(kernel, recognizer.type, text);
    const reference = referenceCandidates(recognizer, text);
    if (!sameCandidates(native, reference)) {
      found.push({ text, native, reference });
      if (found.length >= limit) break;
    }
  }
  return found;
}

export function sameCandidates(a: readonly Candidate[], b: readonly Candidate[]): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) {
    if (a[k]!.start !== b[k]!.start || a[k]!.end !== b[k]!.end || !Object.is(a[k]!.score, b[k]!.score)) return false;
  }
  return true;
}

/** Asserts the kernel and the TypeScript recognizer agree on every text. */
export function assertAgreesOn(kernel: NativeKernel, recognizer: Recognizer, texts: Iterable<string>): void {
  const found = disagreements(kernel, recognizer, texts);
  assert.deepEqual(found, [], `native ${recognizer.type} disagrees with the TypeScript recognizer`);
}

/** Random text mixing entity samples, filler and the characters recognizers care about. */
export function mixedText(extra: readonly string[] = []): fc.Arbitrary<string> {
  const piece = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...PII_FRAGMENTS, ...extra) },
    { weight: 3, arbitrary: fc.constantFrom(...FILLER_FRAGMENTS) },
    { weight: 4, arbitrary: fc.constantFrom("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "00", "12", "555") },
    { weight: 3, arbitrary: fc.constantFrom(" ", "-", ".", "/", "(", ")", "+", "@", ":", ",", "\n", "\u00a0", "\u2010", "#", "_") },
    { weight: 2, arbitrary: fc.constantFrom("a", "Z", "x", "é", "ß", "St", "Street", "tel", "ssn", "passport", "card", "ip", "no.") },
    { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
  );
  return fc.array(piece, { maxLength: 40 }).map((parts) => parts.join(""));
}

/** Slices of corpus documents: real formats, cut at random places (entities cut in half too). */
export function corpusSlices(texts: readonly string[]): fc.Arbitrary<string> {
  return fc
    .tuple(fc.integer({ min: 0, max: texts.length - 1 }), fc.nat(), fc.integer({ min: 0, max: 400 }))
    .map(([doc, from, length]) => {
      const text = texts[doc]!;
      const start = from % (text.length + 1);
      return text.slice(start, start + length);
    });
}

/** Hostile strings: binary ones (lone surrogates included) and any mix of U+0000-U+FFFF. */
export function hostileText(maxLength?: number): fc.Arbitrary<string> {
  const limit = maxLength === undefined ? {} : { maxLength };
  const anyUnit = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), ...limit });
  return fc.oneof(fc.string({ unit: "binary", ...limit }), anyUnit);
}

/** The texts `around` makes of every code unit U+0000-U+FFFF. */
export function aroundEveryCodeUnit(around: (unit: string) => string[]): string[] {
  const texts: string[] = [];
  for (let code = 0; code <= 0xffff; code++) texts.push(...around(String.fromCharCode(code)));
  return texts;
}
