/**
 * What may follow a street: a directional, units, the locality (city with state and ZIP, or a
 * postcode) and a country. Each matcher reads `text` from `at` and returns the end of what it
 * recognised or -1. The recognizer hands them a slice that ends at its length cap, so they can
 * never look further than an address may reach.
 */
import { WORDS_AFTER_TOWN } from "./address-lexicon.js";
import { codeAt, isAsciiWordCode } from "./chars.js";
import { key3, matchGermanPlz, matchUkPostcode, matchUsState, matchUsZip } from "./address-postcode.js";

/**
 * The longest address reported, in UTF-16 code units. A full US address with a unit, a long
 * city and the country ("Flat 12, 1234 North Martin Luther King Junior Boulevard Southwest,
 * Apartment 1234, Rancho Santa Margarita, California 92688-1234, United States") is about 140;
 * parts that would end past the cap are left out, and a street that alone would pass it is not
 * reported.
 */
export const MAX_ADDRESS_LENGTH = 150;

/**
 * The end of the gap /,?(?:[ \t\u00A0]{0,2}\r?\n[ \t]{0,4}|[ \t\u00A0]{1,2})/y matches at `at`
 * (without the tab in both brackets when `tabs` is false), or -1, read without a regex call: an
 * address asks this between each of its parts, and the call cost more than the reading.
 * Two spaces at most, then a line break (and up to four spaces or tabs) or not; the comma is no
 * space, so where the expression fails with it, it fails without it too.
 */
export function gapEnd(text: string, at: number, tabs: boolean): number {
  let i = at;
  if (codeAt(text, i) === 44) i++; // ","
  let spaces = 0;
  while (spaces < 2 && isGapSpace(codeAt(text, i + spaces), tabs)) spaces++;
  let breakEnd = i + spaces;
  const code = codeAt(text, breakEnd);
  if (code === 13 && codeAt(text, breakEnd + 1) === 10) breakEnd += 2;
  else if (code === 10) breakEnd += 1;
  else return spaces > 0 ? i + spaces : -1;
  let indent = 0;
  while (indent < 4 && (codeAt(text, breakEnd + indent) === 32 || codeAt(text, breakEnd + indent) === 9)) indent++;
  return breakEnd + indent;
}

function isGapSpace(code: number, tabs: boolean): boolean {
  return code === 32 || code === 0xa0 || (tabs && code === 9);
}

/** Between parts of an address: ", " or a space or a line break (an address block, "Boston,\n"
 * or "Boston, \n"), not a bare comma: CSV columns are separate fields. The end, or -1. */
function separator(text: string, at: number): number {
  return gapEnd(text, at, true);
}

/** A separator that breaks a group: it starts with a comma or holds a line break. */
function breaksGroup(text: string, at: number, end: number): boolean {
  if (codeAt(text, at) === 44) return true;
  for (let i = at; i < end; i++) if (codeAt(text, i) === 10) return true;
  return false;
}

const DIRECTIONAL = /[ \u00A0](?:[NS]\.[EW]\.|[NS][EW]|[NSEW]\.?)(?![\p{L}\p{N}])/uy;

/** "1600 Pennsylvania Avenue NW": a compass suffix after the street type. */
export function matchDirectional(text: string, at: number): number {
  // A space and N, S, E or W first: most streets go on with ", " (no regex call for those).
  const space = codeAt(text, at);
  const letter = codeAt(text, at + 1);
  if ((space !== 32 && space !== 0xa0) || !(letter === 78 || letter === 83 || letter === 69 || letter === 87)) return -1;
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
// Before a unit, also a dash: "59 Temple Place - Suite 330".
const UNIT = new RegExp(
  `(?:,?[ \\t\\u00A0]{0,2}\\r?\\n[ \\t]{0,4}|,?[ \\t\\u00A0]{1,2}|[ \\u00A0][-–][ \\u00A0])` +
    `(?:(?:${UNIT_WORDS})\\.?[ \\u00A0]?#?[ \\u00A0]?${UNIT_ID}` + // Apt 4B, Suite 3300, Ste. 200
    `|#[ \\u00A0]?[0-9]{1,5}(?:-?[A-Za-z0-9]{1,3})?` + // #12
    `|(?:[1-9][0-9]?(?:st|nd|rd|th)|${FLOOR_ORDINALS})[ \\u00A0](?:Floor|Fl\\.?|FLOOR))` + // 5th Floor, Fifth Floor
    `(?![\\p{L}\\p{N}])`,
  "uy",
);

const UNIT_OPENERS = [...UNIT_WORDS.split("|"), ...FLOOR_ORDINALS.split("|")];
/** The first three letters of the unit words and floor ordinals three letters or longer... */
const UNIT_OPENINGS: ReadonlySet<number> = new Set(
  UNIT_OPENERS.filter((w) => w.length >= 3).map((w) => key3(w.charCodeAt(0), w.charCodeAt(1), w.charCodeAt(2))),
);
/** ...and the two-letter ones ("Fl", "Rm"), as two codes. */
const SHORT_UNIT_WORDS: ReadonlySet<number> = new Set(UNIT_OPENERS.filter((w) => w.length === 2).map((w) => w.charCodeAt(0) * 65536 + w.charCodeAt(1)));
/** Longest separator UNIT allows before the unit: ",  \r\n    " (9 characters). */
const MAX_UNIT_GAP = 9;

/**
 * Where a unit can start after the street or house number at `at`: past the separator of commas,
 * spaces and line breaks (at most MAX_UNIT_GAP characters, and at least one: every separator
 * holds a space or a line break), or -1.
 */
function unitStart(text: string, at: number): number {
  let q = at;
  for (;;) {
    const code = codeAt(text, q);
    if (code !== 44 && code !== 32 && code !== 9 && code !== 0xa0 && code !== 13 && code !== 10) break;
    if (++q - at > MAX_UNIT_GAP) return -1;
  }
  return q === at ? -1 : q;
}

/**
 * What UNIT needs after its separator, checked before it runs: the unit itself starts at the
 * first character that is no comma, space or line break, and is "#", a digit, a dash (" - Suite
 * 3") or a unit word or ordinal. After most streets the city follows ("Seattle"), refused here.
 */
function mayBeUnit(text: string, at: number): boolean {
  const q = unitStart(text, at);
  if (q < 0) return false;
  const first = codeAt(text, q);
  if (first === 35 || (first >= 49 && first <= 57) || first === 45 || first === 0x2013) return true; // # 1-9 - –
  const second = codeAt(text, q + 1);
  return SHORT_UNIT_WORDS.has(first * 65536 + second) || UNIT_OPENINGS.has(key3(first, second, codeAt(text, q + 2)));
}

/** One unit after the street: "Apt 4B", ", Suite 3300", " #12", ", 5th Floor". */
export function matchUnit(text: string, at: number): number {
  if (!mayBeUnit(text, at)) return -1;
  UNIT.lastIndex = at;
  return UNIT.test(text) ? UNIT.lastIndex : -1;
}

/*
 * German units follow the house number as US ones follow the street: "Hauptstraße 5, Whg. 3",
 * "Musterweg 2, 2. OG links", "Am Markt 4, Hinterhaus", "Ring 3, Haus B, Aufgang 2". Each is a
 * unit word with its number, a numbered floor, or one of the words that name a floor or a part
 * of the building; "links"/"rechts" may follow either of the last two.
 */
const GERMAN_UNIT_WORDS =
  "Whg|Wohnung|App|Apt|Appartement|Apartment|Haus|Aufgang|Eingang|Zi|Zimmer|Raum|Top|Stiege|Etage|Stock";
const GERMAN_FLOORS = "OG|Obergeschoss|Etage|Stock|Stockwerk|UG|Untergeschoss";
const GERMAN_BUILDING_PARTS =
  "EG|Erdgeschoss|DG|Dachgeschoss|UG|Untergeschoss|Souterrain|Hochparterre|Parterre|Hinterhaus|Vorderhaus|" +
  "Seitenflügel|Gartenhaus|Hinterhof|Quergebäude";
const GERMAN_SIDE = "(?:[ \\u00A0](?:links|rechts|Mitte|li\\.|re\\.))?";
const GERMAN_UNIT = new RegExp(
  `(?:,?[ \\t\\u00A0]{0,2}\\r?\\n[ \\t]{0,4}|,?[ \\t\\u00A0]{1,2}|[ \\u00A0][-–][ \\u00A0])` +
    `(?:(?:${GERMAN_UNIT_WORDS})\\.?[ \\u00A0]?(?:[0-9]{1,4}[a-zA-Z]?|[A-Z])` + // Whg. 3, App. 12, Haus B
    `|[1-9][0-9]?\\.[ \\u00A0]?(?:${GERMAN_FLOORS})${GERMAN_SIDE}` + // 2. OG links, 3. Stock
    `|(?:${GERMAN_BUILDING_PARTS})${GERMAN_SIDE})` + // Hinterhaus, EG rechts
    `(?![\\p{L}\\p{N}])`,
  "uy",
);

/** The first letters of the German unit words and building parts, as codes. */
const GERMAN_UNIT_INITIALS: ReadonlySet<number> = new Set(
  `${GERMAN_UNIT_WORDS}|${GERMAN_BUILDING_PARTS}`.split("|").map((word) => word.charCodeAt(0)),
);

/**
 * What GERMAN_UNIT needs after its separator, checked before it runs (as mayBeUnit does for
 * UNIT): a dash (" - Whg. 3"), a floor number with its dot ("2. OG"), or the first letter of a
 * unit word or building part. After most house numbers the PLZ follows (", 10115 Berlin"),
 * refused here.
 */
function mayBeGermanUnit(text: string, at: number): boolean {
  const q = unitStart(text, at);
  if (q < 0) return false;
  const first = codeAt(text, q);
  if (first === 45 || first === 0x2013) return true; // - –
  if (first >= 49 && first <= 57) {
    const second = codeAt(text, q + 1);
    return second === 46 || (second >= 48 && second <= 57 && codeAt(text, q + 2) === 46);
  }
  return GERMAN_UNIT_INITIALS.has(first);
}

/** One German unit after the house number: ", Whg. 3", ", 2. OG", ", Hinterhaus". */
export function matchGermanUnit(text: string, at: number): number {
  if (!mayBeGermanUnit(text, at)) return -1;
  GERMAN_UNIT.lastIndex = at;
  return GERMAN_UNIT.test(text) ? GERMAN_UNIT.lastIndex : -1;
}

/** A city word: Title case (O'Fallon, Winston-Salem, München) or CAPS, optionally after St./Ft./Mt. */
const CITY_WORD = new RegExp(
  "(?:(?:St|Ft|Mt|Pt|ST|FT|MT|PT)\\.?[ \\u00A0])?" + // St. Louis, Ft. Worth
    "(?:\\p{Lu}[\\p{L}'’-]{0,28}\\p{Ll}|\\p{Lu}[\\p{Lu}'’-]{1,28})(?![\\p{L}\\p{N}])",
  "uy",
);
/**
 * The end of CITY_WORD's match at `at`, or -1. The common word, ASCII capital and lower-case
 * letters ("Seattle") before a character that cannot go on a word, is read without the
 * expression (every locality asks for one or two); anything else goes to it: other scripts,
 * capitals, "'" and "-" inside names, and "St", "Ft", "Mt", "Pt" that may open "St. Louis".
 * Exported for the test that checks it against CITY_WORD.
 */
export function cityWordEnd(text: string, at: number): number {
  const first = codeAt(text, at);
  if (first < 128 && (first < 65 || first > 90)) return -1; // no capital, no prefix: no match
  if (first < 128) {
    let end = at + 1;
    while (end - at < 31 && isLowerAscii(codeAt(text, end))) end++;
    const next = codeAt(text, end);
    const plainEnd = next < 128 && !isAsciiWordCode(next) && next !== 39 && next !== 45; // ' -
    const length = end - at;
    if (plainEnd && length >= 2 && length <= 30 && !(length === 2 && isCityPrefix(first, codeAt(text, at + 1)))) return end;
  }
  CITY_WORD.lastIndex = at;
  return CITY_WORD.test(text) ? CITY_WORD.lastIndex : -1;
}

/** "St", "Ft", "Mt", "Pt": CITY_WORD's prefixes in title case. */
function isCityPrefix(first: number, second: number): boolean {
  return second === 116 && (first === 83 || first === 70 || first === 77 || first === 80);
}

/** Between words of one city, possibly with a small lower-case word ("Newcastle upon Tyne"). */
const CITY_LINK = /[ \u00A0](?:(?:upon|on|le|la|de|du|des|am|an der|an|im|in|ob der|bei|sur|en)[ \u00A0])?/y;
const MAX_CITY_WORDS = 5;

export type LocalityKind = "state" | "state-zip" | "postcode" | "city-postcode";

export interface Locality {
  end: number;
  kind: LocalityKind;
}


/** What closes a locality: a UK postcode, or a US state with its ZIP (the ZIP may be missing
 * after a city). */
function terminal(text: string, at: number, afterCity: boolean): Locality | undefined {
  const postcode = matchUkPostcode(text, at);
  if (postcode >= 0) return { end: postcode, kind: afterCity ? "city-postcode" : "postcode" };
  const state = matchUsState(text, at);
  if (state < 0) return undefined;
  // Between state and ZIP: "MA 02110", "MA  02110" (the FSF's letterhead), "MA\n 02110",
  // "TX, 77056"; no tab before a line break.
  const gap = gapEnd(text, state, false);
  if (gap >= 0) {
    const zip = matchUsZip(text, gap);
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
    p = cityWordEnd(text, p);
    if (p < 0) return undefined;
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

/**
 * True when text[at] closes a value: the end of the text (`atEnd`: the text really ends there,
 * not just the slice), a quote, a bracket, ";" or "|" (a field or list), a line break, or a dot
 * that ends a sentence.
 */
function closesValue(text: string, at: number, atEnd: boolean): boolean {
  if (at >= text.length) return atEnd;
  switch (codeAt(text, at)) {
    case 34: case 39: case 41: case 93: case 125: case 59: case 124: case 60: case 10: case 13: case 0x201d: case 0x2019:
      return true;
    case 46: case 33: case 63: // ". ! ?" then a space, a line break or the end
      return at + 1 >= text.length ? atEnd : /[\s"')\]]/.test(text.charAt(at + 1));
    case 44: // ", thanks": a comma and a lower-case word, not the next part of an address
      return codeAt(text, at + 1) === 32 && isLowerAscii(codeAt(text, at + 2));
    case 32: // " (please ...)", " by Friday": a bracket or a small word of the sentence
      return codeAt(text, at + 1) === 40 || smallWordAt(text, at + 1);
    default:
      return false;
  }
}

const isLowerAscii = (code: number): boolean => code >= 97 && code <= 122;

function smallWordAt(text: string, at: number): boolean {
  let end = at;
  while (end < at + 9 && isLowerAscii(codeAt(text, end))) end++;
  if (end === at || end === at + 9) return false;
  const next = codeAt(text, end);
  return !(isLowerAscii(next) || (next >= 65 && next <= 90) || (next >= 48 && next <= 57)) && WORDS_AFTER_TOWN.has(text.slice(at, end));
}

/**
 * ", Cardiff" after a street, when nothing but the end of the value follows ("221 Baker Street,
 * Cardiff\n", "\"17 Westbourne Grove, Leeds\"", "51 Mill Lane, Oxford; ..."): a town without
 * a postcode. It widens the span only; a capitalised sentence after a street ("..., Tom said")
 * is never taken, as no closing mark follows its first words.
 */
export function matchClosedTown(text: string, at: number, atEnd: boolean): number {
  if (codeAt(text, at) !== 44) return -1;
  let p = at + 1;
  while (p < at + 3 && (codeAt(text, p) === 32 || codeAt(text, p) === 160)) p++;
  if (p === at + 1) return -1;
  for (let words = 0; words < 3; words++) {
    p = cityWordEnd(text, p);
    if (p < 0) return -1;
    if (closesValue(text, p, atEnd)) return p;
    CITY_LINK.lastIndex = p;
    if (!CITY_LINK.test(text)) return -1;
    p = CITY_LINK.lastIndex;
  }
  return -1;
}

/** The dot after "St", "Ave" when a field or bracket closes the value after it ("\"448 Pine
 * St.\"", "St.; the", "St. (please"), not a sentence ("12 Oak St. He is", "12 Oak St." at the
 * end of the text or of a line). */
export function abbreviationDotCloses(text: string, dot: number, atEnd: boolean): boolean {
  const next = dot + 1;
  if (next >= text.length) return false;
  const code = codeAt(text, next);
  if (code === 32 || code === 9) return codeAt(text, next + 1) === 40; // "St. (please keep ..."
  // A line break after the dot ends a sentence as often as an address line: the dot stays out.
  if (code === 10 || code === 13 || code === 46) return false;
  return code === 44 || closesValue(text, next, atEnd);
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
  const code = codeAt(text, plz);
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

/** The first letters of COUNTRIES. */
const COUNTRY_INITIALS: ReadonlySet<number> = new Set([..."UGESWND"].map((c) => c.charCodeAt(0)));

/**
 * What COUNTRY needs, checked before it runs: at most three characters of comma, spaces and
 * line break, then a country's first letter. After most postcodes a line or a sentence goes on.
 */
function mayBeCountry(text: string, at: number): boolean {
  let q = at;
  for (;;) {
    const code = codeAt(text, q);
    if (code !== 44 && code !== 32 && code !== 9 && code !== 0xa0 && code !== 13 && code !== 10) break;
    if (++q - at > 3) return false;
  }
  return q > at && COUNTRY_INITIALS.has(codeAt(text, q));
}

/** ", USA", ", United Kingdom", ", Deutschland" after a postcode. */
export function matchCountry(text: string, at: number): number {
  if (!mayBeCountry(text, at)) return -1;
  COUNTRY.lastIndex = at;
  return COUNTRY.test(text) ? COUNTRY.lastIndex : -1;
}
