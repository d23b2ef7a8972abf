import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { createPiiEngine } from "../../../src/pii/engine.js";
import { usSsnRecognizer, validSsn } from "../../../src/pii/recognizers/us-ssn.js";
import { assertLocality, assertStreamEqualsWhole, joined } from "./properties.js";

const engine = createPiiEngine();

function found(text: string): string[] {
  return usSsnRecognizer.find(text).map((c) => text.slice(c.start, c.end));
}

/** SSN findings of the full engine, all seven types on, at the default threshold. */
function engineSsns(text: string): string[] {
  return engine
    .detect(text)
    .filter((f) => f.type === "US_SSN")
    .map((f) => text.slice(f.start, f.end));
}

function scoreOf(text: string): number | undefined {
  return engine.detect(text).find((f) => f.type === "US_SSN")?.score;
}

describe("US_SSN: formats", () => {
  test("dashed SSNs pass on their own at exact offsets", () => {
    const text = "Employee record: 234-56-7890, active.";
    const [candidate, ...rest] = usSsnRecognizer.find(text);
    assert.equal(rest.length, 0);
    assert.equal(candidate!.start, text.indexOf("234"));
    assert.equal(candidate!.end, text.indexOf("7890") + 4);
    assert.deepEqual(engineSsns(text), ["234-56-7890"]);
    const score = scoreOf(text)!;
    assert.ok(score >= 0.5 && score <= 0.6, `dashed base score ${score}`);
  });

  test("spaced SSNs pass on their own with a lower score than dashed", () => {
    assert.deepEqual(engineSsns("holder 234 56 7890 ok"), ["234 56 7890"]);
    assert.ok(scoreOf("234 56 7890")! < scoreOf("234-56-7890")!);
  });

  test("nine bare digits need a context word", () => {
    assert.deepEqual(found("234567890"), ["234567890"], "the recognizer still reports the candidate");
    assert.deepEqual(engineSsns("ref 234567890 ok"), []);
    assert.deepEqual(engineSsns("id: 234567890"), []);
    for (const context of ["SSN", "ssn:", "SSN#", "SS#", "SS #", "social security", "Social Security Number", "social security no.", "taxpayer", "Tax ID"]) {
      assert.deepEqual(engineSsns(`${context} 234567890`), ["234567890"], context);
    }
  });

  test("context words also lift dashed and spaced SSNs", () => {
    assert.ok(scoreOf("SSN: 234-56-7890")! > scoreOf("234-56-7890")!);
    assert.ok(scoreOf("social security number 234 56 7890")! > scoreOf("234 56 7890")!);
  });

  test("leaves surrounding punctuation outside the span", () => {
    for (const text of ["(234-56-7890)", '"234-56-7890",', "ssn=234-56-7890;", "[234 56 7890].", "ssn:234567890."]) {
      assert.deepEqual(found(text).length, 1, text);
      assert.match(found(text)[0]!, /^\d{3}[- ]?\d{2}[- ]?\d{4}$/);
    }
  });

  test("finds several SSNs in one text, each once", () => {
    assert.deepEqual(found("a 234-56-7890 b 345 67 8901 c ssn 456789012 d"), ["234-56-7890", "345 67 8901", "456789012"]);
  });

  test("a date before a spaced SSN, joined by another separator, does not hide it", () => {
    assert.deepEqual(found("2024-01-15 234 56 7890"), ["234 56 7890"]);
    assert.deepEqual(found("10 01 2024 234-56-7890"), ["234-56-7890"]);
  });
});

describe("US_SSN: validity rules", () => {
  test("area 000, 666 and 900-999 are never issued", () => {
    for (const ssn of ["000-12-3456", "666-12-3456", "900-12-3456", "950-12-3456", "999-12-3456", "987-65-4321"]) {
      assert.deepEqual(found(ssn), [], ssn);
      assert.deepEqual(engineSsns(`SSN ${ssn}`), [], ssn);
    }
  });

  test("areas at the edges of the valid ranges are accepted", () => {
    for (const ssn of ["001-12-3456", "665-12-3456", "667-12-3456", "899-12-3456"]) {
      assert.deepEqual(found(ssn), [ssn]);
    }
  });

  test("group 00 and serial 0000 are never issued", () => {
    for (const ssn of ["234-00-7890", "234-56-0000", "234 00 7890", "234560000", "234007890"]) {
      assert.deepEqual(engineSsns(`SSN ${ssn}`), [], ssn);
    }
    assert.deepEqual(found("234-01-0001"), ["234-01-0001"]);
  });

  test("the known advertising and example numbers are refused in every format", () => {
    for (const digits of ["078051120", "219099999", "123456789"]) {
      assert.equal(validSsn(digits), false, digits);
      const dashed = `${digits.slice(0, 3)}-${digits.slice(3, 5)}-${digits.slice(5)}`;
      const spaced = dashed.replaceAll("-", " ");
      for (const text of [dashed, spaced, digits]) assert.deepEqual(engineSsns(`SSN: ${text}`), [], text);
    }
  });

  test("one digit repeated nine times is refused", () => {
    for (let d = 1; d <= 8; d++) {
      const digits = String(d).repeat(9);
      assert.equal(validSsn(digits), false, digits);
      assert.deepEqual(engineSsns(`SSN ${digits.slice(0, 3)}-${digits.slice(3, 5)}-${digits.slice(5)}`), []);
    }
  });

  test("property: every generated valid SSN is found at its exact offsets in each format", () => {
    const area = fc.integer({ min: 1, max: 899 }).filter((a) => a !== 666);
    const groupNo = fc.integer({ min: 1, max: 99 });
    const serial = fc.integer({ min: 1, max: 9999 });
    const before = fc.constantFrom("", "SSN: ", "ssn ", "(", "\n", '"ssn": "', "Social Security Number ");
    const after = fc.constantFrom("", ".", ")", ", DOB", '"', "\n", " on file");
    fc.assert(
      fc.property(area, groupNo, serial, fc.constantFrom("-", " ", ""), before, after, (a, g, s, sep, left, right) => {
        const digits = String(a).padStart(3, "0") + String(g).padStart(2, "0") + String(s).padStart(4, "0");
        fc.pre(validSsn(digits)); // leaves out only the repeated-digit and known-invalid numbers
        const written = [digits.slice(0, 3), digits.slice(3, 5), digits.slice(5)].join(sep);
        const text = left + written + right;
        const candidates = usSsnRecognizer.find(text);
        assert.equal(candidates.length, 1, text);
        assert.equal(candidates[0]!.start, left.length);
        assert.equal(candidates[0]!.end, left.length + written.length);
      }),
      { numRuns: 500 },
    );
  });

  test("property: numbers with an invalid area, group or serial are never found", () => {
    const digitsOf = (a: number, g: number, s: number) => String(a).padStart(3, "0") + String(g).padStart(2, "0") + String(s).padStart(4, "0");
    const invalid = fc.oneof(
      fc.tuple(fc.constantFrom(0, 666), fc.integer({ min: 1, max: 99 }), fc.integer({ min: 1, max: 9999 })),
      fc.tuple(fc.integer({ min: 900, max: 999 }), fc.integer({ min: 1, max: 99 }), fc.integer({ min: 1, max: 9999 })),
      fc.tuple(fc.integer({ min: 1, max: 899 }), fc.constant(0), fc.integer({ min: 1, max: 9999 })),
      fc.tuple(fc.integer({ min: 1, max: 899 }), fc.integer({ min: 1, max: 99 }), fc.constant(0)),
    );
    fc.assert(
      fc.property(invalid, fc.constantFrom("-", " ", ""), ([a, g, s], sep) => {
        const digits = digitsOf(a, g, s);
        const written = [digits.slice(0, 3), digits.slice(3, 5), digits.slice(5)].join(sep);
        assert.deepEqual(found(`SSN: ${written}`), []);
      }),
      { numRuns: 400 },
    );
  });
});

describe("US_SSN: shapes that are not SSNs", () => {
  test("mixed separators are refused", () => {
    for (const text of ["234-56 7890", "234 56-7890", "SSN 234-56 7890"]) {
      assert.deepEqual(found(text), [], text);
      assert.deepEqual(engineSsns(text), [], text);
    }
  });

  test("other groupings, doubled or other separators are refused", () => {
    for (const text of ["2345-6-7890", "23-456-7890", "234-567-890", "234--56--7890", "234  56  7890", "234.56.7890", "234/56/7890", "234_56_7890"]) {
      assert.deepEqual(engineSsns(`SSN ${text}`), [], text);
    }
  });

  test("a 3-2-4 chain inside a longer chain of the same separator is refused", () => {
    for (const text of ["1-234-56-7890", "234-56-7890-1", "12 234 56 7890", "234 56 7890 12", "+1 234 56 7890"]) {
      assert.deepEqual(found(text), [], text);
    }
  });

  test("bare digits joined by dashes to other digits are an identifier, not an SSN", () => {
    for (const text of ["SSN INV-2024-234567890", "SSN 234567890-01", "ssn 12-234567890"]) {
      assert.deepEqual(engineSsns(text), [], text);
    }
  });

  test("digits glued to letters, underscores, decimals or a + are refused", () => {
    for (const text of ["A234-56-7890", "234-56-7890B", "id_234567890", "0.234567890", "234567890.5", "+234567890", "ssn x234567890"]) {
      assert.deepEqual(found(text), [], text);
    }
  });

  test("longer or shorter digit runs are not SSNs", () => {
    for (const text of ["SSN 2345678901", "SSN 23456789", "SSN 1234567890123"]) {
      assert.deepEqual(engineSsns(text), [], text);
    }
  });

  test("only the number's own words count as negative context", () => {
    for (const [text, ssn] of [
      ["ssn,hire_date,work_email,zip\nE66553,Larissa Martin,215-21-6235,2022-03-27", "215-21-6235"],
      ["See 1.3.6.1.2.1.39 for reference. FYI, 711-25-8367. The dashboard", "711-25-8367"],
      ["invoice no. INV-2025-665978 right?\nlinda: new one: 266-71-0953!", "266-71-0953"],
      ["Order 123 shipped; my SSN is 234 56 7890", "234 56 7890"],
    ] as const) {
      assert.deepEqual(engineSsns(text), [ssn], text);
    }
  });

  test("another identifier's word vetoes nine digits even with an SSN word earlier in the window", () => {
    assert.deepEqual(engineSsns("For the record, SSN: 584-41-7315. FYI, passport #600735817 - thanks"), ["584-41-7315"]);
    assert.deepEqual(engineSsns("SSN 789 01 8030 if that helps. FYI, passport: 675387096."), ["789 01 8030"]);
    assert.deepEqual(engineSsns("SSN on file; phone 234567890"), []);
    assert.deepEqual(engineSsns("SSN 377 11 1049. Reisepass-Nr. 774424997 - danke"), ["377 11 1049"]);
    assert.deepEqual(engineSsns("SSN#496 55 8946! Reisepassnummer: 833474041"), ["496 55 8946"]);
    assert.deepEqual(engineSsns("SSN 234-56-7890, n° de passeport 345678901"), ["234-56-7890"]);
  });

  test("negative context keeps SSN-shaped numbers below the threshold", () => {
    for (const text of ["Order 234-56-7890", "invoice 234-56-7890", "phone: 234-56-7890", "tracking 234 56 7890", "zip 234-56-7890", "case #234-56-7890", "part no. 234-56-7890"]) {
      assert.deepEqual(engineSsns(text), [], text);
    }
  });
});

describe("US_SSN: hard negatives through the full engine", () => {
  const negatives = [
    "Order #100234567 shipped",
    "order 234567890",
    "INV-2024-000123",
    "zip 90210-1234",
    "Beverly Hills, CA 90210-1234",
    "call 555-123-4567 or (555) 123-4567 or 1-800-555-0199",
    "+1 415 555 2671",
    "+44 20 7946 0958 and +33 1 23 45 67 89",
    "2024-01-15 and 15/01/2024 and 01.15.2024 and 01-15-2024",
    "2024-01-15T10:30:00Z",
    "epoch 1700000000 ms 1700000000123",
    "$1,234.56 and 123,456,789",
    "ISBN 978-3-16-148410-0 and 0-306-40615-2",
    "uuid 550e8400-e29b-41d4-a716-446655440000",
    "uuid 12345678-1234-1234-1234-123456789012",
    "sha1 a94a8fe5ccb19ba61c4c0873d391e987982fbbd3",
    "card 4111 1111 1111 1111",
    "ip 192.168.100.200",
    "postcodes 90210 SW1A 1AA 10115",
    "SSN 123-45-6789 (the form example)",
    "ssn 078-05-1120",
    "invalid ssn 000-12-3456, 666-12-3456, 912-34-5678",
  ];
  for (const text of negatives) {
    test(`no US_SSN in ${JSON.stringify(text)}`, () => {
      assert.deepEqual(engineSsns(text), []);
    });
  }
});

describe("US_SSN: locality, streaming and adversarial input", () => {
  test("a candidate depends only on nearby text", () => {
    const piece = fc.constantFrom("234-56-7890", "234 56 7890", "234567890", "12", "-", " ", "SSN ", "x", "0.", "\n", "2024-01-15");
    assertLocality(usSsnRecognizer, piece, 60, 300);
  });

  test("streamed in any chunks, masking equals masking the whole text", () => {
    const piece = fc.constantFrom("SSN 234-56-7890 ", "345 67 8901", "ssn: 456789012", "x ", "\n", "12 ", "-");
    assertStreamEqualsWhole(engine, joined(piece, 40), 150);
  });

  test("a megabyte of digits and separators finishes with the right answer", () => {
    assert.deepEqual(usSsnRecognizer.find("2".repeat(1 << 20)), []);
    assert.deepEqual(usSsnRecognizer.find("234-".repeat(250_000)), []);
    assert.deepEqual(usSsnRecognizer.find("2 ".repeat(500_000)), []);
    assert.equal(usSsnRecognizer.find("234-56-7890 ".repeat(80_000)).length, 80_000);
  });
});
