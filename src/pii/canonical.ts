import type { Finding } from "./types.js";

/**
 * Text as a reader (or a model) reads it. Some characters change nothing anyone sees, or look
 * like the characters the recognizers expect, and would otherwise hide an entity from them:
 *
 * - invisible: zero-width space, non-joiner and joiner, word joiner, BOM/zero-width no-break
 *   space, soft hyphen, Mongolian vowel separator ("jane\u200b@example.com" reads as an address);
 * - fullwidth forms U+FF01..U+FF5E, which read as their ASCII twins ("１２３-４５-６７８９");
 * - no-break, figure and narrow no-break spaces (HTML's &nbsp;, French digit grouping), read as
 *   a space ("4111&nbsp;1111&nbsp;1111&nbsp;1111");
 * - the Unicode hyphens, the non-breaking hyphen, the figure dash and the minus sign, read as
 *   "-"; ideographic and halfwidth ideographic full stops, read as ".".
 *
 * Recognizers run on the canonical text, and each finding is mapped back to the characters it
 * came from (an invisible character inside an entity is masked with it). A text holding none of
 * these characters, nearly all of them, is scanned as it is: the scanner learns which it is from
 * the text scan (text-scan.ts), which reads every character anyway.
 */

/** Every character the canonical view changes or drops. */
const NOT_CANONICAL = /[\u00a0\u00ad\u180e\u2007\u2010-\u2012\u200b-\u200d\u202f\u2060\u2212\u3002\ufeff\uff01-\uff5e\uff61]/;

/** What one character becomes: DROP, or the code of its canonical twin (itself when unchanged). */
const DROP = -1;

export function canonicalCode(code: number): number {
  if (code < 0xa0) return code;
  switch (code) {
    case 0x00ad: // soft hyphen
    case 0x180e: // Mongolian vowel separator
    case 0x200b: // zero-width space
    case 0x200c: // zero-width non-joiner
    case 0x200d: // zero-width joiner
    case 0x2060: // word joiner
    case 0xfeff: // zero-width no-break space (BOM)
      return DROP;
    case 0x00a0: // no-break space
    case 0x2007: // figure space
    case 0x202f: // narrow no-break space
      return 0x20;
    case 0x2010: // hyphen
    case 0x2011: // non-breaking hyphen
    case 0x2012: // figure dash
    case 0x2212: // minus sign
      return 0x2d;
    case 0x3002: // ideographic full stop
    case 0xff61: // halfwidth ideographic full stop
      return 0x2e;
  }
  if (code >= 0xff01 && code <= 0xff5e) return code - 0xfee0; // fullwidth ASCII
  return code;
}

export interface CanonicalView {
  /** The canonical text the recognizers read. */
  readonly text: string;
  /**
   * For each index of `text`, the index in the original of the character it came from; undefined
   * when no character was dropped, so every offset is the original's (the common case: a
   * no-break space or a fullwidth digit is replaced one for one).
   */
  readonly source: Int32Array | undefined;
}

/** The same characters, each replaced where it stands. */
const NOT_CANONICAL_EACH = new RegExp(NOT_CANONICAL.source, "g");
/** The characters the view drops (offsets after one differ from the original's). */
const DROPPED_CHARACTER = /[\u00ad\u180e\u200b-\u200d\u2060\ufeff]/g;

const canonicalChar = (character: string): string => String.fromCharCode(canonicalCode(character.charCodeAt(0)));

/** The canonical view of `text`, or undefined when it is canonical already. */
export function canonicalView(text: string): CanonicalView | undefined {
  const first = text.search(NOT_CANONICAL);
  return first < 0 ? undefined : canonicalViewFrom(text, first);
}

/** The canonical view of `text`, whose first character to change is at `first`. */
export function canonicalViewFrom(text: string, first: number): CanonicalView {
  DROPPED_CHARACTER.lastIndex = first;
  if (!DROPPED_CHARACTER.test(text)) return { text: text.replace(NOT_CANONICAL_EACH, canonicalChar), source: undefined };
  const source = new Int32Array(text.length);
  let out = text.slice(0, first);
  for (let i = 0; i < first; i++) source[i] = i;
  let length = first;
  // Unchanged stretches are copied whole; only the characters that change are handled one by one.
  let copyFrom = first;
  for (let i = first; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const canonical = canonicalCode(code);
    if (canonical === code) {
      source[length++] = i;
      continue;
    }
    out += text.slice(copyFrom, i);
    if (canonical !== DROP) {
      out += String.fromCharCode(canonical);
      source[length++] = i;
    }
    copyFrom = i + 1;
  }
  out += text.slice(copyFrom);
  return { text: out, source: source.subarray(0, length) };
}

/**
 * Findings on the canonical view, as spans of the original text: from the first character of
 * the entity to the last (with any dropped character between them). Sorted and apart in the
 * view, they stay so: the mapping keeps order and never joins two spans.
 */
export function toOriginalSpans(findings: Finding[], view: CanonicalView): Finding[] {
  const { source } = view;
  if (source === undefined) return findings;
  for (let k = 0; k < findings.length; k++) {
    const finding = findings[k]!;
    findings[k] = { type: finding.type, start: source[finding.start]!, end: source[finding.end - 1]! + 1, score: finding.score };
  }
  return findings;
}

/**
 * How far back from `end` to go so that `[result, end)` holds `count` characters the canonical
 * view keeps, going no further back than `floor`: what a stream masker holds back and rescans is
 * counted in those, or invisible characters padding an entity could stretch it past the hold.
 */
export function backOverKept(text: string, end: number, count: number, floor = 0): number {
  let i = end;
  let kept = 0;
  while (i > floor && kept < count) {
    i--;
    if (canonicalCode(text.charCodeAt(i)) !== DROP) kept++;
  }
  return i;
}
