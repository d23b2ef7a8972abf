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
import { isAsciiWordCode, isDigit } from "./chars.js";

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

const isWordChar = isAsciiWordCode;

function isCue(word: string, words: CueWords): boolean {
  if (words.cues.has(word)) return true;
  for (const suffix of words.suffixCues ?? []) if (word.endsWith(suffix)) return true;
  return false;
}

/**
 * The cues and stops compiled for reading words straight from the text, with no word cut out
 * and lower-cased: a trie over lower-case ASCII (the words read are ASCII letters, digits and
 * "_"), whose states say whether the word read so far is a cue, a stop or both. Word lists with
 * other characters go the plain way (`isCue`, `stops.has`).
 */
interface CueTrie {
  /**
   * state * width + column[code] -> next state; 0 for none (state 0 is the root). Only the
   * characters the words hold have a column (the rest share column 0, leading nowhere), so the
   * table stays small enough for the cache (rows of 128 made it hundreds of kilobytes).
   */
  readonly next: Int32Array;
  readonly column: Uint8Array;
  readonly width: number;
  /** Per state: IS_CUE and IS_STOP bits for the word that ends there. */
  readonly kinds: Uint8Array;
  readonly suffixes: readonly string[];
}

const IS_CUE = 1;
const IS_STOP = 2;
const tries = new WeakMap<CueWords, CueTrie | null>();

function compileCues(words: CueWords): CueTrie | null {
  const entries: [string, number][] = [
    ...[...words.cues].map((w): [string, number] => [w, IS_CUE]),
    ...[...(words.stops ?? [])].map((w): [string, number] => [w, IS_STOP]),
  ];
  let states = 1;
  for (const [word] of entries) {
    if (!/^[a-z0-9_]+$/.test(word)) return null;
    states += word.length;
  }
  for (const suffix of words.suffixCues ?? []) if (!/^[a-z0-9_]+$/.test(suffix)) return null;
  const column = new Uint8Array(128);
  let width = 1;
  for (const [word] of entries) {
    for (let k = 0; k < word.length; k++) if (column[word.charCodeAt(k)] === 0) column[word.charCodeAt(k)] = width++;
  }
  const next = new Int32Array(states * width);
  const kinds = new Uint8Array(states);
  let used = 1;
  for (const [word, kind] of entries) {
    let state = 0;
    for (let k = 0; k < word.length; k++) {
      const key = state * width + column[word.charCodeAt(k)]!;
      if (next[key] === 0) next[key] = used++;
      state = next[key]!;
    }
    kinds[state]! |= kind;
  }
  return { next, column, width, kinds, suffixes: words.suffixCues ?? [] };
}

/** The last list asked for and its trie: a recognizer asks for its own list many times in a row. */
let lastWords: CueWords | undefined;
let lastTrie: CueTrie | null = null;

function trieOf(words: CueWords): CueTrie | null {
  if (words === lastWords) return lastTrie;
  let trie = tries.get(words);
  if (trie === undefined) {
    trie = compileCues(words);
    tries.set(words, trie);
  }
  lastWords = words;
  lastTrie = trie;
  return trie;
}

/** `text[start, end)` (ASCII word characters) ends with `suffix` (lower case), case folded. */
function endsWithFolded(text: string, start: number, end: number, suffix: string): boolean {
  if (end - start < suffix.length) return false;
  for (let k = 1; k <= suffix.length; k++) {
    const code = text.charCodeAt(end - k);
    if ((code >= 65 && code <= 90 ? code + 32 : code) !== suffix.charCodeAt(suffix.length - k)) return false;
  }
  return true;
}

/** IS_CUE and IS_STOP bits for the word `text[start, end)` (ASCII word characters), as `isCue` and `stops` say. */
function kindOf(text: string, start: number, end: number, trie: CueTrie): number {
  const { next, column, width } = trie;
  let state = 0;
  for (let i = start; i < end && state >= 0; i++) {
    const code = text.charCodeAt(i);
    state = next[state * width + column[code >= 65 && code <= 90 ? code + 32 : code]!]! || -1;
  }
  let kind = state > 0 ? trie.kinds[state]! : 0;
  if ((kind & IS_CUE) === 0) {
    for (const suffix of trie.suffixes) {
      if (endsWithFolded(text, start, end, suffix)) {
        kind |= IS_CUE;
        break;
      }
    }
  }
  return kind;
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
  const trie = trieOf(words);
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
    if (trie !== null) {
      const kind = kindOf(text, j, i, trie);
      if ((kind & IS_CUE) !== 0) return true;
      if ((kind & IS_STOP) !== 0) return false;
    } else {
      const word = text.slice(j, i).toLowerCase();
      if (isCue(word, words)) return true;
      if (words.stops?.has(word)) return false;
    }
    if (++seen > words.maxWords) return false;
    i = j;
  }
  return false;
}
