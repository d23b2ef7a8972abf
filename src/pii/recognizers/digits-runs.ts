/**
 * Shared by the digit recognizers (credit cards, SSNs): an anchor finds stretches of digit
 * groups joined by single separators, these helpers split a run into groups and decide where a
 * chain of groups written with one separator starts and ends, and whether a number is glued to
 * the text around it. Everything works on char codes and looks only at a few neighbouring
 * characters, so a candidate depends on nothing far from it (the stream masker relies on that).
 */
import { DIGITS, END, RUN_LENGTHS, SPAN, START, type DigitClusters } from "../text-scan.js";
import { codeAt, isAlnumAt, isDigit, isDigitCode } from "./chars.js";

/**
 * The groups of ASCII digits of one run (`read` splits a run into them). One object is reused
 * from run to run, its arrays overwritten, as PhoneRun's are: a group object per group and an
 * array per run were a sixth of all that `detect` allocated. Only the first `count` entries are
 * current.
 */
export class DigitGroups {
  count = 0;
  /** Per group: its digits are text[starts[k], ends[k]). */
  readonly starts: number[] = [];
  readonly ends: number[] = [];
  /** Per group: char code of the single separator joining it to the one before (0: the first). */
  readonly seps: number[] = [];

  /** Splits `text[start, end)`, digit groups joined by single non-digit characters, into groups. */
  read(text: string, start: number, end: number): void {
    let count = 0;
    let i = start;
    let sep = 0;
    while (i < end) {
      const groupStart = i;
      while (i < end && isDigitCode(text.charCodeAt(i))) i++;
      this.starts[count] = groupStart;
      this.ends[count] = i;
      this.seps[count] = sep;
      count++;
      if (i < end) sep = text.charCodeAt(i++);
    }
    this.count = count;
  }

  /** Digits in group k. */
  length(k: number): number {
    return this.ends[k]! - this.starts[k]!;
  }

  /** Lets go of the arrays a huge run grew, so a reused object holds no more than a few pages. */
  trim(): void {
    if (this.starts.length <= MAX_KEPT_GROUPS) return;
    this.starts.length = 0;
    this.ends.length = 0;
    this.seps.length = 0;
    this.count = 0;
  }
}

const MAX_KEPT_GROUPS = 4096;

export const SPACE = 32;
export const DASH = 45;
const DOT = 46;
const PLUS = 43;
const UNDERSCORE = 95;

function isJoint(code: number): boolean {
  return code === SPACE || code === DASH;
}

/**
 * Calls `onRun(start, end)` once for every run of digit groups joined by single spaces or dashes
 * in which an anchor matches: `nextAnchor(text, from, end)` gives the first offset in
 * [from, end) where a candidate can begin (its first digits), or -1, so the many runs that cannot
 * hold one (years, times, prices) cost only that look. A matching run is taken whole, from its
 * first digit to its last, so the chain rules see the same groups wherever the anchor hit.
 *
 * Only the digit clusters (text-scan.ts) for which `mayHold(digits, runLengths)` holds are
 * searched: an anchor's digits and joints are cluster characters, and so are the walks below
 * (over digits, and over a joint only next to a digit), so a run never leaves its cluster and
 * its groups are the cluster's runs of digits; a cluster with too few digits, or without the
 * group lengths a candidate needs, yields none, and skipping it changes nothing elsewhere. The
 * search and the walks only move forward, so the whole scan stays linear.
 */
export function forEachAnchoredRun(
  text: string,
  clusters: DigitClusters,
  mayHold: (digits: number, runLengths: number) => boolean,
  nextAnchor: (text: string, from: number, end: number) => number,
  onRun: (start: number, end: number) => void,
): void {
  let floor = 0; // the end of the previous run: nothing before it is looked at again
  const spans = clusters.spans;
  for (let k = 0; k < spans.length; k += SPAN) {
    if (!mayHold(spans[k + DIGITS]!, spans[k + RUN_LENGTHS]!)) continue;
    const clusterEnd = spans[k + END]!;
    for (let at = nextAnchor(text, spans[k + START]!, clusterEnd); at >= 0; ) {
      let start = at;
      while (start > floor) {
        const code = text.charCodeAt(start - 1);
        if (isDigitCode(code)) {
          start--;
        } else if (isJoint(code) && start - 2 >= floor && isDigit(text.charCodeAt(start - 2))) {
          // A group glued to a word on its left still belongs to the run ("DE89 3704 ...", an
          // IBAN), so the chain rules see that the number continues a longer one.
          start--;
        } else break;
      }
      let end = at;
      while (end < text.length) {
        const code = text.charCodeAt(end);
        if (isDigitCode(code)) {
          end++;
        } else if (isJoint(code) && isDigitCode(codeAt(text, end + 1))) {
          // A group glued to a word on its right is the start of that word, not more digits of
          // this number: "4111 1111 1111 1111 221B Baker Street" leaves "221B" out.
          let groupEnd = end + 1;
          while (groupEnd < text.length && isDigitCode(text.charCodeAt(groupEnd))) groupEnd++;
          if (groupEnd < text.length && gluedChar(text, groupEnd)) break;
          end = groupEnd;
        } else break;
      }
      onRun(start, end);
      floor = end;
      at = nextAnchor(text, end, clusterEnd); // the next anchor is looked for from the run's end on
    }
  }
}

/** True when every character of `text[from, to)` is an ASCII digit. */
export function digitsAt(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!isDigitCode(codeAt(text, i))) return false;
  return true;
}

/** The end of the run of ASCII digits that `text[at]` is in or starts (`at` when it is no digit). */
export function digitsEnd(text: string, at: number, end: number): number {
  while (at < end && isDigitCode(text.charCodeAt(at))) at++;
  return at;
}

/** The digits of groups `from..to` (inclusive), separators left out. */
export function digitsOf(text: string, groups: DigitGroups, from: number, to: number): string {
  let digits = "";
  for (let k = from; k <= to; k++) digits += text.slice(groups.starts[k]!, groups.ends[k]!);
  return digits;
}

/** True when groups `from..` have exactly the lengths in `shape`, all joined by `sep`. */
export function hasShape(groups: DigitGroups, from: number, sep: number, shape: readonly number[]): boolean {
  if (from + shape.length > groups.count) return false;
  for (let k = 0; k < shape.length; k++) {
    if (groups.length(from + k) !== shape[k]) return false;
    if (k > 0 && groups.seps[from + k] !== sep) return false;
  }
  return true;
}

/**
 * True when a chain of groups joined by `sep` may begin at group `i`: the group before is not
 * joined to it by the same separator ("0000 4111 1111 1111 1111" is one longer number), unless
 * that group is itself the tail of a chain written with another separator, as a date before a
 * number is ("2024-01-15 123 45 6789").
 */
export function opensChain(groups: DigitGroups, i: number, sep: number): boolean {
  if (groups.seps[i] !== sep) return true;
  const previous = groups.seps[i - 1]!; // a group joined by `sep` (not 0) has one before it
  return previous !== 0 && previous !== sep;
}

/** The mirror of `opensChain`: the chain may end at group `j`. */
export function closesChain(groups: DigitGroups, j: number, sep: number): boolean {
  if (j + 1 >= groups.count || groups.seps[j + 1] !== sep) return true;
  return j + 2 < groups.count && groups.seps[j + 2] !== sep;
}

function gluedChar(text: string, index: number): boolean {
  return text.charCodeAt(index) === UNDERSCORE || isAlnumAt(text, index);
}

/**
 * True when the number at `text[start, end)` stands on its own: no letter, digit or underscore
 * touches it, it is not a decimal's digits ("0.4111…", "…1111.25") and not a number with a
 * leading "+" (an international phone number).
 */
export function standsAlone(text: string, start: number, end: number): boolean {
  if (start > 0) {
    const before = text.charCodeAt(start - 1);
    if (before === PLUS || gluedChar(text, start - 1)) return false;
    if (before === DOT && start > 1 && isDigit(text.charCodeAt(start - 2))) return false;
  }
  if (end < text.length) {
    if (gluedChar(text, end)) return false;
    if (text.charCodeAt(end) === DOT && isDigit(codeAt(text, end + 1))) return false;
  }
  return true;
}
