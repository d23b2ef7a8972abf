import type { Candidate, Recognizer } from "../types.js";
import { codeAt, isDigitCode } from "./chars.js";
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

/**
 * US_SSN: Social Security numbers written 123-45-6789, 123 45 6789 or 123456789.
 *
 * Validity (SSA rules): area not 000, 666 or 900-999 (900-999 are ITINs and advertising
 * numbers); group not 00; serial not 0000; not one digit repeated (111-11-1111); and not one of
 * the numbers known to be fake or published:
 * - 078-05-1120, the Woolworth wallet-insert number, used by thousands of people;
 * - 219-09-9999, printed in a 1940 SSA pamphlet;
 * - 123-45-6789, the placeholder of forms and tutorials. It lies in a valid range; we refuse it
 *   by choice, as Presidio does, because reporting it would flag every example form and sample
 *   document, and text holding it is overwhelmingly such an example.
 *
 * Scores: the dashed 3-2-4 shape is distinctive and passes on its own (0.6); the spaced shape is
 * weaker (0.5, exactly the default threshold); nine bare digits are any ID, order or amount, so
 * they need a context word ("ssn", "social security", ...) to pass (0.2 + 0.35). A number that
 * another identifier's word owns ("order", "phone", "zip", "passport": NOT_AN_SSN) scores 0.1. Mixed
 * separators (123-45 6789) are not an SSN. A 3-2-4 chain that continues with the same separator
 * (1-123-45-6789) is part of a longer number, and bare digits joined by dashes to other digits
 * (INV-2024-100234567) are an identifier.
 */

/**
 * Where an SSN can begin, /\d{3}(?:\d{6}|[ -]\d\d[ -]\d{4})/: three digits, then six more or a
 * "-45-6789" / " 45 6789" tail. Selective on digit-dense text; the whole run around a match is
 * then checked group by group. Returns the first offset in [from, end) where the pattern
 * matches, or -1: inside one run of digits that is its start when nine digits follow, or failing
 * that its last three digits when the tail follows.
 */
export function nextSsnAnchor(text: string, from: number, end: number): number {
  for (let at = from; at < end; ) {
    if (!isDigitCode(text.charCodeAt(at))) {
      at++;
      continue;
    }
    const runEnd = digitsEnd(text, at, end);
    if (runEnd - at >= 9) return at;
    if (runEnd - at >= 3) {
      const joint = codeAt(text, runEnd);
      const second = codeAt(text, runEnd + 3);
      if (
        (joint === SPACE || joint === DASH) &&
        digitsAt(text, runEnd + 1, runEnd + 3) &&
        (second === SPACE || second === DASH) &&
        digitsAt(text, runEnd + 4, runEnd + 8)
      ) {
        return runEnd - 3;
      }
    }
    at = runEnd;
  }
  return -1;
}

const SHAPE = [3, 2, 4] as const;
/** Nine digits in one run, or runs of three, two and four. */
const BARE = runLengthBit(9);
const SHAPED = runLengthBit(3) | runLengthBit(2) | runLengthBit(4);

function mayHoldSsn(digits: number, runLengths: number): boolean {
  return digits >= 9 && ((runLengths & BARE) !== 0 || (runLengths & SHAPED) === SHAPED);
}
const MAX_LENGTH = 11;

const SCORE_DASHED = 0.6;
const SCORE_SPACED = 0.5;
const SCORE_BARE = 0.2;

/**
 * Words that, owning the number, say it is another identifier. A number they own scores 0.1,
 * below the threshold even when an SSN context word elsewhere in the window lifts it (+0.35):
 * "SSN: 584-41-7315. Passport #600735817" keeps the passport number out.
 */
export const NOT_AN_SSN: CueWords = {
  cues: new Set([
    "order", "invoice", "inv", "po", "tracking", "phone", "tel", "telephone", "fax", "mobile", "cell",
    "zip", "postal", "postcode", "routing", "aba", "account", "acct", "isbn", "ticket", "case", "ref",
    "reference", "sku", "part", "serial", "model", "imei", "passport", "license", "licence", "policy",
    "claim", "member", "ein", "npi", "passeport", "pasaporte", "passaporto", "reisepass", "ausweis",
    "personalausweis",
  ]),
  // Compound words: "Reisepassnummer", "Ausweisnummer", "passport_no" stays "passport".
  suffixCues: ["passnummer", "ausweisnummer", "passport"],
  stops: new Set(["ssn", "ssns", "social", "security", "ss", "taxpayer", "tin", "itin"]),
  maxWords: 3,
};
const SCORE_OTHER_ID = 0.1;

/** Numbers never issued although their ranges are valid (advertising and example numbers). */
const KNOWN_INVALID: readonly (readonly number[])[] = ["078051120", "219099999", "123456789"].map((n) => [...n].map(Number));

/** Digit values of the number being checked; reused (find() runs synchronously to the end). */
const ssnDigits = new Uint8Array(9);

/** True when the nine digits can be an issued SSN. */
export function validSsn(digits: string): boolean {
  if (digits.length !== 9) return false;
  for (let i = 0; i < 9; i++) {
    const d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    ssnDigits[i] = d;
  }
  return issuable(ssnDigits);
}

/**
 * validSsn(digitsOf(text, groups, from, to)), read from the text's char codes: no slice, no
 * concatenation and no repeated-digit string per candidate (the SSN recognizer measured about a
 * third faster on dense text without them). The groups hold ASCII digits only (DigitGroups.read
 * makes them so); the tests check it against validSsn.
 */
export function validSsnGroups(text: string, groups: DigitGroups, from: number, to: number): boolean {
  let n = 0;
  for (let k = from; k <= to; k++) {
    const end = groups.ends[k]!;
    for (let i = groups.starts[k]!; i < end; i++) {
      if (n === 9) return false; // more than nine digits
      ssnDigits[n++] = text.charCodeAt(i) - 48;
    }
  }
  return n === 9 && issuable(ssnDigits);
}

/**
 * The issuance rules on nine digit values: area not 000, 666 or 900-999, group not 00, serial
 * not 0000, not one digit nine times, not a known advertising number.
 */
function issuable(d: Uint8Array): boolean {
  const area = d[0]! * 100 + d[1]! * 10 + d[2]!;
  if (area === 0 || area === 666 || area >= 900) return false;
  if ((d[3]! === 0 && d[4]! === 0) || (d[5]! === 0 && d[6]! === 0 && d[7]! === 0 && d[8]! === 0)) return false;
  let repeated = true;
  for (let k = 1; k < 9 && repeated; k++) repeated = d[k] === d[0];
  if (repeated) return false;
  for (const known of KNOWN_INVALID) {
    let same = true;
    for (let k = 0; k < 9 && same; k++) same = d[k] === known[k];
    if (same) return false;
  }
  return true;
}

function bareCandidate(text: string, groups: DigitGroups, i: number): Candidate | undefined {
  if (groups.seps[i] === DASH || (i + 1 < groups.count && groups.seps[i + 1] === DASH)) return undefined;
  const start = groups.starts[i]!;
  const end = groups.ends[i]!;
  if (!validSsnGroups(text, groups, i, i) || !standsAlone(text, start, end)) return undefined;
  return { start, end, score: SCORE_BARE };
}

function shapedCandidate(text: string, groups: DigitGroups, i: number): Candidate | undefined {
  const sep = groups.seps[i + 1]!;
  if (sep !== DASH && sep !== SPACE) return undefined;
  if (!hasShape(groups, i, sep, SHAPE) || !opensChain(groups, i, sep) || !closesChain(groups, i + 2, sep)) {
    return undefined;
  }
  const start = groups.starts[i]!;
  const end = groups.ends[i + 2]!;
  if (!validSsnGroups(text, groups, i, i + 2) || !standsAlone(text, start, end)) return undefined;
  return { start, end, score: sep === DASH ? SCORE_DASHED : SCORE_SPACED };
}

/** Safe to share: find() runs synchronously to the end. */
const scratchGroups = new DigitGroups();

function find(text: string, scan?: TextScan): Candidate[] {
  const out: Candidate[] = [];
  const groups = scratchGroups;
  forEachAnchoredRun(text, digitClustersOf(text, scan), mayHoldSsn, nextSsnAnchor, (runStart, runEnd) => {
    groups.read(text, runStart, runEnd);
    for (let i = 0; i < groups.count; i++) {
      const length = groups.length(i);
      let candidate: Candidate | undefined;
      if (length === 9) candidate = bareCandidate(text, groups, i);
      else if (length === 3 && i + 2 < groups.count) candidate = shapedCandidate(text, groups, i);
      if (candidate === undefined) continue;
      if (cueBefore(text, candidate.start, NOT_AN_SSN)) candidate.score = SCORE_OTHER_ID;
      out.push(candidate);
      if (length === 3) i += 2;
    }
  });
  groups.trim();
  return out;
}

export const usSsnRecognizer: Recognizer = {
  type: "US_SSN",
  maxLength: MAX_LENGTH,
  context: [
    "ssn",
    "ssns",
    "ssn#",
    "ss#",
    "ss #",
    "social security",
    "social security number",
    "social security no",
    "social sec",
    "soc sec",
    "taxpayer",
    "taxpayer id",
    "tax id",
  ],
  // No negativeContext: the core would look at the whole 48-character window, where a CSV
  // header ("...,zip") or the previous sentence ("for reference.") demotes real SSNs; NOT_AN_SSN
  // reads only the number's own words.
  find,
};
