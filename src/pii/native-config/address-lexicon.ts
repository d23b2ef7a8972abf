import {
  COUNTING_WORDS,
  ENGLISH_RING_WORDS,
  GERMAN_NOT_STREET_ADJECTIVES,
  GERMAN_PREFIX_NOT_A_STREET,
  GERMAN_QUANTITY_UNITS,
  GERMAN_STREET_PREFIXES,
  GERMAN_STREET_SUFFIXES,
  NOT_A_STREET_BEFORE,
  NOT_GERMAN_STREETS,
  NOT_IN_STREET_NAME,
  STREET_TYPES,
  UK_LETTERED_DISTRICTS,
  UK_POSTCODE_AREAS,
  US_STATE_CODES,
  US_STATE_NAMES,
  WEAK_GERMAN_SUFFIXES,
  WORDS_AFTER_ADDRESS,
  WORDS_AFTER_TOWN,
} from "../recognizers/address-lexicon.js";

/**
 * The street-address word lists (src/pii/recognizers/address-lexicon.ts) for the kernel's
 * configure("address-lexicon"), with the Unicode facts the address matchers' expressions ask
 * (\p{L}, \p{Lu}, \p{Ll}, \p{N} over every code point, /\s/, and toLowerCase), read from this
 * V8. One line per item, tab-separated:
 *   type  <strong|medium|rare> <abbreviation 0|1> <standalone 0|1> <word>
 *   set   <name> <word>|<word>|...          (lists keep their order)
 *   not-before <type word> <word>|<word>|...
 *   class <L|Lu|Ll|N|S> <from>-<to>,...     (code points, decimal, inclusive)
 *   lower <from>:<to>[.<to>],...            (code points whose toLowerCase differs)
 * Native address_lexicon.rs parses it.
 */
export function addressLexiconData(): string {
  const lines: string[] = [];
  const word = (w: string): string => {
    if (/[\t|\n]/.test(w) || w === "") throw new Error(`address-lexicon: word ${JSON.stringify(w)} does not fit the format`);
    return w;
  };
  for (const [w, type] of STREET_TYPES) {
    lines.push(`type\t${type.strength}\t${type.abbreviation ? 1 : 0}\t${type.standalone ? 1 : 0}\t${word(w)}`);
  }
  const sets: [string, Iterable<string>][] = [
    ["words-after-address", WORDS_AFTER_ADDRESS],
    ["words-after-town", WORDS_AFTER_TOWN],
    ["not-in-street-name", NOT_IN_STREET_NAME],
    ["counting-words", COUNTING_WORDS],
    ["us-state-codes", US_STATE_CODES],
    ["us-state-names", US_STATE_NAMES],
    ["uk-postcode-areas", UK_POSTCODE_AREAS],
    ["uk-lettered-districts", UK_LETTERED_DISTRICTS],
    ["german-street-suffixes", GERMAN_STREET_SUFFIXES],
    ["weak-german-suffixes", WEAK_GERMAN_SUFFIXES],
    ["english-ring-words", ENGLISH_RING_WORDS],
    ["not-german-streets", NOT_GERMAN_STREETS],
    ["german-street-prefixes", GERMAN_STREET_PREFIXES],
    ["german-prefix-not-a-street", GERMAN_PREFIX_NOT_A_STREET],
    ["german-not-street-adjectives", GERMAN_NOT_STREET_ADJECTIVES],
    ["german-quantity-units", GERMAN_QUANTITY_UNITS],
  ];
  for (const [name, words] of sets) lines.push(`set\t${name}\t${[...words].map(word).join("|")}`);
  for (const [type, words] of NOT_A_STREET_BEFORE) lines.push(`not-before\t${word(type)}\t${[...words].map(word).join("|")}`);
  // Each expression matches the class's runs (captured) and the runs between them: one pass,
  // each run taken whole, faster than a search for the class from every position.
  const classes: [string, RegExp][] = [
    ["L", /(\p{L}+)|\P{L}+/gu],
    ["Lu", /(\p{Lu}+)|\P{Lu}+/gu],
    ["Ll", /(\p{Ll}+)|\P{Ll}+/gu],
    ["N", /(\p{N}+)|\P{N}+/gu],
    ["S", /(\s+)|\S+/gu],
  ];
  for (const [name, runs] of classes) lines.push(`class\t${name}\t${codePointRuns(runs).join(",")}`);
  lines.push(`lower\t${lowerCaseMappings().join(",")}`);
  return lines.join("\n");
}

/**
 * The planes where Unicode has assigned letters, digits or spaces (0-3 and 14; 4-13 are
 * unassigned and 15-16 private use: the address-matchers test checks that this V8 agrees), every
 * code point but the surrogates, in one string: a global expression run over it finds a class's
 * code points as runs in one pass (a test per code point, or a scan of all 17 planes, would cost
 * a large part of a second at load).
 */
export const SCANNED_PLANES: readonly (readonly [number, number])[] = [
  [0, 0xd7ff],
  [0xe000, 0xffff],
  [0x10000, 0x3ffff],
  [0xe0000, 0xeffff],
];
let scanned: { text: string; starts: number[] } | undefined;
function everyCodePoint(): { text: string; starts: number[] } {
  if (scanned === undefined) {
    let units = 0;
    for (const [from, to] of SCANNED_PLANES) units += (to - from + 1) * (from >= 0x10000 ? 2 : 1);
    const buffer = new Uint16Array(units);
    const starts: number[] = [];
    let k = 0;
    for (const [from, to] of SCANNED_PLANES) {
      starts.push(k);
      for (let cp = from; cp <= to; cp++) {
        if (cp < 0x10000) buffer[k++] = cp;
        else {
          buffer[k++] = 0xd800 + ((cp - 0x10000) >> 10);
          buffer[k++] = 0xdc00 + ((cp - 0x10000) & 1023);
        }
      }
    }
    scanned = { text: new TextDecoder("utf-16le").decode(buffer), starts };
  }
  return scanned;
}

/** The code point at UTF-16 index `index` of everyCodePoint(). */
function codePointOfIndex(index: number): number {
  const { starts } = everyCodePoint();
  for (let r = SCANNED_PLANES.length - 1; r >= 0; r--) {
    const [from] = SCANNED_PLANES[r]!;
    if (index >= starts[r]!) return from + (from >= 0x10000 ? (index - starts[r]!) >> 1 : index - starts[r]!);
  }
  return index;
}

function codePointRuns(runs: RegExp): string[] {
  const { text } = everyCodePoint();
  const out: string[] = [];
  for (const m of text.matchAll(runs)) {
    if (m[1] === undefined) continue;
    const from = codePointOfIndex(m.index);
    const to = codePointOfIndex(m.index + m[0].length - 1);
    // A run that goes on from one scanned range into the next holds only their code points.
    for (const [start, end] of SCANNED_PLANES) {
      if (from <= end && to >= start) out.push(`${Math.max(from, start)}-${Math.min(to, end)}`);
    }
  }
  return out;
}

/** "from:to" (or "from:to.to" for a longer result) for each code point toLowerCase changes. */
function lowerCaseMappings(): string[] {
  const out: string[] = [];
  for (const m of everyCodePoint().text.matchAll(/(\p{Changes_When_Lowercased}+)|\P{Changes_When_Lowercased}+/gu)) {
    if (m[1] === undefined) continue;
    for (const c of m[1]) {
      const from = c.codePointAt(0)!;
      const to = [...c.toLowerCase()].map((l) => l.codePointAt(0)!);
      out.push(`${from}:${to.join(".")}`);
    }
  }
  return out;
}
