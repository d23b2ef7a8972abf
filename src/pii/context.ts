import type { Candidate, Recognizer } from "./types.js";

/** How far before a candidate context words count (characters). */
export const CONTEXT_WINDOW = 48;
/**
 * Negative words count only right before a candidate ("version 2 Street Fighter"): further
 * back they more often belong to something else ("version 1.2.3.4, shipped to 12 Main St").
 */
export const NEGATIVE_CONTEXT_WINDOW = 16;
/** Presidio's default: a context word adds 0.35 and lifts a candidate to at least 0.4. */
const CONTEXT_BOOST = 0.35;
const CONTEXT_FLOOR = 0.4;
const NEGATIVE_CONTEXT_PENALTY = 0.45;

function isWordChar(code: number): boolean {
  return (
    (code >= 48 && code <= 57) || (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95
  );
}

/**
 * True when `phrase` occurs in `window` as a whole word (not inside a longer word).
 * `startsMidWord`: the window was cut out of a word, so its first characters are no word start.
 */
function containsWord(window: string, phrase: string, startsMidWord: boolean): boolean {
  let from = 0;
  for (;;) {
    const at = window.indexOf(phrase, from);
    if (at < 0) return false;
    const before = at === 0 ? (startsMidWord ? 97 : 32) : window.charCodeAt(at - 1);
    const afterIndex = at + phrase.length;
    const after = afterIndex >= window.length ? 32 : window.charCodeAt(afterIndex);
    // A word wrapped as "<word>" or "<word:" is a mask tag ("<PASSPORT>", "<PASSPORT:kd...>"):
    // masked text must not lend context to what is left, or masking twice would change it.
    const isMaskTag = before === 60 /* < */ && (after === 62 /* > */ || after === 58); /* : */
    // A trailing "s" still counts, so "passports" and "cards" match "passport" and "card".
    const endsWord = !isWordChar(after) || (after === 115 && !isWordChar(window.charCodeAt(afterIndex + 1) || 32));
    if (!isWordChar(before) && endsWord && !isMaskTag) return true;
    from = at + 1;
  }
}

function anyWord(window: string, words: readonly string[], startsMidWord: boolean): boolean {
  for (const word of words) if (containsWord(window, word, startsMidWord)) return true;
  return false;
}

/** The lower-cased text just before a candidate, where context words are looked for. */
export function contextWindowBefore(text: string, start: number): string {
  return text.slice(Math.max(0, start - CONTEXT_WINDOW), start).toLowerCase();
}

/** True when `text[from]` is inside a word, so a window starting there starts mid-word. */
function cutsWord(text: string, from: number): boolean {
  return from > 0 && isWordChar(text.charCodeAt(from - 1));
}

/** The candidate's score after the context words near it are considered. */
export function scoreWithContext(text: string, candidate: Candidate, recognizer: Recognizer): number {
  const hasPositive = recognizer.context.length > 0;
  const negative = recognizer.negativeContext ?? [];
  if (!hasPositive && negative.length === 0) return candidate.score;
  const { start } = candidate;
  let score = candidate.score;
  if (hasPositive && anyWord(contextWindowBefore(text, start), recognizer.context, cutsWord(text, start - CONTEXT_WINDOW))) {
    score = Math.max(CONTEXT_FLOOR, Math.min(1, score + CONTEXT_BOOST));
  } else if (negative.length > 0) {
    const near = text.slice(Math.max(0, start - NEGATIVE_CONTEXT_WINDOW), start).toLowerCase();
    if (anyWord(near, negative, cutsWord(text, start - NEGATIVE_CONTEXT_WINDOW))) {
      score = Math.max(0, score - NEGATIVE_CONTEXT_PENALTY);
    }
  }
  return score;
}
