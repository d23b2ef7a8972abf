/**
 * Reads a "phone run": digit groups joined by the separators people write phone numbers with
 * (spaces, a dash, a dot, a slash, parentheses around one group), optionally led by "+".
 * "+1 (415) 555-2671" is one run of four groups; "2024-01-15 415-555-2671" is one run of six.
 * Which groups form a number is decided later; this module only records the shape, on char
 * codes, in one pass, and never looks further than the run itself plus one character.
 */
import { codeAt, isDigitCode } from "./chars.js";

const PLUS = 43;
const OPEN = 40;
const CLOSE = 41;
const DOT = 46;

/** Longest separator between two groups: ") - ", " / ". */
const MAX_SEPARATOR = 3;

/** Groups the arrays hold at first; a longer run ("1-2-3-4-5-6-7-8-9-...") grows them. */
const INITIAL_GROUPS = 16;

export function isPhoneSpace(code: number): boolean {
  // space, no-break space, figure space, narrow no-break space
  return code === 32 || code === 0xa0 || code === 0x2007 || code === 0x202f;
}

/** A joint is the one non-space character a separator may hold. */
export function isPhoneJoint(code: number): boolean {
  // - . / and the Unicode hyphens and dashes people paste (U+2010..U+2013)
  return code === 45 || code === 46 || code === 47 || (code >= 0x2010 && code <= 0x2013);
}

/**
 * One run's shape. The arrays are reused from run to run (text with a digit in every other word
 * would otherwise allocate five arrays per number); only the first `count` entries are current.
 * They are typed arrays: their stores and reads need no element-kind checks, and the flags are
 * bytes (1 for true), which the recognizer reads in every candidate's loop.
 */
export class PhoneRun {
  /** Index of the leading "+", or -1. */
  plus = -1;
  /** Offset of the run's first character ("+", "(" or a digit). */
  start = 0;
  /** Offset just after the run's last character (a digit or ")"). */
  end = 0;
  /** Number of groups. */
  count = 0;
  /** Total digits in all groups. */
  digits = 0;
  /** Per group: the digits are text[groupStart, groupEnd). */
  groupStart = new Int32Array(INITIAL_GROUPS);
  groupEnd = new Int32Array(INITIAL_GROUPS);
  /** Per group: 1 when written in parentheses. */
  paren = new Uint8Array(INITIAL_GROUPS);
  /** Per group: 1 when the separator before it holds a space (a word boundary); 0 for group 0. */
  spaceBefore = new Uint8Array(INITIAL_GROUPS);
  /** Per group: char code of the joint before it (0: none). */
  jointBefore = new Int32Array(INITIAL_GROUPS);

  /** Doubles the per-group arrays, keeping their entries. */
  private grow(): void {
    const size = this.groupStart.length * 2;
    const widen = <T extends Int32Array | Uint8Array>(from: T, to: T): T => {
      to.set(from);
      return to;
    };
    this.groupStart = widen(this.groupStart, new Int32Array(size));
    this.groupEnd = widen(this.groupEnd, new Int32Array(size));
    this.paren = widen(this.paren, new Uint8Array(size));
    this.spaceBefore = widen(this.spaceBefore, new Uint8Array(size));
    this.jointBefore = widen(this.jointBefore, new Int32Array(size));
  }

  /**
   * Reads the run that starts at `start` ("+", "(" or a digit) into this object. Returns false
   * when no group starts there (a "(" that does not close around digits).
   */
  read(text: string, start: number): boolean {
    const length = text.length;
    let i = start;
    this.plus = codeAt(text, i) === PLUS ? i : -1;
    if (this.plus >= 0) i++;
    this.start = start;
    let end = start;
    let count = 0;
    let digits = 0;
    let space = 0;
    let joint = 0;
    for (;;) {
      const paren = codeAt(text, i) === OPEN;
      let j = paren ? i + 1 : i;
      const digitsStart = j;
      while (isDigitCode(codeAt(text, j))) j++;
      if (j === digitsStart) break;
      const digitsEnd = j;
      if (paren) {
        if (codeAt(text, j) !== CLOSE) break;
        j++;
      }
      if (count === this.groupStart.length) this.grow();
      this.groupStart[count] = digitsStart;
      this.groupEnd[count] = digitsEnd;
      this.paren[count] = paren ? 1 : 0;
      this.spaceBefore[count] = space;
      this.jointBefore[count] = joint;
      count++;
      digits += digitsEnd - digitsStart;
      end = j;
      // The separator: at most MAX_SEPARATOR characters, spaces and at most one joint.
      const separatorStart = j;
      space = 0;
      joint = 0;
      let joints = 0;
      while (j < length && j - separatorStart < MAX_SEPARATOR) {
        const code = text.charCodeAt(j);
        if (isPhoneSpace(code)) space = 1;
        else if (isPhoneJoint(code)) {
          joint = code;
          joints++;
        } else break;
        j++;
      }
      // Directly after ")" a group may follow with no separator: "(415)555-2671".
      if (j === separatorStart && !paren) break;
      if (joints > 1) break;
      // A dot with a space is a sentence ending ("... 2671. 020 ..."), never a phone separator.
      if (joint === DOT && space === 1) break;
      const next = codeAt(text, j);
      if (!isDigitCode(next) && next !== OPEN) break;
      i = j;
    }
    this.end = end;
    this.count = count;
    this.digits = digits;
    return count > 0;
  }
}
