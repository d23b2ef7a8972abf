/**
 * Postcodes and states that close an address: UK postcodes checked against their real shapes,
 * US states and ZIP codes, German PLZ. Each matcher reads `text` from `at` and returns the end of
 * the match (exclusive) or -1. They never decide an address on their own: a postcode alone is not
 * one.
 */
import { UK_LETTERED_DISTRICTS, UK_POSTCODE_AREAS, US_STATE_CODES, US_STATE_NAMES } from "./address-lexicon.js";
import { codeAt } from "./chars.js";

// Area letters, district digit and an optional second digit or letter, an optional space, then
// the inward code: a digit and two letters. Shapes A9, A99, A9A, AA9, AA99, AA9A + 9AA.
const UK_POSTCODE = /([A-Z]{1,2})([0-9])([0-9A-Z]?) ?[0-9]([A-Z])([A-Z])(?![\p{L}\p{N}])/uy;
const UK_SPECIAL = /GIR ?0AA(?![\p{L}\p{N}])/uy; // Girobank, the one postcode outside the rules
/** Letters never used in the inward code (they look like digits or each other when written). */
const UK_INWARD_EXCLUDED = new Set(["C", "I", "K", "M", "O", "V"]);
/** Letters allowed after the district digit: A9A and AA9A shapes. */
const UK_ONE_LETTER_AREA_SUFFIX = new Set("ABCDEFGHJKPSTUW".split(""));
const UK_TWO_LETTER_AREA_SUFFIX = new Set("ABEHMNPRVWXY".split(""));

const isUpper = (code: number): boolean => code >= 65 && code <= 90;
const isDigitCode = (code: number): boolean => code >= 48 && code <= 57;

/**
 * What both expressions need at `at` (a capital, then a capital or digit, a digit after two
 * capitals), checked before either runs: most places a locality is looked for hold a city name
 * ("Seattle"), which this refuses without the two regex calls.
 */
function mayBeUkPostcode(text: string, at: number): boolean {
  if (!isUpper(codeAt(text, at))) return false;
  const second = codeAt(text, at + 1);
  if (isDigitCode(second)) return true;
  return isUpper(second) && (isDigitCode(codeAt(text, at + 2)) || text.startsWith("GIR", at));
}

export function matchUkPostcode(text: string, at: number): number {
  if (!mayBeUkPostcode(text, at)) return -1;
  UK_SPECIAL.lastIndex = at;
  if (UK_SPECIAL.test(text)) return UK_SPECIAL.lastIndex;
  UK_POSTCODE.lastIndex = at;
  const m = UK_POSTCODE.exec(text);
  if (m === null) return -1;
  const area = m[1]!;
  const digit = m[2]!;
  const tail = m[3]!;
  if (!UK_POSTCODE_AREAS.has(area)) return -1;
  if (tail !== "" && (tail < "0" || tail > "9")) {
    if (!UK_LETTERED_DISTRICTS.has(area + digit)) return -1;
    const allowed = area.length === 1 ? UK_ONE_LETTER_AREA_SUFFIX : UK_TWO_LETTER_AREA_SUFFIX;
    if (!allowed.has(tail)) return -1;
  }
  if (UK_INWARD_EXCLUDED.has(m[4]!) || UK_INWARD_EXCLUDED.has(m[5]!)) return -1;
  return UK_POSTCODE.lastIndex;
}

/** `count` ASCII digits at `at`. */
function digitsAt(text: string, at: number, count: number): boolean {
  for (let i = at; i < at + count; i++) if (!isDigitCode(codeAt(text, i))) return false;
  return true;
}

/**
 * A ZIP or ZIP+4 code, as /(?!00000)[0-9]{5}(?:-[0-9]{4})?(?![\p{L}\p{N}])/uy matches it, read
 * without the regex call (every US address with a state asks): the "+4" is taken when no
 * letter or digit follows it; else the five digits alone, as the "-" after them is no letter.
 */
export function matchUsZip(text: string, at: number): number {
  if (!digitsAt(text, at, 5) || text.startsWith("00000", at)) return -1;
  const five = at + 5;
  if (codeAt(text, five) === 45 && digitsAt(text, five + 1, 4) && !letterOrDigitAt(text, five + 5)) return five + 5;
  return letterOrDigitAt(text, five) ? -1 : five;
}

const US_STATE_NAME = new RegExp(
  `(?:${[...US_STATE_NAMES, ...US_STATE_NAMES.map((n) => n.toUpperCase())]
    .sort((a, b) => b.length - a.length)
    .join("|")})(?![\\p{L}\\p{N}])`,
  "uy",
);

/** A letter or digit of any script at `at`, read as a code point as /[\p{L}\p{N}]/u reads it. */
function letterOrDigitAt(text: string, at: number): boolean {
  const code = codeAt(text, at);
  if (code < 128) return (code >= 48 && code <= 57) || ((code | 32) >= 97 && (code | 32) <= 122);
  return LETTER_OR_DIGIT.test(String.fromCodePoint(text.codePointAt(at)!));
}
const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u;

/**
 * The end of a state code at `at`: two capitals that are a USPS code, or "D.C.", with no letter
 * or digit after (as /(?:([A-Z]{2})|D\.C\.)(?![\p{L}\p{N}])/uy read it, without a match array:
 * every street followed by a city asks this); else -1.
 */
function stateCodeEnd(text: string, at: number): number {
  if (isUpper(codeAt(text, at + 1))) {
    if (!letterOrDigitAt(text, at + 2) && US_STATE_CODES.has(text.slice(at, at + 2))) return at + 2;
    return -1;
  }
  return text.startsWith("D.C.", at) && !letterOrDigitAt(text, at + 4) ? at + 4 : -1;
}

/** The first two characters of every state name as written (title case and capitals), as numbers. */
const STATE_NAME_OPENINGS: ReadonlySet<number> = new Set(
  [...US_STATE_NAMES, ...US_STATE_NAMES.map((n) => n.toUpperCase())].map((n) => n.charCodeAt(0) * 65536 + n.charCodeAt(1)),
);

/** A USPS state code ("IL", "D.C.") or a state name written out. */
export function matchUsState(text: string, at: number): number {
  // Both forms start with a capital; a name also with one of the names' first two letters.
  const first = codeAt(text, at);
  if (!isUpper(first)) return -1;
  const code = stateCodeEnd(text, at);
  if (code >= 0) return code;
  if (!STATE_NAME_OPENINGS.has(first * 65536 + codeAt(text, at + 1))) return -1;
  US_STATE_NAME.lastIndex = at;
  return US_STATE_NAME.test(text) ? US_STATE_NAME.lastIndex : -1;
}

// Five digits; German PLZ run from 01001 to 99998, so "00" never leads. The old "D-" prefix of
// international mail is part of it when written.
const GERMAN_PLZ = /(?:D-|DE-)?(?!00)[0-9]{5}(?![\p{L}\p{N}])/uy;

export function matchGermanPlz(text: string, at: number): number {
  GERMAN_PLZ.lastIndex = at;
  return GERMAN_PLZ.test(text) ? GERMAN_PLZ.lastIndex : -1;
}
