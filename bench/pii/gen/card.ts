import type { Generated } from "./builder.js";
import { luhnCheckDigit, luhnValid } from "./checksums.js";
import type { Rng } from "./prng.js";

interface Brand {
  name: string;
  weight: number;
  prefix: (rng: Rng) => string;
  lengths: readonly number[];
}

const BRANDS: readonly Brand[] = [
  { name: "visa", weight: 6, prefix: () => "4", lengths: [16, 16, 16, 16, 19] },
  { name: "mastercard", weight: 3, prefix: (r) => String(r.int(51, 55)), lengths: [16] },
  { name: "mastercard-2series", weight: 2, prefix: (r) => String(r.int(2221, 2720)), lengths: [16] },
  { name: "amex", weight: 2, prefix: (r) => r.pick(["34", "37"]), lengths: [15] },
  { name: "discover", weight: 2, prefix: (r) => r.pick(["6011", String(r.int(644, 649)), "65"]), lengths: [16] },
  { name: "jcb", weight: 1, prefix: (r) => String(r.int(3528, 3589)), lengths: [16] },
  { name: "diners", weight: 1, prefix: (r) => r.pick([String(r.int(300, 305)), "36", "38"]), lengths: [14] },
  { name: "unionpay", weight: 1, prefix: (r) => r.pick(["62" + String(r.int(0, 1)), "623", "624", "625", "626"]), lengths: [16, 16, 19] },
];

/** The digit groups a card is printed in: Amex 4-6-5, Diners 4-6-4, otherwise fours. */
function groups(digits: string, brand: string): string[] {
  const sizes = brand === "amex" ? [4, 6, 5] : brand === "diners" ? [4, 6, 4] : [];
  const out: string[] = [];
  if (sizes.length > 0) {
    let at = 0;
    for (const size of sizes) {
      out.push(digits.slice(at, at + size));
      at += size;
    }
    return out;
  }
  for (let at = 0; at < digits.length; at += 4) out.push(digits.slice(at, at + 4));
  return out;
}

/** "nbsp": no-break spaces, as text converted from HTML (&nbsp;) carries them. */
export type CardSeparator = "space" | "dash" | "none" | "nbsp";

const SEPARATORS: Record<Exclude<CardSeparator, "none">, string> = { space: " ", dash: "-", nbsp: "\u00a0" };

export function formatCard(digits: string, brand: string, separator: CardSeparator): string {
  if (separator === "none") return digits;
  return groups(digits, brand).join(SEPARATORS[separator]);
}

/** A Luhn-valid card number of a real issuer range, printed with spaces, dashes or nothing. */
export function generateCard(rng: Rng): Generated & { brand: string } {
  const brand = rng.weighted(BRANDS.map((b) => [b, b.weight] as const));
  const length = rng.pick(brand.lengths);
  const prefix = brand.prefix(rng);
  const body = prefix + rng.digits(length - prefix.length - 1);
  const digits = body + luhnCheckDigit(body);
  const separator = rng.weighted([["space", 5], ["dash", 2], ["none", 3], ["nbsp", 1]] as const);
  return { value: formatCard(digits, brand.name, separator), variant: `${brand.name}:${length}:${separator}`, brand: brand.name };
}

/** A 16-digit number with a card-like prefix that fails Luhn (a hard negative). */
export function generateLuhnInvalid16(rng: Rng): Generated {
  const prefix = rng.pick(["4", "5" + String(rng.int(1, 5)), "6011", "35" + String(rng.int(28, 89)), "2" + String(rng.int(221, 720)), "1", "7", "8", "9"]);
  const body = prefix + rng.digits(15 - prefix.length);
  const good = Number(luhnCheckDigit(body));
  const bad = (good + rng.int(1, 9)) % 10;
  const digits = body + String(bad);
  if (luhnValid(digits)) throw new Error("unreachable: Luhn-invalid number passed Luhn");
  const separator = rng.weighted([["space", 3], ["dash", 2], ["none", 5]] as const);
  return { value: formatCard(digits, "visa", separator), variant: separator };
}

/** A 15-digit IMEI (TAC + serial + Luhn check digit), a hard negative. */
export function generateImei(rng: Rng): Generated {
  const tac = rng.pick(["35", "86", "01", "99", "49", "53"]) + rng.digits(6);
  const body = tac + rng.digits(6);
  const digits = body + luhnCheckDigit(body);
  const style = rng.weighted([["plain", 5], ["dashed", 2], ["spaced", 1]] as const);
  const value =
    style === "plain"
      ? digits
      : [digits.slice(0, 2), digits.slice(2, 8), digits.slice(8, 14), digits.slice(14)].join(style === "dashed" ? "-" : " ");
  return { value, variant: style };
}
