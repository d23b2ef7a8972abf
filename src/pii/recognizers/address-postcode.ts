/**
 * Postcodes and states that close an address: UK postcodes checked against their real shapes,
 * US states and ZIP codes, German PLZ. Each matcher reads `text` from `at` and returns the end of
 * the match (exclusive) or -1. They never decide an address on their own: a postcode alone is not
 * one.
 */
import { UK_LETTERED_DISTRICTS, UK_POSTCODE_AREAS, US_STATE_CODES, US_STATE_NAMES } from "./address-lexicon.js";

// Area letters, district digit and an optional second digit or letter, an optional space, then
// the inward code: a digit and two letters. Shapes A9, A99, A9A, AA9, AA99, AA9A + 9AA.
const UK_POSTCODE = /([A-Z]{1,2})([0-9])([0-9A-Z]?) ?[0-9]([A-Z])([A-Z])(?![\p{L}\p{N}])/uy;
const UK_SPECIAL = /GIR ?0AA(?![\p{L}\p{N}])/uy; // Girobank, the one postcode outside the rules
/** Letters never used in the inward code (they look like digits or each other when written). */
const UK_INWARD_EXCLUDED = new Set(["C", "I", "K", "M", "O", "V"]);
/** Letters allowed after the district digit: A9A and AA9A shapes. */
const UK_ONE_LETTER_AREA_SUFFIX = new Set("ABCDEFGHJKPSTUW".split(""));
const UK_TWO_LETTER_AREA_SUFFIX = new Set("ABEHMNPRVWXY".split(""));

export function matchUkPostcode(text: string, at: number): number {
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

const US_ZIP = /(?!00000)[0-9]{5}(?:-[0-9]{4})?(?![\p{L}\p{N}])/uy;

export function matchUsZip(text: string, at: number): number {
  US_ZIP.lastIndex = at;
  return US_ZIP.test(text) ? US_ZIP.lastIndex : -1;
}

const US_STATE_CODE = /(?:([A-Z]{2})|D\.C\.)(?![\p{L}\p{N}])/uy;
const US_STATE_NAME = new RegExp(
  `(?:${[...US_STATE_NAMES, ...US_STATE_NAMES.map((n) => n.toUpperCase())]
    .sort((a, b) => b.length - a.length)
    .join("|")})(?![\\p{L}\\p{N}])`,
  "uy",
);

/** A USPS state code ("IL", "D.C.") or a state name written out. */
export function matchUsState(text: string, at: number): number {
  US_STATE_CODE.lastIndex = at;
  const code = US_STATE_CODE.exec(text);
  if (code !== null && (code[1] === undefined || US_STATE_CODES.has(code[1]))) return US_STATE_CODE.lastIndex;
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
