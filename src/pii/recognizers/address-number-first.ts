/**
 * US and UK street addresses, where the house number comes first: "221B Baker Street, London
 * NW1 6XE", "350 Fifth Ave, Suite 3300, New York, NY 10118", "PO Box 1234, Springfield, IL 62704".
 *
 * Anchored on the street type ("Street", "Ave", ...; case sensitive, its first character a
 * capital), looked for only within a few name words after a house number (the gaps the shared
 * text scan notes as it passes the digits, see findNumberFirstAddresses), then a bounded walk
 * left from the type over name words to the house number, then the tail (directional, units,
 * locality) to the right, read from a slice that ends at the length cap.
 */
import type { AddressCandidate } from "./address-candidate.js";
import { codeAt, isAsciiLetter, isAlnumAt, isDigit, latin1Table } from "./chars.js";
import {
  COUNTING_WORDS,
  NOT_A_STREET_BEFORE,
  NOT_IN_STREET_NAME,
  STREET_TYPES,
  WORDS_AFTER_ADDRESS,
  streetTypeRank,
  type StreetType,
} from "./address-lexicon.js";
import {
  MAX_ADDRESS_LENGTH,
  abbreviationDotCloses,
  matchClosedTown,
  matchCountry,
  matchDirectional,
  matchLocality,
  matchUnit,
  type LocalityKind,
} from "./address-tail.js";

/*
 * The three readers below take `after`: the text from the end of the street type up to the
 * length cap (see streetCandidate).
 */

/**
 * True when another street type of at least the same rank follows: "481 E Ridge Road", "9260
 * Broadway Ave.", "1 Park Lane" name their street with the first; the second is the type.
 */
function typeFollows(after: string, type: StreetType): boolean {
  if (!isGap(after.charCodeAt(0))) return false;
  const first = after.charCodeAt(1);
  if (first < 65 || first > 90) return false;
  let wordEnd = 2;
  while (wordEnd < 14 && isAsciiLetter(after.charCodeAt(wordEnd))) wordEnd++;
  if (isAlnumAt(after, wordEnd)) return false;
  const next = typeWordAt(after, 1, wordEnd);
  return next !== undefined && streetTypeRank(next.type) >= streetTypeRank(type);
}

// "1211 Avenue of the Americas", "Boulevard of the Allies": the type first, then its name.
const OF_NAME = /[ \u00A0]of(?:[ \u00A0]the)?(?:[ \u00A0]\p{Lu}\p{Ll}{1,24}){1,2}(?![\p{L}\p{N}])/uy;
// "123 Avenue B": New York's lettered avenues.
const LETTER_NAME = /[ \u00A0][A-Z](?![\p{L}\p{N}'’])/uy;

/** The length of a name written after a strong street type (see above), or -1. */
function typeFirstEnd(after: string, typeWord: string, type: StreetType): number {
  if (type.strength !== "strong" || type.abbreviation || type.standalone || !isGap(after.charCodeAt(0))) return -1;
  const next = after.charCodeAt(1);
  if (next !== 111 && (next < 65 || next > 90)) return -1; // "of", or a capital letter
  OF_NAME.lastIndex = 0;
  if (OF_NAME.test(after)) return OF_NAME.lastIndex;
  if (typeWord !== "Avenue" && typeWord !== "AVENUE") return -1;
  LETTER_NAME.lastIndex = 0;
  return LETTER_NAME.test(after) ? LETTER_NAME.lastIndex : -1;
}

/**
 * True when `text` at `end` reads as the end of an address: the end of the text (or of the cap),
 * a line break, punctuation, or a small word that follows a place in a sentence ("to 1585
 * Broadway by Friday"). "2 Broadway shows" goes on with a word the number counts.
 */
function endsPhrase(text: string, end: number): boolean {
  const code = text.charCodeAt(end);
  if (Number.isNaN(code)) return true;
  if (!isGap(code)) return !isAlnumAt(text, end);
  let wordEnd = end + 1;
  while (wordEnd < end + 9 && isLowerAscii(text.charCodeAt(wordEnd))) wordEnd++;
  if (wordEnd === end + 1) return !isAlnumAt(text, end + 1) && !isUpperAt(text, end + 1);
  return !isAlnumAt(text, wordEnd) && WORDS_AFTER_ADDRESS.has(text.slice(end + 1, wordEnd));
}

const isLowerAscii = (code: number): boolean => code >= 97 && code <= 122;
const isUpperAt = (text: string, index: number): boolean => {
  const code = text.charCodeAt(index);
  if (code < 128) return code >= 65 && code <= 90;
  return code < 256 ? LATIN1_UPPER[code] === 1 : UPPER.test(text.charAt(index));
};

const MAX_NAME_WORDS = 5;
const MAX_TOKEN = 32;

/**
 * True when text[start, end) is a house number as /^[1-9][0-9]{0,4}[A-Za-z]?(?:-[0-9]{1,3}[A-Za-z]?)?$/
 * has it: "221B", "12a", "12-14", Queens' "123-45"; not a year range ("1996-2011"). Read in
 * place: every address found asks it of its house number, which then needs no string.
 * Exported for the test that checks it against that expression.
 */
export function isHouseNumberAt(text: string, start: number, end: number): boolean {
  let i = start;
  const first = codeAt(text, i);
  if (first < 49 || first > 57) return false;
  const digitsEnd = Math.min(end, i + 5);
  for (i++; i < digitsEnd && isDigit(text.charCodeAt(i)); i++);
  if (i < end && isAsciiLetter(text.charCodeAt(i))) i++;
  if (i < end && text.charCodeAt(i) === 45) {
    const groupStart = ++i;
    const groupEnd = Math.min(end, groupStart + 3);
    while (i < groupEnd && isDigit(text.charCodeAt(i))) i++;
    if (i === groupStart) return false;
    if (i < end && isAsciiLetter(text.charCodeAt(i))) i++;
  }
  return i === end;
}
const ORDINAL = /^[1-9][0-9]{0,3}(?:st|nd|rd|th|ST|ND|RD|TH)$/;
const DIRECTIONAL = /^(?:[NS][EW]?|[EW]|[NS]\.[EW]\.|[NSEW]\.|North|South|East|West|NORTH|SOUTH|EAST|WEST)$/;
// "Martin Luther King Jr": the words before it name one person, and count as one name word.
const NAME_SUFFIX = /^(?:Jr|Sr|JR|SR)\.?$/;
const NAME_ABBREVIATION = /^(?:Mt|St|Ft|Pt|Jr|Sr|Dr|MT|ST|FT|PT|JR|SR|DR)\.?$|^\p{Lu}\.$/u;
const TITLE_WORD = /^\p{Lu}[\p{L}'’-]{0,28}\p{Ll}$/u; // Baker, McDonald, O'Connell, Winston-Salem
const CAPS_WORD = /^\p{Lu}[\p{Lu}'’-]{2,28}$/u; // PENNSYLVANIA; three letters at least, so "10 GB DRIVE" is not

type NameWordKind = "word" | "minor" | "the";

const LONGEST_NOT_IN_NAME = Math.max(...[...NOT_IN_STREET_NAME].map((word) => word.length));

/**
 * For each ASCII first character, a bit per length (below 31) of the words of `words` that start
 * with it: ASCII letters keep their length when lower-cased, so a word of letters whose first
 * letter and length have no bit is in no lower-cased look-up, and needs no lower-cased copy.
 */
function lengthsByFirstChar(words: Iterable<string>): Int32Array {
  const table = new Int32Array(128);
  for (const word of words) {
    const first = word.charCodeAt(0);
    if (first < 128) table[first]! |= word.length < 31 ? 1 << word.length : 1 << 31;
  }
  return table;
}

/** Whether an ASCII-letter word starting with `first`, `length` long, may be one of `table`'s words. */
function mayBeWord(table: Int32Array, first: number, length: number): boolean {
  return (table[first | 32]! & (length < 31 ? 1 << length : 1 << 31)) !== 0;
}

const NOT_IN_NAME_LENGTHS = lengthsByFirstChar(NOT_IN_STREET_NAME);
const COUNTING_LENGTHS = lengthsByFirstChar(COUNTING_WORDS);

/** "Baker", "Oak": a capital and lower-case ASCII letters, the shape of most name words. */
function isPlainTitleWord(token: string): boolean {
  const first = token.charCodeAt(0);
  if (first < 65 || first > 90 || token.length < 2 || token.length > 30) return false;
  for (let i = 1; i < token.length; i++) {
    const code = token.charCodeAt(i);
    if (code < 97 || code > 122) return false;
  }
  return true;
}

/** Every word of NOT_A_STREET_BEFORE, by first letter and length (see lengthsByFirstChar). */
const NOT_BEFORE_LENGTHS = lengthsByFirstChar([...NOT_A_STREET_BEFORE.values()].flatMap((words) => [...words]));

/**
 * True when text[start, end) is a name word nameWordKind calls "word" on its first branch
 * without the tests that need the word's string: a plain title word ("Baker", "Oak") not "The",
 * of no first letter and length that a word NOT_IN_STREET_NAME has, not a possible directional
 * (N, S, E or W and at most five letters) or two-letter abbreviation. Other words return false
 * and go to nameWordKind.
 */
function isCommonNameWordAt(text: string, start: number, end: number): boolean {
  const length = end - start;
  if (length <= 2 || length > 30) return false;
  const first = text.charCodeAt(start);
  if (first < 65 || first > 90) return false;
  for (let i = start + 1; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code < 97 || code > 122) return false;
  }
  if (first === 84 && length === 3 && text.startsWith("The", start)) return false;
  if (length <= LONGEST_NOT_IN_NAME && mayBeWord(NOT_IN_NAME_LENGTHS, first, length)) return false;
  const compass = first === 78 || first === 83 || first === 69 || first === 87;
  return !(compass && length <= 5);
}

/** What a token left of the street type is, as part of a street name, or undefined. */
function nameWordKind(token: string, caps: boolean): NameWordKind | undefined {
  // The common shape decided with few tests: every name word of every address found goes here.
  if (!caps && isPlainTitleWord(token)) {
    if (token === "The") return "the";
    if (
      token.length <= LONGEST_NOT_IN_NAME &&
      mayBeWord(NOT_IN_NAME_LENGTHS, token.charCodeAt(0), token.length) &&
      NOT_IN_STREET_NAME.has(token.toLowerCase())
    ) {
      return undefined;
    }
    // Every directional starts with N, S, E or W: other words ("Elm", "Oak") skip the regex.
    const first = token.charCodeAt(0);
    const compass = first === 78 || first === 83 || first === 69 || first === 87;
    if ((compass && token.length <= 5 && DIRECTIONAL.test(token)) || (token.length === 2 && NAME_ABBREVIATION.test(token))) return "minor";
    return "word";
  }
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
/** UPPER's answers below 256 (Ö, Ü): a table read, not a regex run (chars.ts). */
const LATIN1_UPPER = latin1Table(UPPER);

interface StreetStart {
  start: number;
  /** All name words, and those that carry the name (not directionals, ordinals, abbreviations). */
  names: number;
  significant: number;
  /** The street is written in capitals ("1600 PENNSYLVANIA AVE"). */
  caps: boolean;
  /** The word before the type makes a phrase of it ("3 Third Place", "1 Hard Drive"): only a
   * locality after it makes it a street ("6778 Third Place, Miami, FL 33185"). */
  phrase: boolean;
}

/** A type word written in capitals ("ST", "AVENUE"): the name before it is read as capitals too. */
function capsWord(typeWord: string): boolean {
  return typeWord.length > 1 && typeWord === typeWord.toUpperCase();
}

/**
 * A street type as written ("Street", "ST"), with capsWord and its NOT_A_STREET_BEFORE entry
 * worked out once: the walk back runs for every type word found, and case-mapping it each time
 * made two strings a walk.
 */
interface TypeWord {
  readonly word: string;
  readonly type: StreetType;
  readonly caps: boolean;
  readonly notBefore: ReadonlySet<string> | undefined;
}

/** Longest street type is 10 letters ("Expressway"); lengths below this index the table. */
const TYPE_WORD_LENGTHS = 16;

/**
 * The street types by first character and length (index first * TYPE_WORD_LENGTHS + length),
 * at most a few per slot ("Street", "Square"). Why: a word is looked up where it stands in the
 * text, without cutting it out and hashing the copy, and the lookup gives the facts above too.
 */
const TYPE_WORDS: (readonly TypeWord[] | undefined)[] = buildTypeWords();

function buildTypeWords(): (readonly TypeWord[] | undefined)[] {
  const table: TypeWord[][] = [];
  for (const [word, type] of STREET_TYPES) {
    const first = word.charCodeAt(0);
    if (first >= 128 || word.length >= TYPE_WORD_LENGTHS) throw new Error(`street type ${word} does not fit the table`);
    const slot = first * TYPE_WORD_LENGTHS + word.length;
    (table[slot] ??= []).push({ word, type, caps: capsWord(word), notBefore: NOT_A_STREET_BEFORE.get(word.toLowerCase()) });
  }
  return Array.from({ length: 128 * TYPE_WORD_LENGTHS }, (_, slot) => table[slot]);
}

/** The street type spelled exactly text[start, end), or undefined. */
function typeWordAt(text: string, start: number, end: number): TypeWord | undefined {
  const length = end - start;
  const first = text.charCodeAt(start);
  if (!(first < 128) || length <= 0 || length >= TYPE_WORD_LENGTHS) return undefined;
  const slot = TYPE_WORDS[first * TYPE_WORD_LENGTHS + length];
  if (slot === undefined) return undefined;
  for (let k = 0; k < slot.length; k++) if (text.startsWith(slot[k]!.word, start)) return slot[k];
  return undefined;
}

/**
 * Walks left from the street type over at most MAX_NAME_WORDS name words, one space apart, to
 * the house number. Never reads below `floor` (the end of the previous address).
 */
function walkToHouseNumber(text: string, typeStart: number, floor: number, typeWord: TypeWord): StreetStart | undefined {
  const { caps, notBefore } = typeWord;
  let right = typeStart;
  let names = 0;
  let significant = 0;
  let sawThe = false;
  let phrase = false;
  // 0: no "Jr" seen; 1: seen, the person's name not counted yet; 2: counted.
  let person = 0;
  for (let k = 0; k <= MAX_NAME_WORDS; k++) {
    const gap = right - 1;
    if (gap < floor || !isGap(text.charCodeAt(gap))) return undefined;
    let left = gap;
    while (left > floor && gap - left < MAX_TOKEN) {
      const code = text.charCodeAt(left - 1);
      if (code < 128 ? TOKEN_CHAR[code] === 0 : !isTokenChar(text, left - 1)) break;
      left--;
    }
    if (left === gap || gap - left >= MAX_TOKEN) return undefined;
    // Name words start with a capital, house numbers with a digit; a lower-case word before the
    // type ("the same Street") is dropped before any string is made.
    const first = text.charCodeAt(left);
    if (first < 128 ? !(isDigit(first) || (first >= 65 && first <= 90)) : !isUpperAt(text, left)) return undefined;
    if (first < 58 && isHouseNumberAt(text, left, gap)) {
      return { start: left, names, significant, caps, phrase };
    }
    if (sawThe) return undefined; // "The" opens a name ("5 The Green"), nowhere else
    if (!caps && isCommonNameWordAt(text, left, gap)) {
      // A name word decided without its string (most are: "Elm", "Lakeview"); the phrase test
      // below makes one only for a word of a length some phrase word has.
      const length = gap - left;
      if (k === 0 && notBefore !== undefined && mayBeWord(NOT_BEFORE_LENGTHS, first, length) && notBefore.has(text.slice(left, gap).toLowerCase())) {
        phrase = true;
      }
      if (person !== 2) {
        significant++;
        if (person === 1) person = 2;
      }
      names++;
      right = left;
      continue;
    }
    const token = text.slice(left, gap);
    const kind = nameWordKind(token, caps);
    if (kind === undefined) return undefined;
    if (k === 0 && notBefore?.has(token.toLowerCase())) phrase = true; // "1 Hard Drive"
    if (kind === "the") sawThe = true;
    if (kind === "minor" && person === 0 && NAME_SUFFIX.test(token)) person = 1;
    if (kind === "word" && person !== 2) {
      significant++;
      if (person === 1) person = 2;
    }
    names++;
    right = left;
  }
  return undefined;
}

/**
 * True when the number at `start`, right after a comma, continues the number before that comma:
 * "$1,234 Main Street" (a group of three after one to three digits), "€1.234,56" (decimals after
 * a dotted number). A comma after any other number closes a CSV field: "555-0100,12 Main St",
 * "$10.42,361 Willow Trail", "+33 5 61 84 42 98,162 Grange Road".
 */
function isThousandsGroup(text: string, start: number): boolean {
  let before = start - 1;
  while (before > 0 && before > start - 6 && isDigit(text.charCodeAt(before - 1))) before--;
  const run = start - 1 - before;
  if (run === 0) return false;
  let after = start;
  while (after < start + 6 && isDigit(text.charCodeAt(after))) after++;
  const opener = text.charCodeAt(before - 1);
  if (isDigit(opener)) return false; // a long number: an ID or a phone number
  // A group of a number written in groups ("+33 5 61 84 42 98", "512.805.069"): a phone number.
  const grouped = (opener === 32 || opener === 46 || opener === 45) && isDigit(text.charCodeAt(before - 2));
  if (grouped) return opener === 46 && run === 3 && after - start <= 2; // "1.234,56"
  return run <= 3 && after - start === 3;
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
      return !isThousandsGroup(text, start);
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
  return mayBeWord(COUNTING_LENGTHS, text.charCodeAt(begin), end - begin) && COUNTING_WORDS.has(text.slice(begin, end).toLowerCase());
}

/** How far before an address its copyright mark may stand: the scanner's context window. */
const CONTEXT_REACH = 48;
// "(C) 2008-2019, 2021, 2022 Anthony Green", "Copyright: 2016 Iain Lane", "Copyright 1997 - 2001
// Damian Conway": a year and a person
// whose surname is a street type. The years may run in a list after the mark.
const COPYRIGHT_BEFORE =
  /(?:©|\([Cc]\)|[Cc]opyright|COPYRIGHT)[\s:]*(?:[0-9]{4}(?:[ ]?(?:[-–]|&ndash;)[ ]?(?:[0-9]{2,4})?)?,?[ ]*)*$/u;
// "2016 Iain Lane <iain@example.org>": a name and its e-mail, as copyright files list people.
const EMAIL_AFTER = /^[ \t]*[<(][^\s<>()@]{1,64}@/;

/**
 * "©", "(c)", "(C)", "opyright" or "OPYRIGHT": a mark COPYRIGHT_BEFORE needs, looked for first.
 * A regular expression over the 48 characters scans them faster than a charCodeAt loop does
 * (about 55 against 140 ns), and this runs for every address found.
 */
const COPYRIGHT_MARK = /©|\([Cc]\)|opyright|OPYRIGHT/;

/**
 * The ASCII characters COPYRIGHT_BEFORE allows between its mark and the end (white space, ":",
 * digits, "-", ",", "&ndash;"): 1 for those, else 0.
 */
const AFTER_MARK = new Uint8Array(128);
for (const c of " \t\n\v\f\r:0123456789-,&ndash;") AFTER_MARK[c.charCodeAt(0)] = 1;

/**
 * Whether a copyright mark may end COPYRIGHT_BEFORE's match in text[from, start): everything
 * after a mark is white space, digits and the few characters of AFTER_MARK, and every mark ends
 * in "©", ")", "t" or "T", none of them; so walking left over such characters (and over every
 * other non-ASCII one but "©", to stay on the safe side) stops at the mark, or nowhere near one.
 * Why: most addresses stop at the word before their number ("ship to 12"), without the copy of
 * the 48 characters and the two expressions run over it. Exported for the test that checks it
 * against COPYRIGHT_BEFORE.
 */
export function mayFollowCopyrightMark(text: string, from: number, start: number): boolean {
  let i = start - 1;
  for (; i >= from; i--) {
    const code = text.charCodeAt(i);
    if (code < 128 ? AFTER_MARK[code] === 0 : code === 0xa9) break;
  }
  if (i < from) return false;
  const mark = text.charCodeAt(i);
  return mark === 0xa9 || mark === 41 || mark === 116 || mark === 84; // © ) t T
}

/**
 * True when the number is a copyright year and the "street" a person: see above. The e-mail is
 * looked for no further than the length cap, like everything after the start.
 */
function isCopyrightLine(text: string, start: number, floor: number, coreEnd: number): boolean {
  const from = Math.max(floor, start - CONTEXT_REACH);
  if (mayFollowCopyrightMark(text, from, start)) {
    const before = text.slice(from, start);
    if (COPYRIGHT_MARK.test(before) && COPYRIGHT_BEFORE.test(before)) return true;
  }
  let i = coreEnd;
  while (codeAt(text, i) === 32 || codeAt(text, i) === 9) i++;
  const open = codeAt(text, i);
  if (open !== 60 && open !== 40) return false; // "<" or "("
  return EMAIL_AFTER.test(text.slice(coreEnd, Math.min(text.length, start + MAX_ADDRESS_LENGTH + 1)));
}

// "Flat 3, 12 Acacia Avenue": a unit written before the house number, as the UK does; in an
// address block, on the line above ("Flat 2B\n17 Kingsway").
const UNIT_BEFORE =
  /(?:^|[^\p{L}\p{N}])((?:Flat|Apartment|Apt\.?|Unit|Suite|Ste\.?|Studio|FLAT|APARTMENT|APT|UNIT|SUITE|STE|STUDIO)[ \u00A0]#?[0-9]{1,4}[A-Za-z]?(?:,?[ \u00A0]|,?\r?\n))$/u;
const UNIT_BEFORE_REACH = 28;

function unitBefore(text: string, start: number, floor: number): number {
  // The unit's number ends just before: "3, 12", "4B 12", "2B\n17". Most addresses stop here.
  const separator = codeAt(text, start - 1);
  if (separator !== 32 && separator !== 160 && separator !== 10) return start;
  let i = start - 2;
  if (separator === 10 && codeAt(text, i) === 13) i--;
  if (codeAt(text, i) === 44) i--;
  if (isAsciiLetter(codeAt(text, i))) i--;
  if (i < floor || !isDigit(codeAt(text, i))) return start;
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
  const atEnd = coreEnd + tail.length === text.length;
  // Every part after the street opens with a space, a tab, a line break or a comma and one of
  // them ("Street, Springfield"): after anything else (a CSV comma, a quote) nothing follows.
  if (!mayOpenPart(tail, p)) {
    return { end: coreEnd + (p === 1 && abbreviationDotCloses(tail, 0, atEnd) ? 1 : 0), unit, locality };
  }
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
  } else {
    const town = matchClosedTown(tail, p, atEnd);
    if (town >= 0 && town <= room) end = town;
  }
  if (end === 0 && p === 1 && abbreviationDotCloses(tail, 0, atEnd)) end = 1;
  return { end: coreEnd + end, unit, locality };
}

function mayOpenPart(tail: string, at: number): boolean {
  let code = tail.charCodeAt(at);
  if (code === 44) code = tail.charCodeAt(at + 1);
  return code === 32 || code === 9 || code === 160 || code === 10 || code === 13;
}

const SCORE_STRONG = 0.6;
const SCORE_MEDIUM = 0.5;
const SCORE_WEAK = 0.3;
const LONG_NAME_PENALTY = 0.2;
const SCORE_WITH_UNIT = 0.6;
/**
 * The score a locality lends the address. A switch, not a lookup in an object by the kind: that
 * keyed read sees four names and goes megamorphic (V8's --log-ic shows it), a slower generic read.
 */
function scoreByLocality(kind: LocalityKind): number {
  switch (kind) {
    case "state":
      return 0.75;
    case "postcode":
      return 0.8;
    case "state-zip":
    case "city-postcode":
      return 0.9;
  }
}

/** `after`: the text from the street type's end to the cap; `end`: the street's end in it. */
function coreScore(type: StreetType, street: StreetStart, after: string, end: number): number {
  // "2 Broadway shows"; "12 FAILED ST" in a log line: nothing but the locality or a context word
  // tells these from a street. "1585 Broadway" where the phrase ends reads as an address.
  if (type.standalone && street.names === 0) return endsPhrase(after, end) ? SCORE_MEDIUM : SCORE_WEAK;
  if (street.caps && type.abbreviation) return SCORE_WEAK;
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
  if (tail.locality !== undefined) score = Math.max(score, scoreByLocality(tail.locality));
  return score;
}

function streetCandidate(
  text: string,
  typeStart: number,
  typeEnd: number,
  floor: number,
): AddressCandidate | undefined {
  const typeWord = typeWordAt(text, typeStart, typeEnd);
  if (typeWord === undefined) return undefined;
  const type = typeWord.type;
  const street = walkToHouseNumber(text, typeStart, floor, typeWord);
  if (street === undefined) return undefined;
  if (!opensAddress(text, street.start, floor) || afterCountingWord(text, street.start, floor)) return undefined;
  const start = unitBefore(text, street.start, floor);
  // What follows the type is read from a slice that ends at the cap, as the tail is: nothing
  // past start + MAX_ADDRESS_LENGTH decides anything.
  const after = text.slice(typeEnd, Math.min(text.length, start + MAX_ADDRESS_LENGTH + 1));
  if (typeFollows(after, type)) return undefined;
  const typeFirst = street.names === 0 ? typeFirstEnd(after, typeWord.word, type) : -1;
  // "Version 2 Street Fighter": no name, unless the type names itself ("1585 Broadway") or its
  // name follows ("1211 Avenue of the Americas").
  if (street.names === 0 && !type.standalone && typeFirst < 0) return undefined;
  const streetEnd = typeEnd + Math.max(0, typeFirst);
  if (streetEnd - start > MAX_ADDRESS_LENGTH) return undefined;
  if (isCopyrightLine(text, street.start, floor, streetEnd)) return undefined;
  const tail = readTail(text, start, streetEnd, typeFirst < 0 && type.abbreviation);
  if (street.phrase && tail.locality === undefined) return undefined;
  const score = coreScore(type, street, after, streetEnd - typeEnd);
  return {
    start,
    end: tail.end,
    score: finalScore(score, tail),
    core: { end: streetEnd, score },
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

/**
 * Where a street type stands as the anchor has it: the type's letters, a space before them and
 * no letter or digit after ("St" of "St.", "Rd" of "Rd-5"; "Dr" of "Dröge" is not one).
 */
function isAnchorEnd(text: string, end: number): boolean {
  const code = codeAt(text, end);
  if (code < 128) return !(isAsciiLetter(code) || isDigit(code) || code === 95);
  return !(code >= 128 && isAlnumAt(text, end));
}

/**
 * One candidate for the anchor text[start, end) (a street type or "Box", as a whole word with a
 * space before it), or undefined; `floor` is the end of the previous candidate (0 for none).
 * Exported for the test that checks the house-number anchoring against a regular expression.
 */
export function candidateAt(text: string, start: number, end: number, floor: number): AddressCandidate | undefined {
  const isBox = end - start === 3 && (text.startsWith("Box", start) || text.startsWith("BOX", start));
  return isBox ? poBoxCandidate(text, start, end, floor) : streetCandidate(text, start, end, floor);
}

/** isTokenChar for ASCII as a table: 1 for a letter, 2 for a digit, ' - or ., 0 for the rest. */
const TOKEN_CHAR = new Uint8Array(128);
for (let code = 0; code < 128; code++) {
  TOKEN_CHAR[code] = isAsciiLetter(code) ? 1 : isTokenChar(String.fromCharCode(code), 0) ? 2 : 0;
}

/** For each first letter, a bit per length of the street types that start with it. */
const TYPE_LENGTHS = new Uint16Array(128);
for (const word of STREET_TYPES.keys()) TYPE_LENGTHS[word.charCodeAt(0)]! |= 1 << word.length;

/**
 * The street types reachable from house numbers: from each gap, over at most MAX_NAME_WORDS
 * name tokens one space apart, as the walk back from a type goes (so not past a word that walk
 * refuses). Pairs [start, end) in text order, each once.
 */
function typeWordsAfter(text: string, gaps: readonly number[]): number[] {
  const out: number[] = [];
  let last = -1; // start of the last type pushed
  for (let g = 0; g < gaps.length; g++) {
    let p = gaps[g]! + 1;
    for (let k = 0; k <= MAX_NAME_WORDS; k++) {
      // A word starting with a lower-case letter (or ' - .) is neither a type nor a name word:
      // the walk back from any type after it stops there, so nothing further from this number
      // can be an address ("2019 Google announced a new ..." reads two words, not six). Asked
      // before the word is walked: such words need no walk.
      const first = codeAt(text, p);
      if (first < 128 && !(isDigit(first) || (first >= 65 && first <= 90))) break;
      // The token's end, and the end of the letters it starts with, in one pass.
      let end = p;
      let letters = -1;
      for (; end < text.length && end - p < MAX_TOKEN; end++) {
        const code = text.charCodeAt(end);
        const kind = code < 128 ? TOKEN_CHAR[code]! : isTokenChar(text, end) ? 2 : 0;
        if (kind === 0) break;
        if (kind === 2 && letters < 0) letters = end;
      }
      if (end === p || end - p >= MAX_TOKEN) break;
      if (letters < 0) letters = end;
      const length = letters - p;
      if (
        p > last &&
        length < 16 &&
        first < 128 &&
        (TYPE_LENGTHS[first]! & (1 << length)) !== 0 &&
        isAnchorEnd(text, letters) &&
        typeWordAt(text, p, letters) !== undefined
      ) {
        out.push(p, letters);
        last = p;
      }
      if (!isGap(codeAt(text, end))) break;
      p = end + 1;
    }
  }
  return out;
}

/** "Box" and "BOX" with a space before, as the anchor finds them: pairs [start, end) in order. */
function boxWords(text: string): number[] {
  const out: number[] = [];
  let title = text.indexOf("Box");
  let caps = text.indexOf("BOX");
  while (title >= 0 || caps >= 0) {
    const at = caps < 0 || (title >= 0 && title < caps) ? title : caps;
    if (at === title) title = text.indexOf("Box", at + 3);
    else caps = text.indexOf("BOX", at + 3);
    if (at > 0 && isGap(text.charCodeAt(at - 1)) && isAnchorEnd(text, at + 3)) out.push(at, at + 3);
  }
  return out;
}

/** The anchors from house numbers: the types reachable from them, and every "Box". */
function byHouseNumbers(text: string, gaps: readonly number[]): AddressCandidate[] {
  const types = typeWordsAfter(text, gaps);
  const boxes = text.length >= 3 ? boxWords(text) : [];
  const out: AddressCandidate[] = [];
  let floor = 0;
  let t = 0;
  let b = 0;
  while (t < types.length || b < boxes.length) {
    const takeType = b >= boxes.length || (t < types.length && types[t]! < boxes[b]!);
    const start = takeType ? types[t]! : boxes[b]!;
    const end = takeType ? types[t + 1]! : boxes[b + 1]!;
    if (takeType) t += 2;
    else b += 2;
    if (start < floor) continue;
    const candidate = candidateAt(text, start, end, floor);
    if (candidate !== undefined) {
      out.push(candidate);
      floor = candidate.end;
    }
  }
  return out;
}

/**
 * US and UK addresses (and PO boxes), in order, not overlapping.
 *
 * `houseNumberGaps` must hold (at least) the offset of every space or no-break space that
 * follows a run of digits and at most two ASCII letters ("12 ", "221B ", "5th ") and comes
 * before an ASCII capital or a character above U+007F, in ascending order: every house number a
 * street can start with (the shared text scan notes these: DigitClusters.houseNumberGaps). The
 * street types are found from them, with the candidates a regular expression for every type over
 * the whole text would give (the test file checks this), at a fraction of its cost.
 */
export function findNumberFirstAddresses(text: string, houseNumberGaps: readonly number[]): AddressCandidate[] {
  return byHouseNumbers(text, houseNumberGaps);
}
