import { backOverKept } from "./canonical.js";
import type { Finding } from "./types.js";

export interface StreamMasker {
  /** Accepts the next chunk; returns the masked text that is now final (possibly empty). */
  push(chunk: string): string;
  /** Ends the stream; returns the rest of the masked text. */
  end(): string;
}

export interface StreamMaskerParts {
  detect(text: string): Finding[];
  /** Masks `text[from, to)` given findings that all lie inside it (offsets in `text`). */
  render(text: string, from: number, to: number, findings: readonly Finding[]): string;
  /** The longest span a finding can have; the most text held back. */
  maxEntityLength: number;
  /** Text before the emitted point kept for rescanning (entity plus context window). */
  lookbehind: number;
}

/** Bounds on the text held back when invisible characters pad it (see createStreamMasker). */
const MAX_HELD_FACTOR = 4;
const MAX_HELD_EXTRA = 4096;

/**
 * Masks text that arrives in chunks (an SSE stream) so that the output equals masking the whole
 * text at once. It holds back at most `maxEntityLength` characters: anything earlier can no
 * longer become part of a finding. Already-emitted text is kept as left context only.
 *
 * Characters the recognizers never see (zero-width ones, the soft hyphen: src/pii/canonical.ts)
 * are not counted in what is held back or kept, so padding an entity with them cannot stretch it
 * past the hold; up to MAX_HELD_FACTOR times the hold plus MAX_HELD_EXTRA characters in all, so
 * an endless run of them cannot grow the buffer without bound.
 */
export function createStreamMasker(parts: StreamMaskerParts): StreamMasker {
  const hold = parts.maxEntityLength;
  // Rescanning from a little further back than strictly needed keeps regex alignment at the
  // start of the window from influencing findings near the cut.
  const keepBehind = parts.lookbehind + parts.maxEntityLength;
  let buffer = ""; // left context (already emitted) + pending text
  let emitted = 0; // how much of `buffer` is already emitted
  let ended = false;
  const maxHeld = hold * MAX_HELD_FACTOR + MAX_HELD_EXTRA;

  function flush(final: boolean): string {
    if (buffer.length === emitted) return "";
    const length = buffer.length;
    let cut = final ? length : backOverKept(buffer, length, hold, Math.max(0, length - maxHeld));
    if (cut <= emitted) return "";
    const findings = parts.detect(buffer);
    if (!final) {
      for (const f of findings) {
        if (f.start < cut && f.end > cut) {
          cut = f.start; // never split a finding; it waits for the next round
          break;
        }
      }
    }
    if (cut <= emitted) return "";
    const inside: Finding[] = [];
    for (const f of findings) {
      if (f.end <= emitted || f.start >= cut) continue;
      // A finding reaching back into emitted text breaks the locality rule recognizers keep;
      // should it ever happen, mask what is still ours to mask rather than let it through.
      inside.push(f.start < emitted ? { ...f, start: emitted } : f);
    }
    const out = parts.render(buffer, emitted, cut, inside);
    const dropUpTo = backOverKept(buffer, cut, keepBehind, Math.max(0, cut - keepBehind * MAX_HELD_FACTOR - MAX_HELD_EXTRA));
    buffer = buffer.slice(dropUpTo);
    emitted = cut - dropUpTo;
    return out;
  }

  return {
    push(chunk) {
      if (ended) throw new Error("stream masker already ended");
      buffer += chunk;
      return flush(false);
    },
    end() {
      if (ended) return "";
      ended = true;
      const out = flush(true);
      buffer = "";
      emitted = 0;
      return out;
    },
  };
}
