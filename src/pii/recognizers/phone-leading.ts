/**
 * A country's leading digits (libphonenumber: which country of a shared calling code, +1 or +7,
 * a number belongs to) as a test of the number's start.
 *
 * Why not the regular expression itself: a +1 number that is not valid in the US is tried
 * against the leading digits of every other NANP country, twenty-odd expressions of three
 * digits each ("268", "8001|8[024]9"). Each expression is code of its own, out of the
 * processor's caches when the gateway masks one result between other work, and costs
 * microseconds there; a few string comparisons do not. Nearly every pattern is digits, digit
 * classes and "|", which is exactly a list of prefixes; any other pattern keeps its expression.
 */
export type LeadingDigits = (nationalNumber: string) => boolean;

/** More prefixes than this and the expression stays (none of libphonenumber's comes near). */
const MAX_PREFIXES = 64;

export function compileLeadingDigits(pattern: string): LeadingDigits {
  const prefixes = prefixesOf(pattern);
  if (prefixes === undefined) {
    const expression = new RegExp(`^(?:${pattern})`);
    return (nationalNumber) => expression.test(nationalNumber);
  }
  return (nationalNumber) => {
    for (const prefix of prefixes) if (nationalNumber.startsWith(prefix)) return true;
    return false;
  };
}

/**
 * The strings `^(?:pattern)` matches at the start of a number, when the pattern is only
 * alternatives of digits, "\d" and digit classes ("[3489]", "[02-689]"); else undefined.
 */
export function prefixesOf(pattern: string): string[] | undefined {
  const prefixes: string[] = [];
  for (const alternative of pattern.split("|")) {
    let expanded = [""];
    let i = 0;
    while (i < alternative.length) {
      const read = digitSetAt(alternative, i);
      if (read === undefined) return undefined;
      expanded = expanded.flatMap((start) => read.digits.map((digit) => start + digit));
      if (prefixes.length + expanded.length > MAX_PREFIXES) return undefined;
      i = read.next;
    }
    prefixes.push(...expanded);
  }
  return prefixes;
}

interface DigitSet {
  digits: string[];
  next: number;
}

const DIGITS = "0123456789";

/** The digits one pattern element at `i` stands for: a digit, "\d" or a class of digits and ranges. */
function digitSetAt(pattern: string, i: number): DigitSet | undefined {
  const char = pattern[i]!;
  if (DIGITS.includes(char)) return { digits: [char], next: i + 1 };
  if (char === "\\") return pattern[i + 1] === "d" ? { digits: [...DIGITS], next: i + 2 } : undefined;
  if (char !== "[") return undefined;
  const close = pattern.indexOf("]", i + 1);
  if (close < 0) return undefined;
  const inside = pattern.slice(i + 1, close);
  const digits = new Set<string>();
  let k = 0;
  while (k < inside.length) {
    const low = inside[k]!;
    if (!DIGITS.includes(low)) return undefined; // "^" (negation), "\", letters: not handled here
    if (inside[k + 1] === "-" && k + 2 < inside.length) {
      const high = inside[k + 2]!;
      if (!DIGITS.includes(high) || high < low) return undefined;
      for (let d = low.charCodeAt(0); d <= high.charCodeAt(0); d++) digits.add(String.fromCharCode(d));
      k += 3;
    } else {
      digits.add(low);
      k += 1;
    }
  }
  if (digits.size === 0) return undefined;
  return { digits: [...digits].sort(), next: close + 1 };
}
