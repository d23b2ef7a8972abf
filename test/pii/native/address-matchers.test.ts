import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  COUNTING_WORDS,
  ENGLISH_RING_WORDS,
  GERMAN_NOT_STREET_ADJECTIVES,
  GERMAN_PREFIX_NOT_A_STREET,
  GERMAN_QUANTITY_UNITS,
  GERMAN_STREET_PREFIXES,
  GERMAN_STREET_SUFFIXES,
  NOT_A_STREET_BEFORE,
  NOT_GERMAN_STREETS,
  NOT_IN_STREET_NAME,
  STREET_TYPES,
  UK_LETTERED_DISTRICTS,
  UK_POSTCODE_AREAS,
  US_STATE_CODES,
  US_STATE_NAMES,
  WEAK_GERMAN_SUFFIXES,
  WORDS_AFTER_ADDRESS,
  WORDS_AFTER_TOWN,
} from "../../../src/pii/recognizers/address-lexicon.js";
import { matchGermanPlz, matchUkPostcode, matchUsState, matchUsZip } from "../../../src/pii/recognizers/address-postcode.js";
import {
  abbreviationDotCloses,
  cityWordEnd,
  gapEnd,
  matchClosedTown,
  matchCountry,
  matchDirectional,
  matchGermanLocality,
  matchGermanUnit,
  matchLocality,
  matchUnit,
} from "../../../src/pii/recognizers/address-tail.js";
import { SCANNED_PLANES } from "../../../src/pii/native-config/address-lexicon.js";
import { readFileSync } from "node:fs";
import { corpusSlices, corpusTexts, kernelSwitchedOff, mixedText, requireKernel } from "./differential.js";

/*
 * The address matchers (native/pii/src/recognizers/address_{lexicon,postcode,tail}.rs) against
 * their TypeScript twins, at every offset of every text: the kernel answers all offsets of a text
 * in one call (lib.rs addressMatch), the TypeScript matchers are called offset by offset.
 */

const LOCALITY_KINDS = ["state", "state-zip", "postcode", "city-postcode"];

/** The matchers by addressMatch's `which`, each as the TypeScript answer at one offset. */
const MATCHERS: readonly [name: string, reference: (text: string, at: number) => number][] = [
  ["matchUkPostcode", matchUkPostcode],
  ["matchUsZip", matchUsZip],
  ["matchUsState", matchUsState],
  ["matchGermanPlz", matchGermanPlz],
  ["gapEnd(tabs)", (t, at) => gapEnd(t, at, true)],
  ["gapEnd(no tabs)", (t, at) => gapEnd(t, at, false)],
  ["matchDirectional", matchDirectional],
  ["matchUnit", matchUnit],
  ["matchGermanUnit", matchGermanUnit],
  ["cityWordEnd", cityWordEnd],
  [
    "matchLocality",
    (t, at) => {
      const l = matchLocality(t, at);
      return l === undefined ? -1 : l.end * 4 + LOCALITY_KINDS.indexOf(l.kind);
    },
  ],
  ["matchClosedTown(atEnd)", (t, at) => matchClosedTown(t, at, true)],
  ["matchClosedTown", (t, at) => matchClosedTown(t, at, false)],
  ["abbreviationDotCloses(atEnd)", (t, at) => (abbreviationDotCloses(t, at, true) ? 1 : 0)],
  ["abbreviationDotCloses", (t, at) => (abbreviationDotCloses(t, at, false) ? 1 : 0)],
  ["matchGermanLocality", matchGermanLocality],
  ["matchCountry", matchCountry],
];

interface AddressKernel {
  addressMatch(which: number, text: string, out: Float64Array): number;
}

let out = new Float64Array(1 << 16);

function nativeAnswers(which: number, text: string): number[] {
  const kernel = requireKernel() as unknown as AddressKernel;
  if (out.length < text.length + 2) out = new Float64Array(2 * text.length + 2);
  const n = kernel.addressMatch(which, text, out);
  return Array.from(out.subarray(0, n));
}

/** The first offset where matcher `which` disagrees on `text`, described; undefined if none. */
function disagreement(which: number, text: string): string | undefined {
  const [name, reference] = MATCHERS[which]!;
  const native = nativeAnswers(which, text);
  if (native.length !== text.length + 2) return `${name}: ${native.length} answers for ${text.length + 2} offsets`;
  for (let at = 0; at <= text.length + 1; at++) {
    const expected = reference(text, at);
    if (native[at] !== expected) {
      return `${name} at ${at} of ${JSON.stringify(text.slice(Math.max(0, at - 20), at + 60))}: native ${native[at]}, TypeScript ${expected}`;
    }
  }
  return undefined;
}

function assertAllAgree(text: string): void {
  for (let which = 0; which < MATCHERS.length; which++) {
    const found = disagreement(which, text);
    assert.equal(found, undefined, found);
  }
}

// ---- generators built from the lexicon ----

const cased = (words: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc.tuple(words, fc.constantFrom(0, 0, 0, 1, 2, 3)).map(([w, k]) =>
    k === 0 ? w : k === 1 ? w.toUpperCase() : k === 2 ? w.toLowerCase() : w.charAt(0).toUpperCase() + w.slice(1).toLowerCase(),
  );
const upper = fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZ");
const digit = fc.constantFrom(..."0123456789");
const digits = (n: number) => fc.array(digit, { minLength: n, maxLength: n }).map((d) => d.join(""));

const ukPostcode = fc.oneof(
  fc
    .tuple(
      fc.constantFrom(...UK_POSTCODE_AREAS, "QQ", "Z", "X"),
      digit,
      fc.constantFrom("", "", "A", "B", "C", "E", "H", "M", "P", "W", "X", "Y", "0", "9"),
      fc.constantFrom(" ", "", "  ", "\u00a0"),
      digit,
      upper,
      upper,
    )
    .map((p) => p.join("")),
  fc.constantFrom("GIR 0AA", "GIR0AA", "GIR 0AB", "SW1A 2AA", "W1T 1JY", "EC1M 7AD", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT"),
  fc.constantFrom(...UK_LETTERED_DISTRICTS).chain((d) => fc.tuple(upper, digit, upper, upper).map(([l, a, b, c]) => `${d}${l} ${a}${b}${c}`)),
);
const zip = fc.oneof(
  digits(5),
  fc.tuple(digits(5), digits(4)).map(([a, b]) => `${a}-${b}`),
  fc.constantFrom("00000", "00501", "02110", "62704-1234", "123456", "1234"),
);
const plz = fc.tuple(fc.constantFrom("", "", "D-", "DE-", "D", "DE"), fc.oneof(digits(5), fc.constantFrom("00123", "01067", "99998", "10115"))).map(([a, b]) => a + b);
const stateName = cased(fc.constantFrom(...US_STATE_NAMES));
const stateCode = fc.constantFrom(...US_STATE_CODES, "D.C.", "DC", "XX", "Il", "D.C");
const streetType = fc.constantFrom(...STREET_TYPES.keys());
const unitWord = cased(
  fc.constantFrom(
    "Apartment", "Apt", "Apt.", "Suite", "Ste", "Ste.", "Unit", "Floor", "Fl", "Fl.", "Room", "Rm", "Building", "Bldg", "Dept", "Lot",
    "Flat", "First", "Second", "Fifth", "Twelfth", "Ground", "Top", "5th", "21st", "2nd", "3rd", "#", "# ", "4B", "B-2", "12-A", "A",
    "AB-1234", "123456", "Flo", "Ap", "Stop",
  ),
);
const germanUnit = fc.constantFrom(
  "Whg", "Whg.", "Wohnung", "App", "App.", "Apt", "Appartement", "Apartment", "Haus", "Aufgang", "Eingang", "Zi", "Zi.", "Zimmer", "Raum",
  "Top", "Stiege", "Etage", "Stock", "OG", "Obergeschoss", "Stockwerk", "UG", "Untergeschoss", "EG", "Erdgeschoss", "DG", "Dachgeschoss",
  "Souterrain", "Hochparterre", "Parterre", "Hinterhaus", "Vorderhaus", "Seitenflügel", "Gartenhaus", "Hinterhof", "Quergebäude",
  "links", "rechts", "Mitte", "li.", "re.", "2.", "12.", "3a", "B",
);
const cityWord = fc.constantFrom(
  "Springfield", "London", "Seattle", "O'Fallon", "Winston-Salem", "München", "Düsseldorf", "ST", "St", "St.", "Ft.", "Mt", "Pt.", "Louis",
  "NEW", "YORK", "Newcastle", "upon", "Tyne", "on", "le", "la", "de", "du", "des", "am", "an der", "an", "im", "in", "ob der", "bei", "sur",
  "en", "vor der", "auf", "unter", "Bad", "Sankt", "Frankfurt", "Main", "Halle", "(Saale)", "i.", "Br.", "Bay.", "Opf.", "Ob.", "Freiburg",
  "Didsbury", "Manchester", "Leeds", "Cardiff", "Ab", "A", "McDonald", "L'Île", "Ørsted", "Łódź", "İzmir", "Σίφνος", "ΑΘΗΝΑ", "Москва",
  "\u{10400}\u{10428}", "\u{1d400}\u{1d41a}", "\u{1d400}", "X\u{1d41a}", "A\u{10428}b",
);
const country = cased(
  fc.constantFrom(
    "USA", "U.S.A.", "United States", "United States of America", "UNITED STATES", "UK", "U.K.", "United Kingdom", "UNITED KINGDOM",
    "Great Britain", "England", "Scotland", "Wales", "Northern Ireland", "Germany", "GERMANY", "Deutschland", "DEUTSCHLAND", "Utah",
  ),
);
const directional = fc.constantFrom("N", "S", "E", "W", "NW", "SE", "NE", "SW", "N.", "N.E.", "S.W.", "N.X", "North", "NWX", "E.");
const smallWord = fc.constantFrom(...WORDS_AFTER_TOWN, ...WORDS_AFTER_ADDRESS, "the", "said", "Tom");
const separatorPiece = fc.constantFrom(
  ",", ", ", " ", "  ", "   ", "\t", "\u00a0", "\n", "\r\n", "\r", ",\n", ", \n  ", " - ", " – ", "-", "–", "(", ")", ".", ". ", "'", "’",
  "\"", "”", ";", "|", "<", "]", "}", "!", "?", ",  \r\n    ", "\u2028", "\u3000", "\ufeff", "\u000b",
);
const oddChar = fc.constantFrom(
  "é", "ß", "Ö", "ü", "İ", "K", "\u0663", "\u00bd", "\u{1d400}", "\u{1d41a}", "\u{10400}", "\u{10428}", "\u{1f600}", "\ud835", "\udc00",
  "\u{20000}", "\u{1e900}", "\u{1e922}", "_", "0", "9", "x",
);

const maybe = (a: fc.Arbitrary<string>): fc.Arbitrary<string> => fc.oneof(fc.constant(""), a);
const sep = fc.constantFrom(", ", " ", ",\n", "\n", ",  ", " - ", " – ", "\u00a0", "\t", ",", "");
const side = fc.constantFrom(" links", " rechts", " Mitte", " li.", " re.", " re", " li", "\u00a0links", " Links", "");
const germanCityWords = fc.constantFrom("Berlin", "München", "Frankfurt", "Halle", "Freiburg", "Homburg", "Ab", "X", "Main", "Oder", "Saale", "BERLIN", "Bad", "Sankt", "St.");
/** Whole phrases of the shapes the matchers read, with parts dropped, doubled or mistyped. */
const phrase = fc.oneof(
  fc.tuple(sep, unitWord, maybe(fc.constantFrom(".", " ", "#", " #", "# ", " # ")), fc.constantFrom("4B", "3300", "12-A", "A", "AB", "B-2", "A-1234", "123456", "1-ABCD", "x")).map((p) => p.join("")),
  fc.tuple(sep, germanUnit, maybe(fc.constantFrom(".", " ", ". ")), fc.constantFrom("3", "12a", "1234b", "B", "12345", "a", ""), side).map((p) => p.join("")),
  fc.tuple(sep, fc.constantFrom("2", "12", "0", "123"), fc.constantFrom(".", ". ", ".\u00a0", ""), fc.constantFrom("OG", "Obergeschoss", "Etage", "Stock", "Stockwerk", "UG", "Untergeschoss", "EG", "og"), side).map((p) => p.join("")),
  fc.tuple(sep, fc.constantFrom("5", "21", "2", "3", "10", "0"), fc.constantFrom("st", "nd", "rd", "th", "ST", ""), fc.constantFrom(" ", "\u00a0", ""), fc.constantFrom("Floor", "Fl", "Fl.", "FLOOR", "floor")).map((p) => p.join("")),
  fc.tuple(sep, fc.array(fc.tuple(cityWord, fc.constantFrom(" ", ", ", "\n", " upon ", " an der ", " ")), { maxLength: 4 }), fc.oneof(stateCode, stateName, ukPostcode), maybe(fc.tuple(fc.constantFrom(" ", "  ", ", ", "\n ", "\t", ",\n"), zip).map((p) => p.join("")))).map(([a, cities, b, c]) => a + cities.map((x) => x.join("")).join("") + b + c),
  fc.tuple(sep, plz, fc.constantFrom(" ", "\u00a0", "  ", ""), fc.array(germanCityWords, { minLength: 1, maxLength: 3 }).map((w) => w.join(" ")), maybe(fc.constantFrom(" am Main", " an der Oder", " an Main", " vor der Höhe", " auf Rügen", " unter Teck", " bei Berlin", " im Allgäu", " in Holstein", " ob der Tauber", " vor X", " (Saale)", " i. Br.", " i.Br.", " i. Bay.", " ob der Tauber", " (x)"))).map((p) => p.join("")),
  fc.tuple(fc.constantFrom(",", ", ", ",  "), fc.array(cityWord, { minLength: 1, maxLength: 3 }).map((w) => w.join(" ")), fc.constantFrom("", "\n", "\"", ";", ". ", ".", "!", "?x", ", thanks", " (please", " by Friday", " is far", ", Tom", "’", ".\"")).map((p) => p.join("")),
  fc.tuple(fc.constantFrom("St", "Ave", "Rd"), fc.constantFrom(".", ""), fc.constantFrom("\"", "; the", " (please", " He", "\n", ".", ",", "", " \t(", "\t(", ")", "|")).map((p) => p.join("")),
  fc.tuple(sep, country, fc.constantFrom("", " ", "x", "1", "\u{1d400}", ".")).map((p) => p.join("")),
  fc.tuple(fc.constantFrom(" ", "\u00a0"), directional, fc.constantFrom("", " ", ",", "x", "1", ".")).map((p) => p.join("")),
);

/** Text made of the pieces the matchers read, with separators between some. */
const addressText = fc
  .array(
    fc.oneof(
      { weight: 6, arbitrary: phrase },
      { weight: 3, arbitrary: ukPostcode },
      { weight: 2, arbitrary: zip },
      { weight: 2, arbitrary: plz },
      { weight: 2, arbitrary: stateName },
      { weight: 2, arbitrary: stateCode },
      { weight: 1, arbitrary: streetType },
      { weight: 3, arbitrary: unitWord },
      { weight: 3, arbitrary: germanUnit },
      { weight: 4, arbitrary: cityWord },
      { weight: 2, arbitrary: country },
      { weight: 2, arbitrary: directional },
      { weight: 1, arbitrary: smallWord },
      { weight: 8, arbitrary: separatorPiece },
      { weight: 2, arbitrary: oddChar },
    ),
    { maxLength: 14 },
  )
  .map((parts) => parts.join(""));

const EXTRA = [
  ", Springfield, IL 62704", ", London SW1A 2AA", ", Didsbury, Manchester M1 1AE", " Apt 4B", ", Suite 3300", " #12", ", 5th Floor",
  ", Whg. 3", ", 2. OG links", ", Hinterhaus", ", 10117 Berlin", " 80331 München", ", Frankfurt am Main", ", USA", ", Deutschland",
  ", Washington, DC 20500", " NW", ", Cardiff\n", "\"17 Westbourne Grove, Leeds\"", "St.; the", "St. (please", ", New York, NY 10118",
];

if (!kernelSwitchedOff) {
  test("address matchers: the same answers at every offset of the benchmark corpus", () => {
    for (const text of corpusTexts()) assertAllAgree(text);
  });

  for (const [name, texts] of [
    ["lexicon pieces", addressText],
    ["mixed text", mixedText(EXTRA)],
  ] as const) {
    test(`address matchers: the same answers at every offset of random ${name}`, () => {
      fc.assert(fc.property(texts, (text) => assertAllAgree(text)), { numRuns: 3000 });
    });
  }

  test("address matchers: the same answers at every offset of corpus slices", () => {
    fc.assert(fc.property(corpusSlices(corpusTexts(256 * 1024)), (text) => assertAllAgree(text)), { numRuns: 3000 });
  });

  test("address matchers: arbitrary strings (any code unit, lone surrogates) crash nothing and agree", () => {
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 40 }), (text) => assertAllAgree(text)), { numRuns: 3000 });
    const unit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
    fc.assert(fc.property(fc.string({ unit, maxLength: 40 }), (text) => assertAllAgree(text)), { numRuns: 3000 });
    // Every BMP code unit once, after and before the pieces the expressions look at.
    for (let code = 0; code <= 0xffff; code += 64) {
      let text = "";
      for (let c = code; c < code + 64; c++) text += `Apt 4${String.fromCharCode(c)} Leeds, ${String.fromCharCode(c)}Ab, IL 62704${String.fromCharCode(c)}`;
      assertAllAgree(text);
    }
  });

  test("address matchers: known answers from the TypeScript tests", () => {
    for (const text of [
      ", Seattle", ",\r\n    Boston", "   x", ",x", "\tx", " NW, Washington", "221B Baker Street, London NW1 6XE",
      "350 Fifth Ave, Suite 3300, New York, NY 10118", "PO Box 1234, Springfield, IL 62704", "Hauptstraße 5, Whg. 3, 10115 Berlin",
      "Musterweg 2, 2. OG links", "Am Markt 4, Hinterhaus", "Ring 3, Haus B, Aufgang 2", "59 Temple Place - Suite 330, Boston, MA  02111-1307, USA",
      "1600 Pennsylvania Avenue NW, Washington, DC 20500", "10 Downing St, London SW1A 2AA, United Kingdom", "Freiburg i. Br.", ", 79098 Freiburg i. Br.",
      ", 06108 Halle (Saale)", ", 60311 Frankfurt am Main, Germany", "448 Pine St.\"", "12 Oak St. He is", "51 Mill Lane, Oxford; then",
      ", York by Friday", ", Leeds thx", ", Springfield is far", "Newcastle upon Tyne NE1 4ST", ", St. Louis, MO 63101", ", GIR 0AA", "GIR0AA",
    ]) {
      assertAllAgree(text);
    }
  });

  test("address matchers: every string in the TypeScript address tests, alone and after each other", () => {
    const samples = addressTestStrings();
    assert.ok(samples.length > 300, `${samples.length} samples`);
    for (const sample of samples) assertAllAgree(sample);
    for (let k = 0; k + 1 < samples.length; k++) assertAllAgree(`${samples[k]}, ${samples[k + 1]}`);
  });

  const SETS: readonly (readonly [name: string, words: Iterable<string>])[] = [
    ["words-after-address", WORDS_AFTER_ADDRESS],
    ["words-after-town", WORDS_AFTER_TOWN],
    ["not-in-street-name", NOT_IN_STREET_NAME],
    ["counting-words", COUNTING_WORDS],
    ["us-state-codes", US_STATE_CODES],
    ["us-state-names", US_STATE_NAMES],
    ["uk-postcode-areas", UK_POSTCODE_AREAS],
    ["uk-lettered-districts", UK_LETTERED_DISTRICTS],
    ["german-street-suffixes", GERMAN_STREET_SUFFIXES],
    ["weak-german-suffixes", WEAK_GERMAN_SUFFIXES],
    ["english-ring-words", ENGLISH_RING_WORDS],
    ["not-german-streets", NOT_GERMAN_STREETS],
    ["german-street-prefixes", GERMAN_STREET_PREFIXES],
    ["german-prefix-not-a-street", GERMAN_PREFIX_NOT_A_STREET],
    ["german-not-street-adjectives", GERMAN_NOT_STREET_ADJECTIVES],
    ["german-quantity-units", GERMAN_QUANTITY_UNITS],
  ];

  test("address lexicon: membership, as written and lower-cased, as the TypeScript sets answer", () => {
    const kernel = requireKernel() as unknown as AddressKernel;
    const answer = new Float64Array(2);
    const all = SETS.flatMap(([, words]) => [...words]);
    const variants = (w: string) => [w, w.toUpperCase(), w.toLowerCase(), w.charAt(0).toUpperCase() + w.slice(1), w.replace(/k/g, "\u212a"), w.replace(/ß/g, "\u1e9e"), `${w}x`, w.slice(1)];
    SETS.forEach(([name, words], k) => {
      const set = new Set(words);
      const check = (w: string) => {
        kernel.addressMatch(100 + k, w, answer);
        assert.deepEqual([answer[0], answer[1]], [set.has(w) ? 1 : 0, set.has(w.toLowerCase()) ? 1 : 0], `${name} ${JSON.stringify(w)}`);
      };
      for (const w of all) for (const v of variants(w)) check(v);
      fc.assert(fc.property(fc.oneof(fc.string({ unit: "binary", maxLength: 8 }), cased(fc.constantFrom(...all))), check), { numRuns: 500 });
    });
  });

  test("address lexicon: street types and NOT_A_STREET_BEFORE keys as spelled", () => {
    const kernel = requireKernel() as unknown as AddressKernel;
    const answer = new Float64Array(1);
    const words = [...STREET_TYPES.keys(), ...[...STREET_TYPES.keys()].map((w) => w.toLowerCase()), ...NOT_A_STREET_BEFORE.keys(), "Streets", "STreet"];
    for (const w of words) {
      kernel.addressMatch(300, w, answer);
      const t = STREET_TYPES.get(w);
      const expected = t === undefined ? 0 : ({ strong: 1, medium: 2, rare: 3 } as const)[t.strength] + (t.abbreviation ? 4 : 0) + (t.standalone ? 8 : 0);
      assert.equal(answer[0], expected, w);
    }
  });

  test("address lexicon: NOT_A_STREET_BEFORE, as written and lower-cased", () => {
    const kernel = requireKernel() as unknown as AddressKernel;
    const answer = new Float64Array(3);
    const words = [...NOT_A_STREET_BEFORE.values()].flatMap((set) => [...set]);
    for (const type of [...NOT_A_STREET_BEFORE.keys(), "Drive", "street", "x"]) {
      const set = NOT_A_STREET_BEFORE.get(type);
      for (const w of [...words, ...words.map((x) => x.toUpperCase()), "", "Hard", "HARD", "hardx"]) {
        kernel.addressMatch(301, `${type}|${w}`, answer);
        const expected = set === undefined ? [0, 0, 0] : [1, set.has(w) ? 1 : 0, set.has(w.toLowerCase()) ? 1 : 0];
        assert.deepEqual(Array.from(answer), expected, `${type} ${w}`);
      }
    }
  });

  test("address lexicon: to_lower_into is toLowerCase (but for the final sigma)", () => {
    const check = (text: string) => {
      const native = String.fromCharCode(...nativeAnswers(200, text));
      const expected = text.toLowerCase();
      assert.equal(native.length, expected.length, JSON.stringify(text));
      for (let i = 0; i < native.length; i++) {
        if (native[i] !== expected[i]) assert.ok(native[i] === "σ" && expected[i] === "ς", `${JSON.stringify(text)} at ${i}`);
      }
    };
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 30 }), check), { numRuns: 3000 });
    fc.assert(fc.property(fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 30 }), check), { numRuns: 3000 });
    for (let code = 0; code < 0x10000; code += 512) {
      let text = "";
      for (let c = code; c < code + 512; c++) text += String.fromCharCode(c);
      check(text);
    }
    for (let cp = 0x10000; cp <= 0x10ffff; cp += 512) {
      let text = "";
      for (let c = cp; c < cp + 512; c++) text += String.fromCodePoint(c);
      check(text);
    }
  });

  test("address lexicon: the planes the configuration skips hold no letter, digit, space or capital in this V8", () => {
    const re = /[\p{L}\p{N}\s\p{Changes_When_Lowercased}]/u;
    let from = 0;
    for (const [start, end] of [...SCANNED_PLANES, [0x110000, 0x110000]] as const) {
      for (let cp = from; cp < start; cp++) {
        if (cp >= 0xd800 && cp <= 0xdfff) continue;
        assert.equal(re.test(String.fromCodePoint(cp)), false, `U+${cp.toString(16)}`);
      }
      from = end + 1;
    }
  });
}


/** The string literals of the TypeScript address tests (double-quoted and plain back-quoted). */
function addressTestStrings(): string[] {
  const files = [
    "../recognizers/street-address.test.ts",
    "../recognizers/address-tail.test.ts",
    "../recognizers/address-postcode.test.ts",
    "../recognizers/address-postcode-oracles.ts",
    "../q2-address-reads.test.ts",
    "../c1-regex-free.test.ts",
  ];
  const found = new Set<string>();
  for (const file of files) {
    const source = readFileSync(new URL(file, import.meta.url), "utf8");
    for (const m of source.matchAll(/"(?:[^"\\\n]|\\.)*"/g)) {
      try {
        found.add(JSON.parse(m[0]) as string);
      } catch {
        // not JSON-compatible (a \u{...} escape): skipped
      }
    }
    for (const m of source.matchAll(/`([^`$\\]*)`/g)) found.add(m[1]!);
  }
  return [...found];
}
