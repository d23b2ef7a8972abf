/**
 * The BMP code units /[\p{L}\p{N}]/u matches (what chars.ts `isAlnumAt` asks), as "from-to"
 * ranges for the kernel's configure("unicode-alnum"): the kernel answers with this V8's own
 * Unicode tables, not a copy that could drift from them.
 */
export function unicodeAlnumRanges(): string {
  return codeRanges(/[\p{L}\p{N}]/u);
}

/**
 * The BMP code units `pattern` matches, tested one at a time (a lone surrogate never does, as in
 * isAlnumAt), as comma-separated "from-to" ranges (decimal, inclusive).
 */
export function codeRanges(pattern: RegExp): string {
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
