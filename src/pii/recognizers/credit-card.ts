import type { Candidate, Recognizer } from "../types.js";
import { cueBefore, type CueWords } from "./digits-cues.js";
import { digitClustersOf, runLengthBit, type TextScan } from "../text-scan.js";
import {
  closesChain,
  DASH,
  DigitGroups,
  digitsAt,
  digitsEnd,
  forEachAnchoredRun,
  hasShape,
  opensChain,
  SPACE,
  standsAlone,
} from "./digits-runs.js";
import { codeAt, isDigitCode } from "./chars.js";
import { luhnValidDigits } from "./luhn.js";

/**
 * CREDIT_CARD: payment card numbers (PANs) of the major networks, validated by issuer prefix,
 * the lengths that issuer uses, and the Luhn checksum. Written without separators, or in the
 * usual groupings with single spaces or single dashes (one kind per number):
 * 4-4-4-4 (16), 4-6-5 (Amex 15), 4-6-4 (Diners 14), 4-4-4-4-3 (19).
 *
 * A number glued to letters, digits or a decimal point is part of something else and never
 * reported; a grouped number continuing a longer chain of groups to its left (an IBAN, a
 * tracking number) is not either. IMEIs (15 digits, Luhn-checked like cards) are told apart by
 * the word "imei" owning the number (see NOT_A_CARD).
 */

/**
 * Where a card number can begin, /[2-6]\d{3}(?:\d{9}|[ -]\d{4})/: a first digit some issuer
 * uses (2-6), then either 13+ digits in a row or a 4-digit group and a separator and more digits.
 * Selective on digit-dense text (dates, times, prices fail within a few characters); the whole
 * run around a match is then checked group by group, so a match inside a run needs no look
 * behind it. Returns the first offset in [from, end) where the pattern matches, or -1: inside one
 * run of digits that is the first 2-6 digit with twelve more digits after it, or failing that the
 * run's last four digits when a separator and four digits follow.
 */
export function nextCardAnchor(text: string, from: number, end: number): number {
  for (let at = from; at < end; ) {
    if (!isDigitCode(text.charCodeAt(at))) {
      at++;
      continue;
    }
    const runEnd = digitsEnd(text, at, end);
    for (let i = at; i + 13 <= runEnd; i++) if (issuerDigit(text.charCodeAt(i))) return i;
    const group = runEnd - 4;
    if (group >= at && issuerDigit(text.charCodeAt(group))) {
      const joint = codeAt(text, runEnd);
      if ((joint === SPACE || joint === DASH) && digitsAt(text, runEnd + 1, runEnd + 5)) return group;
    }
    at = runEnd;
  }
  return -1;
}

const issuerDigit = (code: number): boolean => code >= 50 && code <= 54;

/** Runs of 13 to 19 digits (a number written without separators). */
const PLAIN_LENGTHS = [13, 14, 15, 16, 17, 18, 19].reduce((bits, n) => bits | runLengthBit(n), 0);
/** Every grouping starts with four digits. */
const FIRST_GROUP = runLengthBit(4);

/** A card number has 13 digits at least, in one run of 13-19 or in groups led by four. */
function mayHoldCard(digits: number, runLengths: number): boolean {
  return digits >= 13 && (runLengths & (PLAIN_LENGTHS | FIRST_GROUP)) !== 0;
}

/** The groupings card numbers are printed in, the longest first so a 19-digit PAN wins. */
const GROUPINGS: readonly (readonly number[])[] = [
  [4, 4, 4, 4, 3],
  [4, 4, 4, 4],
  [4, 6, 5],
  [4, 6, 4],
];

const MAX_DIGITS = 19;
const MAX_LENGTH = MAX_DIGITS + 4; // 4-4-4-4-3 with its four separators

/** Typical grouping: the way cards are printed, and hardly anything else is. */
const SCORE_GROUPED = 0.9;
/**
 * Grouped, but more groups follow with the same separator (an expiry typed after it). A trailing
 * three-digit group makes the 4-4-4-4-3 shape instead, read as one 19-digit number.
 */
const SCORE_GROUPED_CONTINUED = 0.6;
const SCORE_PLAIN = 0.85;
/** 13-digit Visa numbers are long retired; a 13-digit number is as often an EAN or a phone. */
const SCORE_PLAIN_13 = 0.6;

/**
 * Words that, owning the number, say it is something else: a device id (IMEIs are 15 digits
 * with a Luhn check, as Amex numbers are), a product code, a shipment. Read with `cueBefore`
 * (only the number's own words, not the whole context window), so an IMEI mentioned earlier in
 * a message does not hide the card that follows it.
 */
export const NOT_A_CARD: CueWords = {
  cues: new Set([
    "imei", "imeisv", "meid", "esn", "iccid", "isbn", "ean", "gtin", "upc", "barcode", "tracking", "sku", "serial",
  ]),
  stops: new Set(["card", "credit", "debit", "visa", "amex", "mastercard", "cc", "payment", "pan"]),
  maxWords: 4,
};

/**
 * Digit values (char code - 48) of the number being checked; reused (find() runs synchronously
 * to the end). Signed, so issuerAccepts sees a non-digit as the string arithmetic did.
 */
const cardDigits = new Int32Array(MAX_DIGITS);

/** True when some network issues numbers with this prefix at this length. */
export function issuerAccepts(digits: string): boolean {
  const n = digits.length;
  if (n < 13 || n > MAX_DIGITS) return false;
  for (let i = 0; i < n; i++) cardDigits[i] = digits.charCodeAt(i) - 48;
  return issuerAcceptsDigits(n);
}

/** The value of the first `length` digits in `cardDigits`. */
function prefixOfDigits(length: number): number {
  let value = 0;
  for (let i = 0; i < length; i++) value = value * 10 + cardDigits[i]!;
  return value;
}

/**
 * issuerAccepts and luhnValid on digitsOf(text, groups, from, to), read from the text's char
 * codes: no slice or concatenation per candidate. The groups hold ASCII digits only
 * (DigitGroups.read makes them so). The tests check it against the two string functions.
 */
export function validCardGroups(text: string, groups: DigitGroups, from: number, to: number): boolean {
  let n = 0;
  for (let k = from; k <= to; k++) {
    const end = groups.ends[k]!;
    for (let i = groups.starts[k]!; i < end; i++) {
      if (n === MAX_DIGITS) return false; // too long for any issuer
      cardDigits[n++] = text.charCodeAt(i) - 48;
    }
  }
  return n >= 13 && issuerAcceptsDigits(n) && luhnValidDigits(cardDigits, n);
}

/** issuerAccepts on the `n` (13 to MAX_DIGITS) digits in `cardDigits`. */
function issuerAcceptsDigits(n: number): boolean {
  const p2 = prefixOfDigits(2);
  const p3 = prefixOfDigits(3);
  const p4 = prefixOfDigits(4);
  const p6 = prefixOfDigits(6);
  const long = n >= 16;
  if (cardDigits[0] === 4) return n === 13 || n === 16 || n === 19; // Visa
  if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) return n === 16; // Mastercard
  if (p2 === 34 || p2 === 37) return n === 15; // American Express
  if (p4 === 6011 || (p3 >= 644 && p3 <= 649) || p2 === 65 || (p6 >= 622126 && p6 <= 622925)) return long; // Discover
  if (p2 === 62) return long; // UnionPay
  if (p4 >= 3528 && p4 <= 3589) return long; // JCB
  if ((p3 >= 300 && p3 <= 305) || p2 === 36 || p2 === 38 || p2 === 39) return n >= 14; // Diners Club
  return false;
}

/** A number written without separators: one whole group of 13-19 digits, group `i`. */
function plainCandidate(text: string, groups: DigitGroups, i: number): Candidate | undefined {
  const start = groups.starts[i]!;
  const end = groups.ends[i]!;
  if (!validCardGroups(text, groups, i, i) || !standsAlone(text, start, end)) return undefined;
  return { start, end, score: end - start === 13 ? SCORE_PLAIN_13 : SCORE_PLAIN };
}

/** A number in one of the printed groupings starting at group `i`; `last` gets its last group. */
function groupedCandidate(
  text: string,
  groups: DigitGroups,
  i: number,
): { candidate: Candidate; last: number } | undefined {
  const sep = groups.seps[i + 1]!;
  if ((sep !== SPACE && sep !== DASH) || !opensChain(groups, i, sep)) return undefined;
  for (const shape of GROUPINGS) {
    if (!hasShape(groups, i, sep, shape)) continue;
    const last = i + shape.length - 1;
    const start = groups.starts[i]!;
    const end = groups.ends[last]!;
    const closed = closesChain(groups, last, sep);
    if (!validCardGroups(text, groups, i, last) || !standsAlone(text, start, end)) {
      // A whole number in a card grouping that fails is a Luhn-failing number; its first
      // sixteen digits passing by chance (one time in ten) do not make a card.
      if (closed) return undefined;
      continue;
    }
    return { candidate: { start, end, score: closed ? SCORE_GROUPED : SCORE_GROUPED_CONTINUED }, last };
  }
  return undefined;
}

/** Safe to share: find() runs synchronously to the end. */
const scratchGroups = new DigitGroups();

function find(text: string, scan?: TextScan): Candidate[] {
  const out: Candidate[] = [];
  const groups = scratchGroups;
  forEachAnchoredRun(text, digitClustersOf(text, scan), mayHoldCard, nextCardAnchor, (runStart, runEnd) => {
    groups.read(text, runStart, runEnd);
    for (let i = 0; i < groups.count; i++) {
      const length = groups.length(i);
      let candidate: Candidate | undefined;
      if (length >= 13 && length <= MAX_DIGITS) {
        candidate = plainCandidate(text, groups, i);
      } else if (length === 4 && i + 1 < groups.count) {
        const grouped = groupedCandidate(text, groups, i);
        if (grouped !== undefined) {
          candidate = grouped.candidate;
          i = grouped.last;
        }
      }
      if (candidate !== undefined && !cueBefore(text, candidate.start, NOT_A_CARD)) out.push(candidate);
    }
  });
  groups.trim();
  return out;
}

export const creditCardRecognizer: Recognizer = {
  type: "CREDIT_CARD",
  maxLength: MAX_LENGTH,
  context: [
    "card",
    "credit",
    "credit card",
    "debit",
    "visa",
    "amex",
    "american express",
    "mastercard",
    "master card",
    "discover",
    "jcb",
    "diners",
    "unionpay",
    "cc",
    "ccn",
    "cardholder",
    "card number",
    "pan",
    "payment",
  ],
  // No negativeContext: the core would look at the whole 48-character window; NOT_A_CARD above
  // reads only the number's own words.
  find,
};
