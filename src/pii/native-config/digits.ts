/**
 * The cue words of the digit recognizers (`CueWords`, read by digits-cues.ts `cueBefore`) for
 * the kernel's native/pii/src/recognizers/digits_cues.rs: the lists stay in the recognizers
 * (their one source of truth) and are written here in the kernel's line format.
 */
import { CONTEXT_WINDOW } from "../context.js";
import { NOT_A_CARD } from "../recognizers/credit-card.js";
import type { CueWords } from "../recognizers/digits-cues.js";
import { NOT_AN_SSN } from "../recognizers/us-ssn.js";

/**
 * `words` in the format CueWords::parse reads, one entry a line: "window N" (the context window
 * cueBefore reads in), "max N", then "cue WORD", "suffix WORD", "stop WORD".
 */
export function cueWordsData(words: CueWords): string {
  const lines = [`window ${CONTEXT_WINDOW}`, `max ${words.maxWords}`];
  const add = (key: string, list: Iterable<string>): void => {
    for (const word of list) {
      // (A line break would end the entry early: refuse the list rather than hand over another.)
      if (/[\n\r]/.test(word)) throw new Error(`cue words: ${JSON.stringify(word)} holds a line break`);
      lines.push(`${key} ${word}`);
    }
  };
  add("cue", words.cues);
  add("suffix", words.suffixCues ?? []);
  add("stop", words.stops ?? []);
  return lines.join("\n");
}

/** configure("credit-card-cues"): NOT_A_CARD of credit-card.ts. */
export const creditCardCues = (): string => cueWordsData(NOT_A_CARD);

/** configure("us-ssn-cues"): NOT_AN_SSN of us-ssn.ts. */
export const usSsnCues = (): string => cueWordsData(NOT_AN_SSN);
