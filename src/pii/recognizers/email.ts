import type { Candidate, Recognizer } from "../types.js";
import { isAsciiAlnum, isAsciiLetter } from "./chars.js";

const MAX_LOCAL = 64;
const MAX_DOMAIN = 253;
const MAX_LABEL = 63;

// The part of RFC 5322 atext that real addresses use, plus the dot. Left out on purpose: / = ' `
// { | }, which are legal but in practice belong to the text around an address ("email=bob@x.io",
// "crm://contacts/bob@x.io", "'bob@x.io'"), so including them would mask that text too.
const NON_ASCII_LETTER = /[\p{L}\p{M}\p{N}]/u;
const NON_ASCII_DIGIT = /\p{N}/u;

// ASCII characters of local parts (1) and of domains (2), as a table: these run for every
// character walked from each "@".
const ASCII_CHARS = new Uint8Array(128);
for (let code = 0; code < 128; code++) {
  if (isAsciiAlnum(code)) ASCII_CHARS[code] = 3;
}
for (const c of "!#$%&*+?^_~") ASCII_CHARS[c.charCodeAt(0)] = 1;
ASCII_CHARS[45] = 3; // -
ASCII_CHARS[46] = 3; // .
const LOCAL = 1;
const DOMAIN = 2;

function isLocalChar(text: string, index: number, code: number): boolean {
  if (code < 128) return (ASCII_CHARS[code]! & LOCAL) !== 0;
  return NON_ASCII_LETTER.test(text[index]!); // RFC 6531 internationalized local parts
}

function isDomainChar(text: string, index: number, code: number): boolean {
  if (code < 128) return (ASCII_CHARS[code]! & DOMAIN) !== 0;
  return NON_ASCII_LETTER.test(text[index]!); // IDN: bücher.de, пример.рф
}

/** A top-level domain's character: a letter (ASCII or not), never a digit. */
function isTldChar(text: string, index: number, code: number): boolean {
  if (code < 128) return isAsciiLetter(code);
  return NON_ASCII_LETTER.test(text[index]!) && !NON_ASCII_DIGIT.test(text[index]!);
}

/*
 * Each character around an "@" is read once where possible: the walks that find the local part
 * and the domain also note what validating them needs (reading a character costs more than the
 * test made on it). What they note is kept here, one object for all walks.
 */
const noted = {
  /** The highest i with ".." at text[i, i + 2) in the local part walked, or -1. */
  doubleDot: -1,
  /** The first dot of the domain walked that closes a malformed label, or -1. */
  badDot: -1,
};

/** Walks left from `at` over local-part characters, not below `floor`; notes noted.doubleDot. */
function walkLocal(text: string, at: number, floor: number): number {
  let start = at;
  let right = 64; // the character right of the one read: "@" at first
  noted.doubleDot = -1;
  while (start > floor && at - start <= MAX_LOCAL) {
    const code = text.charCodeAt(start - 1);
    if (!isLocalChar(text, start - 1, code)) break;
    if (code === 46 && right === 46 && noted.doubleDot < 0) noted.doubleDot = start - 1;
    right = code;
    start--;
  }
  return start;
}

/** A label text[start, end): 1-63 long, not starting or ending in "-". */
function validLabel(text: string, start: number, end: number): boolean {
  const length = end - start;
  return length > 0 && length <= MAX_LABEL && text.charCodeAt(start) !== 45 && text.charCodeAt(end - 1) !== 45;
}

/** Walks right from `at` over domain characters; notes noted.badDot. */
function walkDomain(text: string, at: number): number {
  let end = at + 1;
  let labelStart = end;
  noted.badDot = -1;
  while (end < text.length && end - at <= MAX_DOMAIN + 1) {
    const code = text.charCodeAt(end);
    if (!isDomainChar(text, end, code)) break;
    if (code === 46) {
      if (noted.badDot < 0 && !validLabel(text, labelStart, end)) noted.badDot = end;
      labelStart = end + 1;
    }
    end++;
  }
  return end;
}

/**
 * The local part text[start, at) of the last walk, its leading dots cut: not empty, no dot at
 * either end, no two dots in a row (the walk noted the last pair; one below `start` was cut).
 */
function validLocal(text: string, start: number, at: number): boolean {
  return start < at && text.charCodeAt(at - 1) !== 46 && noted.doubleDot < start;
}

/**
 * The domain text[from, to) of the last walk, its trailing dots and dashes cut: two labels or
 * more, each 1-63 long and not starting or ending in "-" (those before the last were checked by
 * the walk: a bad one past `to` was cut), a top-level domain of letters (or "xn--" punycode).
 */
function validDomain(text: string, from: number, to: number): boolean {
  if (noted.badDot >= 0 && noted.badDot < to) return false;
  // Back from the end to the last dot: the top-level domain, its characters checked on the way.
  let labelStart = to;
  let letters = true;
  while (labelStart > from && text.charCodeAt(labelStart - 1) !== 46) {
    if (letters && !isTldChar(text, labelStart - 1, text.charCodeAt(labelStart - 1))) letters = false;
    labelStart--;
  }
  if (labelStart === from) return false; // one label: no dot
  if (!validLabel(text, labelStart, to)) return false;
  const tldLength = to - labelStart;
  if (text.startsWith("xn--", labelStart)) return tldLength > 4;
  // A top-level domain is letters only (ASCII or not), never digits: 1.2.3@4.5 is not an address.
  return tldLength >= 2 && letters;
}

/**
 * Finds addresses by their `@` and grows each side over the characters a local part and a
 * domain may hold, then validates both. Anchoring on `@` keeps the scan to one indexOf pass.
 */
function find(text: string): Candidate[] {
  const out: Candidate[] = [];
  let at = text.indexOf("@");
  let floor = 0; // nothing before this may be reused (it belongs to an earlier address)
  while (at >= 0) {
    let start = walkLocal(text, at, floor);
    let end = walkDomain(text, at);
    // Sentence punctuation is not part of the domain: "mail bob@example.com."
    while (end > at + 1 && (text.charCodeAt(end - 1) === 46 || text.charCodeAt(end - 1) === 45)) end--;
    // Leading dots belong to the surrounding text: "...bob@example.com"
    while (start < at && text.charCodeAt(start) === 46) start++;
    if (at - start <= MAX_LOCAL && end - at - 1 <= MAX_DOMAIN && validLocal(text, start, at) && validDomain(text, at + 1, end)) {
      out.push({ start, end, score: 1 });
      floor = end;
    }
    at = text.indexOf("@", Math.max(at + 1, floor));
  }
  return out;
}

export const emailRecognizer: Recognizer = {
  type: "EMAIL_ADDRESS",
  maxLength: MAX_LOCAL + 1 + MAX_DOMAIN,
  context: [],
  find,
};
