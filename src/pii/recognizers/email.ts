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

function isLocalChar(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  if (code < 128) return (ASCII_CHARS[code]! & LOCAL) !== 0;
  return NON_ASCII_LETTER.test(text[index]!); // RFC 6531 internationalized local parts
}

function isDomainChar(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  if (code < 128) return (ASCII_CHARS[code]! & DOMAIN) !== 0;
  return NON_ASCII_LETTER.test(text[index]!); // IDN: bücher.de, пример.рф
}

/** The local part text[start, at): not empty, no dot at either end, no two dots in a row. */
function validLocal(text: string, start: number, at: number): boolean {
  if (start >= at || text.charCodeAt(start) === 46 || text.charCodeAt(at - 1) === 46) return false;
  for (let i = start + 1; i < at; i++) if (text.charCodeAt(i) === 46 && text.charCodeAt(i - 1) === 46) return false;
  return true;
}

/** The domain text[from, to): two labels or more, each 1-63 long and not starting or ending in "-". */
function validDomain(text: string, from: number, to: number): boolean {
  let labels = 0;
  let labelStart = from;
  for (let i = from; i <= to; i++) {
    if (i < to && text.charCodeAt(i) !== 46) continue;
    const length = i - labelStart;
    if (length === 0 || length > MAX_LABEL) return false;
    if (text.charCodeAt(labelStart) === 45 || text.charCodeAt(i - 1) === 45) return false;
    labels++;
    if (i < to) labelStart = i + 1;
  }
  if (labels < 2) return false;
  const tldLength = to - labelStart;
  if (text.startsWith("xn--", labelStart)) return tldLength > 4;
  if (tldLength < 2) return false;
  // A top-level domain is letters only (ASCII or not), never digits: 1.2.3@4.5 is not an address.
  for (let i = labelStart; i < to; i++) {
    const code = text.charCodeAt(i);
    if (code < 128 ? !isAsciiLetter(code) : !NON_ASCII_LETTER.test(text[i]!) || NON_ASCII_DIGIT.test(text[i]!)) return false;
  }
  return true;
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
    let start = at;
    while (start > floor && at - start <= MAX_LOCAL && isLocalChar(text, start - 1)) start--;
    let end = at + 1;
    while (end < text.length && end - at <= MAX_DOMAIN + 1 && isDomainChar(text, end)) end++;
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
