/**
 * US and UK street addresses, where the house number comes first: "221B Baker Street, London
 * NW1 6XE", "350 Fifth Ave, Suite 3300, New York, NY 10118", "PO Box 1234, Springfield, IL 62704".
 *
 * Anchored on the street type ("Street", "Ave", ...; one case-sensitive regex whose first
 * character must be a capital), then a bounded walk left over name words to the house number,
 * then the tail (directional, units, locality) to the right, read from a slice that ends at the
 * length cap.
 */
import type { AddressCandidate } from "./address-candidate.js";
import { isAsciiLetter, isAlnumAt, isDigit } from "./chars.js";
import {
  COUNTING_WORDS,
  NOT_A_STREET_BEFORE,
  NOT_IN_STREET_NAME,
  STREET_TYPES,
  type StreetType,
} from "./address-lexicon.js";
import {
  MAX_ADDRESS_LENGTH,
  matchCountry,
  matchDirectional,
  matchLocality,
  matchUnit,
  type LocalityKind,
} from "./address-tail.js";

/**
 * The anchor: a street type (or the "Box" of a PO box) as a whole word, case sensitive, Title
 * case or CAPS. Its first character must be a capital, which keeps the scan fast on logs and
 * JSON. Longest spellings first so "Street" is not cut to "St".
 */
const ANCHOR = new RegExp(
  `\\b(?:${[...STREET_TYPES.keys(), "Box", "BOX"].sort((a, b) => b.length - a.length).join("|")})\\b`,
  "g",
);

const MAX_NAME_WORDS = 5;
const MAX_TOKEN = 32;

// "221B", "12a", "12-14", Queens' "123-45"; not a year range ("1996-2011").
const HOUSE_NUMBER = /^[1-9][0-9]{0,4}[A-Za-z]?(?:-[0-9]{1,3}[A-Za-z]?)?$/;
const ORDINAL = /^[1-9][0-9]{0,3}(?:st|nd|rd|th|ST|ND|RD|TH)$/;
const DIRECTIONAL = /^(?:[NS][EW]?|[EW]|[NS]\.[EW]\.|[NSEW]\.)$/;
const NAME_ABBREVIATION = /^(?:Mt|St|Ft|Pt|Jr|Sr|Dr|MT|ST|FT|PT|JR|SR|DR)\.?$|^\p{Lu}\.$/u;
const TITLE_WORD = /^\p{Lu}[\p{L}'’-]{0,28}\p{Ll}$/u; // Baker, McDonald, O'Connell, Winston-Salem
const CAPS_WORD = /^\p{Lu}[\p{Lu}'’-]{2,28}$/u; // PENNSYLVANIA; three letters at least, so "10 GB DRIVE" is not

type NameWordKind = "word" | "minor" | "the";

/** What a token left of the street type is, as part of a street name, or undefined. */
function nameWordKind(token: string, caps: boolean): NameWordKind | undefined {
  if (token === "The" || token === "THE") return "the";
  if (NOT_IN_STREET_NAME.has(token.toLowerCase())) return undefined;
  if (ORDINAL.test(token) || DIRECTIONAL.test(token) || NAME_ABBREVIATION.test(token)) return "minor";
  return (caps ? CAPS_WORD : TITLE_WORD).test(token) ? "word" : undefined;
}

function isTokenChar(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  // ASCII inline (letters, digits, ' - .): this runs for every character walked from each hit.
  if (code < 128) {
    return ((code | 32) >= 97 && (code | 32) <= 122) || (code >= 48 && code <= 57) || code === 39 || code === 45 || code === 46;
  }
  return code === 0x2019 || isAlnumAt(text, index);
}

const isGap = (code: number): boolean => code === 32 || code === 160;
const UPPER = /\p{Lu}/u;

interface StreetStart {
  start: number;
  /** All name words, and those that carry the name (not directionals, ordinals, abbreviations). */
  names: number;
  significant: number;
  /** The street is written in capitals ("1600 PENNSYLVANIA AVE"). */
  caps: boolean;
}

/**
 * Walks left from the street type over at most MAX_NAME_WORDS name words, one space apart, to
 * the house number. Never reads below `floor` (the end of the previous address).
 */
function walkToHouseNumber(
  text: string,
  typeStart: number,
  floor: number,
  typeWord: string,
  type: StreetType,
): StreetStart | undefined {
  const caps = typeWord.length > 1 && typeWord === typeWord.toUpperCase();
  const notBefore = NOT_A_STREET_BEFORE.get(typeWord.toLowerCase());
  let right = typeStart;
  let names = 0;
  let significant = 0;
  let sawThe = false;
  for (let k = 0; k <= MAX_NAME_WORDS; k++) {
    const gap = right - 1;
    if (gap < floor || !isGap(text.charCodeAt(gap))) return undefined;
    let left = gap;
    while (left > floor && gap - left < MAX_TOKEN && isTokenChar(text, left - 1)) left--;
    if (left === gap || gap - left >= MAX_TOKEN) return undefined;
    // Name words start with a capital, house numbers with a digit; a lower-case word before the
    // type ("the same Street") is dropped before any string is made.
    const first = text.charCodeAt(left);
    if (first < 128 ? !(isDigit(first) || (first >= 65 && first <= 90)) : !UPPER.test(text[left]!)) return undefined;
    const token = text.slice(left, gap);
    if (HOUSE_NUMBER.test(token)) {
      if (names === 0 && !type.standalone) return undefined; // "Version 2 Street Fighter"
      return { start: left, names, significant, caps };
    }
    if (sawThe) return undefined; // "The" opens a name ("5 The Green"), nowhere else
    const kind = nameWordKind(token, caps);
    if (kind === undefined) return undefined;
    if (k === 0 && notBefore?.has(token.toLowerCase())) return undefined; // "1 Hard Drive"
    if (kind === "the") sawThe = true;
    if (kind === "word") significant++;
    names++;
    right = left;
  }
  return undefined;
}

/**
 * The character before a house number: the start of the text, a space, an opening bracket or
 * quote, ">" or "|" (markup and tables), a label's colon ("addr:12 Main St") or a CSV comma.
 * Not a digit, dot, dash, "#", "$" or "*", nor a colon or comma after a digit: then the number
 * belongs to a time, price, list or identifier (or is what the partial mask left of one).
 */
function opensAddress(text: string, start: number, floor: number): boolean {
  // Right after the previous address counts as the start of the text: once that address is
  // masked, "<STREET_ADDRESS>" is all that is left before this one.
  if (start === floor) return true;
  const code = text.charCodeAt(start - 1);
  switch (code) {
    case 32: case 9: case 10: case 13: case 160: case 40: case 91: case 123: case 34: case 39: case 96:
    case 62: case 124: case 59: case 0x201c: case 0x2018: case 0xab:
      return true;
    case 58: // ":" after a word, not after a digit (10:30)
      return start >= 2 && isAsciiLetter(text.charCodeAt(start - 2));
    case 44: // "," opening a CSV field, not inside a number (1,234)
      return start < 2 || !isDigit(text.charCodeAt(start - 2));
    default:
      return false;
  }
}

/**
 * True when the word just before the number counts something else: "Chapter 12 ...". A word
 * inside the previous address ("..., 5th Floor 1 Oak Street") does not count: masking removes it.
 */
function afterCountingWord(text: string, start: number, floor: number): boolean {
  let i = start;
  let gaps = 0;
  while (i > 0 && gaps < 3 && (isGap(text.charCodeAt(i - 1)) || text.charCodeAt(i - 1) === 9)) {
    i--;
    gaps++;
  }
  if (gaps === 0) return false;
  let end = i;
  if (end > 0 && text.charCodeAt(end - 1) === 46) end--; // "Vol. 3", "p. 5"
  let begin = end;
  while (begin > 0 && end - begin <= 12 && isAsciiLetter(text.charCodeAt(begin - 1))) begin--;
  if (begin === end || end - begin > 12 || begin < floor) return false;
  if (begin > 0 && isAlnumAt(text, begin - 1)) return false;
  return COUNTING_WORDS.has(text.slice(begin, end).toLowerCase());
}

/** How far before an address its copyright mark may stand: the scanner's context window. */
const CONTEXT_REACH = 48;
// "(C) 2008-2019, 2021, 2022 Anthony Green", "Copyright: 2016 Iain Lane": a year and a person
// whose surname is a street type. The years may run in a list after the mark.
const COPYRIGHT_BEFORE =
  /(?:©|\([Cc]\)|[Cc]opyright|COPYRIGHT)[\s:]*(?:[0-9]{4}(?:[ ]?(?:[-–]|&ndash;)[ ]?[0-9]{2,4})?,?[ ]*)*$/u;
// "2016 Iain Lane <iain@example.org>": a name and its e-mail, as copyright files list people.
const EMAIL_AFTER = /^[ \t]*[<(][^\s<>()@]{1,64}@/;

/**
 * True when the number is a copyright year and the "street" a person: see above. The e-mail is
 * looked for no further than the length cap, like everything after the start.
 */
function isCopyrightLine(text: string, start: number, floor: number, coreEnd: number): boolean {
  const before = text.slice(Math.max(floor, start - CONTEXT_REACH), start);
  // Cheap look for a mark first: this runs for every address found.
  const marked = before.includes("©") || before.includes("opyright") || before.includes("OPYRIGHT") || /\([Cc]\)/.test(before);
  if (marked && COPYRIGHT_BEFORE.test(before)) return true;
  let i = coreEnd;
  while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9) i++;
  const open = text.charCodeAt(i);
  if (open !== 60 && open !== 40) return false; // "<" or "("
  return EMAIL_AFTER.test(text.slice(coreEnd, Math.min(text.length, start + MAX_ADDRESS_LENGTH + 1)));
}

// "Flat 3, 12 Acacia Avenue": a unit written before the house number, as the UK does.
const UNIT_BEFORE =
  /(?:^|[^\p{L}\p{N}])((?:Flat|Apartment|Apt\.?|Unit|Suite|Ste\.?|Studio|FLAT|APARTMENT|APT|UNIT|SUITE|STE|STUDIO)[ \u00A0]#?[0-9]{1,4}[A-Za-z]?,?[ \u00A0])$/u;
const UNIT_BEFORE_REACH = 28;

function unitBefore(text: string, start: number, floor: number): number {
  // The unit's number ends just before: "3, 12", "4B 12". Most addresses stop here.
  let i = start - 2;
  if (text.charCodeAt(i) === 44) i--;
  if (isAsciiLetter(text.charCodeAt(i))) i--;
  if (i < floor || !isDigit(text.charCodeAt(i))) return start;
  const from = Math.max(floor, start - UNIT_BEFORE_REACH);
  const m = UNIT_BEFORE.exec(text.slice(from, start));
  return m === null ? start : start - m[1]!.length;
}

interface Tail {
  end: number;
  unit: boolean;
  locality: LocalityKind | undefined;
}

/**
 * Reads what follows the street (or PO box number): directional, up to two units, locality,
 * country. It reads a slice ending at the cap, so nothing past `start + MAX_ADDRESS_LENGTH`
 * decides anything; a part that would end past the cap is left out.
 */
function readTail(text: string, start: number, coreEnd: number, abbreviation: boolean): Tail {
  const tail = text.slice(coreEnd, Math.min(text.length, start + MAX_ADDRESS_LENGTH + 1));
  // A part fits when it ends at most here (matchers return -1 for no match).
  const room = start + MAX_ADDRESS_LENGTH - coreEnd;
  // "St." keeps its dot only when the address goes on ("123 N. Main St. Apt 4B"); at the end of
  // a sentence the dot is the sentence's.
  let p = abbreviation && tail.charCodeAt(0) === 46 ? 1 : 0;
  let end = 0;
  let unit = false;
  let locality: LocalityKind | undefined;
  const directional = matchDirectional(tail, p);
  if (directional >= 0 && directional <= room) end = p = directional;
  for (let k = 0; k < 2; k++) {
    const u = matchUnit(tail, p);
    if (u < 0 || u > room) break;
    end = p = u;
    unit = true;
  }
  const place = matchLocality(tail, p);
  if (place !== undefined && place.end <= room) {
    end = p = place.end;
    locality = place.kind;
    const country = matchCountry(tail, p);
    if (country >= 0 && country <= room) end = country;
  }
  return { end: coreEnd + end, unit, locality };
}

const SCORE_STRONG = 0.6;
const SCORE_MEDIUM = 0.5;
const SCORE_WEAK = 0.3;
const LONG_NAME_PENALTY = 0.2;
const SCORE_WITH_UNIT = 0.6;
const SCORE_BY_LOCALITY: Record<LocalityKind, number> = {
  state: 0.75,
  postcode: 0.8,
  "state-zip": 0.9,
  "city-postcode": 0.9,
};

function coreScore(type: StreetType, street: StreetStart): number {
  // "2 Broadway shows"; "12 FAILED ST" in a log line: nothing but the locality or a context word
  // tells these from a street.
  if ((type.standalone && street.names === 0) || (street.caps && type.abbreviation)) return SCORE_WEAK;
  let score =
    type.strength === "strong"
      ? SCORE_STRONG
      : type.strength === "medium" && street.significant <= 2
        ? SCORE_MEDIUM
        : SCORE_WEAK;
  // Four or more name words is more often a title-case sentence than a street.
  if (street.significant >= 4) score -= LONG_NAME_PENALTY;
  return score;
}

function finalScore(score: number, tail: Tail): number {
  if (tail.unit) score = Math.max(score, SCORE_WITH_UNIT);
  if (tail.locality !== undefined) score = Math.max(score, SCORE_BY_LOCALITY[tail.locality]);
  return score;
}

function streetCandidate(
  text: string,
  typeStart: number,
  typeEnd: number,
  floor: number,
): AddressCandidate | undefined {
  const typeWord = text.slice(typeStart, typeEnd);
  const type = STREET_TYPES.get(typeWord);
  if (type === undefined) return undefined;
  const street = walkToHouseNumber(text, typeStart, floor, typeWord, type);
  if (street === undefined) return undefined;
  if (!opensAddress(text, street.start, floor) || afterCountingWord(text, street.start, floor)) return undefined;
  if (isCopyrightLine(text, street.start, floor, typeEnd)) return undefined;
  const start = unitBefore(text, street.start, floor);
  if (typeEnd - start > MAX_ADDRESS_LENGTH) return undefined;
  const tail = readTail(text, start, typeEnd, type.abbreviation);
  const score = coreScore(type, street);
  return {
    start,
    end: tail.end,
    score: finalScore(score, tail),
    core: { end: typeEnd, score },
    bareStart: street.start,
  };
}

const PO_BOX_BEFORE = /(?:^|[^\p{L}\p{N}])((?:P\.[ \u00A0]?O\.|PO|Post Office|POST OFFICE)[ \u00A0]?)$/u;
const PO_BOX_NUMBER = /[ \u00A0]#?[0-9]{1,7}(?:-[0-9]{1,4})?(?![\p{L}\p{N}])/uy;
const SCORE_PO_BOX = 0.6;

/**
 * "PO Box 1234", "P.O. Box 42, Springfield, IL 62704". Presidio leaves PO boxes out; we report
 * them: a box number with its town reaches a person as surely as a street does, and masking
 * more is the safe side of a privacy gateway.
 */
function poBoxCandidate(
  text: string,
  boxStart: number,
  boxEnd: number,
  floor: number,
): AddressCandidate | undefined {
  const before = PO_BOX_BEFORE.exec(text.slice(Math.max(floor, boxStart - 14), boxStart));
  if (before === null) return undefined;
  const start = boxStart - before[1]!.length;
  PO_BOX_NUMBER.lastIndex = boxEnd;
  if (!PO_BOX_NUMBER.test(text)) return undefined;
  const numberEnd = PO_BOX_NUMBER.lastIndex;
  if (numberEnd - start > MAX_ADDRESS_LENGTH) return undefined;
  const tail = readTail(text, start, numberEnd, false);
  return {
    start,
    end: tail.end,
    score: finalScore(SCORE_PO_BOX, tail),
    core: { end: numberEnd, score: SCORE_PO_BOX },
    bareStart: undefined,
  };
}

/** US and UK addresses (and PO boxes), in order, not overlapping. */
export function findNumberFirstAddresses(text: string): AddressCandidate[] {
  const out: AddressCandidate[] = [];
  let floor = 0;
  ANCHOR.lastIndex = 0;
  while (ANCHOR.test(text)) {
    const anchorEnd = ANCHOR.lastIndex;
    // The anchor is letters between word boundaries: walking back over letters finds its start
    // without the allocation of exec().
    let anchorStart = anchorEnd;
    for (let code = text.charCodeAt(anchorStart - 1); (code | 32) >= 97 && (code | 32) <= 122; ) {
      code = text.charCodeAt(--anchorStart - 1);
    }
    // Every form has a space before the anchor ("Baker Street", "PO Box"); most hits do not.
    if (anchorStart === 0 || !isGap(text.charCodeAt(anchorStart - 1))) continue;
    // \b only knows ASCII: "Dr" in "Dröge" is not a word.
    if (text.charCodeAt(anchorEnd) >= 128 && isAlnumAt(text, anchorEnd)) continue;
    const isBox =
      anchorEnd - anchorStart === 3 && (text.startsWith("Box", anchorStart) || text.startsWith("BOX", anchorStart));
    const candidate = isBox
      ? poBoxCandidate(text, anchorStart, anchorEnd, floor)
      : streetCandidate(text, anchorStart, anchorEnd, floor);
    if (candidate !== undefined) {
      out.push(candidate);
      floor = candidate.end;
      ANCHOR.lastIndex = candidate.end;
    }
  }
  return out;
}
