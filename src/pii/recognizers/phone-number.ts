import { digitClustersOf, DIGITS, END, MAX_GAP, RUN_LENGTHS, runLengthBit, SPAN, START, ZERO_LED, type TextScan } from "../text-scan.js";
import type { Candidate, Recognizer } from "../types.js";
import { codeAt, isAsciiWordCode, isDigitCode } from "./chars.js";
import { cueBefore, type CueWords } from "./digits-cues.js";
import { phoneNumbering, type PhoneNumbering } from "./phone-metadata.js";
import { OPERATOR_TAG_SOURCE } from "../operators.js";
import { nationalRegionOf } from "./phone-national.js";
import { PhoneRun } from "./phone-runs.js";
import { isDateShape, isDecimalShape, isDottedQuadShape, isUsIdentifierShape } from "./phone-shapes.js";

/**
 * PHONE_NUMBER: international numbers ("+CC" with any common grouping) and national numbers of
 * the default regions (US/CA, GB, DE, FR, IN, AU, JP, BR), each validated against
 * libphonenumber-js's full numbering metadata.
 *
 * The digit clusters of the text (text-scan.ts) show where runs of at least seven digits begin;
 * phone-runs.ts reads each run's groups; inside a run, a number starts and ends at a
 * space-separated word, so "2024-01-15 415-555-2671" yields the second word alone. Shapes that
 * are something else (dates, IPs, SSNs, decimals) are ruled out, then the numbering metadata
 * decides (phone-metadata.ts).
 *
 * From every word the longest valid number starting there is taken; it is reported unless a
 * number found from an earlier word already covers that word. Each of those choices is made from
 * the run's words alone, not from what was reported before, so a candidate depends only on text
 * near it (the stream masker relies on that).
 */

/** Longest reported span: "+49 (0) 30 / 123 456 78" is 23; nothing real needs more than 32. */
const MAX_SPAN = 32;
/** Most groups in one number: "+33 (0)1 23 45 67 89" has seven. */
const MAX_GROUPS = 8;
/** E.164 allows 15 digits with the calling code; a national number may add a trunk digit. */
const MAX_INTERNATIONAL_DIGITS = 15;
const MIN_INTERNATIONAL_DIGITS = 7;
const MAX_NATIONAL_DIGITS = 16;
const MIN_NATIONAL_DIGITS = 8;

/** "+CC" and valid: a phone number on its own. */
const SCORE_INTERNATIONAL = 0.85;
/** "+14155552671": E.164 without grouping is still unmistakable. */
const SCORE_E164 = 0.7;
/** "020 7946 0958", "(415) 555-2671": written as that region writes numbers, and valid. */
const SCORE_NATIONAL = 0.65;
/** "0044 20 7946 0958": the "00" international prefix, grouped. */
const SCORE_IDD = 0.6;
/** "4155552671": a valid number but also any other ten digits, so it waits for a context word. */
const SCORE_BARE = 0.3;

const PLUS = 43;
const ZERO = 48;

// The three character sets below are comparisons, not Sets: they are asked at the edges of every
// candidate, and a Set lookup hashes the code each time.

/** Characters that make the digits after them something else: #100234567, $1234567890, @. */
function forbiddenBefore(code: number): boolean {
  switch (code) {
    case 35: // #
    case 36: // $
    case 43: // +
    case 64: // @
    case 92: // backslash
    case 0xa3: // pound sign
    case 0xa5: // yen sign
    case 0x20ac: // euro sign
    case 0x20b9: // rupee sign
      return true;
    default:
      return false;
  }
}

/** Characters that make the digits before them something else: 12345678%, 4155552671@host. */
function forbiddenAfter(code: number): boolean {
  return code === 37 /* % */ || code === 64 /* @ */ || code === 0xb0; /* degree sign */
}

/** Joints that glue a number to an identifier when a letter or digit is on their other side. */
function isGlue(code: number): boolean {
  // - . / : backslash and U+2010..U+2013
  return (code >= 45 && code <= 47) || code === 58 || code === 92 || (code >= 0x2010 && code <= 0x2013);
}

const isWordCode = isAsciiWordCode;

/** The number is not glued to what comes before it ("INV-2024-000123", "v1.4155552671", "#..."). */
function freeBefore(text: string, start: number): boolean {
  if (start === 0) return true;
  const prev = text.charCodeAt(start - 1);
  if (isWordCode(prev) || forbiddenBefore(prev)) return false;
  // A colon before is a label ("tel:+1...", "Phone:020 ..."), not glue.
  if (prev !== 58 && isGlue(prev) && start >= 2 && isWordCode(text.charCodeAt(start - 2))) return false;
  return true;
}

/** The number is not glued to what follows it ("4155552671x", "415-555-2671.5", "...:8080"). */
function freeAfter(text: string, end: number): boolean {
  if (end >= text.length) return true;
  const next = text.charCodeAt(end);
  if (isWordCode(next) || forbiddenAfter(next)) return false;
  if (isGlue(next) && end + 1 < text.length && isWordCode(text.charCodeAt(end + 1))) return false;
  return true;
}

/**
 * A mask tag as the operators write it (OPERATOR_TAG_SOURCE) of a type whose value can begin or
 * end with a bare group of digits: every type but e-mail and IP addresses.
 */
const MASK_TAG = `(?!<(?:EMAIL|IP)_ADDRESS[_:>])${OPERATOR_TAG_SOURCE}`;
const MASK_TAG_AT = new RegExp(MASK_TAG, "y");
const MASK_TAG_ENDING = new RegExp(`${MASK_TAG}$`);

/**
 * Spaces, then a mask tag, right after `end`. Masking may have put the tag where a bare group
 * stood ("42 2024 2024 1 Oak Street" becomes "42 2024 2024 <STREET_ADDRESS>"): the number beside
 * it counts as a slice of a longer one, as it did before, or masking masked text would change it.
 * (Looks at most MAX_GAP spaces and one tag away: within what a stream masker holds back.)
 */
function maskTagAfter(text: string, end: number): boolean {
  let i = end;
  while (i < text.length && i - end < MAX_GAP && text.charCodeAt(i) === 32) i++;
  if (i === end || codeAt(text, i) !== 60 /* < */) return false;
  MASK_TAG_AT.lastIndex = i;
  return MASK_TAG_AT.test(text);
}

/** The same before `start`: a mask tag, then spaces. */
function maskTagBefore(text: string, start: number): boolean {
  let i = start;
  while (i > 0 && start - i < MAX_GAP && text.charCodeAt(i - 1) === 32) i--;
  if (i === start || i === 0 || text.charCodeAt(i - 1) !== 62 /* > */) return false;
  return MASK_TAG_ENDING.test(text.slice(Math.max(0, i - 100), i));
}

/** A word that is one bare group: "2024", "1111" (and not "+1", "(415)", "555-2671"). */
function isBareWord(run: PhoneRun, k: number): boolean {
  if (k < 0 || k >= run.count) return false;
  const wordStart = k === 0 || run.spaceBefore[k] === 1;
  const wordEnd = k === run.count - 1 || run.spaceBefore[k + 1] === 1;
  return wordStart && wordEnd && run.paren[k] === 0 && run.jointBefore[k] === 0 && !(k === 0 && run.plus >= 0);
}

/** Value of a group of at most four digits (for date shapes), else -1. */
function smallValue(text: string, start: number, end: number): number {
  if (end - start > 4) return -1;
  let value = 0;
  for (let i = start; i < end; i++) value = value * 10 + text.charCodeAt(i) - ZERO;
  return value;
}

/** Where the number made of groups s.. begins: at "+", at "(" or at its first digit. */
function numberStart(run: PhoneRun, s: number): number {
  if (s === 0 && run.plus >= 0) return run.plus;
  return run.paren[s] ? run.groupStart[s]! - 1 : run.groupStart[s]!;
}

/** Per-group scratch for one candidate; reused (find() runs synchronously to the end). */
const lengths: number[] = [];
const values: number[] = [];
const joints: number[] = [];

/** The score of groups s..e of `run` as one phone number, or 0 when they are not one. */
function scoreGroups(text: string, run: PhoneRun, s: number, e: number, numbering: PhoneNumbering): number {
  const international = s === 0 && run.plus >= 0;
  if (run.paren[e]) return 0; // a number does not end in "(...)"
  if (run.groupEnd[e]! - numberStart(run, s) > MAX_SPAN || e - s + 1 > MAX_GROUPS) return 0;
  if (s === 0 && !freeBefore(text, run.start)) return 0;
  if (e === run.count - 1 && !freeAfter(text, run.end)) return 0;

  let count = 0;
  let digitCount = 0;
  let plain = !international;
  let trunkMarker = -1; // group (relative) holding the "(0)" written after a calling code
  const firstDigit = text.charCodeAt(run.groupStart[s]!);
  for (let k = s; k <= e; k++) {
    const rel = k - s;
    const groupStart = run.groupStart[k]!;
    const length = run.groupEnd[k]! - groupStart;
    if (run.paren[k]) {
      plain = false;
      // Parentheses hold the area code: the first group of a national number ("(415) ...", or
      // after the NANP "1": "1 (415) ..."), the group after the calling code ("+1 (415) ...",
      // "+44 (0)20 ...") or after "(0)".
      const areaCodePlace = international
        ? rel === 1 || (rel === 2 && trunkMarker === 1)
        : rel === 0 || (rel === 1 && count === 1 && lengths[0] === 1);
      if (!areaCodePlace) return 0;
      if (international && rel === 1 && length === 1 && text.charCodeAt(groupStart) === ZERO) trunkMarker = 1;
    }
    if (rel > 0 && run.jointBefore[k] !== 0) plain = false;
    const digit = text.charCodeAt(groupStart);
    if (length === 1 && !singleDigitAllowed(international, rel, digit, firstDigit, count)) return 0;
    if (rel === trunkMarker) continue; // "+44 (0)20 ...": the (0) is not dialled from abroad
    lengths[count] = length;
    joints[count] = rel === 0 ? 0 : run.jointBefore[k]!;
    count++;
    digitCount += length;
  }

  // A bare group next to bare groups, only spaces between, is a slice of a longer number:
  // "4111 1111 1111 1111". (" / " or " - " between them lists two numbers.)
  if (plain) {
    if (s > 0 && run.jointBefore[s] === 0 && isBareWord(run, s - 1)) return 0;
    if (e + 1 < run.count && run.jointBefore[e + 1] === 0 && isBareWord(run, e + 1)) return 0;
    if (e === run.count - 1 && maskTagAfter(text, run.end)) return 0;
    if (s === 0 && maskTagBefore(text, run.start)) return 0;
  }
  const bare = count === 1 && !run.paren[s]!;

  if (international) {
    if (digitCount < MIN_INTERNATIONAL_DIGITS || digitCount > MAX_INTERNATIONAL_DIGITS) return 0;
    if (!internationalValidInRun(text, run, s, e, trunkMarker, digitCount, numbering)) return 0;
    return bare ? SCORE_E164 : SCORE_INTERNATIONAL;
  }
  if (digitCount < MIN_NATIONAL_DIGITS || digitCount > MAX_NATIONAL_DIGITS) return 0;
  // Without a trunk or international prefix only ten or eleven digits can be national (US, IN, BR).
  if (text.charCodeAt(run.groupStart[s]!) !== ZERO && digitCount !== 10 && digitCount !== 11) return 0;
  // Group values only for the date check, made here: most candidates never get this far. At
  // home no group is skipped (a "(0)" trunk marker is only read after a calling code).
  for (let c = 0; c < count; c++) values[c] = smallValue(text, run.groupStart[s + c]!, run.groupEnd[s + c]!);
  if (isDateShape(count, values, lengths, joints) || isDottedQuadShape(count, lengths, joints)) return 0;
  if (isUsIdentifierShape(count, lengths, joints) || isDecimalShape(count, joints)) return 0;
  const digits = digitsOf(text, run, s, e, trunkMarker);
  if (digits.charCodeAt(0) === ZERO && digits.charCodeAt(1) === ZERO) {
    // "0044 20 7946 0958": dialled from abroad with the international prefix.
    if (digitCount - 2 < MIN_INTERNATIONAL_DIGITS || !internationalValid(numbering, digits.slice(2))) return 0;
    return bare ? SCORE_BARE : SCORE_IDD;
  }
  lengths.length = count; // the grouping is the scratch itself: no copy per candidate
  if (nationalRegionOf(numbering, digits, lengths) === undefined) return 0;
  return bare ? SCORE_BARE : SCORE_NATIONAL;
}

/** The digits of groups s..e, without the group at relative index `skip` (-1: none). */
function digitsOf(text: string, run: PhoneRun, s: number, e: number, skip: number): string {
  let digits = "";
  for (let k = s; k <= e; k++) if (k - s !== skip) digits += text.slice(run.groupStart[k]!, run.groupEnd[k]!);
  return digits;
}

/**
 * Single digits are list items, version parts and ISBN check digits, so a phone number holds one
 * only where one is written: the calling code ("+1 ..."), the two groups after it ("+33 1 23 ...",
 * "+33 (0)1 ...", "+55 (11) 9 1234-5678", "+49 180 5 ..."), the NANP "1" ("1-800-555-0199"), a
 * trunk "0" written apart ("0 800 12 34 56"), Brazil's mobile "9" ("(11) 9 1234-5678") and the
 * digit after a German service prefix ("0180 4 4662048").
 */
function singleDigitAllowed(
  international: boolean,
  rel: number,
  digit: number,
  firstDigit: number,
  groupsBefore: number,
): boolean {
  if (international) return rel <= 2; // "+33 1 23 ...", "+33 (0)1 23 ...", "+49 180 5 ..."
  if (rel === 0) return digit === ZERO + 1 || digit === ZERO; // NANP "1"; a trunk "0" apart
  if (rel !== 1 || groupsBefore !== 1) return false;
  // Brazil's mobile 9 after the area code; a German service digit after the trunk-led prefix.
  return (digit === ZERO + 9 && lengths[0] === 2) || (firstDigit === ZERO && lengths[0]! >= 2);
}

function internationalValid(numbering: PhoneNumbering, e164Digits: string): boolean {
  const callingCode = numbering.callingCodeOf(e164Digits);
  if (callingCode === undefined) return false;
  return validUnder(numbering, callingCode, e164Digits.slice(callingCode.length));
}

/** `nsn` is a valid number under `callingCode`, or is one after the trunk prefix kept before it. */
function validUnder(numbering: PhoneNumbering, callingCode: string, nsn: string): boolean {
  if (numbering.isValid(callingCode, nsn)) return true;
  // "+44 020 7946 0958": the trunk prefix kept after the calling code, as libphonenumber allows.
  const trunk = numbering.nationalPrefixOf(callingCode);
  return trunk !== undefined && nsn.startsWith(trunk) && numbering.isValid(callingCode, nsn.slice(trunk.length));
}

/**
 * internationalValid(numbering, digitsOf(text, run, s, e, skip)) for the `digitCount` digits of
 * groups s..e, read where they stand: the calling code from the first digits, then the national
 * number built once from the groups after it. Building the whole number first, then finding
 * its calling code and cutting it off, made two strings per number and read one of them again
 * (the phone recognizer spent about a tenth of its time there on dense documents).
 */
function internationalValidInRun(
  text: string,
  run: PhoneRun,
  s: number,
  e: number,
  skip: number,
  digitCount: number,
  numbering: PhoneNumbering,
): boolean {
  // Calling codes are prefix-free, so the first length that names one is the one; like
  // callingCodeOf, it must leave at least one digit after it.
  let callingCode: string | undefined;
  let codeLength = 0;
  let value = 0;
  for (let k = s; k <= e && callingCode === undefined && codeLength < 3; k++) {
    if (k - s === skip) continue;
    const groupEnd = run.groupEnd[k]!;
    for (let i = run.groupStart[k]!; i < groupEnd && codeLength < 3 && codeLength + 1 < digitCount; i++) {
      value = value * 10 + text.charCodeAt(i) - ZERO;
      codeLength++;
      callingCode = numbering.callingCodeOfPrefix(value, codeLength);
      if (callingCode !== undefined) break;
    }
    if (codeLength + 1 >= digitCount) break;
  }
  if (callingCode === undefined) return false;
  // The national number: every digit after the calling code's.
  let nsn = "";
  let toSkip = codeLength;
  for (let k = s; k <= e; k++) {
    if (k - s === skip) continue;
    const groupStart = run.groupStart[k]!;
    const groupEnd = run.groupEnd[k]!;
    const length = groupEnd - groupStart;
    if (toSkip >= length) {
      toSkip -= length;
      continue;
    }
    nsn += text.slice(groupStart + toSkip, groupEnd);
    toSkip = 0;
  }
  return validUnder(numbering, callingCode, nsn);
}

/** Finds the phone numbers inside one run and appends them to `out` (exported for the tests). */
export function findInRun(text: string, run: PhoneRun, numbering: PhoneNumbering, out: Candidate[]): void {
  if (run.digits < MIN_INTERNATIONAL_DIGITS) return; // the common case: "2024", "10:30", "1.2.3"
  let coveredThrough = -1; // last group covered by a number found from an earlier word
  // Once a number reaches the run's last group, no later word can start one that is reported
  // or that reaches further: the loop ends there ("+33 6 64 07 63 48" reads one word, not six).
  for (let s = 0; s < run.count && coveredThrough < run.count - 1; s++) {
    if (s > 0 && !run.spaceBefore[s]) continue; // numbers start at a word
    // The farthest group a number starting at s could reach.
    let last = s - 1;
    let digitCount = 0; // digits in groups s..last
    for (let k = s; k < run.count && k - s < MAX_GROUPS; k++) {
      const length = run.groupEnd[k]! - run.groupStart[k]!;
      if (digitCount + length > MAX_NATIONAL_DIGITS || run.groupEnd[k]! - run.groupStart[s]! > MAX_SPAN) break;
      digitCount += length;
      last = k;
    }
    // The longest number from s that ends at a word. Digit counts rule most ends out before
    // any closer look: from abroad 7-15 digits; at home 8-16, and 10-11 unless led by a 0.
    const international = s === 0 && run.plus >= 0;
    const trunk = text.charCodeAt(run.groupStart[s]!) === ZERO;
    let best = -1;
    let bestScore = 0;
    for (let e = last; e >= s; e--, digitCount -= run.groupEnd[e + 1]! - run.groupStart[e + 1]!) {
      // A number from a word an earlier number covers is not reported; it only matters when it
      // reaches past that one (see coveredThrough below), so shorter ends need no look.
      if (e <= coveredThrough) break;
      if (e < run.count - 1 && !run.spaceBefore[e + 1]) continue;
      if (international) {
        if (digitCount < MIN_INTERNATIONAL_DIGITS) break;
      } else if (digitCount < MIN_NATIONAL_DIGITS) {
        break;
      } else if (!trunk && digitCount !== 10 && digitCount !== 11) {
        continue;
      }
      const score = scoreGroups(text, run, s, e, numbering);
      if (score > 0) {
        best = e;
        bestScore = score;
        break;
      }
    }
    if (best < 0) continue;
    if (s > coveredThrough) {
      const start = numberStart(run, s);
      const score = ownedByOtherIdentifier(text, start) ? SCORE_OTHER_IDENTIFIER : bestScore;
      out.push({ start, end: run.groupEnd[best]!, score });
    }
    coveredThrough = Math.max(coveredThrough, best);
  }
}

/**
 * True when a run can begin at the digit `text[at]`, as the lookbehind of
 * /(?<![0-9A-Za-z_]|[0-9A-Za-z_][\-./\\#$])[0-9](?:[ \u00a0\u2007\u202f\-./\u2010-\u2013()]{0,5}[0-9]){6}/
 * has it: no digit, letter or glued identifier before it ("INV-2024", "ab12", "/api/123" are
 * skipped whole).
 */
export function mayOpenRun(text: string, at: number): boolean {
  const before = codeAt(text, at - 1);
  if (isWordCode(before)) return false;
  const glue = before === 45 || before === 46 || before === 47 || before === 92 || before === 35 || before === 36;
  return !(glue && isWordCode(codeAt(text, at - 2)));
}

const scratchRun = new PhoneRun();

/** The cluster is one run of digits (its only run length is its digit count). */
function isOneRun(digits: number, runLengths: number): boolean {
  return digits < 31 && runLengths === runLengthBit(digits);
}

/** A "+" (or "+(") just before the digit at `at`: a run read from there has a calling code. */
function plusBefore(text: string, at: number): boolean {
  const before = codeAt(text, at - 1);
  return before === PLUS || (before === 40 && codeAt(text, at - 2) === PLUS);
}

/**
 * Finds phone numbers in `text` using `numbering` for validation.
 *
 * A run with at least MIN_INTERNATIONAL_DIGITS digits may begin at a digit followed by six more,
 * each after at most five characters a run may hold between digits (") - (" is the most), which
 * is what a digit cluster is (text-scan.ts): inside a cluster of seven digits or more, every
 * digit that `mayOpenRun` and has six more after it opens one. The short numbers that fill logs
 * ("2024", "200", "10:30") never get this far.
 */
export function findPhoneNumbers(text: string, numbering: PhoneNumbering = phoneNumbering, scan?: TextScan): Candidate[] {
  const out: Candidate[] = [];
  const clusters = digitClustersOf(text, scan);
  const run = scratchRun; // safe to share: find() runs synchronously to the end
  const spans = clusters.spans;
  for (let k = 0; k < spans.length; k += SPAN) {
    const digits = spans[k + DIGITS]!;
    if (digits < MIN_INTERNATIONAL_DIGITS) continue;
    let at = spans[k + START]!;
    if (digits < 10 && !(digits >= MIN_NATIONAL_DIGITS && spans[k + ZERO_LED] === 1) && !plusBefore(text, at)) {
      // No number fits: one dialled from abroad needs a "+" (and only the cluster's first digit
      // can have one before it: "+" ends a cluster), one dialled at home ten or eleven digits,
      // or eight at least with a trunk 0 leading a group.
      continue;
    }
    if (digits > 11 && isOneRun(digits, spans[k + RUN_LENGTHS]!) && spans[k + ZERO_LED] === 0 && !plusBefore(text, at)) {
      // Digits alone, too many for a number dialled at home without a trunk 0: an epoch in
      // milliseconds, an IMEI, a card number written without separators.
      continue;
    }
    const clusterEnd = spans[k + END]!;
    let digitsLeft = digits; // digits in text[at, clusterEnd)
    for (;;) {
      // The first digit from `at` on that opens a run with six more digits after it.
      for (; digitsLeft >= MIN_INTERNATIONAL_DIGITS; at++) {
        if (!isDigitCode(text.charCodeAt(at))) continue;
        if (mayOpenRun(text, at)) break;
        digitsLeft--;
      }
      if (digitsLeft < MIN_INTERNATIONAL_DIGITS || at >= clusterEnd) break;
      // The run may begin just before its first digit: "(415) ...", "+44 ...", "+(".
      let start = at;
      if (codeAt(text, start - 1) === 40) start--;
      if (codeAt(text, start - 1) === PLUS) start--;
      if (!run.read(text, start)) run.read(text, at); // "(" that never closes: start at the digit
      findInRun(text, run, numbering, out);
      // The run holds every digit from `at` to its end (and holds one at least): look on after it.
      digitsLeft -= run.digits;
      at = run.end;
    }
  }
  return out;
}

/** Words that, said just before a phone number, make it believable (the scanner applies them). */
const CONTEXT = [
  "phone",
  "phone number",
  "phone_number",
  "phonenumber",
  "telephone",
  "tel",
  "call",
  "called",
  "calling",
  "mobile",
  "mobile_number",
  "cell",
  "cellphone",
  "fax",
  "whatsapp",
  "contact",
  "ph",
  "caller",
  "sms",
  "dial",
  "landline",
  "hotline",
  "reach me",
  "my number",
  "mob",
  // Signature labels: "T: 020 7946 0958", "M: 07700 900123" (a letter alone would match "don't").
  "t:",
  "m:",
  "p:",
  "f:",
  "telefon",
  "telefonnummer",
  "handy",
  "téléphone",
  "tél",
  "portable",
  "teléfono",
  "telefone",
  "celular",
  "móvil",
];

/**
 * Words that, owning the number (read by `cueBefore`: nearest words first, not past another
 * number, a line break or a phone word), make it some other identifier. The core's
 * negativeContext would look at the whole 48-character window, where "for reference." or
 * "Order #570433" in the sentence before would silence "Call 0472 959 300" as well.
 */
export const NOT_A_PHONE: CueWords = {
  cues: new Set([
    "order",
    "invoice",
    "inv",
    "isbn",
    "id",
    "ref",
    "reference",
    "tracking",
    "serial",
    "account",
    "acct",
    "imei",
    "iban",
    "sku",
    "ticket",
    "transaction",
    "txn",
    "po",
    "version",
    "build",
    "timestamp",
    "epoch",
    "ts",
    "ssn",
    "passport",
    "card",
    "isin",
  ]),
  stops: new Set(CONTEXT.filter((word) => /^[a-z_]+$/.test(word))),
  // "order number: 100234567", "account # 12345678", but not the "reference" in
  // "order #570433 for reference. As requested, 0472 959 300".
  maxWords: 1,
};

/** "Caller ID: +1 415 555 2671" names a phone number, though "ID" alone would not. */
const CALLER_ID_BEFORE = /caller[\s_-]*id\W{0,3}$/i;

function ownedByOtherIdentifier(text: string, start: number): boolean {
  if (!cueBefore(text, start, NOT_A_PHONE)) return false;
  return !CALLER_ID_BEFORE.test(text.slice(Math.max(0, start - 16), start));
}

/** Score of a number some other identifier's word owns: visible at a low threshold, no more. */
const SCORE_OTHER_IDENTIFIER = 0.05;

export const phoneNumberRecognizer: Recognizer = {
  type: "PHONE_NUMBER",
  maxLength: MAX_SPAN,
  context: CONTEXT,
  // No negativeContext: NOT_A_PHONE above is read inside find(), see there.
  find: (text, scan) => findPhoneNumbers(text, phoneNumbering, scan),
};
