import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { ipAddressRecognizer } from "../../../src/pii/recognizers/ip-address.js";
import { streetAddressRecognizer } from "../../../src/pii/recognizers/street-address.js";
import type { Recognizer } from "../../../src/pii/types.js";

/**
 * The IP and address readers look one or two characters past what they hold, and at the edges of
 * the text those reads fall outside it (they read codeAt, -1 there, instead of charCodeAt, NaN,
 * which deoptimized them). These pin what the edges mean: the start and the end of the text are
 * boundaries, like a space, never a letter or digit that glues or extends a span.
 */

const found = (recognizer: Recognizer, text: string): Array<[string, number]> =>
  recognizer.find(text).map((c) => [text.slice(c.start, c.end), c.score]);

describe("IP_ADDRESS at the edges of the text", () => {
  test("an address, prefix or zone that ends the text is found whole", () => {
    for (const [text, span] of [
      ["host 10.0.0.5", "10.0.0.5"],
      ["10.0.0.5", "10.0.0.5"],
      ["host 10.0.0.5/24", "10.0.0.5/24"],
      ["10.0.0.5/3", "10.0.0.5/3"],
      ["addr fe80::1", "fe80::1"],
      ["::1", "::1"],
      ["::1 is local", "::1"],
      ["fe80::1%eth0", "fe80::1%eth0"],
      ["fe80::1/64", "fe80::1/64"],
    ] as const) {
      assert.deepEqual(found(ipAddressRecognizer, text), [[span, 0.9]], text);
    }
  });

  test("what the end of the text cuts short stays out of the span", () => {
    for (const [text, span] of [
      ["host 10.0.0.5/", "10.0.0.5"], // a slash with no digits is no prefix
      ["host 10.0.0.5.", "10.0.0.5"], // the sentence's dot
      ["10.0.0.5/33", "10.0.0.5"], // a prefix longer than 32 bits is not one
      ["2001:db8::1:", "2001:db8::1"], // the colon of "...: refused" with nothing after
    ] as const) {
      assert.deepEqual(found(ipAddressRecognizer, text), [[span, 0.9]], text);
    }
  });

  test("dotted runs that end the text are no addresses, or keep the version score", () => {
    assert.deepEqual(found(ipAddressRecognizer, "1.2.3.4.5"), []);
    assert.deepEqual(found(ipAddressRecognizer, "v1.2.3.4"), []);
    assert.deepEqual(found(ipAddressRecognizer, "oid 1.3.6.1"), [["1.3.6.1", 0.2]]);
  });

  test("property: a quad (and prefix) at the end of the text is found as it is before a space", () => {
    const octet = fc.integer({ min: 0, max: 255 });
    const quad = fc.tuple(octet, octet, octet, octet).map((o) => o.join("."));
    const prefix = fc.oneof(fc.constant(""), fc.integer({ min: 0, max: 40 }).map((n) => `/${n}`), fc.constant("/"), fc.constant("."));
    fc.assert(
      fc.property(fc.constantFrom("", "ip ", "from ", "a,"), quad, prefix, (before, address, tail) => {
        const atEnd = before + address + tail;
        assert.deepEqual(found(ipAddressRecognizer, atEnd), found(ipAddressRecognizer, `${atEnd} `));
      }),
      { numRuns: 300 },
    );
  });
});

describe("STREET_ADDRESS at the edges of the text", () => {
  test("an address whose last part ends the text is found whole, with the part's score", () => {
    for (const [text, score] of [
      ["123 Main Street", 0.6],
      ["12 Acacia Avenue, Apt 4", 0.6],
      ["12 Acacia Avenue, Leeds", 0.6],
      ["1600 Pennsylvania Avenue NW", 0.6],
      ["Flat 3, 12 Acacia Avenue", 0.6], // the unit before the house number starts the text
      ["1 Main St, Springfield, IL", 0.75], // a state
      ["1 Main St, Springfield, Illinois", 0.75],
      ["221B Baker Street NW1 6XE", 0.8], // a postcode
      ["1 Main St, IL 62704", 0.9], // a state and ZIP
      ["1 Main St, Springfield, IL 62704-1234", 0.9],
      ["221B Baker Street, London NW1 6XE", 0.9], // a town and postcode
      ["PO Box 1234", 0.6],
      ["Hauptstraße 5", 0.6],
      ["Hauptstraße 5, 10115 Berlin", 0.9],
      ["Am Markt 3", 0.5],
      ["Postfach 10 11 20", 0.6],
    ] as const) {
      assert.deepEqual(found(streetAddressRecognizer, text), [[text, score]], text);
    }
  });

  test("a part the end of the text cuts short is left out", () => {
    assert.deepEqual(found(streetAddressRecognizer, "12 Oak St."), [["12 Oak St", 0.6]]); // a sentence's dot
    assert.deepEqual(found(streetAddressRecognizer, "Send to 350 Fifth Ave, New York, NY"), [["350 Fifth Ave, New York, NY", 0.75]]);
    assert.deepEqual(found(streetAddressRecognizer, "Weg 5,3"), []); // a quantity, not a house number
    assert.deepEqual(found(streetAddressRecognizer, "123 Main"), []);
  });

  test("property: every prefix of an address text is read without error, spans inside the text", () => {
    const addresses = fc.constantFrom(
      "Flat 3, 12 Acacia Avenue, Leeds LS1 4AP",
      "350 Fifth Ave, Suite 3300, New York, NY 10118-0001, USA",
      "Konrad-Adenauer-Straße 1, 53113 Bonn, Deutschland",
      "PO Box 42, Springfield, IL 62704",
      "Am Markt 3, 10115 Berlin",
    );
    fc.assert(
      fc.property(addresses, fc.nat(), (address, cut) => {
        const text = address.slice(0, cut % (address.length + 1));
        for (const c of streetAddressRecognizer.find(text)) {
          assert.ok(c.start >= 0 && c.start < c.end && c.end <= text.length, `${JSON.stringify(text)}: ${c.start}-${c.end}`);
        }
      }),
      { numRuns: 300 },
    );
  });
});
