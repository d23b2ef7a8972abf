/**
 * Shared parts of the digit recognizers' differential tests (digits-cues, credit-card, us-ssn):
 * the sample strings of the TypeScript recognizers' own test files, and text pieces aimed at
 * the digit helpers' edge cases.
 */
import { readFileSync } from "node:fs";
import fc from "fast-check";

/** Values put where a test's template literal has a `${...}`. */
const FILLINGS = ["", "378282246310005", "4111111111111111", "4111 1111 1111 1111", "234-56-7890", "234567890", "SSN", "card"];

/**
 * Every string literal in the given test files (relative to test/pii), template literals with
 * each `${...}` replaced by each of FILLINGS: the samples the TypeScript recognizers are tested on.
 */
export function testFileLiterals(files: readonly string[]): string[] {
  const found = new Set<string>();
  for (const file of files) {
    const source = readFileSync(new URL(`../${file}`, import.meta.url), "utf8");
    for (const match of source.matchAll(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`/g)) {
      const literal = match[0];
      const inner = literal.slice(1, -1);
      const unescape = (s: string): string | undefined => {
        try {
          return JSON.parse(`"${s.replace(/\\'/g, "'").replace(/\\`/g, "`").replace(/(?<!\\)"/g, '\\"')}"`) as string;
        } catch {
          return undefined;
        }
      };
      if (literal.startsWith("`") && inner.includes("${")) {
        const parts = inner.split(/\$\{[^}]*\}/);
        for (const filling of FILLINGS) {
          const text = unescape(parts.join(filling));
          if (text !== undefined) found.add(text);
        }
      } else {
        const text = unescape(inner);
        if (text !== undefined) found.add(text);
      }
    }
  }
  return [...found];
}

/** `body` with its Luhn check digit appended. */
export function withCheckDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return body + String((10 - (sum % 10)) % 10);
}

/** `digits` cut into groups of `sizes` (the rest in a last group), joined by `seps` in turn. */
export function grouped(digits: string, sizes: readonly number[], seps: readonly string[]): string {
  let out = "";
  let at = 0;
  let k = 0;
  for (const size of sizes) {
    if (at >= digits.length) break;
    if (k > 0) out += seps[(k - 1) % seps.length];
    out += digits.slice(at, at + size);
    at += size;
    k++;
  }
  if (at < digits.length) out += (k > 0 ? seps[(k - 1) % seps.length] : "") + digits.slice(at);
  return out;
}

/** A string of `min` to `max` random digits. */
export const digitString = (min: number, max: number): fc.Arbitrary<string> =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: min, maxLength: max }).map((d) => d.join(""));

/** `word` in a random mix of upper and lower case. */
export const randomCase = (word: string): fc.Arbitrary<string> =>
  fc.array(fc.boolean(), { minLength: word.length, maxLength: word.length }).map((upper) =>
    [...word].map((c, k) => (upper[k] ? c.toUpperCase() : c)).join(""),
  );

/** Separators and punctuation the cue reading and the run walks react to. */
export const JOINERS = [
  " ", "  ", "-", "--", ".", ". ", "! ", "? ", "?", ",", ", ", ": ", ":", "#", " #", " no. ", " No.", "=", "\n", "\r\n", "\t",
  "_", "/", "(", ")", "+", "\u00a0", "\u2010", "é", "ß", "😀", "\ud800", "'", '"',
];

/** Pieces of "digit soup": runs, groups and glue near words. */
export function digitSoup(words: readonly string[]): fc.Arbitrary<string> {
  const piece = fc.oneof(
    { weight: 5, arbitrary: digitString(1, 20) },
    { weight: 4, arbitrary: fc.constantFrom(...JOINERS) },
    { weight: 3, arbitrary: fc.constantFrom(...words).chain(randomCase) },
    { weight: 1, arbitrary: fc.constantFrom("x", "ab", "the", "Reisepassnummer", "app_version", "No", "Tel", "acct", "abcdef") },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 60 }).map((n) => "y".repeat(n)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 4 }) },
  );
  return fc.array(piece, { maxLength: 30 }).map((parts) => parts.join(""));
}
