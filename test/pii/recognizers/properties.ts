/** Properties every recognizer keeps, checked the same way for each (fast-check). */
import assert from "node:assert/strict";
import fc from "fast-check";
import type { PiiEngine } from "../../../src/pii/index.js";
import type { Recognizer } from "../../../src/pii/types.js";

/** The context window the scanner reads before a candidate (src/pii/context.ts). */
const CONTEXT_WINDOW = 48;

/**
 * Locality: scanning the text from any cut point finds the same candidates as the whole text,
 * once past `maxLength` plus the context window after the cut; no candidate is longer than
 * `maxLength`. The stream masker relies on both.
 */
export function assertLocality(recognizer: Recognizer, piece: fc.Arbitrary<string>, maxPieces: number, numRuns: number): void {
  fc.assert(
    fc.property(fc.array(piece, { maxLength: maxPieces }), fc.nat(), (pieces, cutAt) => {
      const text = pieces.join("");
      const cut = text.length === 0 ? 0 : cutAt % text.length;
      const whole = recognizer.find(text);
      const tail = recognizer.find(text.slice(cut)).map((c) => ({ ...c, start: c.start + cut, end: c.end + cut }));
      const far = (c: { start: number }) => c.start >= cut + recognizer.maxLength + CONTEXT_WINDOW;
      assert.deepEqual(tail.filter(far), whole.filter(far));
      for (const c of whole) assert.ok(c.end - c.start <= recognizer.maxLength);
    }),
    { numRuns },
  );
}

/** Pieces joined into one text, for composing documents from fragments. */
export const joined = (piece: fc.Arbitrary<string>, maxPieces: number): fc.Arbitrary<string> =>
  fc.array(piece, { maxLength: maxPieces }).map((pieces) => pieces.join(""));

/** Masking text pushed in chunks of any sizes (1..maxChunk) equals masking the whole text at once. */
export function assertStreamEqualsWhole(engine: PiiEngine, documents: fc.Arbitrary<string>, numRuns: number, maxChunk = 30): void {
  const chunkSizes = fc.array(fc.integer({ min: 1, max: maxChunk }), { minLength: 1, maxLength: 10 });
  fc.assert(
    fc.property(documents, chunkSizes, (text, sizes) => {
      const masker = engine.createStreamMasker();
      let out = "";
      let at = 0;
      for (let k = 0; at < text.length; k++) {
        const size = sizes[k % sizes.length]!;
        out += masker.push(text.slice(at, at + size));
        at += size;
      }
      out += masker.end();
      assert.equal(out, engine.mask(text));
    }),
    { numRuns },
  );
}
