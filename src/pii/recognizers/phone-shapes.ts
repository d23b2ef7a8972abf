/**
 * Digit writings that look like phone groupings but are something else: calendar dates
 * ("2024-01-15", "15/01/2024", "01.15.2024"), decimals, dotted quads (IPv4 addresses, four-part
 * version strings), SSNs and ZIP+4 codes. A few of these survive numbering validation in countries with open
 * numbering plans (DE), so they are ruled out by shape before any lookup.
 */

const DOT = 46;
const DASH = 45;

function isYear(value: number): boolean {
  return value >= 1900 && value <= 2099;
}

function isMonthDay(month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/**
 * The first `count` entries describe the groups: `values` their numeric values (-1 when longer
 * than four digits), `lengths` their digit counts, `joints` the joint char code before each
 * (0 for none; index 0 unused).
 */
export function isDateShape(
  count: number,
  values: readonly number[],
  lengths: readonly number[],
  joints: readonly number[],
): boolean {
  if (count !== 3) return false;
  // One joint, the same twice: 2024-01-15, 15/01/2024, 01.15.2024 (a date, even with spaces).
  if (joints[1] !== joints[2]) return false;
  const a = values[0]!;
  const b = values[1]!;
  const c = values[2]!;
  const la = lengths[0]!;
  const lb = lengths[1]!;
  const lc = lengths[2]!;
  if (la === 4 && lb === 2 && lc === 2) return isYear(a) && isMonthDay(b, c);
  if (la === 2 && lb === 2 && lc === 4) return isYear(c) && (isMonthDay(b, a) || isMonthDay(a, b));
  return false;
}

/** Two groups joined by a dot: a decimal number ("[7332.076857]", "1234.567890"). */
export function isDecimalShape(count: number, joints: readonly number[]): boolean {
  return count === 2 && joints[1] === DOT;
}

/** Four dot-joined groups of at most three digits: an IPv4 address (192.168.1.10), not a phone. */
export function isDottedQuadShape(count: number, lengths: readonly number[], joints: readonly number[]): boolean {
  if (count !== 4) return false;
  for (let k = 0; k < count; k++) {
    if (lengths[k]! > 3) return false;
    if (k > 0 && joints[k] !== DOT) return false;
  }
  return true;
}

/**
 * US identifiers written like short national numbers: an SSN (3-2-4, "040-05-4023",
 * "052 00 0090") and a ZIP+4 code ("02100-1992"). With a leading 0 both pass as German or
 * British numbers, and no phone plan writes its numbers in these groupings.
 */
export function isUsIdentifierShape(count: number, lengths: readonly number[], joints: readonly number[]): boolean {
  if (count === 3) return lengths[0] === 3 && lengths[1] === 2 && lengths[2] === 4 && joints[1] === joints[2];
  if (count === 2) return lengths[0] === 5 && lengths[1] === 4 && joints[1] === DASH;
  return false;
}
