/**
 * The BMP code units /[\p{L}\p{N}]/u matches (what chars.ts `isAlnumAt` asks), as "from-to"
 * ranges for the kernel's configure("unicode-alnum"): the kernel answers with this V8's own
 * Unicode tables, not a copy that could drift from them.
 */
export function unicodeAlnumRanges(): string {
  const alnum = /[\p{L}\p{N}]/u;
  const ranges: string[] = [];
  let from = -1;
  for (let code = 0; code <= 0x10000; code++) {
    // (Surrogates tested alone never match, as in isAlnumAt.)
    const matches = code < 0x10000 && alnum.test(String.fromCharCode(code));
    if (matches && from < 0) from = code;
    if (!matches && from >= 0) {
      ranges.push(`${from}-${code - 1}`);
      from = -1;
    }
  }
  return ranges.join(",");
}
