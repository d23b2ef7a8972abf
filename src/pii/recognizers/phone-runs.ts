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
  readonly groupStart: number[] = [];
  readonly groupEnd: number[] = [];
  /** Per group: written in parentheses. */
  readonly paren: boolean[] = [];
  /** Per group: the separator before it holds a space (a word boundary); false for group 0. */
  readonly spaceBefore: boolean[] = [];
  /** Per group: char code of the joint before it (0: none). */
  readonly jointBefore: number[] = [];

  private push(groupStart: number, groupEnd: number, paren: boolean, space: boolean, joint: number): void {
    const k = this.count++;
    this.groupStart[k] = groupStart;
    this.groupEnd[k] = groupEnd;
    this.paren[k] = paren;
    this.spaceBefore[k] = space;
    this.jointBefore[k] = joint;
    this.digits += groupEnd - groupStart;
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
    this.end = start;
    this.count = 0;
    this.digits = 0;
    let space = false;
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
      this.push(digitsStart, digitsEnd, paren, space, joint);
      this.end = j;
      // The separator: at most MAX_SEPARATOR characters, spaces and at most one joint.
      const separatorStart = j;
      space = false;
      joint = 0;
      let joints = 0;
      while (j < length && j - separatorStart < MAX_SEPARATOR) {
        const code = text.charCodeAt(j);
        if (isPhoneSpace(code)) space = true;
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
      if (joint === DOT && space) break;
      const next = codeAt(text, j);
      if (!isDigitCode(next) && next !== OPEN) break;
      i = j;
    }
    return this.count > 0;
  }
}
