import type { Candidate, Recognizer } from "../types.js";
import { isAsciiAlnum, isAsciiLetter } from "./chars.js";

const MAX_LOCAL = 64;
const MAX_DOMAIN = 253;
const MAX_LABEL = 63;

// The part of RFC 5322 atext that real addresses use, plus the dot. Left out on purpose: / = ' `
// { | }, which are legal but in practice belong to the text around an address ("email=bob@x.io",
// "crm://contacts/bob@x.io", "'bob@x.io'"), so including them would mask that text too.
const LOCAL_SPECIALS = new Set("!#$%&*+?^_~-.".split("").map((c) => c.charCodeAt(0)));
const NON_ASCII_LETTER = /[\p{L}\p{M}\p{N}]/u;

function isLocalChar(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  if (code < 128) return isAsciiAlnum(code) || LOCAL_SPECIALS.has(code);
  return NON_ASCII_LETTER.test(text[index]!); // RFC 6531 internationalized local parts
}

function isDomainChar(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  if (code < 128) return isAsciiAlnum(code) || code === 45 /* - */ || code === 46; /* . */
  return NON_ASCII_LETTER.test(text[index]!); // IDN: bücher.de, пример.рф
}

function validLocal(local: string): boolean {
  return local.length > 0 && !local.startsWith(".") && !local.endsWith(".") && !local.includes("..");
}

function validDomain(domain: string): boolean {
  const labels = domain.split(".");
  if (labels.length < 2) return false;
  for (const label of labels) {
    if (label.length === 0 || label.length > MAX_LABEL) return false;
    if (label.startsWith("-") || label.endsWith("-")) return false;
  }
  const tld = labels[labels.length - 1]!;
  if (tld.startsWith("xn--")) return tld.length > 4;
  if (tld.length < 2) return false;
  // A top-level domain is letters only (ASCII or not), never digits: 1.2.3@4.5 is not an address.
  for (let i = 0; i < tld.length; i++) {
    const code = tld.charCodeAt(i);
    if (code < 128 ? !isAsciiLetter(code) : !NON_ASCII_LETTER.test(tld[i]!) || /\p{N}/u.test(tld[i]!)) return false;
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
    const local = text.slice(start, at);
    const domain = text.slice(at + 1, end);
    if (at - start <= MAX_LOCAL && domain.length <= MAX_DOMAIN && validLocal(local) && validDomain(domain)) {
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
