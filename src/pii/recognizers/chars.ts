/** Character-class helpers shared by recognizers; char codes avoid allocating substrings. */

export const isDigit = (code: number): boolean => code >= 48 && code <= 57;
/**
 * isDigit for a code that is a number, never NaN (a read inside the text, or codeAt): one
 * unsigned comparison, one branch to predict in the digit loops instead of two. NaN would pass
 * it ((NaN - 48) >>> 0 is 0), so a read that may fall past the text keeps isDigit.
 */
export const isDigitCode = (code: number): boolean => (code - 48) >>> 0 <= 9;
export const isAsciiLetter = (code: number): boolean => (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
export const isAsciiAlnum = (code: number): boolean => isDigit(code) || isAsciiLetter(code);

/** 1 for the ASCII word characters [0-9A-Za-z_], else 0. */
const WORD_CODES = new Uint8Array(128);
for (let code = 0; code < 128; code++) WORD_CODES[code] = isAsciiAlnum(code) || code === 95 ? 1 : 0;

/**
 * isAsciiAlnum(code) || code === "_" as one table read, for the word walks that ask it of every
 * character they pass.
 */
export function isAsciiWordCode(code: number): boolean {
  // (code >>> 0 keeps the read inside the table for -1 and NaN, which are no word characters.)
  const index = code >>> 0;
  return index < 128 && WORD_CODES[index] === 1;
}

/**
 * `text.charCodeAt(index)`, or -1 outside the text, for reads that may fall one or two past
 * either end. Why: a charCodeAt past the end deoptimizes the function around it ("out of
 * bounds"), and the code V8 makes next no longer reads characters inline there; the phone
 * recognizer measured about 7% slower on texts that end in a number. -1 answers every test
 * here as NaN did (it is no digit, letter, separator or joint).
 */
export function codeAt(text: string, index: number): number {
  return index >= 0 && index < text.length ? text.charCodeAt(index) : -1;
}

/**
 * For each code below 256, 1 when `pattern` matches that one character, read once at load.
 * Why: Latin-1 letters (é, ß, ü) are common in names and addresses, and a regular expression run
 * costs microseconds when its code is out of the processor's caches (the gateway masks one
 * result at a time, between other work); a table read does not. The table is the pattern's own
 * answer, so nothing changes but the cost.
 */
export function latin1Table(pattern: RegExp): Uint8Array {
  const table = new Uint8Array(256);
  for (let code = 0; code < 256; code++) table[code] = pattern.test(String.fromCharCode(code)) ? 1 : 0;
  return table;
}

/** Letters and digits in any script (for IDN domains, names in addresses). */
const UNICODE_ALNUM = /[\p{L}\p{N}]/u;
const LATIN1_ALNUM = latin1Table(UNICODE_ALNUM);
export function isAlnumAt(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  if (code < 128) return isAsciiAlnum(code);
  if (code < 256) return LATIN1_ALNUM[code] === 1;
  if (Number.isNaN(code)) return false;
  return UNICODE_ALNUM.test(text[index]!);
}

/** True when the character at `index` (or the edge of the text) is not a letter or digit. */
export function isBoundaryAt(text: string, index: number): boolean {
  if (index < 0 || index >= text.length) return true;
  return !isAlnumAt(text, index);
}
