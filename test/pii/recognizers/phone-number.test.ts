import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  getCountries,
  getExampleNumber,
  parsePhoneNumberFromString,
  type CountryCode,
} from "libphonenumber-js/max";
import examples from "libphonenumber-js/examples.mobile.json";
import metadataJson from "libphonenumber-js/metadata.max.json";
import { createPiiEngine } from "../../../src/pii/engine.js";
import { phoneNumbering } from "../../../src/pii/recognizers/phone-metadata.js";
import { phoneNumberRecognizer } from "../../../src/pii/recognizers/phone-number.js";
import { assertLocality, assertStreamEqualsWhole, joined } from "./properties.js";

const engine = createPiiEngine();

/** What the recognizer reports, as [text, score] pairs. */
function raw(text: string): [string, number][] {
  return phoneNumberRecognizer.find(text).map((c) => [text.slice(c.start, c.end), c.score]);
}

/** PHONE_NUMBER findings of the full engine (all seven types on, default threshold). */
function phones(text: string): string[] {
  return engine
    .detect(text)
    .filter((f) => f.type === "PHONE_NUMBER")
    .map((f) => text.slice(f.start, f.end));
}

function phoneScore(text: string): number | undefined {
  return engine.detect(text).find((f) => f.type === "PHONE_NUMBER")?.score;
}

/** Asserts `written` is found alone, at its exact offsets, inside `before + written + after`. */
function assertFoundExactly(before: string, written: string, after: string): void {
  const text = before + written + after;
  const found = engine.detect(text).filter((f) => f.type === "PHONE_NUMBER");
  assert.equal(found.length, 1, `${JSON.stringify(text)} -> ${JSON.stringify(found.map((f) => text.slice(f.start, f.end)))}`);
  assert.equal(found[0]!.start, before.length, JSON.stringify(text));
  assert.equal(found[0]!.end, before.length + written.length, JSON.stringify(text));
}

// A deterministic pool of valid numbers per default region, drawn at random and kept only when
// libphonenumber itself (not the code under test) calls them valid for that region.
const REGIONS = ["US", "CA", "GB", "DE", "FR", "IN", "AU", "JP", "BR"] as const;
function validPool(): { region: string; e164: string; national: string; international: string }[] {
  let seed = 20240115;
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const pool: { region: string; e164: string; national: string; international: string }[] = [];
  for (const region of REGIONS) {
    let kept = 0;
    for (let attempt = 0; attempt < 20_000 && kept < 25; attempt++) {
      const length = 9 + next(3);
      let nsn = String(1 + next(9));
      while (nsn.length < length) nsn += String(next(10));
      const p = parsePhoneNumberFromString(nsn, region as CountryCode);
      if (p === undefined || !p.isValid() || p.country !== region) continue;
      pool.push({ region, e164: p.number, national: p.formatNational(), international: p.formatInternational() });
      kept++;
    }
    assert.ok(kept >= 10, `pool for ${region}`);
  }
  return pool;
}
const POOL = validPool();

describe("PHONE_NUMBER: international numbers", () => {
  test("E.164 passes on its own", () => {
    for (const n of ["+14155552671", "+442079460958", "+4930123456789", "+33123456789", "+919876543210", "+61298765432", "+81312345678", "+5511912345678"]) {
      assertFoundExactly("reach ", n, " today");
      assertFoundExactly("", n, "");
    }
  });

  test("+CC with spaces, dashes, dots, parentheses, (0) and no-break spaces", () => {
    const written = [
      "+1 415 555 2671",
      "+1 (415) 555-2671",
      "+1-415-555-2671",
      "+1.415.555.2671",
      "+44 20 7946 0958",
      "+44 (0)20 7946 0958",
      "+44 (0) 20 7946 0958",
      "+44 020 7946 0958",
      "+49 30 12345678",
      "+49 (0)30 12345678",
      "+49 30 / 123 456 78",
      "+33 1 23 45 67 89",
      "+33 (0)1 23 45 67 89",
      "+33\u00a01\u00a023\u00a045\u00a067\u00a089",
      "+33 6 12 34 56 78",
      "+91 98765 43210",
      "+91-9876543210",
      "+61 2 9876 5432",
      "+61 412 345 678",
      "+81 3-1234-5678",
      "+81 90-1234-5678",
      "+55 11 91234-5678",
      "+55 (11) 91234-5678",
      "+55 (11) 9 1234-5678",
      "+7 495 123-45-67",
      "+86 138 0013 8000",
      "+34 612 34 56 78",
      "+39 06 1234 5678",
      "+31 20 123 4567",
      "+353 1 234 5678",
      "+971 50 123 4567",
      "+65 8123 4567",
      "+27 82 123 4567",
      "+52 55 1234 5678",
      "+82 10-1234-5678",
      "+1 604 555 1234",
      "+800 1234 5678", // non-geographic: international freephone
      "+882 16 1234 5678",
    ];
    for (const n of written) assertFoundExactly("Phone: ", n, ".");
    for (const n of written) assert.ok(raw(n)[0]![1] >= 0.5, `${n} passes without context`);
  });

  test("every country's example number, in three writings, is found alone at exact offsets", () => {
    let checked = 0;
    for (const country of getCountries()) {
      const example = getExampleNumber(country, examples);
      if (example === undefined) continue;
      const international = example.formatInternational();
      for (const written of [international, example.number, international.replace(/ /g, "-")]) {
        const text = `call ${written} now`;
        const candidates = phoneNumberRecognizer.find(text);
        assert.equal(candidates.length, 1, `${country}: ${written}`);
        assert.equal(text.slice(candidates[0]!.start, candidates[0]!.end), written);
        assert.ok(candidates[0]!.score >= 0.5);
        checked++;
      }
    }
    assert.ok(checked > 600, `checked ${checked}`);
  });

  test("+CC numbers the numbering plan does not have are rejected", () => {
    for (const n of [
      "+1 415 555 267", // too short
      "+1 415 555 26712", // too long
      "+1 123 555 2671", // no area code starts with 1
      "+44 20 7946 095",
      "+49 30",
      "+33 0 00 00 00 00",
      "+999 1234 5678", // no such calling code
      "+0 123 456 7890",
      "+14155552671234567",
    ]) {
      assert.deepEqual(raw(n), [], n);
      assert.deepEqual(phones(`phone ${n}`), [], n);
    }
  });

  test("the 00 international prefix: grouped passes, bare needs a context word", () => {
    assertFoundExactly("Tel. ", "0044 20 7946 0958", "");
    assertFoundExactly("", "0049 30 12345678", "");
    assert.deepEqual(phones("ref 00442079460958"), []);
    assert.deepEqual(phones("phone 00442079460958"), ["00442079460958"]);
    assert.deepEqual(raw("0099 1234 5678"), [], "no calling code 99");
  });
});

describe("PHONE_NUMBER: national numbers of the default regions", () => {
  const formatted: [string, string][] = [
    ["US", "(415) 555-2671"],
    ["US", "415-555-2671"],
    ["US", "415.555.2671"],
    ["US", "415 555 2671"],
    ["US", "1-800-555-0199"],
    ["US", "1 (415) 555-2671"],
    ["US", "(415)555-2671"],
    ["US", "(212) 555-0123"],
    ["CA", "(604) 555-1234"],
    ["CA", "416-555-0123"],
    ["GB", "020 7946 0958"],
    ["GB", "0161 496 0000"],
    ["GB", "07911 123456"],
    ["GB", "01632 960001"],
    ["DE", "030 12345678"],
    ["DE", "030/12345678"],
    ["DE", "(030) 12345678"],
    ["DE", "089 1234 5678"],
    ["DE", "0171 1234567"],
    ["DE", "0175-12640059"],
    ["FR", "01 23 45 67 89"],
    ["FR", "01.23.45.67.89"],
    ["FR", "06 12 34 56 78"],
    ["FR", "01\u202f23\u202f45\u202f67\u202f89"],
    ["IN", "098765 43210"],
    ["IN", "98765 43210"],
    ["IN", "987-654-3210"],
    ["IN", "022 2345 6789"],
    ["AU", "(02) 9876 5432"],
    ["AU", "02 9876 5432"],
    ["AU", "0412 345 678"],
    ["AU", "1300 123 456"],
    ["IN", "1800 820 2860"],
    ["FR", "0 800 12 34 56"],
    ["DE", "0180 4 4662048"],
    ["JP", "03-1234-5678"],
    ["JP", "090-1234-5678"],
    ["JP", "(03) 1234-5678"],
    ["BR", "(11) 91234-5678"],
    ["BR", "(11) 3456-7890"],
    ["BR", "11 91234-5678"],
    ["BR", "(11) 9 1234-5678"],
  ];

  test("well-formatted national numbers pass on their own", () => {
    for (const [region, n] of formatted) {
      assertFoundExactly("", n, "");
      assertFoundExactly(`${region} office, `, n, ", thanks");
      const score = raw(n)[0]![1];
      assert.ok(score >= 0.5 && score < 0.85, `${region} ${n}: ${score}`);
    }
  });

  test("random valid numbers of every region are found in national and international writing", () => {
    const before = fc.constantFrom("", "Call ", "phone: ", "(", '{"tel":"', "tel:", "[", "Kontakt: ", "line\n", "- ");
    const after = fc.constantFrom("", ".", ",", ")", " now", '"}', "!\n", " or mail me", ";");
    fc.assert(
      fc.property(fc.constantFrom(...POOL), fc.constantFrom("national", "international", "e164", "dashes"), before, after, (n, form, b, a) => {
        const written =
          form === "national" ? n.national : form === "international" ? n.international : form === "e164" ? n.e164 : n.international.replace(/ /g, "-");
        assertFoundExactly(b, written, a);
      }),
      { numRuns: 400 },
    );
  });

  test("a grouping no one writes is rejected even when the digits are valid", () => {
    for (const n of ["4155-552671", "41-555-52671", "1415 555 2671", "9-876-543-210", "1 19123 45678", "02 07 94 60 95 8"]) {
      assert.deepEqual(raw(n), [], n);
    }
    // The same digits, grouped as written at home, pass.
    assert.deepEqual(phones("415-555-2671"), ["415-555-2671"]);
    assert.deepEqual(phones("98765-43210"), ["98765-43210"]);
  });

  test("national numbers of other countries (no +) are not guessed", () => {
    // Valid in NL / IT / ES when dialled at home, but those are not default regions.
    for (const n of ["020 123 4567 8", "612 34 56 78"]) assert.deepEqual(phones(n), [], n);
  });
});

describe("PHONE_NUMBER: bare digits need a context word", () => {
  test("a valid number written without any separator scores below the threshold", () => {
    for (const n of ["4155552671", "02079460958", "0412345678", "9876543210", "11912345678", "0123456789"]) {
      assert.equal(raw(n).length, 1, n);
      assert.ok(raw(n)[0]![1] < 0.5, n);
      assert.deepEqual(phones(`value ${n} ok`), [], n);
    }
  });

  test("each context word lifts it over the threshold", () => {
    const words = ["phone", "Phone:", "tel", "Tel.", "call", "called from", "mobile", "cell", "fax", "WhatsApp", "contact", "ph", "telefon", "Téléphone", "T:", "M:", "my number is"];
    for (const word of words) {
      assert.deepEqual(phones(`${word} 4155552671`), ["4155552671"], word);
      assert.ok(phoneScore(`${word} 4155552671`)! >= 0.5);
    }
    assert.deepEqual(phones(`"phone_number": "02079460958"`), ["02079460958"]);
  });

  test("a context word further than the window, or inside another word, does not count", () => {
    assert.deepEqual(phones(`phone ${"x".repeat(60)} 4155552671`), []);
    assert.deepEqual(phones("telemetry 4155552671"), []);
    assert.deepEqual(phones("microphone4155552671"), []);
  });

  test("invalid bare numbers are not candidates even with a context word", () => {
    // (1234567890 and 5555555555 are valid in Brazil, 0999999999 in France, so they are not here.)
    for (const n of ["1700000000", "1700000000123", "0000000000", "1111111111", "0000012345", "123456789"]) {
      assert.deepEqual(phones(`phone ${n}`), [], n);
    }
  });
});

describe("PHONE_NUMBER: words of other identifiers lower the score", () => {
  test("a cue word owning the number keeps it from being reported", () => {
    for (const lead of ["Order ", "order number: ", "Invoice no. ", "Ref: ", "tracking # ", "Account ", "IMEI ", "serial ", "ISBN ", "ticket "]) {
      assert.deepEqual(phones(`${lead}(415) 555-2671`), [], lead);
      assert.ok(raw(`${lead}(415) 555-2671`)[0]![1] < 0.1, lead);
    }
  });

  test("a cue word that does not own the number changes nothing", () => {
    // Another sentence, another number, or a phone word stands between.
    assert.deepEqual(phones("Order #570433 for reference. As requested, 0472 959 300"), ["0472 959 300"]);
    assert.deepEqual(phones("ref INV-2022-014325. Reach me on +19713346282 or by mail"), ["+19713346282"]);
    assert.deepEqual(phones("Account manager\nDirect: +49 178 52200780"), ["+49 178 52200780"]);
    assert.deepEqual(phones("account phone: 020 7946 0958"), ["020 7946 0958"]);
    assert.deepEqual(phones("Caller ID: +1 415 555 2671"), ["+1 415 555 2671"]);
    assert.deepEqual(phones("user id: +1 415 555 2671"), []);
    assert.deepEqual(phones("is not valid; the correct value is 602-46-3294. 045-022-0299, thanks"), ["045-022-0299"]);
  });

  test("context raises scores: a positive word lifts a formatted number further", () => {
    const alone = phoneScore("(415) 555-2671")!;
    const lifted = phoneScore("call (415) 555-2671")!;
    assert.ok(lifted > alone, `${lifted} > ${alone}`);
  });
});

describe("PHONE_NUMBER: spans and boundaries", () => {
  test("offsets are exact and exclude surrounding punctuation", () => {
    assertFoundExactly("Call ", "415-555-2671", ".");
    assertFoundExactly("(", "+1 415 555 2671", ")");
    assertFoundExactly("[", "020 7946 0958", "]");
    assertFoundExactly('"', "+442079460958", '",');
    assertFoundExactly("tel:", "+1-415-555-2671", "");
    assertFoundExactly("(call ", "(415) 555-2671", ")");
    assertFoundExactly("emoji 😀 ", "(415) 555-2671", " 😀");
  });

  test("two numbers side by side are two findings", () => {
    assert.deepEqual(phones("415-555-2671 415-555-2672"), ["415-555-2671", "415-555-2672"]);
    assert.deepEqual(phones("+1 415 555 2671 / 020 7946 0958"), ["+1 415 555 2671", "020 7946 0958"]);
    assert.deepEqual(phones("2024-01-15 415-555-2671"), ["415-555-2671"]);
    assert.deepEqual(phones("030 12345678, 030 87654321"), ["030 12345678", "030 87654321"]);
  });

  test("a number glued to letters, identifiers or prices is not a phone", () => {
    for (const text of [
      "INV-2024-0001234567",
      "x415-555-2671",
      "415-555-2671x",
      "v415.555.2671",
      "415-555-2671.5",
      "$415-555-2671",
      "#020 7946 0958",
      "415-555-2671%",
      "4155552671@example.com",
      "/api/users/4155552671",
      "ab_4155552671",
      "415-555-2671:8080",
    ]) {
      assert.deepEqual(raw(text), [], text);
    }
  });

  test("no phone inside a longer digit run (cards belong to the card recognizer)", () => {
    for (const text of ["4111 1111 1111 1111", "4111-1111-1111-1111", "4111111111111111", "12345678901234567890", "3782 822463 10005", "3056 930902 5904", "0412 345 678 9012 3456"]) {
      assert.deepEqual(raw(text), [], text);
    }
    // The same digits alone are a phone.
    assert.deepEqual(phones("0412 345 678"), ["0412 345 678"]);
  });

  test("a mask tag that may hide a bare group counts as one, so masking masked text changes nothing", () => {
    // "1 Oak Street" kept "42 2024 2024" from reading as a phone; its tag must too.
    for (const text of ["42 2024 2024 1 Oak Street", "Apt 2, 62704 415 555 2671 x"]) {
      const once = engine.mask(text);
      assert.equal(engine.mask(once), once, text);
    }
    for (const tag of ["<STREET_ADDRESS>", "<US_SSN_2>", "<CREDIT_CARD:kdpa>", "<PHONE_NUMBER>", "<PASSPORT_12>"]) {
      assert.deepEqual(raw(`42 2024 2024 ${tag}`), [], `before ${tag}`);
      assert.deepEqual(raw(`${tag} 415 555 2671`), [], `after ${tag}`);
    }
    // E-mail and IP addresses hold no bare group: a number beside their tags is still found,
    // and so is one whose tag is further than a run's gap, or not a tag at all.
    for (const text of ["415 555 2671 <EMAIL_ADDRESS>", "<IP_ADDRESS_1> 415 555 2671", "415 555 2671      <US_SSN>", "415 555 2671 <us_ssn>", "415 555 2671 <US_SSN:xyz>"]) {
      assert.deepEqual(phones(text), ["415 555 2671"], text);
    }
  });

  test("no candidate is longer than maxLength", () => {
    assert.ok(phoneNumberRecognizer.maxLength >= "+49 (0) 30 / 123 456 78".length);
    assert.deepEqual(raw(`+1 ${"4".repeat(3)}    555    2671`), [], "separators longer than three characters end a run");
  });
});

describe("PHONE_NUMBER: hard negatives stay unflagged through the full engine", () => {
  const negatives: Record<string, readonly string[]> = {
    luhn_invalid_16: ["4111 1111 1111 1112", "4111-1111-1111-1112", "4111111111111112", "5500 0000 0000 0005"],
    imei: ["490154203237518", "IMEI 35-209900-176148-1", "IMEI: 356938035643809"],
    invalid_ssn: ["000-12-3456", "666-12-3456", "900-12-3456", "123-00-4567", "123-45-0000", "040-05-4023", "052 00 0090"],
    version: ["1.2.3.4", "10.0.19041.1234", "v2.14.1", "version 4.15.555.2671"],
    snmp_oid: ["1.3.6.1.4.1.9.9.23", "1.3.6.1.2.1.1.3.0", "OID 1.3.6.1.4.1.2021.10.1.3.1"],
    timestamp: ["2024-01-15T10:30:00Z", "10:30:00", "2024-01-15 10:30:00.123456", "Jan 15 10:30:00", "[7332.076857]"],
    epoch: ["1700000000", "1700000000123", "ts=1712345678", '"ts": 1712345678901'],
    uuid: ["550e8400-e29b-41d4-a716-446655440000", "123e4567-e89b-12d3-a456-426614174000"],
    hex_hash: ["d41d8cd98f00b204e9800998ecf8427e", "da39a3ee5e6b4b0d3255bfef95601890afd80709", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"],
    isbn: ["978-3-16-148410-0", "0-306-40615-2", "9783161484100", "ISBN 0306406152", "ISBN 978-0-306-40615-7"],
    order_number: ["Order #100234567", "order number 4155552671", "Order 0412 345 678", "PO 020 7946 0958"],
    invoice_number: ["INV-2024-000123", "Invoice 2024-000123", "invoice no. 0123456789"],
    price: ["$1,234.56", "€ 1.234.567,89", "USD 12345678.90", "$4155552671"],
    date: ["2024-01-15", "15/01/2024", "01.15.2024", "15.01.2024", "2024/01/15", "02.05.2024", "15 01 2024"],
    postcode: ["90210", "SW1A 1AA", "10115", "90210-1234", "75008", "02100-1992"],
    ip: ["192.168.100.200", "10.0.0.1", "203.0.113.254"],
  };
  for (const [kind, values] of Object.entries(negatives)) {
    test(kind, () => {
      for (const value of values) {
        for (const text of [value, `see ${value} here`, `{"value": "${value}"}`]) {
          assert.deepEqual(phones(text), [], `${kind}: ${text}`);
        }
      }
    });
  }
});

describe("PHONE_NUMBER: validity is libphonenumber's", () => {
  const callingCodes = [...Object.keys(metadataJson.country_calling_codes), ...Object.keys(metadataJson.nonGeographic)];

  test("the compiled validator agrees with libphonenumber-js on random numbers of every calling code", () => {
    fc.assert(
      fc.property(fc.constantFrom(...callingCodes), fc.stringMatching(/^[0-9]{4,14}$/), (callingCode, digits) => {
        const parsed = parsePhoneNumberFromString(`+${callingCode}${digits}`);
        if (parsed === undefined || parsed.countryCallingCode !== callingCode) return;
        assert.equal(phoneNumbering.isValid(callingCode, parsed.nationalNumber), parsed.isValid(), `+${callingCode} ${parsed.nationalNumber}`);
      }),
      { numRuns: 5000 },
    );
  });

  test("callingCodeOf names the calling code a number starts with, as the metadata lists them", () => {
    // Reference: the first prefix of 1-3 characters (shorter than the number) that the metadata
    // has a plan for (a geographic code with countries other than "001", or a non-geographic one).
    const geographic = Object.entries(metadataJson.country_calling_codes as Record<string, string[]>)
      .filter(([, countries]) => countries.some((c) => c !== "001"))
      .map(([code]) => code);
    const known = new Set([...geographic, ...Object.keys(metadataJson.nonGeographic)]);
    const reference = (digits: string): string | undefined => {
      for (let length = 1; length <= 3 && length < digits.length; length++) {
        if (known.has(digits.slice(0, length))) return digits.slice(0, length);
      }
      return undefined;
    };
    for (const code of known) {
      assert.equal(phoneNumbering.callingCodeOf(`${code}5551234`), code);
      assert.equal(phoneNumbering.callingCodeOf(code), reference(code), code); // no longer than the code
    }
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9x+ ]{0,6}$/), (digits) => {
        assert.equal(phoneNumbering.callingCodeOf(digits), reference(digits), JSON.stringify(digits));
      }),
      { numRuns: 5000 },
    );
  });

  test("it agrees on every example number and every one-digit change of it", () => {
    let compared = 0;
    for (const country of getCountries()) {
      const example = getExampleNumber(country, examples);
      if (example === undefined) continue;
      const nsn = example.nationalNumber;
      for (let i = 0; i < nsn.length; i++) {
        for (let d = 0; d <= 9; d++) {
          const mutated = nsn.slice(0, i) + d + nsn.slice(i + 1);
          const parsed = parsePhoneNumberFromString(`+${example.countryCallingCode}${mutated}`);
          if (parsed === undefined || parsed.countryCallingCode !== example.countryCallingCode) continue;
          assert.equal(phoneNumbering.isValid(parsed.countryCallingCode, parsed.nationalNumber), parsed.isValid(), `${country} ${mutated}`);
          compared++;
        }
      }
    }
    assert.ok(compared > 10_000, `compared ${compared}`);
  });

  test("every one-digit change of every example number is found exactly when libphonenumber calls it valid", () => {
    let compared = 0;
    for (const country of getCountries()) {
      const e164 = getExampleNumber(country, examples)?.number;
      if (e164 === undefined) continue;
      for (let i = 2; i < e164.length; i++) {
        for (let d = 0; d <= 9; d++) {
          const mutated: string = e164.slice(0, i) + d + e164.slice(i + 1);
          const parsed = parsePhoneNumberFromString(mutated);
          if (parsed === undefined || `+${parsed.countryCallingCode}${parsed.nationalNumber}` !== mutated) continue;
          const found = raw(`call ${mutated} now`).map(([t]) => t);
          assert.deepEqual(found, parsed.isValid() ? [mutated] : [], `${country} ${mutated}`);
          compared++;
        }
      }
    }
    assert.ok(compared > 10_000, `compared ${compared}`);
  });

  test("a mutated E.164 number is found exactly when libphonenumber calls it valid", () => {
    const valid = POOL.map((n) => n.e164);
    fc.assert(
      fc.property(fc.constantFrom(...valid), fc.nat(), fc.integer({ min: 0, max: 9 }), (e164, at, digit) => {
        const i = 2 + (at % (e164.length - 2)); // keep "+" and the first calling-code digit
        const mutated = e164.slice(0, i) + digit + e164.slice(i + 1);
        const parsed = parsePhoneNumberFromString(mutated);
        const written = parsed !== undefined && `+${parsed.countryCallingCode}${parsed.nationalNumber}` === mutated;
        if (!written) return; // libphonenumber rewrote it (stripped a prefix): not comparable
        const found = raw(`call ${mutated} now`).map(([t]) => t);
        assert.deepEqual(found, parsed.isValid() ? [mutated] : [], mutated);
      }),
      { numRuns: 1000 },
    );
  });
});

describe("PHONE_NUMBER: locality and streaming", () => {
  test("a candidate depends only on nearby text", () => {
    const piece = fc.constantFrom("+1 415 555 2671", "(415) 555-2671", "020 7946 0958", "4155552671", "1234", " ", "-", ".", "7", "call ", "order ", "(", ")", "+", "x", "\n", "2024-01-15 ");
    assertLocality(phoneNumberRecognizer, piece, 60, 300);
  });

  test("streamed in any chunks, masking equals masking the whole text", () => {
    const piece = fc.constantFrom("call +1 415 555 2671 ", "(415) 555-2671", "x ", "020 7946 0958 ", "\n", "phone 4155552671 ", "2024-01-15 ", "order ");
    assertStreamEqualsWhole(engine, joined(piece, 30), 100, 25);
  });
});

describe("PHONE_NUMBER: adversarial input stays linear", () => {
  // No timing assertions (machines are noisy); these must simply finish and answer correctly.
  const MB = 1 << 20;
  const fill = (unit: string) => unit.repeat(Math.ceil(MB / unit.length)).slice(0, MB);

  test("a megabyte of digits and separators yields nothing", () => {
    for (const unit of ["1", "1 ", "12 ", "1-", "1.", "(1", "(", "0 ", "1 - ", "+1 ", "4111 "]) {
      assert.deepEqual(phoneNumberRecognizer.find(fill(unit)), [], JSON.stringify(unit));
    }
  });

  test("a megabyte of phone numbers yields every one", () => {
    assert.equal(phoneNumberRecognizer.find("415-555-2671 ".repeat(80_000)).length, 80_000);
    assert.equal(phoneNumberRecognizer.find("+44 (0)20 7946 0958\n".repeat(50_000)).length, 50_000);
  });
});
