import { codeRanges } from "./unicode-alnum.js";

/**
 * The kernel's email recognizer (native/pii/src/recognizers/email.rs) asks of characters above
 * U+007F what email.ts's regular expressions answer: /[\p{L}\p{M}\p{N}]/u (local parts, IDN
 * domains) and /\p{N}/u (refused in a top-level domain). Handed over as configure("email-letters"):
 * two lines of "from-to" code-unit ranges, so the kernel answers with this V8's Unicode tables.
 */
export function emailLetterRanges(): string {
  return [codeRanges(/[\p{L}\p{M}\p{N}]/u), codeRanges(/\p{N}/u)].join("\n");
}
