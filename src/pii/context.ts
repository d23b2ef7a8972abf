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
  if (phrase.length === 0) return false; // no word (and indexOf("") would never move on)
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

/** True when `text[from]` is inside a word, so a window starting there starts mid-word. */
function cutsWord(text: string, from: number): boolean {
  return from > 0 && isWordChar(text.charCodeAt(from - 1));
}

/**
 * The rule above, "a word of the list occurs in the lower-cased window as a whole word", read
 * straight from the text: no slice, no lower-cased copy, no search per word. The words are
 * compiled into a trie over lower-case characters; each position where a word can start (after a
 * non-word character) is visited once and the trie walked from there, case folded on the fly.
 *
 * Folding one character at a time agrees with lower-casing the window except for the two
 * characters whose lower case is ASCII or longer ("İ" becomes "i̇", the Kelvin sign "k"); a
 * window holding one of them, rare as they are, goes through `containsWord` itself. Word lists
 * this cannot take (a word not starting with an ASCII character, holding a surrogate or a sigma,
 * whose lower case depends on its neighbours) always go that way.
 */
interface WordTrie {
  /**
   * ASCII transitions: state * width + column[code] -> next state, 0 for none (state 0 is the
   * root). Only the characters the words hold have a column (the others share column 0, which
   * leads nowhere): rows of 128 made the table of a long list hundreds of kilobytes, far more
   * than the processor's nearest caches hold.
   */
  readonly ascii: Int32Array;
  readonly column: Uint8Array;
  readonly width: number;
  /** Transitions on non-ASCII characters, keyed state * 65536 + code. */
  readonly other: ReadonlyMap<number, number>;
  /** States where a word ends. */
  readonly accepts: Uint8Array;
  /** Per ASCII character: WORD_CHAR when it is a word character, FIRST_CHAR when a word starts with it (either case). */
  readonly classes: Uint8Array;
}

const WORD_CHAR = 1;
const FIRST_CHAR = 2;

interface WordMatcher {
  readonly words: readonly string[];
  /** Undefined when the fast path cannot serve these words. */
  readonly trie: WordTrie | undefined;
}

const LATIN_CAPITAL_I_WITH_DOT = 0x130;
const KELVIN_SIGN = 0x212a;

function compileWords(words: readonly string[]): WordMatcher {
  let states = 1;
  for (const word of words) {
    // Empty words, non-ASCII first characters, surrogates and sigmas: the general path.
    if (!(word.charCodeAt(0) < 128) || /[\ud800-\udfff\u03c2\u03c3]/.test(word)) return { words, trie: undefined };
    states += word.length;
  }
  const column = new Uint8Array(128);
  let width = 1;
  for (const word of words) {
    for (let k = 0; k < word.length; k++) {
      const code = word.charCodeAt(k);
      if (code < 128 && column[code] === 0) column[code] = width++;
    }
  }
  const ascii = new Int32Array(states * width);
  const other = new Map<number, number>();
  const accepts = new Uint8Array(states);
  let used = 1;
  for (const word of words) {
    let state = 0;
    for (let k = 0; k < word.length; k++) {
      const code = word.charCodeAt(k);
      const key = code < 128 ? state * width + column[code]! : state * 65536 + code;
      let next = code < 128 ? ascii[key]! : (other.get(key) ?? 0);
      if (next === 0) {
        next = used++;
        if (code < 128) ascii[key] = next;
        else other.set(key, next);
      }
      state = next;
    }
    accepts[state] = 1;
  }
  const classes = new Uint8Array(128);
  for (let code = 0; code < 128; code++) {
    const lower = code >= 65 && code <= 90 ? code + 32 : code;
    classes[code] = (isWordChar(code) ? WORD_CHAR : 0) | (ascii[column[lower]!] !== 0 ? FIRST_CHAR : 0);
  }
  return { words, trie: { ascii, column, width, other, accepts, classes } };
}

const matchers = new WeakMap<readonly string[], WordMatcher>();
/** The last list asked for: the scanner asks for one recognizer's lists many times in a row. */
let lastMatcher: WordMatcher | undefined;

function matcherFor(words: readonly string[]): WordMatcher {
  if (lastMatcher !== undefined && lastMatcher.words === words) return lastMatcher;
  let matcher = matchers.get(words);
  if (matcher === undefined) {
    matcher = compileWords(words);
    matchers.set(words, matcher);
  }
  lastMatcher = matcher;
  return matcher;
}

const UNDECIDED = -1;

/**
 * Lower case of one UTF-16 code unit as `toLowerCase` gives it inside a string, or UNDECIDED for
 * the two whose lower case is ASCII or longer (then the caller lets `containsWord` decide).
 */
function lowerCode(code: number): number {
  if (code < 128) return code >= 65 && code <= 90 ? code + 32 : code;
  if (code === LATIN_CAPITAL_I_WITH_DOT || code === KELVIN_SIGN) return UNDECIDED;
  return String.fromCharCode(code).toLowerCase().charCodeAt(0);
}

/** The lower-cased character at `index` as the rule sees it: a space past `end`. */
function lowerAt(text: string, index: number, end: number): number {
  return index >= end ? 32 : lowerCode(text.charCodeAt(index));
}

/**
 * 1 when a word of the trie starts at `at` (a word start) and ends as a word before `end`, 0
 * when none does, UNDECIDED when a character folding alone cannot read is in the way.
 */
function wordStartsAt(text: string, at: number, end: number, low: number, trie: WordTrie): number {
  const { ascii, column, width, accepts } = trie;
  let state = 0;
  for (let i = at; i < end; i++) {
    const raw = text.charCodeAt(i);
    let code: number;
    if (raw < 128) {
      code = raw >= 65 && raw <= 90 ? raw + 32 : raw;
      state = ascii[state * width + column[code]!]!;
    } else {
      code = lowerCode(raw);
      if (code === UNDECIDED) return UNDECIDED;
      state = trie.other.get(state * 65536 + code) ?? 0;
    }
    if (state === 0) return 0;
    if (accepts[state] === 0) continue;
    // A word ends at i: it counts when what follows ends the word too.
    const after = lowerAt(text, i + 1, end);
    if (after === UNDECIDED) return UNDECIDED;
    // A word wrapped as "<word>" or "<word:" is a mask tag, no context (see containsWord).
    if (at > low && text.charCodeAt(at - 1) === 60 && (after === 62 || after === 58)) continue;
    if (!isWordChar(after)) return 1;
    if (after === 115) {
      const next = lowerAt(text, i + 2, end);
      if (next === UNDECIDED) return UNDECIDED;
      if (!isWordChar(next)) return 1;
    }
  }
  return 0;
}

/**
 * 1 or 0 as `anyWord` answers for the window `text[max(0, start - size), start)`, or UNDECIDED
 * when the window holds a character folding alone cannot read.
 *
 * The word starts are tried from the candidate back: a context word mostly stands just before
 * its candidate ("mobile +1 ...", "SSN 123-..."), and each start is judged on its own, so the
 * order changes no answer, only how soon a present word is found.
 */
function anyWordFast(text: string, start: number, size: number, trie: WordTrie): number {
  const from = start - size;
  const low = from > 0 ? from : 0;
  const classes = trie.classes;
  for (let i = start - 1; i >= low; i--) {
    const code = text.charCodeAt(i);
    if (code >= 128) {
      if (code === LATIN_CAPITAL_I_WITH_DOT || code === KELVIN_SIGN) return UNDECIDED;
      continue; // other non-ASCII characters lower-case to non-ASCII ones: no word starts here
    }
    if ((classes[code]! & FIRST_CHAR) === 0) continue;
    // A word starts at i when the character before is no word character (at the window's edge:
    // when the window does not cut a word).
    if (i === low) {
      if (cutsWord(text, from)) continue;
    } else {
      const before = text.charCodeAt(i - 1);
      if (before < 128) {
        if ((classes[before]! & WORD_CHAR) !== 0) continue;
      } else if (before === LATIN_CAPITAL_I_WITH_DOT || before === KELVIN_SIGN) {
        return UNDECIDED;
      }
    }
    const found = wordStartsAt(text, i, start, low, trie);
    if (found !== 0) return found;
  }
  return 0;
}

/**
 * The rule itself: one of `words` occurs as a whole word in the lower-cased `size` characters
 * before `start`. `wordBefore` must always answer as this does (the tests compare them).
 */
export function wordBeforeByRule(text: string, start: number, size: number, words: readonly string[]): boolean {
  const window = text.slice(Math.max(0, start - size), start).toLowerCase();
  return anyWord(window, words, cutsWord(text, start - size));
}

/** True when one of `words` stands as a whole word in the `size` characters before `start`. */
export function wordBefore(text: string, start: number, size: number, words: readonly string[]): boolean {
  return wordBeforeIn(text, start, size, matcherFor(words));
}

/** wordBefore with the words' matcher already looked up. */
function wordBeforeIn(text: string, start: number, size: number, matcher: WordMatcher): boolean {
  const trie = matcher.trie;
  if (trie !== undefined) {
    const fast = anyWordFast(text, start, size, trie);
    if (fast !== UNDECIDED) return fast === 1;
  }
  return wordBeforeByRule(text, start, size, matcher.words);
}

/**
 * False when the recognizer names no context words at all, so `scoreWithContext` gives every
 * candidate its own score back: the scanner then asks once per recognizer, not once per candidate.
 */
export function usesContext(recognizer: Recognizer): boolean {
  const negative = recognizer.negativeContext;
  return recognizer.context.length > 0 || (negative !== undefined && negative.length > 0);
}

/** The candidate's score after the context words near it are considered. */
export function scoreWithContext(text: string, candidate: Candidate, recognizer: Recognizer): number {
  const positive = recognizer.context;
  const negative = recognizer.negativeContext;
  const hasNegative = negative !== undefined && negative.length > 0;
  let score = candidate.score;
  // A certain candidate stays certain unless a negative word may lower it.
  if (!hasNegative && (positive.length === 0 || score === 1)) return score;
  const { start } = candidate;
  if (positive.length > 0 && wordBefore(text, start, CONTEXT_WINDOW, positive)) {
    score = boosted(score);
  } else if (hasNegative && wordBefore(text, start, NEGATIVE_CONTEXT_WINDOW, negative)) {
    score = Math.max(0, score - NEGATIVE_CONTEXT_PENALTY);
  }
  return score;
}

/** The candidate's score is below the scorer's threshold (given only for a threshold above 0). */
export const DROPPED = -1;

/**
 * scoreWithContext (the rule, which the tests hold this to) for the candidates of one
 * recognizer, its word lists looked up once: the scanner makes one per recognizer, not one
 * lookup per candidate. With a `threshold`, a candidate that no context word can lift to it is
 * answered DROPPED without reading any text: negative words only lower a score, so its fate is
 * known from its own score ("order 4155552671" scores 0.05, and even "call" lifts that to 0.4).
 */
export class ContextScorer {
  private readonly positive: WordMatcher | undefined;
  private readonly negative: WordMatcher | undefined;
  /** Scores below this stay below the threshold even with a positive word before them. */
  private readonly hopeless: number;

  constructor(recognizer: Recognizer, threshold: number) {
    const negative = recognizer.negativeContext;
    this.positive = recognizer.context.length > 0 ? matcherFor(recognizer.context) : undefined;
    this.negative = negative !== undefined && negative.length > 0 ? matcherFor(negative) : undefined;
    // (A threshold of 0 or less, or not a number, drops nothing here: DROPPED is below 0 only.)
    if (!(threshold > 0)) this.hopeless = -Infinity;
    else this.hopeless = this.positive === undefined ? threshold : lowestBoostedTo(threshold);
  }

  /** The candidate's score, as scoreWithContext gives it, or DROPPED when that is below the threshold. */
  score(text: string, candidate: Candidate): number {
    let score = candidate.score;
    if (score < this.hopeless) return DROPPED;
    const negative = this.negative;
    // A certain candidate stays certain unless a negative word may lower it.
    if (negative === undefined && (this.positive === undefined || score === 1)) return score;
    const start = candidate.start;
    if (this.positive !== undefined && wordBeforeIn(text, start, CONTEXT_WINDOW, this.positive)) {
      score = boosted(score);
    } else if (negative !== undefined && wordBeforeIn(text, start, NEGATIVE_CONTEXT_WINDOW, negative)) {
      score = Math.max(0, score - NEGATIVE_CONTEXT_PENALTY);
    }
    return score;
  }
}

/** What a positive context word makes of `score`. */
function boosted(score: number): number {
  return Math.max(CONTEXT_FLOOR, Math.min(1, score + CONTEXT_BOOST));
}

/**
 * The lowest score worth a look: any score below it stays below `threshold` even boosted.
 * Found by halving over the scores rather than by subtracting, so float rounding in `boosted`
 * can never drop a candidate the boost would have lifted: the answer only ever errs low.
 */
function lowestBoostedTo(threshold: number): number {
  if (boosted(0) >= threshold) return 0;
  let low = 0; // boosted(low) < threshold
  let high = 1; // boosted(high) >= threshold, or the top of the range
  for (let step = 0; step < 64; step++) {
    const middle = (low + high) / 2;
    if (middle === low || middle === high) break;
    if (boosted(middle) >= threshold) high = middle;
    else low = middle;
  }
  // Every score below `low` boosts below the threshold (boosted never falls as score rises).
  return low;
}

/** The recognizer's scorer, or undefined when it names no context words (scores stay as found). */
export function contextScorerFor(recognizer: Recognizer, threshold: number): ContextScorer | undefined {
  return usesContext(recognizer) ? new ContextScorer(recognizer, threshold) : undefined;
}
