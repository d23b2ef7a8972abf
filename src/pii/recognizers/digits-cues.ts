/**
 * A cue word that belongs to one number: the words just before the number are read, nearest
 * first, until a cue is met (true) or something shows the words belong elsewhere (false): a
 * token holding a digit (another number owns the words before it), a stop word, a line break,
 * the end of a sentence, or the edge of the context window. The core's context scoring looks at
 * the whole 48-character window; this narrower reading lets "version 1.2.3.4" stay a version
 * while "nginx version 1.25.3 listening on 10.0.0.5" still reports the address, and keeps an
 * "ISBN" or "zip" of the previous sentence or CSV header from demoting the next number.
 */
import { CONTEXT_WINDOW } from "../context.js";
import { isAsciiAlnum, isDigit } from "./chars.js";

export interface CueWords {
  /** Lower-case words that, owning the number, make it something else. */
  readonly cues: ReadonlySet<string>;
  /** Longer cues that also count at the end of a word ("app_version", "fileversion"). */
  readonly suffixCues?: readonly string[];
  /** Lower-case words that show the number is introduced as something else ("ip", "card"). */
  readonly stops?: ReadonlySet<string>;
  /** How many other words may stand between the cue and the number. */
  readonly maxWords: number;
}

const isWordChar = (code: number): boolean => isAsciiAlnum(code) || code === 95;

function isCue(word: string, words: CueWords): boolean {
  if (words.cues.has(word)) return true;
  for (const suffix of words.suffixCues ?? []) if (word.endsWith(suffix)) return true;
  return false;
}

/** Longest word before a "." still read as an abbreviation ("ver.", "no.", "Tel.", "acct."). */
const MAX_ABBREVIATION = 4;

/**
 * True when the punctuation at `at` ends a sentence: "!" or "?", or "." after a word longer than
 * an abbreviation, each followed by white space. "for reference. FYI, 711-25-8367": the cue
 * belongs to the sentence before.
 */
function endsSentence(text: string, at: number, floor: number): boolean {
  const code = text.charCodeAt(at);
  if (code !== 46 && code !== 33 && code !== 63) return false;
  const next = text.charCodeAt(at + 1);
  if (next !== 32 && next !== 9 && next !== 10 && next !== 13) return false;
  if (code !== 46) return true;
  let k = at;
  while (k > floor && isWordChar(text.charCodeAt(k - 1))) k--;
  return at - k > MAX_ABBREVIATION;
}

export function cueBefore(text: string, start: number, words: CueWords): boolean {
  const floor = Math.max(0, start - CONTEXT_WINDOW);
  let i = start;
  let seen = 0;
  while (i > floor) {
    const code = text.charCodeAt(i - 1);
    if (code === 10 || code === 13) return false;
    if (!isWordChar(code)) {
      if (endsSentence(text, i - 1, floor)) return false;
      i--;
      continue;
    }
    let j = i;
    let hasDigit = false;
    while (j > floor && isWordChar(text.charCodeAt(j - 1))) {
      j--;
      if (isDigit(text.charCodeAt(j))) hasDigit = true;
    }
    if (j === floor && j > 0 && isWordChar(text.charCodeAt(j - 1))) return false; // cut by the window
    if (hasDigit) return false;
    const word = text.slice(j, i).toLowerCase();
    if (isCue(word, words)) return true;
    if (words.stops?.has(word) || ++seen > words.maxWords) return false;
    i = j;
  }
  return false;
}
