import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { createPiiEngine } from "../../../src/pii/engine.js";
import { findTd3Zones, mrzCheckDigit } from "../../../src/pii/recognizers/mrz.js";
import { passportRecognizer } from "../../../src/pii/recognizers/passport.js";
import { assertStreamEqualsWhole, joined } from "./properties.js";

const engine = createPiiEngine();

/** What the recognizer reports, as [text, score] pairs. */
function raw(text: string): [string, number][] {
  return passportRecognizer.find(text).map((c) => [text.slice(c.start, c.end), c.score]);
}

/** PASSPORT findings of the full engine (all seven types on, default threshold). */
function passports(text: string): string[] {
  return engine
    .detect(text)
    .filter((f) => f.type === "PASSPORT")
    .map((f) => text.slice(f.start, f.end));
}

function assertFoundExactly(before: string, written: string, after: string): void {
  const text = before + written + after;
  const found = engine.detect(text).filter((f) => f.type === "PASSPORT");
  assert.equal(found.length, 1, `${JSON.stringify(text)} -> ${JSON.stringify(found.map((f) => text.slice(f.start, f.end)))}`);
  assert.equal(found[0]!.start, before.length, JSON.stringify(text));
  assert.equal(found[0]!.end, before.length + written.length, JSON.stringify(text));
  assert.ok(found[0]!.score >= 0.5);
}

/** ICAO 9303 check digit written independently of the code under test. */
function icao(field: string): string {
  const value = (c: string) => (c === "<" ? 0 : /[0-9]/.test(c) ? Number(c) : c.charCodeAt(0) - 55);
  let sum = 0;
  for (let i = 0; i < field.length; i++) sum += value(field[i]!) * [7, 3, 1][i % 3]!;
  return String(sum % 10);
}

/** A TD3 zone built from its fields, check digits computed by `icao` above. */
function td3(fields: { state: string; names: string; number: string; nationality: string; birth: string; sex: string; expiry: string; personal: string }): string {
  const line1 = `P<${fields.state}${fields.names}`.padEnd(44, "<").slice(0, 44);
  const number = fields.number.padEnd(9, "<");
  const personal = fields.personal.padEnd(14, "<");
  const personalCheck = /^<+$/.test(personal) ? "<" : icao(personal);
  const part1 = number + icao(number);
  const part2 = fields.birth + icao(fields.birth);
  const part3 = fields.expiry + icao(fields.expiry) + personal + personalCheck;
  const line2 = `${part1}${fields.nationality}${part2}${fields.sex}${part3}${icao(part1 + part2 + part3)}`;
  return `${line1}\n${line2}`;
}

// ICAO 9303 part 4, appendix A: the specimen passport of Anna Maria Eriksson.
const SPECIMEN = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";

const NUMBERS: [country: string, number: string][] = [
  ["US", "533401234"],
  ["US next generation", "A12345678"],
  ["GB", "925076473"],
  ["DE", "C01X00T47"],
  ["DE (with check digit)", "C01X00T478"],
  ["FR", "12AB34567"],
  ["IN", "J8369854"],
  ["CA (before 2023)", "GA302922"],
  ["CA (since 2023)", "A123456BC"],
];

describe("PASSPORT: printed numbers need a passport word", () => {
  test("each country's layout is found after a passport word, at exact offsets", () => {
    for (const [country, number] of NUMBERS) {
      assertFoundExactly("Passport No. ", number, ".");
      assertFoundExactly("my passport number is ", number, ", thanks");
      assert.ok(raw(`passport ${number}`)[0]![1] < 0.5, `${country}: the base score alone stays below the threshold`);
    }
  });

  test("without a passport word the same numbers are not reported (not even as candidates)", () => {
    for (const [, number] of NUMBERS) {
      assert.deepEqual(raw(`number ${number} here`), []);
      assert.deepEqual(passports(`number ${number} here`), []);
    }
  });

  test("passport words in several languages and as JSON keys", () => {
    for (const lead of [
      "passport ",
      "Passport: ",
      "PASSPORT NUMBER ",
      "passport #",
      "Reisepass ",
      "Reisepass-Nr. ",
      "Reisepassnummer: ",
      "Pass-Nr. ",
      "n° de passeport ",
      "numéro de passeport ",
      "número de pasaporte ",
      "travel document ",
      "travel document (passport) ",
      '{"passport_number": "',
      '{"passportNo":"',
    ]) {
      assertFoundExactly(lead, "C01X00T47", '"');
    }
  });

  test("the passport word must stand within the context window", () => {
    assert.deepEqual(passports(`passport ${"x ".repeat(19)}C01X00T47`), ["C01X00T47"]); // the word starts 47 characters before the number
    assert.deepEqual(passports(`passport ${"x ".repeat(30)}C01X00T47`), []);
    assert.deepEqual(passports("passportal C01X00T47"), [], "a stem inside another word is no passport word");
    assert.deepEqual(raw("password 533401234"), [], "nor is a password");
    assert.deepEqual(raw("passenger C01X00T47"), []);
  });

  test("only the number the word introduces: the next field's value is not a passport", () => {
    assert.deepEqual(passports('{"passport_number":"C01X00T47","ssn":"123456789"}'), ["C01X00T47"]);
    assert.deepEqual(passports("my passport number is 533401234 and my SSN 987654321"), ["533401234"]);
    assert.deepEqual(passports("passport, ssn 123456789"), []);
    assert.deepEqual(passports("passport expired; phone 020794609"), []);
  });

  test("look-alike layouts are rejected", () => {
    for (const token of [
      "12345678", // eight digits
      "1234567890", // ten digits
      "000000000", // one digit repeated
      "A1234567B", // no layout
      "AB1234567", // no layout
      "CA1E00T47", // vowels are not in German serials
      "B01X00T47", // nor is B
      "Q1234567", // no Indian series Q
      "A0234567", // no Indian number starts 0
      "ABCDEFGH", // letters only
      "C01x00T47", // mixed case
      "C01X00T471", // German serial with a wrong check digit
      "12AB3456", // FR short
    ]) {
      assert.deepEqual(raw(`passport ${token}`), [], token);
    }
  });

  test("numbers glued to longer identifiers are rejected", () => {
    for (const text of ["passport file C01X00T47.pdf", "passport id X-C01X00T47", "passport C01X00T47_scan", "passport 533401234-2", "passport ref/533401234"]) {
      assert.deepEqual(passports(text), [], text);
    }
  });

  test("lower-case numbers typed in chat are found", () => {
    assertFoundExactly("passport: ", "c01x00t47", "");
    assertFoundExactly("passport ", "a12345678", " ok");
  });

  test("a token is found exactly when it has one of the layouts (independent regexes)", () => {
    const layouts = [
      /^(?!(\d)\1{8}$)\d{9}$/,
      /^[A-Z]\d{8}$/,
      /^[CFGHJKLMNPRTVWXYZ][CFGHJKLMNPRTVWXYZ0-9]{8}$/,
      /^\d{2}[A-Z]{2}\d{5}$/,
      /^[A-PR-WY][1-9]\d{6}$/,
      /^[A-Z]{2}\d{6}$/,
      /^[A-Z]\d{6}[A-Z]{2}$/,
    ];
    const token = fc.stringMatching(/^[0-9A-Z]{8,9}$/);
    const layoutToken = fc.oneof(
      token,
      fc.stringMatching(/^\d{9}$/),
      fc.stringMatching(/^[A-Z]\d{8}$/),
      fc.stringMatching(/^[CFGHJK][CFGHJKLMNPRTVWXYZ0-9]{8}$/),
      fc.stringMatching(/^\d{2}[A-Z]{2}\d{5}$/),
      fc.stringMatching(/^[A-Z][0-9]{7}$/),
      fc.stringMatching(/^[A-Z]{2}\d{6}$/),
      fc.stringMatching(/^[A-Z]\d{6}[A-Z]{2}$/),
    );
    fc.assert(
      fc.property(layoutToken, fc.constantFrom("passport ", "Passport No. ", "Reisepass: "), fc.constantFrom("", ".", " ok", ",", "\n"), (t, lead, tail) => {
        const expected = layouts.some((re) => re.test(t)) ? [t] : [];
        assert.deepEqual(passports(lead + t + tail), expected, t);
      }),
      { numRuns: 1000 },
    );
  });
});

describe("PASSPORT: machine-readable zones (ICAO 9303 TD3)", () => {
  test("the ICAO specimen is one finding spanning both lines, certain on its own", () => {
    const found = engine.detect(SPECIMEN);
    assert.equal(found.length, 1);
    assert.deepEqual([found[0]!.type, found[0]!.start, found[0]!.end, found[0]!.score], ["PASSPORT", 0, SPECIMEN.length, 1]);
  });

  test("exact offsets inside text, with every line break people paste", () => {
    for (const lineBreak of ["\n", "\r\n", "\r", " ", "\\n"]) {
      const zone = SPECIMEN.replace("\n", lineBreak);
      assertFoundExactly("Scanned page:\n", zone, "\nEnd of scan.");
      assertFoundExactly("", zone, "");
      assertFoundExactly('{"mrz": "', zone, '"}');
    }
    assert.ok(passportRecognizer.maxLength >= SPECIMEN.replace("\n", "\r\n").length);
  });

  test("every check digit is verified: a changed one leaves the zone to a context word", () => {
    // Document number (9), birth date (19), expiry (27), personal number (42), composite (43).
    const line2 = SPECIMEN.indexOf("\n") + 1;
    for (const at of [9, 19, 27, 42, 43]) {
      const original = SPECIMEN[line2 + at]!;
      const wrong = String((Number(original) + 1) % 10);
      const zone = SPECIMEN.slice(0, line2 + at) + wrong + SPECIMEN.slice(line2 + at + 1);
      assert.equal(raw(zone)[0]![1], 0.3, `check digit at ${at}`);
      assert.deepEqual(passports(zone), [], `check digit at ${at}: not reported alone`);
      assert.deepEqual(passports(`passport MRZ:\n${zone}`), [zone], `check digit at ${at}: reported near "passport"`);
    }
  });

  test("an empty personal number may carry '<' or 0 as its check digit", () => {
    const zone = td3({ state: "D<<", names: "MUSTERMANN<<ERIKA", number: "C01X00T47", nationality: "D<<", birth: "640812", sex: "F", expiry: "310101", personal: "" });
    assert.equal(raw(zone)[0]![1], 1);
  });

  test("zone-shaped text that is not a zone is not reported at all", () => {
    const [line1, line2] = SPECIMEN.split("\n") as [string, string];
    for (const text of [
      line1, // one line
      line2,
      `${line1}\n${line2.slice(0, 43)}`, // short line
      `${line1}\n${line2}<`, // long line
      `X${line1}\n${line2}`, // glued before
      `x${line1}\n${line2}`,
      `${line1}\n${line2}0`, // glued after
      `${line1}\n\n${line2}`, // blank line between
      `${line1}\n${line2.replace("7408122", "7413122")}`, // month 13
      `${line1}\n${line2.replace("1204159", "1204329")}`, // day 32
      `${line1.toLowerCase()}\n${line2.toLowerCase()}`,
      `V<${line1.slice(2)}\n${line2}`, // a visa, not a passport
    ]) {
      assert.deepEqual(raw(text), [], JSON.stringify(text));
    }
  });

  test("random zones with correct check digits are found; any changed digit in a checked field is caught", () => {
    const letters = (min: number, max: number) => fc.stringMatching(new RegExp(`^[A-Z]{${min},${max}}$`));
    const date = fc.tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 })).map(([y, m, d]) =>
      [y, m, d].map((n) => String(n).padStart(2, "0")).join(""),
    );
    const zone = fc.record({
      state: fc.constantFrom("USA", "GBR", "D<<", "FRA", "IND", "CAN", "UTO"),
      names: fc.tuple(letters(2, 12), letters(2, 10)).map(([a, b]) => `${a}<<${b}`),
      number: fc.stringMatching(/^[A-Z0-9]{6,9}$/),
      nationality: fc.constantFrom("USA", "GBR", "D<<", "FRA", "IND", "CAN", "UTO"),
      birth: date,
      sex: fc.constantFrom("M", "F", "<", "X"),
      expiry: date,
      personal: fc.stringMatching(/^[0-9A-Z]{0,14}$/),
    });
    fc.assert(
      fc.property(zone, fc.nat(), fc.integer({ min: 1, max: 9 }), (fields, pick, delta) => {
        const text = td3(fields);
        assert.deepEqual(raw(`scan:\n${text}\n`), [[text, 1]]);
        // Change one digit inside a checked field (not the check digits themselves).
        const line2 = text.indexOf("\n") + 1;
        const positions = [...Array(44).keys()].filter((i) => (i < 9 || (i >= 13 && i < 19) || (i >= 21 && i < 27) || (i >= 28 && i < 42)) && /[0-9]/.test(text[line2 + i]!));
        if (positions.length === 0) return;
        const at = line2 + positions[pick % positions.length]!;
        const changed = String((Number(text[at]) + delta) % 10);
        const mutated = text.slice(0, at) + changed + text.slice(at + 1);
        const result = raw(mutated);
        // Either the date became impossible (no candidate) or a check digit fails.
        assert.ok(result.length === 0 || result[0]![1] < 0.5, mutated);
      }),
      { numRuns: 300 },
    );
  });

  test("the exported check digit matches the ICAO worked examples", () => {
    assert.equal(mrzCheckDigit("L898902C3"), 6);
    assert.equal(mrzCheckDigit("740812"), 2);
    assert.equal(mrzCheckDigit("120415"), 9);
    assert.equal(mrzCheckDigit("ZE184226B<<<<<"), 1);
    assert.equal(mrzCheckDigit("abc"), -1, "lower case is not MRZ text");
  });
});

describe("PASSPORT: hard negatives stay unflagged through the full engine", () => {
  const negatives = [
    "4111 1111 1111 1112",
    "490154203237518",
    "000-12-3456",
    "1.2.3.4",
    "1.3.6.1.4.1.9.9.23",
    "2024-01-15T10:30:00Z",
    "1700000000",
    "1700000000123",
    "550e8400-e29b-41d4-a716-446655440000",
    "d41d8cd98f00b204e9800998ecf8427e",
    "da39a3ee5e6b4b0d3255bfef95601890afd80709",
    "978-3-16-148410-0",
    "0-306-40615-2",
    "Order #100234567",
    "INV-2024-000123",
    "$1,234.56",
    "2024-01-15",
    "15/01/2024",
    "01.15.2024",
    "90210",
    "SW1A 1AA",
    "10115",
    "123456789",
    "A12345678",
    "C01X00T47",
  ];
  test("alone, in prose and in JSON", () => {
    for (const value of negatives) {
      for (const text of [value, `see ${value} here`, `{"value": "${value}"}`]) assert.deepEqual(passports(text), [], text);
    }
  });

  test("near a passport word, values of other layouts are still not passports", () => {
    for (const value of negatives.slice(0, -3)) assert.deepEqual(passports(`passport photo: ${value}`), [], value);
  });
});

describe("PASSPORT: locality, streaming and adversarial input", () => {
  test("a candidate depends only on nearby text", () => {
    const piece = fc.constantFrom("passport ", "C01X00T47", "533401234", " ", "ssn ", "x", "\n", SPECIMEN, "P<", "<<<", "pass", "123456789 ");
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), fc.nat(), (pieces, cutAt) => {
        const text = pieces.join("");
        const cut = text.length === 0 ? 0 : cutAt % text.length;
        const whole = passportRecognizer.find(text);
        const tail = passportRecognizer.find(text.slice(cut)).map((c) => ({ ...c, start: c.start + cut, end: c.end + cut }));
        const far = (c: { start: number }) => c.start >= cut + passportRecognizer.maxLength + 48;
        const byStart = (a: { start: number }, b: { start: number }) => a.start - b.start;
        assert.deepEqual(tail.filter(far).sort(byStart), whole.filter(far).sort(byStart));
        for (const c of whole) assert.ok(c.end - c.start <= passportRecognizer.maxLength);
      }),
      { numRuns: 300 },
    );
  });

  test("streamed in any chunks, masking equals masking the whole text", () => {
    const piece = fc.constantFrom("passport C01X00T47 ", "x ", `MRZ:\n${SPECIMEN}\n`, "\n", "Reisepass-Nr. 533401234 ", "ssn ");
    assertStreamEqualsWhole(engine, joined(piece, 20), 100, 40);
  });

  test("a megabyte of passport words, zone characters and numbers finishes with the right answer", () => {
    // No timing assertions (machines are noisy); these must simply finish and answer correctly.
    const MB = 1 << 20;
    const fill = (unit: string) => unit.repeat(Math.ceil(MB / unit.length)).slice(0, MB);
    for (const unit of ["passport ", "passport", "P<", "P", "<", "A<", "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"]) {
      assert.deepEqual(passportRecognizer.find(fill(unit)), [], JSON.stringify(unit));
    }
    assert.deepEqual(passportRecognizer.find(`passport ${"A".repeat(MB)}`), []);
    assert.equal(passportRecognizer.find("passport C01X00T47 ".repeat(50_000)).length, 50_000);
    assert.equal(passportRecognizer.find(`${SPECIMEN}\n`.repeat(10_000)).length, 10_000);
  });

  test("zones found by trying only where a P stands equal a global search of the zone pattern", () => {
    // The global search findTd3Zones used before: its zones are what the "P" jumps must find.
    const td3 =
      /P[A-Z<][A-Z<]{3}[A-Z<]{39}(?:\r\n|\n|\r| |\\n)[A-Z0-9<]{9}[0-9][A-Z<]{3}[0-9]{6}[0-9][MFX<][0-9]{6}[0-9][A-Z0-9<]{14}[0-9<][0-9]/g;
    const zoneChar = (code: number) => /[A-Za-z0-9<]/.test(String.fromCharCode(code));
    const reference = (text: string) => {
      const out: number[][] = [];
      td3.lastIndex = 0;
      for (let m = td3.exec(text); m !== null; m = td3.exec(text)) {
        const [start, end] = [m.index, m.index + m[0].length];
        if ((start > 0 && zoneChar(text.charCodeAt(start - 1))) || (end < text.length && zoneChar(text.charCodeAt(end)))) {
          td3.lastIndex = start + 1; // a glued zone: look again from its next character
          continue;
        }
        out.push([start, end]);
      }
      return out;
    };
    // Pieces that make zones, zones glued to letters, zones overlapping a "P" of their own names.
    const piece = fc.constantFrom(SPECIMEN, "P", "PP", "x", " ", "\n", "<", SPECIMEN.slice(1), `P${SPECIMEN}`, SPECIMEN.slice(0, 50));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const text = pieces.join("");
        const found = findTd3Zones(text).map((c) => [c.start, c.end]);
        // A zone whose dates are not dates is dropped by both; the specimen's are well-formed.
        assert.deepEqual(found, reference(text), JSON.stringify(text));
      }),
      { numRuns: 400 },
    );
    assert.equal(findTd3Zones(`${SPECIMEN} ${SPECIMEN}`).length, 2);
    assert.deepEqual(findTd3Zones(`x${SPECIMEN}`), []);
  });
});
