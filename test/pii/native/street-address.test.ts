/**
 * The native STREET_ADDRESS recognizer (native/pii/src/recognizers/street_address.rs,
 * address_number_first.rs, address_german.rs) against the TypeScript one: the same candidates
 * (start, end, score) in the same order, on the corpus, on random text aimed at the recognizer's
 * branches, and on every string its TypeScript tests use.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import fc from "fast-check";
import ts from "typescript";
import { streetAddressRecognizer as recognizer } from "../../../src/pii/recognizers/street-address.js";
import {
  assertAgreesOn,
  corpusSlices,
  corpusTexts,
  disagreements,
  kernelSwitchedOff,
  mixedText,
  nativeCandidates,
  requireKernel,
} from "./differential.js";

const RUNS = Number(process.env["NATIVE_RUNS"] ?? 3000);

/** Every string literal (and template without substitutions) in a test file of the TS recognizer. */
function literalsOf(path: string): string[] {
  const source = ts.createSourceFile(path, readFileSync(new URL(path, import.meta.url), "utf8"), ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) out.push(node.text);
    if (ts.isTemplateExpression(node)) {
      out.push(node.head.text);
      for (const span of node.templateSpans) out.push(span.literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

const SAMPLE_FILES = [
  "../recognizers/street-address.test.ts",
  "../recognizers/address-tail.test.ts",
  "../q2-address-reads.test.ts",
  "../recognizers/address-postcode.test.ts",
];
const SAMPLES = [...new Set(SAMPLE_FILES.flatMap(literalsOf))];

/** Pieces the address finders care about: numbers, names, types, units, towns, postcodes. */
const US_PARTS = [
  "1600", "742", "12", "221B", "5th", "123-45", "1,234", "$1,234", "10", "7", "99999", "0", "1",
  "Pennsylvania", "Evergreen", "Main", "Baker", "Oak", "Elm", "N.", "S", "NW", "E", "W", "North", "Mt", "St.", "Dr.",
  "Martin", "Luther", "King", "Jr", "The", "THE", "MAIN", "PENNSYLVANIA", "O'Connell", "Winston-Salem", "McDonald",
  "Street", "St", "Avenue", "Ave", "Ave.", "Blvd", "Road", "Rd", "Lane", "Ln", "Drive", "Dr", "Terrace", "Way", "Place",
  "Court", "Close", "Loop", "Run", "Point", "Park", "Broadway", "Kingsway", "ST", "AVE", "AVENUE", "Box", "BOX", "PO", "P.O.",
  "Post Office", "Flat", "Apt", "Apt.", "Suite", "Unit", "#12", "4B", "Floor", "5th Floor", "Hard", "Event", "Supreme",
  "of", "of the", "Americas", "Allies", "Chapter", "Version", "page", "Vol.", "Copyright", "©", "(c)", "2008-2019,",
  "<iain@example.org>", "(a@b.c)", "Springfield", "New York", "Washington", "London", "St. Louis", "IL", "NY", "DC", "D.C.",
  "62704", "10118", "10036-1234", "SW1A 2AA", "NW1 6XE", "M1 1AE", "Texas", "California", "USA", "United Kingdom",
  "by", "and", "shows", "thanks", "please", "Fighter", "Things", "About", "Ltd", "Foo",
];
const DE_PARTS = [
  "Hauptstraße", "Musterstr.", "Straße", "Strasse", "Weg", "weg", "Mühlenweg", "Konrad-Adenauer-Straße", "Berliner",
  "Alte", "Alten", "Frankfurter", "Allee", "Platz", "Ring", "Spring", "During", "Offering", "Parkplatz", "Am", "An der",
  "Unter den", "Im", "Zum", "Zur", "Auf dem", "Beim", "Linden", "Markt", "Mühle", "Jahr", "Montag", "Postfach", "Die",
  "Sie", "the", "Whg. 3", "2. OG", "2. OG links", "Hinterhaus", "EG rechts", "Haus B", "App. 12", "10115", "80331", "D-10115",
  "01001", "00123", "Berlin", "München", "Frankfurt am Main", "Halle (Saale)", "Freiburg i. Br.", "Bad Homburg",
  "Deutschland", "Germany", "km", "Uhr", "%", "€", "arbeiten", "ist", "5", "12a", "5-7", "12/1", "3", "154", "10 11 20",
  "5,3", "5,12/05/2026", "ß", "Ü", "İ", "K", "ẞ",
];
const SEPARATORS = [" ", " ", " ", ", ", ",", "\n", "\r\n", "\t", "\u00a0", " - ", ". ", ";", "\"", "(", ")", ":", "|", "  ", ",\n"];

/** Parts one space apart mostly (as addresses are written), numbers often, other joints now and then. */
function partsText(parts: readonly string[]): fc.Arbitrary<string> {
  const token = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...parts) },
    { weight: 3, arbitrary: fc.constantFrom("1", "12", "221B", "350", "5", "77", "1600", "10115", "3", "99") },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 99999 }).map(String) },
    { weight: 1, arbitrary: fc.string({ maxLength: 3 }) },
  );
  const joint = fc.oneof({ weight: 10, arbitrary: fc.constant(" ") }, { weight: 4, arbitrary: fc.constantFrom(...SEPARATORS) });
  return fc.array(fc.tuple(token, joint), { maxLength: 24 }).map((p) => p.map(([t, j]) => t + j).join(""));
}

/** Well-formed addresses of each family, in a sentence, with random case changes and cuts. */
const usAddress = fc
  .tuple(
    fc.constantFrom("", "Flat 3, ", "Apt 4B ", "Unit 2\n", "PO Box ", "P.O. Box "),
    fc.integer({ min: 1, max: 99999 }),
    fc.constantFrom("", "A", "B", "-12"),
    fc.array(fc.constantFrom("N", "Main", "Oak", "Martin Luther King Jr", "5th", "The", "Lee", "Baker", "Hard", "Pennsylvania"), { maxLength: 5 }),
    fc.constantFrom("Street", "St", "St.", "Ave", "Avenue", "Way", "Loop", "Drive", "Broadway", "Court", "Park", "AVE", "Ring"),
    fc.constantFrom("", " NW", ", Suite 3300", " Apt 4B", " #12", ", 5th Floor", " of the Americas", " B"),
    fc.constantFrom("", ", Springfield, IL 62704", ", New York, NY 10118", ", London SW1A 2AA", ", Leeds", " M1 1AE", ", Texas 77056", ", Cardiff\n"),
    fc.constantFrom("", ", USA", ", United Kingdom"),
  )
  .map(([unit, n, suffix, names, type, after, town, country]) => `${unit}${n}${suffix} ${names.join(" ")}${names.length ? " " : ""}${type}${after}${town}${town ? country : ""}`);

const deAddress = fc
  .tuple(
    fc.constantFrom("", "Am ", "An der ", "Unter den ", "Zur ", "Im ", "Die ", "Berliner ", "Alte "),
    fc.constantFrom("Hauptstraße", "Musterstr.", "Straße", "Mühlenweg", "Linden", "Markt", "Alten Mühle", "Ring", "Spring", "Parkplatz", "Postfach", "Konrad-Adenauer-Straße", "Jahr"),
    fc.integer({ min: 1, max: 12000 }),
    fc.constantFrom("", "a", "-7", " / 9", "b"),
    fc.constantFrom("", ", Whg. 3", ", 2. OG links", ", Hinterhaus", " 11 20", ",3", " km"),
    fc.constantFrom("", ", 10115 Berlin", " 80331 München", "\n60311 Frankfurt am Main", ", D-10115 Berlin, Deutschland"),
  )
  .map(([prefix, street, n, suffix, unit, town]) => `${prefix}${street} ${n}${suffix}${unit}${town}`);

const sentence = (address: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc
    .tuple(
      fc.constantFrom("", "Ship to ", "Chapter ", "address: ", "© 2024 ", "Copyright 2008-2019, ", "x,", "$", "ABC ", "wohnt in der ", "\"", "(", "Version 2 "),
      fc.array(address, { minLength: 1, maxLength: 3 }),
      fc.constantFrom("", " by Friday.", ".", " thx", "\n", " (please)", " <bob@example.com>", " shows", " is far", " arbeiten 20 Leute"),
      fc.constantFrom(" ", "\n", ", ", "; ", ","),
      fc.boolean(),
    )
    .map(([before, addresses, after, join, upper]) => {
      const text = before + addresses.join(join) + after;
      return upper ? text.toUpperCase() : text;
    });

const cut = (texts: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc.tuple(texts, fc.nat(), fc.nat()).map(([t, a, b]) => {
    const from = a % (t.length + 1);
    return t.slice(from, from + (b % (t.length + 1 - from + 1)));
  });

/** Words of every length around the finders' limits (name words, tokens, units, walks). */
const letters = (alphabet: string, min: number, max: number): fc.Arbitrary<string> =>
  fc.array(fc.constantFrom(...alphabet), { minLength: min, maxLength: max }).map((a) => a.join(""));
const titleWord = fc
  .tuple(fc.constantFrom(..."ABKMNSWÄÖÜ"), letters("abeilnorstuäöüß'’-", 0, 44))
  .map(([a, b]) => a + b);
const boundaryToken = fc.oneof(
  { weight: 4, arbitrary: titleWord },
  { weight: 1, arbitrary: letters("ABEKLNORSTW'-", 1, 33) },
  { weight: 2, arbitrary: letters("abdeilnorstuy", 1, 14) },
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom(..."123456789"), letters("0123456789", 0, 8)).map(([a, b]) => a + b) },
  { weight: 2, arbitrary: fc.tuple(titleWord, fc.constantFrom("straße", "str.", "weg", "ring", "platz", "Straße")).map(([a, b]) => a + b) },
  { weight: 3, arbitrary: fc.constantFrom(...US_PARTS, ...DE_PARTS) },
  { weight: 1, arbitrary: fc.constantFrom("&ndash;", "–", "-", "/", "©", "(C)", "Copyright", "<", "(", "@", "#", "$", "Box", "Postfach", "Avenue", "of the") },
);
const boundaryText = fc
  .array(fc.tuple(boundaryToken, fc.oneof({ weight: 12, arbitrary: fc.constant(" ") }, { weight: 3, arbitrary: fc.constantFrom(...SEPARATORS, "", "-") })), { maxLength: 16 })
  .map((p) => p.map(([t, j]) => t + j).join(""));

/** Templates at the limits the random parts reach too seldom. */
const limitTexts = fc.oneof(
  // EMAIL_AFTER's 64 characters before "@"
  fc.tuple(fc.integer({ min: 1, max: 70 }), fc.constantFrom("<", "(", " <", "\t(")).map(([n, open]) => `2016 Iain Lane ${open}${"a".repeat(n)}@example.org>`),
  // COPYRIGHT_BEFORE: marks, years, dashes, commas, spaces
  fc
    .tuple(
      fc.constantFrom("©", "(C)", "(c)", "Copyright", "copyright", "COPYRIGHT", "opyright", "Copyright:", "(C) "),
      fc.array(fc.tuple(fc.integer({ min: 1000, max: 2999 }), fc.constantFrom("", "-", " - ", "&ndash;", " &ndash; ", "–", "-19", "&ndash;2001", ",", ", "), fc.constantFrom(" ", "", "  ", "\n")), { maxLength: 4 }),
      fc.constantFrom(" ", "\t", ": ", " x "),
      fc.integer({ min: 1, max: 2999 }),
      fc.constantFrom("Iain Lane", "Damian Conway Street", "Foo Ltd", "Green Street", "Main St"),
    )
    .map(([mark, years, gap, n, name]) => `${mark}${gap}${years.map(([y, d, s]) => `${y}${d}${s}`).join("")}${n} ${name}`),
  // Postfach: digit runs and groups
  fc
    .tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 5 }), fc.constantFrom("", "a", "1", " 1", ", 10115 Berlin", "x"))
    .map(([digits, groups, after]) => `Postfach ${"7".repeat(digits)}${" 12".repeat(groups)}${after}`),
  // PO boxes: digits and the dash group
  fc
    .tuple(fc.constantFrom("PO Box", "P.O. Box", "P. O. Box", "Post Office Box", "POST OFFICE BOX", "xPO Box", "PO  Box"), fc.constantFrom(" ", " #"), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 6 }), fc.constantFrom("", "a", ", Springfield, IL 62704"))
    .map(([po, sep, d, g, after]) => `${po}${sep}${"4".repeat(d)}${g ? "-" + "5".repeat(g) : ""}${after}`),
  // "Avenue of the ..." with long words
  fc
    .tuple(fc.integer({ min: 1, max: 28 }), fc.integer({ min: 0, max: 28 }), fc.constantFrom("", "5", "ö", "’"))
    .map(([a, b, after]) => `1211 Avenue of the A${"m".repeat(a)}${b ? " B" + "e".repeat(b) : ""}${after} x`),
  // German house numbers: digits, letters, ranges, quantities
  fc
    .tuple(fc.constantFrom("Hauptstraße", "Am Markt", "Musterstr."), fc.integer({ min: 1, max: 6 }), fc.constantFrom("", "a", "ab", "-7", " - 7", "/12345", "/1b", "-12a5"), fc.constantFrom("", " km", " Kilometer", " abcdefghijklm", " €", ",5", ",12/05/2026", ":3", "%", " ist", " mitarbeiter%", " Mitarbeiter€x", " km%", " mitarbeiterin"))
    .map(([street, d, suffix, after]) => `${street} ${"1".repeat(d)}${suffix}${after}`),
  // Prefix-form name words at NAME_WORD's and the walk's 40 characters
  fc
    .tuple(fc.integer({ min: 34, max: 44 }), fc.constantFrom(" Markt 3", " 3", "-Weg 3", " Markt 3, 10115 Berlin"))
    .map(([n, rest]) => `Am K${"ö".repeat(n - 2)}n${rest}`),
  // Unit before the number, at the reach
  fc
    .tuple(fc.constantFrom("Flat", "Apartment", "APARTMENT", "Apt.", "Ste.", "STUDIO", "Unit"), fc.constantFrom(" ", " #"), fc.integer({ min: 1, max: 5 }), fc.constantFrom("", "B"), fc.constantFrom(", ", " ", "\n", ",\r\n", ",\n", "\r\n"))
    .map(([w, sep, d, l, gap]) => `x ${w}${sep}${"3".repeat(d)}${l}${gap}12 Acacia Avenue`),
);

const NEAR_MISSES = [
  "Version 2 Street Fighter",
  "Chapter 12 Main Street",
  "© 2024 Foo Ltd",
  "(C) 2008-2019, 2021, 2022 Anthony Green",
  "Copyright 1997 - 2001 Damian Conway",
  "2016 Iain Lane <iain@example.org>",
  "5 Things About Baker Street",
  "2 Broadway shows",
  "1 Hard Drive",
  "3 Event Loop",
  "the 3 Same Way",
  "Im Jahr 2024",
  "Am Montag 3 Termine",
  "Jakobsweg 5 km",
  "Weg 5,3 km",
  "Ring 3 Uhr",
  "$1,234 Main Street",
  "+1 555 0100,12 Main St",
  "Rosenweg 60,10 October",
  "Parkplatz 12",
  "Am Standort 3 arbeiten 20 Leute",
  "During 5 days",
  "10 GB DRIVE",
  "12 FAILED ST",
];

if (!kernelSwitchedOff) {
  const kernel = requireKernel();
  const agree = (text: string): void => {
    const found = disagreements(kernel, recognizer, [text], 1);
    assert.deepEqual(found, [], `native STREET_ADDRESS disagrees on ${JSON.stringify(text)}`);
  };

  test("native STREET_ADDRESS: the same candidates on the benchmark corpus", () => {
    const texts = corpusTexts();
    assertAgreesOn(kernel, recognizer, texts);
    const found = texts.reduce((n, t) => n + nativeCandidates(kernel, "STREET_ADDRESS", t).length, 0);
    assert.ok(found > 100, `the corpus holds addresses (${found})`);
  });

  test("native STREET_ADDRESS: the same on every string of the TypeScript tests, alone and in a sentence", () => {
    assert.ok(SAMPLES.length > 300, `samples read (${SAMPLES.length})`);
    const texts = SAMPLES.flatMap((s) => [s, `Please send it to ${s} by Friday.`, `${s}\n${s}`, s.toUpperCase()]);
    assertAgreesOn(kernel, recognizer, texts);
    assertAgreesOn(kernel, recognizer, NEAR_MISSES.flatMap((s) => [s, `Ship to ${s}.`]));
  });

  test("native STREET_ADDRESS: random mixed text", () => {
    fc.assert(fc.property(mixedText([...NEAR_MISSES, ...US_PARTS, ...DE_PARTS]), agree), { numRuns: RUNS });
  });

  test("native STREET_ADDRESS: corpus slices", () => {
    const texts = corpusTexts(256 * 1024);
    fc.assert(fc.property(corpusSlices(texts), agree), { numRuns: RUNS });
  });

  test("native STREET_ADDRESS: US/UK parts in random order", () => {
    fc.assert(fc.property(partsText(US_PARTS), agree), { numRuns: RUNS });
  });

  test("native STREET_ADDRESS: German parts in random order", () => {
    fc.assert(fc.property(partsText(DE_PARTS), agree), { numRuns: RUNS });
  });

  test("native STREET_ADDRESS: US/UK addresses in sentences, whole and cut", () => {
    fc.assert(fc.property(fc.oneof(sentence(usAddress), cut(sentence(usAddress))), agree), { numRuns: RUNS });
  });

  test("native STREET_ADDRESS: German addresses in sentences, whole and cut", () => {
    fc.assert(fc.property(fc.oneof(sentence(deAddress), cut(sentence(deAddress))), agree), { numRuns: RUNS });
  });

  test("native STREET_ADDRESS: both families mixed, near the length cap", () => {
    const long = fc
      .tuple(fc.array(fc.oneof(usAddress, deAddress), { minLength: 1, maxLength: 4 }), fc.integer({ min: 0, max: 160 }))
      .map(([addresses, pad]) => "x".repeat(pad) + " " + addresses.join(", ") + " " + "Ab ".repeat(pad % 40));
    fc.assert(fc.property(long, agree), { numRuns: RUNS });
  });

  test("native STREET_ADDRESS: words at the length limits", () => {
    fc.assert(fc.property(boundaryText, agree), { numRuns: RUNS });
  });

  test("native STREET_ADDRESS: templates at the limits (e-mail, copyright, boxes, names, numbers, units)", () => {
    fc.assert(fc.property(limitTexts, agree), { numRuns: RUNS });
  });

  test("native STREET_ADDRESS: arbitrary strings never crash it (and agree)", () => {
    const units = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
    const anyText = fc.oneof(
      fc.string({ unit: "binary", maxLength: 60 }),
      fc.string({ unit: units, maxLength: 60 }),
      fc.tuple(fc.string({ unit: "binary", maxLength: 8 }), deAddress, fc.string({ unit: "binary", maxLength: 8 })).map((p) => p.join("")),
      fc.tuple(fc.string({ unit: units, maxLength: 8 }), usAddress, fc.string({ unit: units, maxLength: 8 })).map((p) => p.join(" ")),
    );
    fc.assert(
      fc.property(anyText, (text) => {
        nativeCandidates(kernel, "STREET_ADDRESS", text);
        agree(text);
      }),
      { numRuns: RUNS },
    );
  });
}
