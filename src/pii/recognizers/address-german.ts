/**
 * German street addresses, where the house number follows the street: "Hauptstraße 5, 80331
 * München", "Musterstr. 12a", "Konrad-Adenauer-Straße 1", "Frankfurter Allee 5", "Am Markt 3",
 * "Unter den Linden 77, 10117 Berlin", "Postfach 10 11 20, 10115 Berlin".
 *
 * Anchored on the house number: a digit one space after a lower-case letter or a dot. The word
 * before it must be capitalised and either end in a street word (-straße, -str., -weg, -platz,
 * ...), follow a preposition that opens suffix-less street names (Am, An der, Unter den, ...), or
 * be "Postfach". The street's start is found by a bounded walk left; the house number, PLZ and
 * town are read from a slice that ends at the length cap.
 */
import type { DigitClusters } from "../text-scan.js";
import type { AddressCandidate } from "./address-candidate.js";
import { codeAt, isAlnumAt, isDigit, latin1Table } from "./chars.js";
import {
  GERMAN_NOT_STREET_ADJECTIVES,
  GERMAN_PREFIX_NOT_A_STREET,
  GERMAN_QUANTITY_UNITS,
  GERMAN_STREET_PREFIXES,
  GERMAN_STREET_SUFFIXES,
  ENGLISH_RING_WORDS,
  NOT_GERMAN_STREETS,
  WEAK_GERMAN_SUFFIXES,
  WORDS_AFTER_ADDRESS,
} from "./address-lexicon.js";
import { MAX_ADDRESS_LENGTH, matchCountry, matchGermanLocality, matchGermanUnit } from "./address-tail.js";

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/*
 * Every German form ends its street with a lower-case letter or the dot of "str." and puts the
 * house number one space after it: "…straße 5", "…Markt 3", "Postfach 1…", the shape
 * /[a-zäöüß.][ \u00A0][1-9]/. The text scan notes these numbers as it passes the digits
 * (text-scan.ts); a hit costs one look at the word before it, which in most text starts in lower
 * case and is dropped at once.
 */

const MAX_WORD = 40;
const MAX_ADJECTIVES = 2;
/** A street reached only by a preposition ("Am Markt 3") without a PLZ has a small number. */
const MAX_PREFIX_FORM_DIGITS = 3;

const SCORE_SUFFIX = 0.6;
const SCORE_WEAK_SUFFIX = 0.3;
const SCORE_PREFIX_FORM = 0.5;
const SCORE_POSTFACH = 0.6;
const SCORE_WITH_TOWN = 0.9;
const SCORE_WITH_UNIT = 0.6;

/** A town makes an address certain; a unit ("Whg. 3", "2. OG") makes it likely. */
function tailScore(core: number, rest: NumberAndTown): number {
  if (rest.town) return SCORE_WITH_TOWN;
  return rest.unit ? Math.max(core, SCORE_WITH_UNIT) : core;
}

const UPPER = /\p{Lu}/u;
const LOWER = /^\p{Ll}$/u;
const LETTER = /\p{L}/u;
// German names are full of Latin-1 letters (ß, ü, ö): a table read, not a regex run (chars.ts).
const LATIN1_UPPER = latin1Table(UPPER);
const LATIN1_LETTER = latin1Table(LETTER);

function isUpperAt(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  if (code < 128) return code >= 65 && code <= 90;
  if (code < 256) return LATIN1_UPPER[code] === 1;
  return !Number.isNaN(code) && UPPER.test(text[index]!);
}

function isLetterAt(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  // Inline ASCII test: this runs for every character walked back from each anchor hit.
  if (code < 128) return (code >= 97 && code <= 122) || (code >= 65 && code <= 90);
  if (code < 256) return LATIN1_LETTER[code] === 1;
  return !Number.isNaN(code) && LETTER.test(text[index]!);
}

const isGap = (code: number): boolean => code === 32 || code === 160;

// English words in the adjective slot of "Berliner Straße" that only look German.
export const ENGLISH_NOT_ADJECTIVES = new Set(
  (
    "the these those there where here some more other every whole since once while before after over under " +
    "when then even open given"
  ).split(" "),
);

/** The start of the capitalisable word (letters and hyphens, at most MAX_WORD) ending at `end`. */
function wordStartBefore(text: string, end: number, floor: number): number {
  let begin = end;
  while (begin > floor && end - begin < MAX_WORD && (isLetterAt(text, begin - 1) || text.charCodeAt(begin - 1) === 45)) {
    begin--;
  }
  return begin;
}

/** The start of an adjective right before `at` ("Berliner ", "Alte "), or -1. */
function adjectiveBefore(text: string, at: number, floor: number): number {
  const gap = at - 1;
  if (gap <= floor || !isGap(text.charCodeAt(gap))) return -1;
  const begin = wordStartBefore(text, gap, floor);
  if (begin === gap || gap - begin >= MAX_WORD || !isUpperAt(text, begin)) return -1;
  if (begin > floor && isAlnumAt(text, begin - 1)) return -1;
  const word = text.slice(begin, gap).toLowerCase();
  if (!/(?:er|e|en|es)$/.test(word)) return -1;
  if (GERMAN_NOT_STREET_ADJECTIVES.has(word) || ENGLISH_NOT_ADJECTIVES.has(word)) return -1;
  return begin;
}

const PREFIXES = new Set(GERMAN_STREET_PREFIXES);
const MAX_PREFIX_WORD = 6; // "Hinter"

/** The start of the short ASCII word that ends one space before `at`, or -1. */
function shortWordBefore(text: string, at: number, floor: number): number {
  const gap = at - 1;
  if (gap <= floor || !isGap(text.charCodeAt(gap))) return -1;
  let begin = gap;
  while (begin > floor && gap - begin <= MAX_PREFIX_WORD) {
    const code = text.charCodeAt(begin - 1) | 32;
    if (code < 97 || code > 122) break;
    begin--;
  }
  if (begin === gap || gap - begin > MAX_PREFIX_WORD) return -1;
  if (begin > floor && isAlnumAt(text, begin - 1)) return -1;
  return begin;
}

/**
 * Extends `at` left over a preposition ("Am Mühlenweg 5", "An der Alten Straße 5"). Runs for
 * every capitalised word before a number, so it compares short slices instead of running a regex.
 */
function prefixBefore(text: string, at: number, floor: number): number {
  const last = shortWordBefore(text, at, floor);
  if (last < 0) return at;
  // Every preposition is capitalised and every article after one is three letters ("der"):
  // most words before a street are neither, and are dropped before any string is made.
  if (isUpperAt(text, last)) return PREFIXES.has(text.slice(last, at - 1)) ? last : at; // Am, Im, Zum, Zur, Beim
  if (at - 1 - last !== 3) return at;
  const first = shortWordBefore(text, last, floor);
  return first >= 0 && PREFIXES.has(text.slice(first, at - 1)) ? first : at; // An der, Unter den
}

// " 5", " 12a", " 5-7", " 12/1": after the street, one space apart.
const HOUSE_NUMBER = new RegExp(
  "[ \\u00A0]([1-9][0-9]{0,3})(?:[a-zA-Z](?!\\p{L}))?" + // 12, 12a
    "(?:[ \\u00A0]?[-/][ \\u00A0]?[1-9][0-9]{0,3}[a-zA-Z]?)?" + // -14, /1
    "(?![\\p{L}\\p{N}])",
  "uy",
);
const WORD_AFTER = /[ \u00A0]([\p{L}%€]{1,12})(?![\p{L}\p{N}])/uy;

interface HouseNumber {
  end: number;
  digits: number;
}

/**
 * True when the comma at `comma` closes a field rather than starting decimals: the street opened
 * a CSV field (`inField`), or what follows the comma is a date or a phone number ("Weg 5,12/05/2026",
 * "Weg 5,2023-07-14", "Weg 5,06 70 36 91"), not the end of a number ("Weg 5,3 km").
 */
function commaClosesField(tail: string, comma: number, inField: boolean): boolean {
  if (inField) return true;
  let i = comma + 1;
  while (i < comma + 6 && isDigit(codeAt(tail, i))) i++;
  const next = codeAt(tail, i);
  const after = codeAt(tail, i + 1);
  return (next === 46 || next === 47 || next === 45 || next === 32) && isDigit(after);
}

/**
 * The house number at `at` in `tail`, or undefined when there is none or the number is a
 * quantity: "Weg 5,3", "Ring 3:1", "Jakobsweg 5 km", "Ring 3 Uhr". `inField`: the street opens a
 * CSV field, so a comma right after the number ends that field.
 */
function houseNumber(tail: string, at: number, inField: boolean): HouseNumber | undefined {
  HOUSE_NUMBER.lastIndex = at;
  const m = HOUSE_NUMBER.exec(tail);
  if (m === null) return undefined;
  const end = HOUSE_NUMBER.lastIndex;
  const next = codeAt(tail, end);
  if ((next === 46 || next === 44 || next === 58) && isDigit(codeAt(tail, end + 1))) {
    if (next !== 44 || !commaClosesField(tail, end, inField)) return undefined;
  }
  if (next === 37 || next === 176 || next === 0x20ac || next === 36) return undefined; // % ° € $
  // (The unit word stands one space after the number: after a comma, no call.)
  if (next === 32 || next === 0xa0) {
    WORD_AFTER.lastIndex = end;
    const word = WORD_AFTER.exec(tail);
    if (word !== null && GERMAN_QUANTITY_UNITS.has(word[1]!.toLowerCase())) return undefined;
  }
  return { end, digits: m[1]!.length };
}

interface NumberAndTown {
  number: HouseNumber;
  numberEnd: number;
  /** A lower-case word follows the number. */
  wordAfter: boolean;
  end: number;
  town: boolean;
  /** A unit follows the number ("Whg. 3", "2. OG"). */
  unit: boolean;
}

/** An English word that follows a place in a sentence ("Unter den Linden 154 by Friday"). */
function englishWordAt(tail: string, at: number): boolean {
  let end = at;
  while (end < at + 9 && codeAt(tail, end) >= 97 && codeAt(tail, end) <= 122) end++;
  return end > at && !isAlnumAt(tail, end) && WORDS_AFTER_ADDRESS.has(tail.slice(at, end));
}

/** Reads number, PLZ and town (and country) after `streetEnd`, within the cap from `start`. */
function readNumberAndTown(text: string, start: number, streetEnd: number): NumberAndTown | undefined {
  const tail = text.slice(streetEnd, Math.min(text.length, start + MAX_ADDRESS_LENGTH + 1));
  const room = start + MAX_ADDRESS_LENGTH - streetEnd;
  const opener = codeAt(text, start - 1);
  const number = houseNumber(tail, 0, opener === 44 || opener === 59 || opener === 9);
  if (number === undefined || number.end > room) return undefined;
  let end = number.end;
  let unit = false;
  for (let k = 0; k < 2; k++) {
    const u = matchGermanUnit(tail, end);
    if (u < 0 || u > room) break;
    end = u;
    unit = true;
  }
  const town = matchGermanLocality(tail, end);
  const hasTown = town >= 0 && town <= room;
  if (hasTown) {
    end = town;
    const country = matchCountry(tail, end);
    if (country >= 0 && country <= room) end = country;
  }
  const wordAfter = isGap(codeAt(tail, number.end)) && LOWER.test(tail.charAt(number.end + 1)) && !englishWordAt(tail, number.end + 1);
  return { number, numberEnd: streetEnd + number.end, wordAfter, end: streetEnd + end, town: hasTown, unit };
}

/** "Hauptstraße 5", "Berliner Straße 5", "Konrad-Adenauer-Straße 1", "Am Mühlenweg 5". */
function suffixCandidate(
  text: string,
  wordStart: number,
  suffixStart: number,
  suffixEnd: number,
  floor: number,
): AddressCandidate | undefined {
  const word = text.slice(wordStart, suffixEnd).toLowerCase();
  if (NOT_GERMAN_STREETS.has(word)) return undefined;
  const weak = WEAK_GERMAN_SUFFIXES.has(word.slice(suffixStart - wordStart));
  // English "-ring" words: gerunds (a vowel before "ring": During, Offering) and Spring, String.
  if (weak && (ENGLISH_RING_WORDS.has(word) || /[aeiouy]ring$/.test(word))) return undefined;
  let start = wordStart;
  let adjectives = 0;
  let nearestAdjective = -1;
  while (adjectives < MAX_ADJECTIVES) {
    const before = adjectiveBefore(text, start, floor);
    if (before < 0) break;
    if (adjectives === 0) nearestAdjective = before;
    start = before;
    adjectives++;
  }
  const standalone = wordStart === suffixStart;
  // "Straße 5" or "Weg 3" on its own names no street; "Berliner Straße 5" does.
  if (standalone && adjectives === 0) return undefined;
  start = prefixBefore(text, start, floor);
  if (suffixEnd - start > MAX_ADDRESS_LENGTH) return undefined;
  const rest = readNumberAndTown(text, start, suffixEnd);
  if (rest === undefined) return undefined;
  const coreScore = weak ? SCORE_WEAK_SUFFIX : SCORE_SUFFIX;
  return {
    start,
    end: rest.end,
    score: tailScore(coreScore, rest),
    core: { end: rest.numberEnd, score: coreScore },
    bareStart: standalone ? nearestAdjective : wordStart,
  };
}

const PREPOSITIONS = new Set(GERMAN_STREET_PREFIXES.map((p) => p.split(" ")[0]!));
const NAME_WORD = /\p{Lu}[\p{L}'’-]{0,38}\p{Ll}(?![\p{L}\p{N}])/uy;
const MAX_PREFIX_NAME_WORDS = 3;

/** "Am Markt 3", "Unter den Linden 77", "Zur Alten Mühle 5": a preposition, name words, a number. */
function prefixFormCandidate(text: string, start: number, nameStart: number): AddressCandidate | undefined {
  let streetEnd = nameStart;
  let lastWord = "";
  for (let words = 0; ; words++) {
    if (words === MAX_PREFIX_NAME_WORDS) return undefined;
    if (words > 0) {
      if (!isGap(codeAt(text, streetEnd))) return undefined;
      streetEnd++;
    }
    NAME_WORD.lastIndex = streetEnd;
    if (!NAME_WORD.test(text)) return undefined;
    lastWord = text.slice(streetEnd, NAME_WORD.lastIndex);
    // "Im Jahr 2024", "Am Montag 3"
    if (words === 0 && GERMAN_PREFIX_NOT_A_STREET.has(lastWord.toLowerCase())) return undefined;
    if (PREPOSITIONS.has(lastWord)) return undefined; // "Am Am 1"
    streetEnd = NAME_WORD.lastIndex;
    if (streetEnd - start > MAX_ADDRESS_LENGTH) return undefined;
    const rest = readNumberAndTown(text, start, streetEnd);
    if (rest === undefined) continue;
    const suffixed = streetSuffixStart(lastWord, 0, lastWord.length) >= 0;
    // Without a street ending, "Am Standort 3 arbeiten 20 Leute" reads like "Am Markt 3": such a
    // street stands alone only when its number is small and no lower-case word (a verb, in
    // German) follows it. Capitalised words may: they can start the next address.
    const coreValid = rest.number.digits <= MAX_PREFIX_FORM_DIGITS && (suffixed || !rest.wordAfter);
    if (!rest.town && !rest.unit && !coreValid) return undefined;
    const coreScore = suffixed ? SCORE_SUFFIX : SCORE_PREFIX_FORM;
    return {
      start,
      end: rest.end,
      score: tailScore(coreScore, rest),
      core: coreValid ? { end: rest.numberEnd, score: coreScore } : undefined,
      bareStart: undefined,
    };
  }
}

const POSTFACH_NUMBER = /[ \u00A0][0-9]{1,7}(?:[ \u00A0][0-9]{2}){0,3}(?![\p{L}\p{N}])/uy;

function firstGroupLength(tail: string): number {
  let n = 0;
  while (isDigit(codeAt(tail, 1 + n))) n++;
  return n;
}

/** "Postfach 10 11 20, 10115 Berlin": the German PO box, reported as PO boxes are. */
function postfachCandidate(text: string, start: number, wordEnd: number): AddressCandidate | undefined {
  // The tail is cut at the cap, like every read after an address's start.
  const tail = text.slice(wordEnd, Math.min(text.length, start + MAX_ADDRESS_LENGTH + 1));
  const room = start + MAX_ADDRESS_LENGTH - wordEnd;
  POSTFACH_NUMBER.lastIndex = 0;
  if (!POSTFACH_NUMBER.test(tail) || POSTFACH_NUMBER.lastIndex > room) return undefined;
  const numberEnd = POSTFACH_NUMBER.lastIndex;
  const town = matchGermanLocality(tail, numberEnd);
  const hasTown = town >= 0 && town <= room;
  return {
    start,
    end: wordEnd + (hasTown ? town : numberEnd),
    score: hasTown ? SCORE_WITH_TOWN : SCORE_POSTFACH,
    // The first digit group alone is a box number too ("Postfach 12" before "12 MAIN ST").
    core: { end: wordEnd + 1 + firstGroupLength(tail), score: SCORE_POSTFACH },
    bareStart: undefined,
  };
}

const SUFFIX_LAST_LETTERS: ReadonlySet<number> = new Set(GERMAN_STREET_SUFFIXES.map((suffix) => suffix.charCodeAt(suffix.length - 1) | 32));
const SUFFIX_AT_END = new RegExp(`(?:${GERMAN_STREET_SUFFIXES.map(escape).join("|")})$`, "i");
/** Longest first: the first that ends a word is where SUFFIX_AT_END's match starts (leftmost). */
const SUFFIXES_LONGEST_FIRST = [...GERMAN_STREET_SUFFIXES].sort((a, b) => b.length - a.length);
/**
 * The endings are lower-case ASCII letters, "ß" and ".": the case-insensitive regex matches an
 * ASCII letter in either case and every other character only as itself (no Unicode folding
 * without the u flag; the c1-german-suffix test checks every code unit against the regex).
 */
const SUFFIXES_FOLD_IN_PLACE = GERMAN_STREET_SUFFIXES.every((suffix) => /^[a-z\u00df.]+$/.test(suffix));

/**
 * Where in `text[start, end)` a street ending ("straße", "str.", "weg") starts, or -1: the index
 * SUFFIX_AT_END.exec would give, read in place. Why not the regex: its code is one more thing
 * out of cache on a cold call (the gateway masks one result at a time), costing microseconds.
 */
export function streetSuffixStart(text: string, start: number, end: number): number {
  if (!SUFFIXES_FOLD_IN_PLACE) {
    const match = SUFFIX_AT_END.exec(text.slice(start, end));
    return match === null ? -1 : start + match.index;
  }
  for (const suffix of SUFFIXES_LONGEST_FIRST) {
    const at = end - suffix.length;
    if (at >= start && suffixAt(text, at, suffix)) return at;
  }
  return -1;
}

/** `suffix` (lower case) stands at `at`, an ASCII letter of it in either case. */
function suffixAt(text: string, at: number, suffix: string): boolean {
  for (let k = 0; k < suffix.length; k++) {
    const code = text.charCodeAt(at + k);
    const want = suffix.charCodeAt(k);
    if (code !== want && !(want >= 97 && want <= 122 && code === want - 32)) return false;
  }
  return true;
}

/**
 * Where a prefix-form street starts (its preposition) and its name starts, found by walking left
 * over at most MAX_PREFIX_NAME_WORDS capitalised words; undefined when no preposition opens them.
 */
function prepositionStart(
  text: string,
  wordStart: number,
  floor: number,
): { start: number; nameStart: number } | undefined {
  let nameStart = wordStart;
  for (let words = 1; words <= MAX_PREFIX_NAME_WORDS; words++) {
    const start = prefixBefore(text, nameStart, floor);
    if (start < nameStart) return { start, nameStart };
    const gap = nameStart - 1;
    if (gap <= floor || !isGap(text.charCodeAt(gap))) return undefined;
    const begin = wordStartBefore(text, gap, floor);
    if (begin === gap || !isUpperAt(text, begin)) return undefined;
    nameStart = begin;
  }
  return undefined;
}

/**
 * True when the word ending at `wordEnd` (before its dot, if any) is lower-case ASCII from a
 * space, a mark or `floor` on ("from 5", "port 443"), so no street: nearly every anchor ends
 * here. A small function of its own so that the loop over the anchors reads it inline, and the
 * call to candidateAt is made only for the few left.
 */
function isLowerCaseWord(text: string, wordEnd: number, floor: number): boolean {
  let i = text.charCodeAt(wordEnd - 1) === 46 ? wordEnd - 1 : wordEnd; // "Musterstr. 12a"
  const limit = wordEnd - MAX_WORD;
  while (i > floor && i > limit) {
    const code = text.charCodeAt(i - 1);
    if (code < 97 || code > 122) break;
    i--;
  }
  const stop = codeAt(text, i - 1);
  return i === floor || stop === 32 || stop === 10 || stop === 9 || stop === 44 || stop === 46 || stop === 34 || stop === 58 || stop === 40;
}

/** The candidate for the anchor whose word ends at `wordEnd`, once isLowerCaseWord said no. */
function candidateAt(text: string, wordEnd: number, floor: number): AddressCandidate | undefined {
  const dot = text.charCodeAt(wordEnd - 1) === 46 ? 1 : 0; // "Musterstr. 12a"
  const wordStart = wordStartBefore(text, wordEnd - dot, floor);
  // Most other hits end here: the word before the number is not capitalised ("für 2024").
  if (wordStart === wordEnd - dot || wordEnd - dot - wordStart >= MAX_WORD || !isUpperAt(text, wordStart)) return undefined;
  if (wordStart > floor && isAlnumAt(text, wordStart - 1)) return undefined;
  if (wordEnd - wordStart === 8 && text.startsWith("Postfach", wordStart)) return postfachCandidate(text, wordStart, wordEnd);
  // Every street ending ends in one of "e g z m r d ." (straße, weg, platz, damm, ufer, pfad,
  // str.): other words ("Jan 5", "May 3") go straight to the prefix form.
  const endsLike = SUFFIX_LAST_LETTERS.has(text.charCodeAt(wordEnd - 1) | 32);
  const suffixStart = endsLike ? streetSuffixStart(text, wordStart, wordEnd) : -1;
  if (suffixStart >= 0) {
    const viaSuffix = suffixCandidate(text, wordStart, suffixStart, wordEnd, floor);
    if (viaSuffix !== undefined) return viaSuffix;
  }
  const opened = prepositionStart(text, wordStart, floor);
  return opened === undefined ? undefined : prefixFormCandidate(text, opened.start, opened.nameStart);
}

/** German addresses (and Postfach boxes), in order, not overlapping. */
export function findGermanAddresses(text: string, clusters: DigitClusters): AddressCandidate[] {
  const out: AddressCandidate[] = [];
  let floor = 0;
  const numbers = clusters.germanNumbers;
  for (let k = 0; k < numbers.length; k++) {
    const number = numbers[k]!;
    // The anchor's three characters start two before the number; none may reach back into the
    // address before.
    if (number - 2 < floor || isLowerCaseWord(text, number - 1, floor)) continue;
    const candidate = candidateAt(text, number - 1, floor);
    if (candidate !== undefined) {
      out.push(candidate);
      floor = candidate.end;
    }
  }
  return out;
}
