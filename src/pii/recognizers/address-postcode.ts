/**
 * Postcodes and states that close an address: UK postcodes checked against their real shapes,
 * US states and ZIP codes, German PLZ. Each matcher reads `text` from `at` and returns the end of
 * the match (exclusive) or -1. They never decide an address on their own: a postcode alone is not
 * one.
 */
import { UK_LETTERED_DISTRICTS, UK_POSTCODE_AREAS, US_STATE_CODES, US_STATE_NAMES } from "./address-lexicon.js";
import { codeAt } from "./chars.js";

// Area letters, district digit and an optional second digit or letter, an optional space, then
// the inward code: a digit and two letters. Shapes A9, A99, A9A, AA9, AA99, AA9A + 9AA; as
// /([A-Z]{1,2})([0-9])([0-9A-Z]?) ?[0-9]([A-Z])([A-Z])(?![\p{L}\p{N}])/uy reads them (see
// matchUkPostcode), then checked against the real areas and districts.
const UK_SPECIAL = /GIR ?0AA(?![\p{L}\p{N}])/uy; // Girobank, the one postcode outside the rules

const isUpper = (code: number): boolean => code >= 65 && code <= 90;
const isDigitCode = (code: number): boolean => code >= 48 && code <= 57;

/** A number for one or two capitals (A..Z, then AA..ZZ), to index the tables below. */
const areaKey = (first: number, second: number): number => (second < 0 ? first - 65 : 26 + (first - 65) * 26 + (second - 65));
const keyOf = (letters: string): number => areaKey(letters.charCodeAt(0), letters.length > 1 ? letters.charCodeAt(1) : -1);
const AREA_KEYS = 26 + 26 * 26;

/** 1 for the postcode areas (UK_POSTCODE_AREAS), by areaKey. */
const UK_AREA = new Uint8Array(AREA_KEYS);
for (const area of UK_POSTCODE_AREAS) UK_AREA[keyOf(area)] = 1;
/** 1 for the lettered districts (UK_LETTERED_DISTRICTS: "SW1", "W1"), by areaKey * 10 + digit. */
const UK_LETTERED = new Uint8Array(AREA_KEYS * 10);
for (const district of UK_LETTERED_DISTRICTS) UK_LETTERED[keyOf(district.slice(0, -1)) * 10 + Number(district.slice(-1))] = 1;
/**
 * By capital (code - 65): bit 1 for a letter never used in the inward code (C I K M O V: they
 * look like digits or each other when written), bit 2 for one allowed after the district digit
 * of a one-letter area (A9A), bit 4 after a two-letter area's (AA9A).
 */
const UK_LETTER = new Uint8Array(26);
for (const c of "CIKMOV") UK_LETTER[c.charCodeAt(0) - 65]! |= 1;
for (const c of "ABCDEFGHJKPSTUW") UK_LETTER[c.charCodeAt(0) - 65]! |= 2;
for (const c of "ABEHMNPRVWXY") UK_LETTER[c.charCodeAt(0) - 65]! |= 4;
const INWARD_EXCLUDED = 1;

/**
 * What the expression needs at `at` (a capital, then a capital or digit, a digit after two
 * capitals), checked first: most places a locality is looked for hold a city name ("Seattle").
 */
function mayBeUkPostcode(text: string, at: number): boolean {
  if (!isUpper(codeAt(text, at))) return false;
  const second = codeAt(text, at + 1);
  if (isDigitCode(second)) return true;
  return isUpper(second) && (isDigitCode(codeAt(text, at + 2)) || text.startsWith("GIR", at));
}

/** The end of the inward code " ?[0-9][A-Z][A-Z](?![\p{L}\p{N}])" at `at`, or -1. */
function inwardEnd(text: string, at: number): number {
  const q = codeAt(text, at) === 32 ? at + 1 : at;
  if (!isDigitCode(codeAt(text, q)) || !isUpper(codeAt(text, q + 1)) || !isUpper(codeAt(text, q + 2))) return -1;
  return letterOrDigitAt(text, q + 3) ? -1 : q + 3;
}

/**
 * A UK postcode at `at`: its end, or -1. Read by character codes, not by the expression above
 * (its match array and five strings cost more than the reading), taking the same match it
 * would: the area's letters as many as stand there (one more would have to be the digit), the
 * district's second character when the inward code still follows it, else without it.
 */
export function matchUkPostcode(text: string, at: number): number {
  if (!mayBeUkPostcode(text, at)) return -1;
  if (text.startsWith("GIR", at)) {
    UK_SPECIAL.lastIndex = at;
    if (UK_SPECIAL.test(text)) return UK_SPECIAL.lastIndex;
  }
  const first = codeAt(text, at);
  const second = codeAt(text, at + 1);
  const twoLetters = isUpper(second);
  const digitAt = twoLetters ? at + 2 : at + 1;
  const digit = codeAt(text, digitAt);
  if (!isDigitCode(digit)) return -1;
  const districtEnd = codeAt(text, digitAt + 1);
  let tail = -1; // the district's second character, when taken
  let end = -1;
  if (isDigitCode(districtEnd) || isUpper(districtEnd)) {
    end = inwardEnd(text, digitAt + 2);
    if (end >= 0) tail = districtEnd;
  }
  if (end < 0) end = inwardEnd(text, digitAt + 1);
  if (end < 0) return -1;
  const area = areaKey(first, twoLetters ? second : -1);
  if (UK_AREA[area] !== 1) return -1;
  if (isUpper(tail)) {
    if (UK_LETTERED[area * 10 + (digit - 48)] !== 1) return -1;
    if ((UK_LETTER[tail - 65]! & (twoLetters ? 4 : 2)) === 0) return -1;
  }
  if ((UK_LETTER[codeAt(text, end - 2) - 65]! & INWARD_EXCLUDED) !== 0 || (UK_LETTER[codeAt(text, end - 1) - 65]! & INWARD_EXCLUDED) !== 0) {
    return -1;
  }
  return end;
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
    if (!letterOrDigitAt(text, at + 2) && US_STATE_CODE[areaKey(codeAt(text, at), codeAt(text, at + 1))] === 1) return at + 2;
    return -1;
  }
  return text.startsWith("D.C.", at) && !letterOrDigitAt(text, at + 4) ? at + 4 : -1;
}

/** 1 for the USPS state codes, by areaKey (a table read instead of a two-letter string). */
const US_STATE_CODE = new Uint8Array(AREA_KEYS);
for (const code of US_STATE_CODES) US_STATE_CODE[keyOf(code)] = 1;

/**
 * A number for three ASCII characters, 7 bits each (a small integer, which a Set hashes faster
 * than a larger number), or -1 when one is not ASCII (or is -1, outside the text): for looking
 * words up by their first three letters where every word is ASCII (state names, unit words).
 */
export const key3 = (a: number, b: number, c: number): number => ((a | b | c) >>> 0 < 128 ? (a << 14) | (b << 7) | c : -1);

/**
 * The first three characters of every state name as written (title case and capitals), as
 * key3 numbers. Three, not two: many cities open like a state ("London" like "Louisiana",
 * "Denver" like "Delaware", "Manchester" like "Maine"), and each would run US_STATE_NAME.
 */
const STATE_NAME_OPENINGS: ReadonlySet<number> = new Set(
  [...US_STATE_NAMES, ...US_STATE_NAMES.map((n) => n.toUpperCase())].map((n) => key3(n.charCodeAt(0), n.charCodeAt(1), n.charCodeAt(2))),
);

/** A USPS state code ("IL", "D.C.") or a state name written out. */
export function matchUsState(text: string, at: number): number {
  // Both forms start with a capital; a name also with one of the names' first two letters.
  const first = codeAt(text, at);
  if (!isUpper(first)) return -1;
  const code = stateCodeEnd(text, at);
  if (code >= 0) return code;
  if (!STATE_NAME_OPENINGS.has(key3(first, codeAt(text, at + 1), codeAt(text, at + 2)))) return -1;
  US_STATE_NAME.lastIndex = at;
  return US_STATE_NAME.test(text) ? US_STATE_NAME.lastIndex : -1;
}

/**
 * Five digits; German PLZ run from 01001 to 99998, so "00" never leads. The old "D-" prefix of
 * international mail is part of it when written. As /(?:D-|DE-)?(?!00)[0-9]{5}(?![\p{L}\p{N}])/uy
 * reads it, without the call (every German address with a town asks): a prefix taken is never
 * given back, as without it the five digits would have to start at the "D".
 */
export function matchGermanPlz(text: string, at: number): number {
  let p = at;
  if (codeAt(text, p) === 68) {
    if (codeAt(text, p + 1) === 45) p += 2; // "D-"
    else if (codeAt(text, p + 1) === 69 && codeAt(text, p + 2) === 45) p += 3; // "DE-"
  }
  if (!digitsAt(text, p, 5) || text.startsWith("00", p)) return -1;
  return letterOrDigitAt(text, p + 5) ? -1 : p + 5;
}
