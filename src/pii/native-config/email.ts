/**
 * The kernel's email recognizer (native/pii/src/recognizers/email.rs) asks of characters above
 * U+007F what email.ts's regular expressions answer: /[\p{L}\p{M}\p{N}]/u (local parts, IDN
 * domains) and /\p{N}/u (refused in a top-level domain). Handed over as configure("email-letters"):
 * two lines of "from-to" code-unit ranges, so the kernel answers with this V8's Unicode tables.
 */
export function emailLetterRanges(): string {
  return [codeRanges(/[\p{L}\p{M}\p{N}]/u), codeRanges(/\p{N}/u)].join("\n");
}

/** The BMP code units `pattern` matches, tested one at a time (a lone surrogate never does). */
function codeRanges(pattern: RegExp): string {
  const ranges: string[] = [];
  let from = -1;
  for (let code = 0; code <= 0x10000; code++) {
    const matches = code < 0x10000 && pattern.test(String.fromCharCode(code));
    if (matches && from < 0) from = code;
    if (!matches && from >= 0) {
      ranges.push(`${from}-${code - 1}`);
      from = -1;
    }
  }
  return ranges.join(",");
}
