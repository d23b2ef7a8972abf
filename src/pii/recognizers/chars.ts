/** Character-class helpers shared by recognizers; char codes avoid allocating substrings. */

export const isDigit = (code: number): boolean => code >= 48 && code <= 57;
export const isAsciiLetter = (code: number): boolean => (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
export const isAsciiAlnum = (code: number): boolean => isDigit(code) || isAsciiLetter(code);

/** Letters and digits in any script (for IDN domains, names in addresses). */
const UNICODE_ALNUM = /[\p{L}\p{N}]/u;
export function isAlnumAt(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  if (code < 128) return isAsciiAlnum(code);
  if (Number.isNaN(code)) return false;
  return UNICODE_ALNUM.test(text[index]!);
}

/** True when the character at `index` (or the edge of the text) is not a letter or digit. */
export function isBoundaryAt(text: string, index: number): boolean {
  if (index < 0 || index >= text.length) return true;
  return !isAlnumAt(text, index);
}
