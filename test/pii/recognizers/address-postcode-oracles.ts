/**
 * The UK postcode, US ZIP and US state readers as the regular expressions they were before they
 * read by character: the oracles the tests hold the readers to (address-postcode.test.ts,
 * q2-address-reads.test.ts). Each returns the end of the match at `at`, or -1.
 */
import { UK_LETTERED_DISTRICTS, UK_POSTCODE_AREAS, US_STATE_CODES, US_STATE_NAMES } from "../../../src/pii/recognizers/address-lexicon.js";

const UK_POSTCODE = /([A-Z]{1,2})([0-9])([0-9A-Z]?) ?[0-9]([A-Z])([A-Z])(?![\p{L}\p{N}])/uy;
const UK_SPECIAL = /GIR ?0AA(?![\p{L}\p{N}])/uy;
const UK_INWARD_EXCLUDED = new Set(["C", "I", "K", "M", "O", "V"]);
const UK_ONE_LETTER_AREA_SUFFIX = new Set("ABCDEFGHJKPSTUW".split(""));
const UK_TWO_LETTER_AREA_SUFFIX = new Set("ABEHMNPRVWXY".split(""));

export function referenceUkPostcode(text: string, at: number): number {
  UK_SPECIAL.lastIndex = at;
  if (UK_SPECIAL.test(text)) return UK_SPECIAL.lastIndex;
  UK_POSTCODE.lastIndex = at;
  const m = UK_POSTCODE.exec(text);
  if (m === null) return -1;
  const [, area, digit, tail] = m as unknown as [string, string, string, string, string, string];
  if (!UK_POSTCODE_AREAS.has(area)) return -1;
  if (tail !== "" && (tail < "0" || tail > "9")) {
    if (!UK_LETTERED_DISTRICTS.has(area + digit)) return -1;
    if (!(area.length === 1 ? UK_ONE_LETTER_AREA_SUFFIX : UK_TWO_LETTER_AREA_SUFFIX).has(tail)) return -1;
  }
  if (UK_INWARD_EXCLUDED.has(m[4]!) || UK_INWARD_EXCLUDED.has(m[5]!)) return -1;
  return UK_POSTCODE.lastIndex;
}

const US_ZIP = /(?!00000)[0-9]{5}(?:-[0-9]{4})?(?![\p{L}\p{N}])/uy;

export function referenceUsZip(text: string, at: number): number {
  US_ZIP.lastIndex = at;
  return US_ZIP.test(text) ? US_ZIP.lastIndex : -1;
}

const US_STATE_CODE = /(?:([A-Z]{2})|D\.C\.)(?![\p{L}\p{N}])/uy;
const US_STATE_NAME = new RegExp(
  `(?:${[...US_STATE_NAMES, ...US_STATE_NAMES.map((n) => n.toUpperCase())].sort((a, b) => b.length - a.length).join("|")})(?![\\p{L}\\p{N}])`,
  "uy",
);

export function referenceUsState(text: string, at: number): number {
  US_STATE_CODE.lastIndex = at;
  const code = US_STATE_CODE.exec(text);
  if (code !== null && (code[1] === undefined || US_STATE_CODES.has(code[1]))) return US_STATE_CODE.lastIndex;
  US_STATE_NAME.lastIndex = at;
  return US_STATE_NAME.test(text) ? US_STATE_NAME.lastIndex : -1;
}
