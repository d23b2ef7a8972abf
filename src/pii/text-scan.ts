import { canonicalCode } from "./canonical.js";
/**
 * What several recognizers want to know about one text, computed once per `detect` call and only
 * when first asked for. Today: where the digits are.
 *
 * Digit clusters. Card numbers, SSNs, phone numbers and IPv4 addresses are all digits joined by
 * a few separator characters, so one pass over the text finds the stretches that can hold any of
 * them, and each of those recognizers then looks only inside the stretches it can use, instead of
 * running its own regular expression over the whole text. A cluster starts and ends with a
 * digit; between two of its digits stand at most MAX_GAP characters for which isClusterGap holds
 * (spaces, dashes, dots, slashes, parentheses). Every match of the recognizers' anchors (a card's
 * [2-6]\d{3}[ -]?\d{4}, an SSN's \d{3}[ -]\d\d[ -]\d{4}, a phone run's 7 digits with up to 5
 * separators between each, an IPv4 quad's dots) is made of such characters, so it lies inside one
 * cluster; and each recognizer's walks from an anchor stay inside it too. Only clusters that hold
 * enough digits or dots to matter (MIN_DIGITS, MIN_DOTS) are kept, with what their runs of digits
 * look like (ZERO_LED, RUN_LENGTHS), so a recognizer skips those that cannot hold its entities.
 *
 * The test file (test/pii/text-scan.test.ts) checks all of this against the regular expressions
 * the recognizers used before, on random digit-heavy text.
 *
 * German house numbers. The same pass notes every run of digits that starts with 1-9 one space
 * after a lower-case letter or a dot ("…straße 5", "Am Markt 3"), where German addresses anchor.
 *
 * US and UK house numbers. And it notes the space after every run of digits (and at most two
 * letters: "221B", "5th") that comes before a capital or a non-ASCII letter ("12 Main St"), where
 * those addresses start; the street types are then looked for only from there, instead of by a
 * regular expression over the whole text. The pass stops at the end of every run of digits
 * anyway, so this costs a few character reads per run.
 */

/** Separator characters a cluster may hold between digits (those of the phone runs). */
export function isClusterGap(code: number): boolean {
  // space, no-break space, figure space, narrow no-break space, - . / ( ) and U+2010..U+2013
  return (
    code === 32 ||
    (code >= 45 && code <= 47) ||
    code === 40 ||
    code === 41 ||
    code === 0xa0 ||
    code === 0x2007 ||
    code === 0x202f ||
    (code >= 0x2010 && code <= 0x2013)
  );
}

/** isClusterGap as a table: the scan asks for every character after a run of digits. */
const GAP = new Uint8Array(0x10000);
for (let code = 0; code < GAP.length; code++) GAP[code] = isClusterGap(code) ? 1 : 0;

/** Most separator characters between two digits of one cluster. */
export const MAX_GAP = 5;
/** A cluster is kept when it has at least this many digits (a phone number has seven)... */
export const MIN_DIGITS = 7;
/** ...or this many dots between its digits (an IPv4 address has three). */
export const MIN_DOTS = 3;

/** Layout of `DigitClusters.spans`. */
export const SPAN = 6;
export const START = 0;
export const END = 1;
export const DIGITS = 2;
export const DOTS = 3;
export const ZERO_LED = 4;
export const RUN_LENGTHS = 5;

/** The bit of RUN_LENGTHS that stands for runs of `length` digits. */
export function runLengthBit(length: number): number {
  return 1 << (length < 31 ? length : 31);
}

/** The clusters kept, in text order, and the German house-number anchors. */
export interface DigitClusters {
  /** Number of clusters kept. */
  readonly count: number;
  /**
   * SPAN numbers per cluster, the k-th at k * SPAN: START, END (text[start, end) begins and ends
   * with a digit), DIGITS (how many it holds), DOTS (how many of its separators are dots),
   * ZERO_LED (1 when one of its runs of digits starts with 0, except right after a digit and one
   * of "-./"; else 0), RUN_LENGTHS (bit n set
   * when one of its runs of digits is n long; bit 31 for 31 or longer: see runLengthBit).
   */
  readonly spans: readonly number[];
  /** Offsets of digit runs starting with 1-9 after "[a-zäöüß.][ \u00a0]", in text order. */
  readonly germanNumbers: readonly number[];
  /**
   * Offsets of the spaces and no-break spaces that follow a digit and at most two ASCII letters
   * and come before an ASCII capital or a character above U+007F (the matches of
   * /(?<=[0-9][A-Za-z]{0,2})[ \u00a0](?=[A-Z\u0080-\uffff])/g), in text order: where a US or
   * UK house number ("12 ", "221B ", "5th ") meets its street's name.
   */
  readonly houseNumberGaps: readonly number[];
  /** The text holds a digit (no street address or IPv6 address can do without one). */
  readonly hasDigit: boolean;
  /**
   * Offset of the first character the canonical view changes or drops (canonical.ts: a no-break
   * space, a zero-width character, a fullwidth form...), or -1: the scan reads every character
   * anyway, so the scanner learns here, at no extra pass, whether the text needs that view.
   */
  readonly firstNotCanonical: number;
}

const NONE: DigitClusters = { count: 0, spans: [], germanNumbers: [], houseNumberGaps: [], hasDigit: false, firstNotCanonical: -1 };
const HAS_DIGITS: DigitClusters = { count: 0, spans: [], germanNumbers: [], houseNumberGaps: [], hasDigit: true, firstNotCanonical: -1 };

/** The character before a German house number's space: [a-zäöüß.] as the address anchor has it. */
function opensGermanNumber(code: number): boolean {
  return (code >= 97 && code <= 122) || code === 46 || code === 0xe4 || code === 0xf6 || code === 0xfc || code === 0xdf;
}

/**
 * Where the scan collects spans and German anchors before copying them out at their final size.
 * Why: growing a fresh array push by push allocated about twice what it kept (a quarter of all
 * the memory `detect` allocated). Reused from call to call (a scan runs synchronously to the
 * end); only the copies escape.
 */
const spanScratch: number[] = [];
/** Largest scratch kept between calls (numbers); a longer one is let go after its call. */
const SCRATCH_KEPT = 1 << 16;
const germanScratch: number[] = [];
const houseScratch: number[] = [];

/** An ASCII letter: (code | 32) folds A-Z onto a-z and moves nothing else into a-z. */
function isAsciiLetterCode(code: number): boolean {
  return (code | 32) >= 97 && (code | 32) <= 122;
}

/** One pass over `text`: the digit clusters worth a look and the German house-number anchors. */
export function scanDigits(text: string): DigitClusters {
  const length = text.length;
  const spans = spanScratch;
  const german = germanScratch;
  const houses = houseScratch;
  let spanCount = 0; // numbers written to `spans`
  let germanCount = 0;
  let houseCount = 0;
  let sawDigit = false;
  let firstNotCanonical = -1;
  // (Reads stay within the text: a read past its end would make V8 fall back to slower code.)
  for (let i = 0; i < length; ) {
    let code = text.charCodeAt(i);
    // "Not a digit" as one unsigned comparison: (code - 48) >>> 0 is above 9 for every code
    // outside 48..57. The scan asks it of every character, and the two-sided test measured about
    // a tenth slower over the whole scan (two branches to predict where one will do). Every code
    // read here is a real character (reads stay within the text), never NaN. Nothing else is
    // done per non-digit (not even keeping it as the previous character: that is read back
    // once, where a cluster starts).
    if ((code - 48) >>> 0 > 9) {
      // (Below U+00A0 every character is canonical: one comparison for nearly all text.)
      if (code >= 0xa0 && firstNotCanonical < 0 && canonicalCode(code) !== code) firstNotCanonical = i;
      i++;
      continue;
    }
    // A cluster starts here: runs of digits joined by short gaps. (A cluster ends on a non-digit,
    // so the character before its start is never part of another cluster.)
    sawDigit = true;
    let before = i > 0 ? text.charCodeAt(i - 1) : 0; // the character before text[i]
    const clusterStart = i;
    let digits = 0;
    let dots = 0;
    let zeroLed = 0;
    let runLengths = 0;
    let clusterEnd = i;
    let gap = 0; // length of the gap before the run at i (0: the cluster's first run)
    for (;;) {
      // A run of digits at i; a German house number when it starts 1-9 after "x " or ". ".
      if (code === 48) {
        // A leading 0 counts where a phone number's group can lead: not right after a digit and
        // a dash, dot or slash ("2024-01-15", "1.05"), where no run or word of one begins.
        if (!(gap === 1 && before >= 45 && before <= 47)) zeroLed = 1;
      } else if ((before === 32 || before === 0xa0) && i >= 2 && opensGermanNumber(text.charCodeAt(i - 2))) {
        german[germanCount++] = i;
      }
      const runStart = i;
      code = 0;
      for (i++; i < length; i++) {
        code = text.charCodeAt(i);
        if ((code - 48) >>> 0 > 9) break;
      }
      digits += i - runStart;
      runLengths |= runLengthBit(i - runStart);
      clusterEnd = i;
      // A US or UK house number's gap: at most two letters ("221B", "5th"), a space or no-break
      // space, then a capital or a non-ASCII letter. (At the text's end `code` is still a digit.)
      if (i < length) {
        let at = i;
        let next = code;
        for (let letters = 0; letters < 2 && isAsciiLetterCode(next); letters++) {
          next = ++at < length ? text.charCodeAt(at) : 0;
        }
        if ((next === 32 || next === 0xa0) && at + 1 < length) {
          const after = text.charCodeAt(at + 1);
          if ((after >= 65 && after <= 90) || after > 127) houses[houseCount++] = at;
        }
      }
      before = 48;
      // The gap after it: at most MAX_GAP separator characters, then a digit continues the cluster.
      let gapDots = 0;
      const gapLimit = clusterEnd + MAX_GAP < length ? clusterEnd + MAX_GAP : length;
      while (i < gapLimit && GAP[code] === 1) {
        if (code === 46) gapDots++;
        // (A gap is the other place characters are read: no-break spaces and hyphens group digits.)
        else if (code >= 0xa0 && firstNotCanonical < 0 && canonicalCode(code) !== code) firstNotCanonical = i;
        before = code;
        code = ++i < length ? text.charCodeAt(i) : 0;
      }
      if (i === clusterEnd || i >= length || (code - 48) >>> 0 > 9) break;
      dots += gapDots;
      gap = i - clusterEnd;
    }
    if (digits >= MIN_DIGITS || (dots >= MIN_DOTS && digits >= 4)) {
      spans[spanCount + START] = clusterStart;
      spans[spanCount + END] = clusterEnd;
      spans[spanCount + DIGITS] = digits;
      spans[spanCount + DOTS] = dots;
      spans[spanCount + ZERO_LED] = zeroLed;
      spans[spanCount + RUN_LENGTHS] = runLengths;
      spanCount += SPAN;
    }
  }
  if (spanCount === 0 && germanCount === 0 && houseCount === 0 && firstNotCanonical < 0) return sawDigit ? HAS_DIGITS : NONE;
  // (count stays a small integer: a fraction here would change the objects' hidden class, and V8
  // throws away the optimized code that relied on the old one at the next full collection)
  const clusters: DigitClusters = {
    count: (spanCount / SPAN) | 0,
    spans: spanCount === 0 ? EMPTY : spans.slice(0, spanCount),
    germanNumbers: germanCount === 0 ? EMPTY : german.slice(0, germanCount),
    houseNumberGaps: houseCount === 0 ? EMPTY : houses.slice(0, houseCount),
    hasDigit: sawDigit,
    firstNotCanonical,
  };
  // A huge text's scratch is not held on to after its call.
  if (spans.length > SCRATCH_KEPT) spans.length = 0;
  if (german.length > SCRATCH_KEPT) german.length = 0;
  if (houses.length > SCRATCH_KEPT) houses.length = 0;
  return clusters;
}

const EMPTY: readonly number[] = [];

/**
 * The shared facts about one text. The scanner makes one per `detect` call and hands it to every
 * recognizer; a recognizer called on its own goes without (`digitClustersOf` then computes what
 * it needs).
 *
 * A plain object rather than a class instance: V8 gave instances of a class with a lazily
 * filled field and a getter hidden classes that died with them, and every full garbage
 * collection then threw away the optimized code of everything that had seen one.
 */
export interface TextScan {
  readonly text: string;
}

/** The scan with what has been computed so far (only this module reads or writes it). */
interface ScanState extends TextScan {
  clusters: DigitClusters | undefined;
}

/** A scan of `text`; its facts are computed when first asked for. */
export function createTextScan(text: string): TextScan {
  const scan: ScanState = { text, clusters: undefined };
  return scan;
}

/**
 * The digit clusters of `text`: from `scan` when it is a scan of this text made by createTextScan
 * (computed once, on first use), else computed now.
 */
export function digitClustersOf(text: string, scan: TextScan | undefined): DigitClusters {
  if (scan === undefined || scan.text !== text || !("clusters" in scan)) return scanDigits(text);
  const state = scan as ScanState;
  return (state.clusters ??= scanDigits(text));
}
