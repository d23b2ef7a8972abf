/**
 * What may follow a street: a directional, units, the locality (city with state and ZIP, or a
 * postcode) and a country. Each matcher reads `text` from `at` and returns the end of what it
 * recognised or -1. The recognizer hands them a slice that ends at its length cap, so they can
 * never look further than an address may reach.
 */
import { matchGermanPlz, matchUkPostcode, matchUsState, matchUsZip } from "./address-postcode.js";

/**
 * The longest address reported, in UTF-16 code units. A full US address with a unit, a long
 * city and the country ("Flat 12, 1234 North Martin Luther King Junior Boulevard Southwest,
 * Apartment 1234, Rancho Santa Margarita, California 92688-1234, United States") is about 140;
 * parts that would end past the cap are left out, and a street that alone would pass it is not
 * reported.
 */
export const MAX_ADDRESS_LENGTH = 150;

/** Between parts of an address: ", " or a space or a line break (an address block), not a bare
 * comma: CSV columns are separate fields. */
const SEPARATOR = /,?(?:[ \t\u00A0]{1,2}|\r?\n[ \t]{0,4})/y;

/** The end of a separator at `at`, or -1. */
function separator(text: string, at: number): number {
  SEPARATOR.lastIndex = at;
  return SEPARATOR.test(text) ? SEPARATOR.lastIndex : -1;
}

/** A separator that breaks a group: it starts with a comma or holds a line break. */
function breaksGroup(text: string, at: number, end: number): boolean {
  if (text.charCodeAt(at) === 44) return true;
  for (let i = at; i < end; i++) if (text.charCodeAt(i) === 10) return true;
  return false;
}

const DIRECTIONAL = /[ \u00A0](?:[NS]\.[EW]\.|[NS][EW]|[NSEW]\.?)(?![\p{L}\p{N}])/uy;

/** "1600 Pennsylvania Avenue NW": a compass suffix after the street type. */
export function matchDirectional(text: string, at: number): number {
  DIRECTIONAL.lastIndex = at;
  return DIRECTIONAL.test(text) ? DIRECTIONAL.lastIndex : -1;
}

const UNIT_ID = "(?:[0-9]{1,5}(?:-?[A-Za-z0-9]{1,3})?|[A-Z]{1,2}(?:-?[0-9]{1,4})?)";
const UNIT_WORDS =
  "Apartment|Apt|Suite|Ste|Unit|Floor|Fl|Room|Rm|Building|Bldg|Dept|Lot|Flat|" +
  "APARTMENT|APT|SUITE|STE|UNIT|FLOOR|FL|ROOM|RM|BUILDING|BLDG|DEPT|LOT|FLAT";
const FLOOR_ORDINALS =
  "First|Second|Third|Fourth|Fifth|Sixth|Seventh|Eighth|Ninth|Tenth|Eleventh|Twelfth|Ground|Top|" +
  "FIRST|SECOND|THIRD|FOURTH|FIFTH|SIXTH|SEVENTH|EIGHTH|NINTH|TENTH|GROUND";
const UNIT = new RegExp(
  `(?:,?[ \\t\\u00A0]{1,2}|,?\\r?\\n[ \\t]{0,4})` +
    `(?:(?:${UNIT_WORDS})\\.?[ \\u00A0]?#?[ \\u00A0]?${UNIT_ID}` + // Apt 4B, Suite 3300, Ste. 200
    `|#[ \\u00A0]?[0-9]{1,5}(?:-?[A-Za-z0-9]{1,3})?` + // #12
    `|(?:[1-9][0-9]?(?:st|nd|rd|th)|${FLOOR_ORDINALS})[ \\u00A0](?:Floor|Fl\\.?|FLOOR))` + // 5th Floor, Fifth Floor
    `(?![\\p{L}\\p{N}])`,
  "uy",
);

/** One unit after the street: "Apt 4B", ", Suite 3300", " #12", ", 5th Floor". */
export function matchUnit(text: string, at: number): number {
  UNIT.lastIndex = at;
  return UNIT.test(text) ? UNIT.lastIndex : -1;
}

/** A city word: Title case (O'Fallon, Winston-Salem, München) or CAPS, optionally after St./Ft./Mt. */
const CITY_WORD = new RegExp(
  "(?:(?:St|Ft|Mt|Pt|ST|FT|MT|PT)\\.?[ \\u00A0])?" + // St. Louis, Ft. Worth
    "(?:\\p{Lu}[\\p{L}'’-]{0,28}\\p{Ll}|\\p{Lu}[\\p{Lu}'’-]{1,28})(?![\\p{L}\\p{N}])",
  "uy",
);
/** Between words of one city, possibly with a small lower-case word ("Newcastle upon Tyne"). */
const CITY_LINK = /[ \u00A0](?:(?:upon|on|le|la|de|du|des|am|an der|an|im|in|ob der|bei|sur|en)[ \u00A0])?/y;
const MAX_CITY_WORDS = 5;

export type LocalityKind = "state" | "state-zip" | "postcode" | "city-postcode";

export interface Locality {
  end: number;
  kind: LocalityKind;
}

/** Between state and ZIP: "MA 02110", "MA  02110" (the FSF's letterhead), "MA\n 02110", "TX, 77056". */
const STATE_ZIP_GAP = /,?(?:[ \u00A0]{1,2}|\r?\n[ \t]{0,4})/y;

/** What closes a locality: a UK postcode, or a US state with its ZIP (the ZIP may be missing
 * after a city). */
function terminal(text: string, at: number, afterCity: boolean): Locality | undefined {
  const postcode = matchUkPostcode(text, at);
  if (postcode >= 0) return { end: postcode, kind: afterCity ? "city-postcode" : "postcode" };
  const state = matchUsState(text, at);
  if (state < 0) return undefined;
  STATE_ZIP_GAP.lastIndex = state;
  if (STATE_ZIP_GAP.test(text)) {
    const zip = matchUsZip(text, STATE_ZIP_GAP.lastIndex);
    if (zip >= 0) return { end: zip, kind: "state-zip" };
  }
  return afterCity ? { end: state, kind: "state" } : undefined;
}

/**
 * ", Washington, DC 20500", " Springfield, IL 62704", ", London SW1A 2AA", ", SW1A 2AA",
 * ", Didsbury, Manchester M1 1AE". A city only counts when a state or postcode closes it, so a
 * capitalised sentence after a street is never swallowed.
 */
export function matchLocality(text: string, at: number): Locality | undefined {
  const first = separator(text, at);
  if (first < 0) return undefined;
  const direct = terminal(text, first, false);
  if (direct !== undefined) return direct;
  let p = first;
  let groups = 1;
  for (let words = 0; words < MAX_CITY_WORDS; words++) {
    CITY_WORD.lastIndex = p;
    if (!CITY_WORD.test(text)) return undefined;
    p = CITY_WORD.lastIndex;
    const next = separator(text, p);
    if (next >= 0) {
      const closed = terminal(text, next, true);
      if (closed !== undefined) return closed;
    }
    CITY_LINK.lastIndex = p;
    if (next >= 0 && breaksGroup(text, p, next)) {
      if (groups === 2) return undefined; // "Didsbury, Manchester" at most
      groups++;
      p = next;
    } else if (CITY_LINK.test(text)) {
      p = CITY_LINK.lastIndex;
    } else {
      return undefined;
    }
  }
  return undefined;
}

const GERMAN_CITY_WORD = "\\p{Lu}[\\p{L}'’-]{0,28}\\p{Ll}";
// "München", "Frankfurt am Main", "Halle (Saale)", "Freiburg i. Br.", "Bad Homburg". One word
// plus one of these forms at most: German nouns are capitalised, so a second bare capitalised
// word is more likely the next sentence than part of the city.
const GERMAN_CITY = new RegExp(
  `(?:(?:Bad|Sankt|St\\.)[ \\u00A0])?${GERMAN_CITY_WORD}` +
    `(?:[ \\u00A0](?:am|an der|an|im|in|ob der|bei|vor der|auf|unter)[ \\u00A0]${GERMAN_CITY_WORD}` +
    `|[ \\u00A0]\\(${GERMAN_CITY_WORD}\\)` +
    `|[ \\u00A0]i\\.[ \\u00A0]?(?:Br|Bay|Opf|Ob)\\.)?(?![\\p{L}\\p{N}])`,
  "uy",
);

/** ", 10117 Berlin", " 80331 München", "\n40212 Düsseldorf": a PLZ and its town. */
export function matchGermanLocality(text: string, at: number): number {
  const sep = separator(text, at);
  if (sep < 0) return -1;
  const plz = matchGermanPlz(text, sep);
  if (plz < 0) return -1;
  const code = text.charCodeAt(plz);
  if (code !== 32 && code !== 160) return -1;
  GERMAN_CITY.lastIndex = plz + 1;
  return GERMAN_CITY.test(text) ? GERMAN_CITY.lastIndex : -1;
}

const COUNTRIES = [
  "USA", "U\\.S\\.A\\.", "United States(?: of America)?", "UNITED STATES", "UK", "U\\.K\\.", "United Kingdom",
  "UNITED KINGDOM", "Great Britain", "England", "Scotland", "Wales", "Northern Ireland", "Germany", "GERMANY",
  "Deutschland", "DEUTSCHLAND",
];
const COUNTRY = new RegExp(`,?(?:[ \\t\\u00A0]{1,2}|\\r?\\n)(?:${COUNTRIES.join("|")})(?![\\p{L}\\p{N}])`, "uy");

/** ", USA", ", United Kingdom", ", Deutschland" after a postcode. */
export function matchCountry(text: string, at: number): number {
  COUNTRY.lastIndex = at;
  return COUNTRY.test(text) ? COUNTRY.lastIndex : -1;
}
