import { CONTEXT_WINDOW } from "../context.js";
import { SCORE_MRZ_UNCHECKED, SCORE_MRZ_VALID } from "../recognizers/mrz.js";
import { SCORE_DIGITS_ONLY, SCORE_LAYOUT, SCORE_WITH_CHECK_DIGIT } from "../recognizers/passport-formats.js";
import { ANCHOR_PATTERN, OTHER_FIELDS } from "../recognizers/passport.js";

/** Words after which a number is another field's, not the passport's (passport.ts OTHER_FIELDS). */
export const PASSPORT_OTHER_FIELDS: readonly string[] = [...OTHER_FIELDS];

/**
 * The words a pattern of literal characters, (?:...) groups, "|" and "?" matches, in the order
 * the regular-expression engine tries them (alternatives left to right, "?" greedy): with nothing
 * after the pattern, the first of them that matches at a position is the match there. Throws on
 * anything else, so a pattern the kernel cannot mirror leaves it unconfigured (fail closed).
 */
export function expandLiteralPattern(source: string): string[] {
  let at = 0;
  const alternation = (): string[] => {
    const words: string[] = [];
    for (;;) {
      words.push(...sequence());
      if (source[at] !== "|") return words;
      at++;
    }
  };
  const sequence = (): string[] => {
    let words = [""];
    while (at < source.length && source[at] !== "|" && source[at] !== ")") {
      let atom: string[];
      if (source.startsWith("(?:", at)) {
        at += 3;
        atom = alternation();
        if (source[at] !== ")") throw new Error(`unclosed group in ${source}`);
        at++;
      } else if (source[at] === "\\" && at + 1 < source.length && !/[0-9A-Za-z]/.test(source[at + 1]!)) {
        atom = [source[at + 1]!];
        at += 2;
      } else if (/[\\^$.*+?()[\]{}]/.test(source[at]!)) {
        throw new Error(`not a literal pattern: ${source} (at ${at})`);
      } else {
        atom = [source[at++]!];
      }
      if (source[at] === "?") {
        at++;
        atom = [...atom, ""];
      }
      words = words.flatMap((word) => atom.map((part) => word + part));
    }
    return words;
  };
  const words = alternation();
  if (at !== source.length) throw new Error(`not a literal pattern: ${source} (at ${at})`);
  return words;
}

/**
 * The passport recognizer's data for configure("passport"): the context window, its scores, the
 * words ANCHOR matches and the other fields' words, one "key value" per line (parsed by
 * native/pii/src/recognizers/passport.rs).
 */
export function passportConfiguration(): string {
  // The kernel folds ASCII letters only, as /i without /u does, and searches globally.
  if (ANCHOR_PATTERN.flags !== "gi") throw new Error(`passport: ANCHOR flags ${ANCHOR_PATTERN.flags} are not mirrored`);
  const anchors = expandLiteralPattern(ANCHOR_PATTERN.source);
  for (const word of [...anchors, ...PASSPORT_OTHER_FIELDS]) {
    if (!/^[\x20-\x7e]+$/.test(word) || word.includes("\n")) throw new Error(`passport: word ${JSON.stringify(word)} is not printable ASCII`);
  }
  return [
    `window ${CONTEXT_WINDOW}`,
    `score-digits-only ${SCORE_DIGITS_ONLY}`,
    `score-layout ${SCORE_LAYOUT}`,
    `score-with-check-digit ${SCORE_WITH_CHECK_DIGIT}`,
    `score-mrz-valid ${SCORE_MRZ_VALID}`,
    `score-mrz-unchecked ${SCORE_MRZ_UNCHECKED}`,
    ...anchors.map((word) => `anchor ${word}`),
    ...PASSPORT_OTHER_FIELDS.map((word) => `other-field ${word}`),
  ].join("\n");
}
