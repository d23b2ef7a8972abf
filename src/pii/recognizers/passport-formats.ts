/**
 * Printed passport-number formats of the countries the engine covers. None carries a check
 * digit of its own (ICAO check digits live in the machine-readable zone, see mrz.ts), so a
 * match says only "could be a passport number"; the recognizer reports one only near a word
 * such as "passport".
 */
import { mrzCheckDigit } from "./mrz.js";

/** A bare nine-digit number (US, GB): also an SSN, an account or an order number. */
export const SCORE_DIGITS_ONLY = 0.2;
/** Letters and digits in a country's layout (US next-generation, DE, FR, IN, CA). */
export const SCORE_LAYOUT = 0.25;
/** A German serial written with its ICAO check digit as the tenth character. */
export const SCORE_WITH_CHECK_DIGIT = 0.3;

/** Longest number this module recognizes (a German serial plus its check digit). */
export const MAX_PASSPORT_NUMBER = 10;

const isDigitCode = (c: number): boolean => c >= 48 && c <= 57;
const isUpper = (c: number): boolean => c >= 65 && c <= 90;

// German serials use digits and the consonants C F G H J K L M N P R T V W X Y Z (no vowels, no
// B D Q S, which read like digits); the first character is a letter.
const GERMAN_LETTERS = new Set("CFGHJKLMNPRTVWXYZ".split("").map((c) => c.charCodeAt(0)));
const isGermanChar = (c: number): boolean => isDigitCode(c) || GERMAN_LETTERS.has(c);

/** Layout letters: L letter, D digit. Every layout here is letters-and-digits of a fixed length. */
function hasLayout(token: string, layout: string): boolean {
  if (token.length !== layout.length) return false;
  for (let i = 0; i < layout.length; i++) {
    const c = token.charCodeAt(i);
    if (layout[i] === "D" ? !isDigitCode(c) : !isUpper(c)) return false;
  }
  return true;
}

function allSameDigit(token: string): boolean {
  for (let i = 1; i < token.length; i++) if (token.charCodeAt(i) !== token.charCodeAt(0)) return false;
  return true;
}

function isGermanSerial(token: string): boolean {
  if (token.length !== 9 || !GERMAN_LETTERS.has(token.charCodeAt(0))) return false;
  for (let i = 1; i < 9; i++) if (!isGermanChar(token.charCodeAt(i))) return false;
  return true;
}

// India: a series letter (not Q, X or Z), then seven digits of which the first is not 0.
const INDIAN_SERIES = /^[A-PR-WY][1-9][0-9]{6}$/;

/**
 * The base score of `token` (an alphanumeric word, letters upper-cased by the caller) as a
 * passport number, or 0 when it has no passport layout.
 */
export function passportNumberScore(token: string): number {
  switch (token.length) {
    case 8:
      // IN A1234567; CA (before 2023) AB123456.
      if (INDIAN_SERIES.test(token) || hasLayout(token, "LLDDDDDD")) return SCORE_LAYOUT;
      return 0;
    case 9:
      // US and GB 123456789 (not 000000000); US next generation A12345678; FR 12AB34567;
      // CA (since 2023) A123456BC; DE C01X00T47.
      if (hasLayout(token, "DDDDDDDDD")) return allSameDigit(token) ? 0 : SCORE_DIGITS_ONLY;
      if (hasLayout(token, "LDDDDDDDD") || hasLayout(token, "DDLLDDDDD")) return SCORE_LAYOUT;
      if (hasLayout(token, "LDDDDDDLL")) return SCORE_LAYOUT;
      if (isGermanSerial(token)) return SCORE_LAYOUT;
      return 0;
    case 10: {
      // DE serial followed by its check digit, as the zone prints it: C01X00T478.
      if (!isGermanSerial(token.slice(0, 9))) return 0;
      const check = mrzCheckDigit(token, 0, 9);
      return check >= 0 && token.charCodeAt(9) === 48 + check ? SCORE_WITH_CHECK_DIGIT : 0;
    }
    default:
      return 0;
  }
}
