/**
 * Word lists for street addresses (US, UK, DE). Data only; the parsers live in the other
 * address-*.ts files.
 */

/**
 * How much a street type says on its own. "Avenue" after a number and a name is almost always an
 * address; "Way" or "Court" also ends common phrases ("the same way", "supreme court"); "Loop" or
 * "Point" more often does than not, so those need a context word or a city to pass.
 */
export type StreetTypeStrength = "strong" | "medium" | "rare";

export interface StreetType {
  readonly strength: StreetTypeStrength;
  /** Written abbreviated ("St", "Ave"): a following dot belongs to it when the address goes on. */
  readonly abbreviation: boolean;
  /** A street with no name words before it ("1585 Broadway"). */
  readonly standalone: boolean;
}

const STRONG = [
  "Street", "Avenue", "Boulevard", "Road", "Lane", "Drive", "Terrace", "Crescent", "Parkway",
  "Highway", "Mews", "Expressway", "Freeway", "Turnpike",
];
const STRONG_ABBREVIATIONS = [
  "St", "Ave", "Blvd", "Rd", "Ln", "Dr", "Ter", "Terr", "Cres", "Pkwy", "Hwy", "Expy", "Fwy",
  "Tpke", "Gdns", "Ct", "Pl", "Sq", "Cir", "Trl", "Plz",
];
const MEDIUM = [
  "Way", "Place", "Square", "Court", "Close", "Walk", "Hill", "Row", "Circle", "Trail", "Plaza",
  "Alley", "Grove", "Gardens", "Green", "Parade", "Crossing",
];
const RARE = [
  "Loop", "Run", "Path", "Point", "Pike", "Pass", "Ridge", "Landing", "Cove", "Glen", "Heights",
  "Vale", "Rise", "Chase", "Wharf", "Quay", "Park", "Esplanade", "Embankment", "Approach",
];
// Streets named by one word, the type and the name at once: "1585 Broadway", "70 Kingsway".
// Listed rather than read from the shape ("-way"): the anchor then stays one scan of literal
// words, and the common words of that shape (Railway, Gateway, Subway, Norway) are no streets.
const STANDALONE = [
  "Broadway", "Kingsway", "Queensway", "Ridgeway", "Greenway", "Northway", "Southway", "Eastway", "Westway",
  "Causeway", "Fairway", "Crossway",
];

function buildStreetTypes(): Map<string, StreetType> {
  const map = new Map<string, StreetType>();
  const add = (words: readonly string[], type: StreetType): void => {
    for (const word of words) {
      map.set(word, type);
      map.set(word.toUpperCase(), type); // "1600 PENNSYLVANIA AVE NW" on labels and forms
    }
  };
  add(STRONG, { strength: "strong", abbreviation: false, standalone: false });
  add(STRONG_ABBREVIATIONS, { strength: "strong", abbreviation: true, standalone: false });
  add(MEDIUM, { strength: "medium", abbreviation: false, standalone: false });
  add(RARE, { strength: "rare", abbreviation: false, standalone: false });
  add(STANDALONE, { strength: "strong", abbreviation: false, standalone: true });
  return map;
}

/** Street types keyed by their exact spelling (Title case and CAPS). */
export const STREET_TYPES: ReadonlyMap<string, StreetType> = buildStreetTypes();

/** How much a street type outranks another when one follows the other ("Ridge Road"). */
export function streetTypeRank(type: StreetType): number {
  if (type.standalone) return 0;
  return type.strength === "rare" ? 1 : type.strength === "medium" ? 2 : 3;
}

/**
 * Lower-case words that may follow an address in running text ("ship it to 78 Kingsway by
 * Friday", "Unter den Linden 154 by Jan 4"): English words that are not German ones, so a
 * German verb after a number ("Am Standort 3 arbeiten") still tells a phrase from a street.
 */
export const WORDS_AFTER_ADDRESS: ReadonlySet<string> = new Set(
  "by and or to for from with if before until thanks thank thx please pls asap is at on near the then but".split(" "),
);

/**
 * The few of those that may follow a town closing an address ("..., Leeds thx", "..., York by
 * Friday"); not "is", "and", "the": "5 Elm Street, Springfield is far" names no town.
 */
export const WORDS_AFTER_TOWN: ReadonlySet<string> = new Set("by if before until thanks thx please pls asap".split(" "));

/**
 * The name word just before some street types turns the phrase into something else:
 * "1 Hard Drive", "3 Event Loop", "2 Supreme Court", "the 3 Same Way".
 */
export const NOT_A_STREET_BEFORE: ReadonlyMap<string, ReadonlySet<string>> = new Map(
  Object.entries({
    drive:
      "hard flash external internal test disk network shared thumb tape optical cloud boot system backup " +
      "storage floppy pen jump memory solid",
    way: "right wrong same best easy other only long fast simple milky hard",
    place: "first second third last safe right wrong",
    court: "supreme high federal district food tennis basketball crown county appeals",
    loop: "event game render feedback main inner outer control",
    run: "test dry home trial practice production batch training first second final",
    path: "file critical career learning upgrade code import search class",
    point: "data power entry access mount check break focal starting end match decimal floating single",
    park: "car national theme amusement water",
    row: "front back header data table first last",
    walk: "random moon",
    trail: "paper audit",
    crossing: "animal border zebra pedestrian",
    lane: "fast slow memory bike bus express",
    road: "silk open long rocky",
    circle: "full inner unit",
    green: "dark light bright lime forest",
  }).map(([type, words]) => [type, new Set(words.split(" "))]),
);

/**
 * Words that never stand inside a street name; title-case prose ("5 Things About Baker Street")
 * and headlines would otherwise read as one. Compared in lower case. "The" is handled apart: it
 * may open a UK street name ("5 The Green").
 */
export const NOT_IN_STREET_NAME: ReadonlySet<string> = new Set(
  (
    "a an and or nor of for from with about into onto to in on at by as is are was were be been will would " +
    "can could should shall may might must do does did has have had my your our their his her its this " +
    "that these those why how what when where who whom which not but if then than so things ways reasons " +
    "tips top best steps minutes hours days weeks months years people i we you they he she it"
  ).split(" "),
);

/**
 * A number right after one of these words counts something other than houses: "Chapter 12
 * Main Street", "Version 2 Street Fighter", "page 5 Park Lane". Compared in lower case.
 */
export const COUNTING_WORDS: ReadonlySet<string> = new Set(
  (
    "chapter chap page pages p pp version ver v step part section sec figure fig table item items " +
    "episode ep season level lvl vol volume top route rt gate platform line number rule lesson day week " +
    "year grade class size channel ch track disc book act scene verse exhibit appendix article art clause " +
    "paragraph para bus flight game round stage phase sprint release build issue ticket order invoice case " +
    "room floor row seat tier team group slide minute minutes hour hours x plus minus times " +
    "jan january feb february mar march apr april may jun june jul july aug august sep sept september oct " +
    "october nov november dec december kapitel seite"
  ).split(" "),
);

/** USPS state and territory codes, including the military "states" AA, AE and AP. */
export const US_STATE_CODES: ReadonlySet<string> = new Set(
  (
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY " +
    "NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR VI GU AS MP AA AE AP"
  ).split(" "),
);

/** State names written out ("Springfield, Illinois 62704"). */
export const US_STATE_NAMES: readonly string[] = [
  "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut", "Delaware",
  "District of Columbia", "Florida", "Georgia", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa",
  "Kansas", "Kentucky", "Louisiana", "Maine", "Maryland", "Massachusetts", "Michigan", "Minnesota",
  "Mississippi", "Missouri", "Montana", "Nebraska", "Nevada", "New Hampshire", "New Jersey",
  "New Mexico", "New York", "North Carolina", "North Dakota", "Ohio", "Oklahoma", "Oregon",
  "Pennsylvania", "Rhode Island", "South Carolina", "South Dakota", "Tennessee", "Texas", "Utah",
  "Vermont", "Virginia", "Washington", "West Virginia", "Wisconsin", "Wyoming", "Puerto Rico",
];

/**
 * UK postcode areas (the letters of the outward code). Every real postcode starts with one of
 * these; BF and BX are the non-geographic (forces and bulk mail) areas.
 */
export const UK_POSTCODE_AREAS: ReadonlySet<string> = new Set(
  (
    "AB AL B BA BB BD BF BH BL BN BR BS BT BX CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT DY " +
    "E EC EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L LA LD LE LL LN " +
    "LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK SL SM SN SO SP " +
    "SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE"
  ).split(" "),
);

/**
 * Central London districts split by a trailing letter (SW1A, EC1M, W1T): the only places a
 * letter follows the district digit.
 */
export const UK_LETTERED_DISTRICTS: ReadonlySet<string> = new Set(
  "E1 N1 W1 EC1 EC2 EC3 EC4 WC1 WC2 SW1 NW1 SE1".split(" "),
);

/** German house-number suffixes that, before a number, make it a street (case-insensitive). */
export const GERMAN_STREET_SUFFIXES: readonly string[] = [
  "straße", "strasse", "str.", "weg", "platz", "allee", "gasse", "ring", "damm", "ufer", "chaussee",
  "steig", "pfad",
];

/**
 * "-ring" ends many English words (Spring, String, During, Offering) and German street names
 * alike, so a street found only by it needs a postcode or a context word; and English gerunds
 * (a vowel before "ring": During, Offering, Monitoring) and these words are not streets at all.
 */
export const WEAK_GERMAN_SUFFIXES: ReadonlySet<string> = new Set(["ring"]);
export const ENGLISH_RING_WORDS: ReadonlySet<string> = new Set("spring string bring wring".split(" "));

/**
 * Words with a street ending that name something else: Latin-looking abbreviations ending in
 * "str.", and German nouns counted with a number ("Parkplatz 12", "Bahnsteig 5", "Arbeitsplatz
 * 3", "Fertigungsstraße 2"). Lower case.
 */
export const NOT_GERMAN_STREETS: ReadonlySet<string> = new Set(
  (
    "instr. constr. abstr. distr. registr. demonstr. illustr. ministr. adminstr. " +
    "arbeitsplatz parkplatz stellplatz sitzplatz steckplatz speicherplatz tabellenplatz listenplatz " +
    "startplatz abstellplatz ladeplatz liegeplatz campingplatz stehplatz " +
    "bahnsteig flugsteig einstieg " +
    "rückweg heimweg ausweg umweg lösungsweg rechtsweg dienstweg zahlungsweg fluchtweg lieferweg " +
    "lernpfad dateipfad suchpfad " +
    "fertigungsstraße waschstraße montagestraße produktionsstraße fertigungsstrasse waschstrasse"
  ).split(" "),
);

/**
 * German prepositions that open street names without a suffix ("Am Markt 3", "Unter den
 * Linden 77"). Longest first for the anchor alternation.
 */
export const GERMAN_STREET_PREFIXES: readonly string[] = [
  "Hinter dem", "Hinter der", "Hinter den", "Unter den", "Unter der", "Unter dem", "Neben der",
  "Neben dem", "Auf dem", "Auf der", "Auf den", "Vor dem", "Vor der", "An der", "An den", "An dem",
  "In der", "In den", "Beim", "Zum", "Zur", "Am", "Im",
];

/**
 * After "Am"/"Im"/"Zum", these nouns make a phrase of time, order or place in a text, not a
 * street: "Im Jahr 2024", "Am Montag 3 Termine", "Zum Beispiel 5", "Im Raum 204". Lower case.
 */
export const GERMAN_PREFIX_NOT_A_STREET: ReadonlySet<string> = new Set(
  (
    "jahr jahre jahren ende anfang beispiel montag dienstag mittwoch donnerstag freitag samstag sonntag " +
    "januar februar märz april mai juni juli august september oktober november dezember tag abend morgen " +
    "mittag wochenende moment schluss kapitel abschnitt schritt teil punkt bereich fall rahmen vergleich " +
    "durchschnitt grunde allgemeinen jahrgang level test raum zimmer stock erdgeschoss obergeschoss seite " +
    "zeile version artikel absatz paragraph folgenden laufe zeitraum monat quartal jahrhundert alter " +
    "minute stunde sekunde prozent tabelle anhang ziel spiel finale halbfinale team schnitt lager werk " +
    "kilometer preis gesamt ganzen wert maximum minimum mittel einsatz betrieb zeitpunkt verlauf " +
    "ergebnis gebäude saal gleis bahnsteig"
  ).split(" "),
);

/**
 * German adjectives before a street word that are articles or pronouns, not part of the name
 * ("Die Hauptstraße 5 ist gesperrt" names "Hauptstraße 5"). Lower case.
 */
export const GERMAN_NOT_STREET_ADJECTIVES: ReadonlySet<string> = new Set(
  (
    "die der den dem des eine einer einen einem eines bitte sie ihre ihrer unsere unserer meine meiner " +
    "seine seiner jede jeder jeden diese dieser diesen welche welcher aber oder wieder immer über unter " +
    "hinter neben vor nach alle beide keine keiner"
  ).split(" "),
);

/** Words after a German house number that make it a quantity: "Jakobsweg 5 km", "Ring 3 Uhr". */
export const GERMAN_QUANTITY_UNITS: ReadonlySet<string> = new Set(
  (
    "km m cm mm min h s uhr minuten stunden sekunden meter euro eur € % prozent jahre jahren tage tagen " +
    "mal x stück kg g l ml gb mb tb zeichen seiten punkte personen leute mitarbeiter"
  ).split(" "),
);
