import { entity, negative, type JsonNode } from "../json-writer.js";
import type { Rng } from "../prng.js";
import { generateInvalidSsn, generateSsn } from "../ssn.js";
import { COMPANY_SUFFIXES, COMPANY_WORDS, FIRST_NAMES, LAST_NAMES } from "../words.js";

/** Where a value goes: prose may break lines; a JSON string or a CSV cell may not. */
export const PROSE = { singleLine: false };
export const ONE_LINE = { singleLine: true };

export function fullName(rng: Rng): string {
  return `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`;
}

export function company(rng: Rng): string {
  const word = rng.pick(COMPANY_WORDS);
  return `${word[0]!.toUpperCase()}${word.slice(1)} ${rng.pick(COMPANY_SUFFIXES)}`;
}

/** Real data has bad identifiers in it: sometimes an SSN field holds a number never issued. */
export function ssnField(rng: Rng, invalidShare: number): JsonNode {
  return rng.chance(invalidShare) ? negative("invalid_ssn", generateInvalidSsn(rng)) : entity("US_SSN", generateSsn(rng));
}
