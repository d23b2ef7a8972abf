import { CONTEXT_WINDOW } from "../context.js";
import type { Candidate, Recognizer } from "../types.js";
import { isAsciiAlnum, isAsciiLetter } from "./chars.js";
import { findTd3Zones, TD3_MAX_LENGTH } from "./mrz.js";
import { MAX_PASSPORT_NUMBER, passportNumberScore } from "./passport-formats.js";

/**
 * PASSPORT: printed passport numbers of US, GB, DE, FR, IN and CA, and TD3 machine-readable
 * zones.
 *
 * A printed number has no check digit, and its layouts (nine digits, a letter and eight digits)
 * are shared with half the identifiers in the world, so one is only a candidate when a passport
 * word stands within the context window before it. The recognizer therefore starts from those
 * words (one case-insensitive search) and reads the few words after each; text that never says
 * "passport" costs that one search. Such candidates score below the threshold, and the context
 * word (applied by the scanner) lifts them. A TD3 zone whose ICAO check digits hold needs no word.
 */

const CONTEXT = [
  "passport",
  "passport no",
  "passport number",
  "passport_number",
  "passport_no",
  "passportnumber",
  "passportno",
  "passport_id",
  "reisepass",
  "reisepassnummer",
  "passnummer",
  "pass-nr",
  "passnr",
  "passeport",
  "pasaporte",
  "passaporto",
  "paspoort",
  "travel document",
  "mrz",
  "machine readable zone",
];

// The stems of the context words above, found case-insensitively ("password" and "passenger"
// are not among them). The scanner then checks whole words, so a stem inside another word
// ("passportal") finds candidates that stay below the threshold.
const ANCHOR = /pass(?:port|eport|aporto|nummer|-?nr)|reisepass|pasaporte|paspoort|travel document|mrz|machine readable zone/gi;
/**
 * A part every ANCHOR match holds, at most ANCHOR_REACH characters after the match's start
 * ("pas" of "reisepass"). Why: this short search runs about twice as fast as ANCHOR over a text
 * that holds no passport word, as most do.
 */
const ANCHOR_PART = /pas|mrz|travel document|machine readable zone/i;
const ANCHOR_REACH = "reise".length;

/**
 * Where ANCHOR may start looking in `text` and find every match it finds from 0, or -1 when it
 * finds none: no match starts more than ANCHOR_REACH before the first part. Exported for its test.
 */
export function anchorSearchStart(text: string): number {
  const part = text.search(ANCHOR_PART);
  return part < 0 ? -1 : Math.max(0, part - ANCHOR_REACH);
}

/** ANCHOR's source and flags, for the test that checks anchorSearchStart against it. */
export const ANCHOR_PATTERN = { source: ANCHOR.source, flags: ANCHOR.flags };

const UNDERSCORE = 95;
const isTokenChar = (code: number): boolean => isAsciiAlnum(code);
/** Characters that glue a token to a longer identifier when alphanumerics continue past them. */
const isGlue = (code: number): boolean => code === 45 || code === 46 || code === 47 || code === UNDERSCORE;

/** Letters all upper or all lower case (a typed "c01x00t47"), returned upper-cased; else undefined. */
function normalizedToken(token: string): string | undefined {
  let upper = false;
  let lower = false;
  for (let i = 0; i < token.length; i++) {
    const code = token.charCodeAt(i);
    if (!isAsciiLetter(code)) continue;
    if (code >= 97) lower = true;
    else upper = true;
  }
  if (upper && lower) return undefined;
  return lower ? token.toUpperCase() : token;
}

/** True when `text[start, end)` stands apart: not glued to more letters or digits on either side. */
function standsApart(text: string, start: number, end: number): boolean {
  const before = start > 0 ? text.charCodeAt(start - 1) : 32;
  if (isAsciiAlnum(before) || before === UNDERSCORE) return false;
  if (isGlue(before) && start > 1 && isAsciiAlnum(text.charCodeAt(start - 2))) return false; // "X-C01X00T47"
  const after = end < text.length ? text.charCodeAt(end) : 32;
  if (after === UNDERSCORE) return false;
  if (isGlue(after) && end + 1 < text.length && isAsciiAlnum(text.charCodeAt(end + 1))) return false; // "C01X00T47.pdf"
  return true;
}

/** Words that start another field: the number after them is not the passport's ("ssn": "..."). */
export const OTHER_FIELDS = new Set([
  "ssn",
  "social",
  "phone",
  "tel",
  "mobile",
  "card",
  "iban",
  "account",
  "order",
  "invoice",
  "tax",
  "licence",
  "license",
]);

/**
 * The passport number a context word introduces: the first word of passport layout starting in
 * `[from, to)`, unless a word naming another field comes first. Only the first, because in
 * `"passport_number":"C01X00T47","ssn":"123456789"` the window reaches the next field too.
 */
function readNumberAfter(text: string, from: number, to: number, out: Candidate[]): void {
  let i = from;
  const limit = Math.min(text.length, to);
  while (i < limit) {
    const code = text.charCodeAt(i);
    if (!isTokenChar(code)) {
      // A mask ("<PASSPORT>", "*****1234") stands where the number was: it was the one this
      // word introduced, so the next number is not, and masking twice changes nothing.
      if (code === 60 /* < */ || code === 42 /* * */) return;
      i++;
      continue;
    }
    const start = i;
    while (i < text.length && isTokenChar(text.charCodeAt(i)) && i - start <= MAX_PASSPORT_NUMBER) i++;
    if (i - start > MAX_PASSPORT_NUMBER) {
      while (i < limit && isTokenChar(text.charCodeAt(i))) i++; // longer words are something else
      continue;
    }
    if (i - start < 8) {
      if (OTHER_FIELDS.has(text.slice(start, i).toLowerCase())) return;
      continue;
    }
    if (!standsApart(text, start, i)) continue;
    const token = normalizedToken(text.slice(start, i));
    const score = token === undefined ? 0 : passportNumberScore(token);
    if (score > 0) {
      out.push({ start, end: i, score });
      return;
    }
  }
}

function find(text: string): Candidate[] {
  const out = findTd3Zones(text);
  const zones = out.length;
  const numbers: Candidate[] = [];
  const from = anchorSearchStart(text);
  if (from < 0) return out;
  const anchor = ANCHOR; // safe to share: reset here, used synchronously to the end
  anchor.lastIndex = from;
  for (let match = anchor.exec(text); match !== null; match = anchor.exec(text)) {
    if (match.index > 0 && text.charCodeAt(match.index - 1) === 60 /* < */) continue; // a "<PASSPORT>" mask tag
    // A number whose context word starts at `match.index` begins at most CONTEXT_WINDOW later.
    // Each word reads on its own (not from where the previous one stopped), so what it
    // introduces depends on nothing before it; two words introducing one number report it once.
    const before = numbers.length;
    readNumberAfter(text, match.index + match[0].length, match.index + CONTEXT_WINDOW + 1, numbers);
    if (numbers.length > before && before > 0 && numbers[before]!.start === numbers[before - 1]!.start) numbers.pop();
  }
  for (const number of numbers) {
    // Numbers inside a zone are the zone's.
    let inZone = false;
    for (let k = 0; k < zones && !inZone; k++) inZone = number.start < out[k]!.end && out[k]!.start < number.end;
    if (!inZone) out.push(number);
  }
  return out;
}

export const passportRecognizer: Recognizer = {
  type: "PASSPORT",
  maxLength: TD3_MAX_LENGTH,
  context: CONTEXT,
  find,
};
