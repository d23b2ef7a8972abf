import type { Generated } from "./builder.js";
import { mrzCheckDigit } from "./checksums.js";
import type { Rng } from "./prng.js";
import { FIRST_NAMES, LAST_NAMES } from "./words.js";

export const PASSPORT_COUNTRIES = ["US", "GB", "DE", "FR", "IN", "CA"] as const;
export type PassportCountry = (typeof PASSPORT_COUNTRIES)[number];

const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
// German passport serials use digits and consonants only (no vowels, no B, D, Q, S).
const DE_SERIAL = "CFGHJKLMNPRTVWXYZ0123456789";

/** A passport number in the country's current format. */
export function passportNumber(rng: Rng, country: PassportCountry): string {
  switch (country) {
    case "US":
      return rng.chance(0.5) ? `${rng.int(1, 9)}${rng.digits(8)}` : `${rng.pick(["A", "C", "E", "F", "G", "H", "J", "K"])}${rng.digits(8)}`;
    case "GB":
      return `${rng.int(1, 9)}${rng.digits(8)}`;
    case "DE":
      return rng.pick(["C", "F", "G", "H", "J", "K"]) + rng.chars(DE_SERIAL, 8);
    case "FR":
      return `${rng.digits(2)}${rng.chars(UPPER, 2)}${rng.digits(5)}`;
    case "IN":
      return `${rng.chars("ABCDEFGHJKLMNPRSTUVWY", 1)}${rng.int(1, 9)}${rng.digits(6)}`;
    case "CA":
      return `${rng.chars(UPPER, 2)}${rng.digits(6)}`;
  }
}

const MRZ_STATE: Record<PassportCountry, string> = { US: "USA", GB: "GBR", DE: "D<<", FR: "FRA", IN: "IND", CA: "CAN" };

function mrzName(name: string): string {
  return name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/ß/g, "SS")
    .toUpperCase()
    .replace(/[^A-Z]+/g, "<");
}

function yymmdd(rng: Rng, fromYear: number, toYear: number): string {
  const year = rng.int(fromYear, toYear) % 100;
  return `${String(year).padStart(2, "0")}${String(rng.int(1, 12)).padStart(2, "0")}${String(rng.int(1, 28)).padStart(2, "0")}`;
}

/**
 * A TD3 (passport booklet) machine-readable zone: two 44-character lines with ICAO 9303 check
 * digits over the document number, birth date, expiry, optional data and the composite.
 */
export function generateMrz(rng: Rng, country: PassportCountry = rng.pick(PASSPORT_COUNTRIES)): Generated {
  const state = MRZ_STATE[country];
  const names = `${mrzName(rng.pick(LAST_NAMES))}<<${mrzName(rng.pick(FIRST_NAMES))}${rng.chance(0.3) ? `<${mrzName(rng.pick(FIRST_NAMES))}` : ""}`;
  const line1 = `P<${state}${names}`.padEnd(44, "<").slice(0, 44);
  const number = passportNumber(rng, country).padEnd(9, "<").slice(0, 9);
  const birth = yymmdd(rng, 1950, 2005);
  const expiry = yymmdd(rng, 2026, 2035);
  const sex = rng.pick(["M", "F", "<"]);
  const personal = rng.chance(0.3) ? rng.digits(rng.int(6, 14)).padEnd(14, "<") : "<".repeat(14);
  const personalCheck = personal === "<".repeat(14) ? "<" : mrzCheckDigit(personal);
  const numberPart = number + mrzCheckDigit(number);
  const birthPart = birth + mrzCheckDigit(birth);
  const expiryPart = expiry + mrzCheckDigit(expiry);
  const personalPart = personal + personalCheck;
  const composite = mrzCheckDigit(numberPart + birthPart + expiryPart + personalPart);
  const line2 = `${numberPart}${state}${birthPart}${sex}${expiryPart}${personalPart}${composite}`;
  if (line1.length !== 44 || line2.length !== 44) throw new Error("MRZ lines must be 44 characters");
  return { value: `${line1}\n${line2}`, variant: `MRZ:${state.replace(/</g, "")}` };
}

/** A passport number (its context word is written by the caller, as real text has one). */
export function generatePassport(rng: Rng): Generated & { country: PassportCountry } {
  const country = rng.pick(PASSPORT_COUNTRIES);
  return { value: passportNumber(rng, country), variant: `${country}:number`, country };
}
