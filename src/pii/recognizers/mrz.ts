/**
 * Machine-readable zones of passports (ICAO 9303 part 4, TD3): two lines of 44 characters,
 *
 *   P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<
 *   L898902C36UTO7408122F1204159ZE184226B<<<<<10
 *
 * line 2 holding the document number, birth date, expiry date and optional personal number,
 * each followed by a check digit, and a composite check digit over all of them.
 */
import type { Candidate } from "../types.js";
import { isAsciiAlnum } from "./chars.js";

export const TD3_LINE = 44;
/** Between the lines: "\n", "\r\n", "\r", a space (pasted onto one line) or an escaped "\n". */
const MAX_LINE_BREAK = 2;
export const TD3_MAX_LENGTH = TD3_LINE * 2 + MAX_LINE_BREAK;

const LT = 60; // "<", the filler
const ZERO = 48;
const WEIGHTS = [7, 3, 1] as const;

/** A zone whose check digits all hold: certain on its own. */
export const SCORE_MRZ_VALID = 1;
/**
 * TD3-shaped, dates well-formed, but a check digit fails (an OCR slip, a hand-typed zone): still
 * most likely a passport, so a context word ("passport", "MRZ") is enough to report it.
 */
export const SCORE_MRZ_UNCHECKED = 0.3;

/** Value of one MRZ character for check digits: 0-9, A-Z = 10-35, "<" = 0; -1 for anything else. */
function mrzValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 65 && code <= 90) return code - 55;
  if (code === LT) return 0;
  return -1;
}

/** ICAO 9303 check digit (weights 7, 3, 1 repeating) over `text[start, end)`, or -1 if not MRZ text. */
export function mrzCheckDigit(text: string, start = 0, end = text.length): number {
  let sum = 0;
  for (let i = start; i < end; i++) {
    const value = mrzValue(text.charCodeAt(i));
    if (value < 0) return -1;
    sum += value * WEIGHTS[(i - start) % 3]!;
  }
  return sum % 10;
}

/** True when the check digit at `at` matches the field `text[start, end)`. */
function checks(text: string, start: number, end: number, at: number): boolean {
  const expected = mrzCheckDigit(text, start, end);
  return expected >= 0 && text.charCodeAt(at) === ZERO + expected;
}

function twoDigits(text: string, at: number): number {
  return (text.charCodeAt(at) - ZERO) * 10 + (text.charCodeAt(at + 1) - ZERO);
}

/** YYMMDD with a real month and day (the century is not written, so any year is fine). */
function isMrzDate(text: string, at: number): boolean {
  const month = twoDigits(text, at + 2);
  const day = twoDigits(text, at + 4);
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/**
 * The check digits of a TD3 line 2 starting at `at`: document number (0-8, check 9), birth date
 * (13-18, check 19), expiry (21-26, check 27), personal number (28-41, check 42, "<" when the
 * number is empty) and the composite (over 0-9, 13-19 and 21-42, check 43).
 */
export function td3CheckDigitsHold(text: string, at: number): boolean {
  if (!checks(text, at, at + 9, at + 9)) return false;
  if (!checks(text, at + 13, at + 19, at + 19)) return false;
  if (!checks(text, at + 21, at + 27, at + 27)) return false;
  const personalCheck = text.charCodeAt(at + 42);
  const personalEmpty = personalCheck === LT && /^<{14}$/.test(text.slice(at + 28, at + 42));
  if (!personalEmpty && !checks(text, at + 28, at + 42, at + 42)) return false;
  // The composite runs over three stretches as if they were one string; weights continue across.
  let sum = 0;
  let position = 0;
  for (const [from, to] of [
    [0, 10],
    [13, 20],
    [21, 43],
  ] as const) {
    for (let i = at + from; i < at + to; i++) sum += mrzValue(text.charCodeAt(i)) * WEIGHTS[position++ % 3]!;
  }
  return text.charCodeAt(at + 43) === ZERO + (sum % 10);
}

// Line 1: "P", a type letter or filler, issuing state, names; the line break; line 2 by field.
// Fixed-width parts only, so a match attempt at any "P" costs at most one zone's length.
const TD3 =
  /P[A-Z<][A-Z<]{3}[A-Z<]{39}(?:\r\n|\n|\r| |\\n)[A-Z0-9<]{9}[0-9][A-Z<]{3}[0-9]{6}[0-9][MFX<][0-9]{6}[0-9][A-Z0-9<]{14}[0-9<][0-9]/y;

/** The shortest TD3 match: two lines and a one-character break. */
const TD3_SHORTEST = TD3_LINE * 2 + 1;
/** [A-Z<]: every character of line 1 after its "P". */
const isUpperOrFiller = (code: number): boolean => (code >= 65 && code <= 90) || code === 60;

/**
 * False when TD3 cannot match at the "P" at `start`: too near the end, or one of the next four
 * characters is no capital or filler ("Park Row", "PO Box"). Why: most texts hold many a "P"
 * and no zone, and a regex run whose code is out of cache (the gateway masks one result at a
 * time) costs microseconds, where these reads cost nanoseconds; TD3 would fail on them anyway.
 */
function mayStartZone(text: string, start: number): boolean {
  if (start + TD3_SHORTEST > text.length) return false;
  for (let k = 1; k <= 4; k++) if (!isUpperOrFiller(text.charCodeAt(start + k))) return false;
  return true;
}

/** Letters (either case), digits and "<": what a zone line may not be glued to. */
const isZoneChar = (code: number): boolean => mrzValue(code) >= 0 || isAsciiAlnum(code);

/** TD3 zones in `text`, each one candidate spanning both lines. */
export function findTd3Zones(text: string): Candidate[] {
  const out: Candidate[] = [];
  if (text.indexOf("<") < 0) return out; // every zone has fillers; most text has no "<" at all
  // Sticky, tried only where indexOf finds a "P": the same matches as a global search (every
  // match starts with "P"), without the regex engine stepping through every character.
  let next = 0;
  for (let start = text.indexOf("P"); start >= 0; start = text.indexOf("P", next)) {
    next = start + 1;
    if (!mayStartZone(text, start)) continue;
    TD3.lastIndex = start;
    const match = TD3.exec(text);
    if (match === null) continue;
    const end = start + match[0].length;
    // A zone is whole lines: nothing zone-like glued before line 1 or after line 2.
    const glued = (start > 0 && isZoneChar(text.charCodeAt(start - 1))) || (end < text.length && isZoneChar(text.charCodeAt(end)));
    if (glued) continue;
    const line2 = end - TD3_LINE;
    if (!isMrzDate(text, line2 + 13) || !isMrzDate(text, line2 + 21)) continue;
    out.push({ start, end, score: td3CheckDigitsHold(text, line2) ? SCORE_MRZ_VALID : SCORE_MRZ_UNCHECKED });
    next = end;
  }
  return out;
}
