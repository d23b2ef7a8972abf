import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { createPiiEngine } from "../../../src/pii/engine.js";
import { creditCardRecognizer, issuerAccepts } from "../../../src/pii/recognizers/credit-card.js";
import { luhnValid } from "../../../src/pii/recognizers/luhn.js";
import { assertLocality, assertStreamEqualsWhole, joined } from "./properties.js";

const engine = createPiiEngine();

/** Luhn check digit computed here, independently of the code under test. */
function withCheckDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return body + String((10 - (sum % 10)) % 10);
}

/** A Luhn-valid number of `length` digits starting with `prefix`, filled with a fixed pattern. */
function card(prefix: string, length: number, fill = "3141592653589793238"): string {
  return withCheckDigit(prefix + fill.slice(0, length - 1 - prefix.length));
}

function group(digits: string, shape: readonly number[], sep: string): string {
  const parts: string[] = [];
  let at = 0;
  for (const n of shape) {
    parts.push(digits.slice(at, at + n));
    at += n;
  }
  return parts.join(sep);
}

/** Spans (as text) the recognizer reports on its own. */
function found(text: string): string[] {
  return creditCardRecognizer.find(text).map((c) => text.slice(c.start, c.end));
}

/** Spans the full engine (all seven types on) reports as CREDIT_CARD. */
function engineCards(text: string): string[] {
  return engine
    .detect(text)
    .filter((f) => f.type === "CREDIT_CARD")
    .map((f) => text.slice(f.start, f.end));
}

describe("CREDIT_CARD: issuers, prefixes and lengths", () => {
  const published = [
    ["Visa 16", "4111111111111111"],
    ["Visa 16", "4012888888881881"],
    ["Visa 13", "4222222222222"],
    ["Mastercard 51-55", "5555555555554444"],
    ["Mastercard 51-55", "5105105105105100"],
    ["Mastercard 2-series", "2223003122003222"],
    ["Amex 37", "378282246310005"],
    ["Amex 37", "371449635398431"],
    ["Amex 34", "340000000000009"],
    ["Discover 6011", "6011111111111117"],
    ["Discover 6011", "6011000990139424"],
    ["JCB", "3530111333300000"],
    ["JCB", "3566002020360505"],
    ["Diners 14", "30569309025904"],
    ["Diners 14", "38520000023237"],
    ["Diners 36", "36227206271667"],
    ["UnionPay", "6200000000000005"],
    ["UnionPay", "6250941006528599"],
  ] as const;
  for (const [network, pan] of published) {
    test(`finds the published ${network} test number ${pan}`, () => {
      assert.ok(luhnValid(pan), "fixture must be Luhn-valid");
      assert.deepEqual(found(`pay with ${pan} today`), [pan]);
    });
  }

  const generated: [string, string, number][] = [
    ["Visa 19", "4", 19],
    ["Mastercard 2221", "2221", 16],
    ["Mastercard 2720", "2720", 16],
    ["Discover 644", "644", 16],
    ["Discover 649", "649", 19],
    ["Discover 65", "65", 16],
    ["Discover 622126", "622126", 16],
    ["Discover 622925", "622925", 19],
    ["JCB 3528", "3528", 16],
    ["JCB 3589", "3589", 19],
    ["Diners 300", "300", 14],
    ["Diners 305", "305", 16],
    ["Diners 38", "38", 19],
    ["Diners 39", "39", 14],
    ["UnionPay 62, 17 digits", "62", 17],
    ["UnionPay 62, 19 digits", "62", 19],
  ];
  for (const [network, prefix, length] of generated) {
    test(`finds a ${network} number of ${length} digits`, () => {
      const pan = card(prefix, length);
      assert.equal(pan.length, length);
      assert.deepEqual(found(`card: ${pan}`), [pan]);
    });
  }

  const refused: [string, string, number][] = [
    ["2220 (just below the Mastercard 2-series)", "2220", 16],
    ["2721 (just above the Mastercard 2-series)", "2721", 16],
    ["50 (not Mastercard)", "50", 16],
    ["56 (not Mastercard)", "56", 16],
    ["3527 (below JCB)", "3527", 16],
    ["3590 (above JCB)", "3590", 16],
    ["306 (not Diners)", "306", 14],
    ["643 (below Discover 644)", "643", 16],
    ["7 (no network)", "7", 16],
    ["8 (no network)", "8", 16],
    ["9 (no network)", "9", 16],
    ["1 (no network)", "1", 16],
    ["Amex at 16 digits", "37", 16],
    ["Amex at 14 digits", "34", 14],
    ["Visa at 15 digits", "4", 15],
    ["Visa at 14 digits", "4", 14],
    ["Visa at 17 digits", "4", 17],
    ["Mastercard at 15 digits", "51", 15],
    ["Mastercard at 19 digits", "55", 19],
    ["Diners at 13 digits", "36", 13],
    ["JCB at 15 digits", "3530", 15],
    ["Discover at 15 digits", "6011", 15],
  ];
  for (const [what, prefix, length] of refused) {
    test(`refuses a Luhn-valid number with prefix ${what}`, () => {
      const pan = card(prefix, length);
      assert.ok(luhnValid(pan));
      assert.equal(issuerAccepts(pan), false);
      assert.deepEqual(found(`card: ${pan}`), []);
    });
  }

  test("refuses lengths outside 13-19 even with a good prefix and checksum", () => {
    assert.deepEqual(found(card("4", 12)), []);
    assert.deepEqual(found(card("4", 20)), []);
    assert.deepEqual(found(card("62", 20)), []);
  });
});

describe("CREDIT_CARD: Luhn checksum", () => {
  test("refuses every Luhn-failing variant of the last digit", () => {
    for (const pan of ["4111111111111111", "5555555555554444", "378282246310005", "30569309025904"]) {
      for (let d = 0; d <= 9; d++) {
        const variant = pan.slice(0, -1) + String(d);
        assert.equal(found(variant).length, variant === pan ? 1 : 0, variant);
      }
    }
  });

  test("refuses common Luhn-failing 16-digit numbers in every format", () => {
    for (const text of ["4111111111111112", "4111 1111 1111 1112", "4111-1111-1111-1112", "5555 5555 5555 5555", "1234 5678 9012 3456"]) {
      assert.deepEqual(found(text), [], text);
      assert.deepEqual(engineCards(`card ${text}`), [], text);
    }
  });

  test("a Luhn-failing 19-digit number in 4-4-4-4-3 is not reported through its valid 16-digit head", () => {
    let checked = 0;
    for (let tail = 0; tail < 1000; tail += 7) {
      const three = String(tail).padStart(3, "0");
      if (withCheckDigit("4111111111111111" + three.slice(0, 2)).endsWith(three[2]!)) continue; // 19 digits pass
      for (const sep of [" ", "-"]) {
        const text = `card ${["4111", "1111", "1111", "1111", three].join(sep)}`;
        assert.deepEqual(found(text), [], text);
      }
      checked++;
    }
    assert.ok(checked > 100);
  });

  test("property: changing any one digit of a valid number makes it unreported", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("4", "51", "2221", "37", "6011", "3530", "36", "62"),
        fc.stringMatching(/^\d{18}$/),
        fc.nat(),
        fc.integer({ min: 1, max: 9 }),
        (prefix, fill, where, delta) => {
          const length = prefix === "37" ? 15 : prefix === "36" ? 14 : 16;
          const pan = card(prefix, length, fill);
          const i = where % length;
          const mutated = pan.slice(0, i) + String((Number(pan[i]) + delta) % 10) + pan.slice(i + 1);
          assert.deepEqual(found(`card ${mutated} ok`), []);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("CREDIT_CARD: formats and exact offsets", () => {
  test("16 digits as 4-4-4-4 with single spaces, single dashes, or none", () => {
    for (const text of ["4111 1111 1111 1111", "4111-1111-1111-1111", "4111111111111111"]) {
      const line = `Card number: ${text}, thanks`;
      const [candidate, ...rest] = creditCardRecognizer.find(line);
      assert.equal(rest.length, 0);
      assert.equal(candidate!.start, line.indexOf(text));
      assert.equal(candidate!.end, line.indexOf(text) + text.length);
    }
  });

  test("Amex as 4-6-5, Diners as 4-6-4, 19 digits as 4-4-4-4-3", () => {
    const amex = "378282246310005";
    const diners = "30569309025904";
    const visa19 = card("4", 19);
    assert.deepEqual(found(`amex ${group(amex, [4, 6, 5], " ")}`), ["3782 822463 10005"]);
    assert.deepEqual(found(`amex ${group(amex, [4, 6, 5], "-")}`), ["3782-822463-10005"]);
    assert.deepEqual(found(`diners ${group(diners, [4, 6, 4], " ")}`), ["3056 930902 5904"]);
    assert.deepEqual(found(`visa ${group(visa19, [4, 4, 4, 4, 3], " ")}`), [group(visa19, [4, 4, 4, 4, 3], " ")]);
    assert.deepEqual(found(`visa ${group(visa19, [4, 4, 4, 4, 3], "-")}`), [group(visa19, [4, 4, 4, 4, 3], "-")]);
  });

  test("leaves surrounding punctuation outside the span", () => {
    for (const [text, span] of [
      ["(4111 1111 1111 1111).", "4111 1111 1111 1111"],
      ['"4111111111111111",', "4111111111111111"],
      ["[4111-1111-1111-1111]", "4111-1111-1111-1111"],
      ["card=4111111111111111;", "4111111111111111"],
      ["17,4111111111111111,12/26", "4111111111111111"],
    ] as const) {
      assert.deepEqual(found(text), [span], text);
    }
  });

  test("refuses mixed, doubled or unusual separators and unusual groupings", () => {
    for (const text of [
      "4111 1111-1111 1111",
      "4111-1111 1111-1111",
      "4111  1111  1111  1111",
      "4111.1111.1111.1111",
      "4111/1111/1111/1111",
      "41111 1111 1111 111",
      "411 1111 1111 11111",
      "41 11 11 11 11 11 11 11",
      "3782 8224 6310 005",
      "4111_1111_1111_1111",
    ]) {
      assert.deepEqual(found(text), [], text);
    }
  });

  test("finds several numbers in one text, each once", () => {
    const text = "a 4111111111111111 b 5555-5555-5555-4444 c 3782 822463 10005 d";
    assert.deepEqual(found(text), ["4111111111111111", "5555-5555-5555-4444", "3782 822463 10005"]);
  });

  test("a date or number before a grouped card, joined by another separator, does not hide it", () => {
    assert.deepEqual(found("2024-01-15 4111 1111 1111 1111"), ["4111 1111 1111 1111"]);
    assert.deepEqual(found("2024 01 15 4111-1111-1111-1111"), ["4111-1111-1111-1111"]);
  });

  test("a grouped card followed by more groups (an expiry) is found with a lower score", () => {
    for (const text of ["4111 1111 1111 1111 12/26", "4111-1111-1111-1111-2026", "3782 822463 10005 12 26"]) {
      const [candidate, ...rest] = creditCardRecognizer.find(text);
      assert.equal(rest.length, 0, text);
      assert.equal(candidate?.start, 0, text);
      assert.equal(candidate?.end, text.startsWith("3782") ? 17 : 19, text);
      assert.ok(candidate!.score >= 0.5 && candidate!.score < 0.9, text);
    }
  });
});

describe("CREDIT_CARD: not inside something longer", () => {
  test("refuses a valid number inside a longer digit run", () => {
    for (const text of ["14111111111111111", "41111111111111111", "94111111111111111 x", "55555555555544440"]) {
      assert.deepEqual(found(text), [], text);
    }
  });

  test("refuses a grouped number continuing a longer chain to its left (IBAN, tracking)", () => {
    for (const text of [
      "0000 4111 1111 1111 1111",
      "12 4111 1111 1111 1111",
      "9400-4111-1111-1111-1111",
      "DE89 3704 0044 0532 0130 00",
      `GB29 ${group(card("4", 16), [4, 4, 4, 4], " ")} 12`,
    ]) {
      assert.deepEqual(found(text), [], text);
    }
  });

  test("refuses numbers glued to letters or underscores", () => {
    for (const text of ["x4111111111111111", "4111111111111111x", "id_4111111111111111", "ab4111 1111 1111 1111", "4111 1111 1111 1111cd"]) {
      assert.deepEqual(found(text), [], text);
    }
  });

  test("refuses the digits of a decimal and a number with a leading +", () => {
    for (const text of ['{"score": 0.4111111111111111}', "4111111111111111.25", "1.4111111111111111", "+4111111111111111"]) {
      assert.deepEqual(found(text), [], text);
    }
    assert.deepEqual(found("paid 4111111111111111."), ["4111111111111111"], "a full stop after is punctuation");
  });
});

describe("CREDIT_CARD: IMEIs and context", () => {
  // 15-digit, Luhn-valid, Amex-prefixed: the one number both an IMEI and a card could be.
  const amexShaped = "378282246310005";

  test("a number the word IMEI owns is not a card, even next to 'SIM card'", () => {
    for (const text of [
      `IMEI: ${amexShaped}`,
      `imei ${amexShaped}`,
      `IMEI number is ${amexShaped}`,
      `SIM card IMEI ${amexShaped}`,
      `"imei": "${amexShaped}"`,
      `IMEISV ${card("4", 16)}`,
      `MEID ${amexShaped}`,
    ]) {
      assert.deepEqual(found(text), [], text);
      assert.deepEqual(engineCards(text), [], text);
    }
  });

  test("an IMEI mentioned earlier does not hide a card introduced by its own words", () => {
    const text = `IMEI 490154203237518, card ${amexShaped}`;
    assert.deepEqual(engineCards(text), [amexShaped]);
  });

  test("a negative word owning an earlier number does not hide a card (only the card's own words count)", () => {
    for (const text of [
      "ISBN 9799179753718. As requested, 4111-1111-1111-1111 - let me know",
      `Re IMEI: 016178870854185 is attached. Quick note: ${amexShaped}.`,
      "nadia: IMEI 863911289429957\nnadia: My 6011-0009-9013-9424 was charged",
      "tracking number 1Z999AA10123456784, then 5555 5555 5555 4444 please",
    ]) {
      assert.equal(engineCards(text).length, 1, text);
    }
  });

  test("real IMEIs are not cards", () => {
    for (const imei of ["490154203237518", "356938035643809", "353918057322470", "35-209900-176148-1"]) {
      assert.deepEqual(engineCards(`device ${imei}`), [], imei);
    }
  });

  test("context words raise the score; other words leave it", () => {
    const bare = engine.detect("4111111111111111").find((f) => f.type === "CREDIT_CARD");
    assert.ok(bare);
    for (const word of ["card", "credit", "visa", "amex", "mastercard", "cc", "payment", "Credit Card"]) {
      const f = engine.detect(`${word}: 4111111111111111`).find((x) => x.type === "CREDIT_CARD");
      assert.ok(f && f.score > bare.score, word);
    }
    const unrelated = engine.detect("hello: 4111111111111111").find((f) => f.type === "CREDIT_CARD");
    assert.equal(unrelated?.score, bare.score);
  });

  test("negative context words (isbn, ean, tracking) keep a card-shaped number below the threshold", () => {
    for (const word of ["ISBN", "EAN", "tracking", "barcode", "UPC"]) {
      assert.deepEqual(engineCards(`${word} 4111111111111111`), [], word);
    }
  });

  test("13-digit numbers score lower than longer ones (EAN-13 codes share the shape)", () => {
    const [short] = creditCardRecognizer.find("4222222222222");
    const [long] = creditCardRecognizer.find("4111111111111111");
    assert.ok(short!.score < long!.score);
    assert.ok(short!.score >= 0.5);
  });
});

describe("CREDIT_CARD: hard negatives through the full engine", () => {
  const negatives = [
    "Order #100234567 shipped",
    "INV-2024-000123",
    "invoice 2024-000123-7",
    "total $1,234.56 due",
    "price 12,345,678.90",
    "epoch 1700000000 and 1700000000123 and 1700000000123456",
    "2024-01-15T10:30:00Z",
    "2024-01-15 10:30:00.123456",
    "15/01/2024 and 01.15.2024",
    "ISBN 978-3-16-148410-0 and 0-306-40615-2 and 9783161484100",
    "uuid 550e8400-e29b-41d4-a716-446655440000",
    "uuid 12345678-1234-1234-1234-123456789012",
    "sha1 a94a8fe5ccb19ba61c4c0873d391e987982fbbd3",
    "sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "md5 d41d8cd98f00b204e9800998ecf8427e",
    "call +1 415 555 2671 or +44 20 7946 0958",
    "postcodes 90210, SW1A 1AA, 10115",
    "IP 192.168.1.1 and 1.3.6.1.4.1.9.9.23",
    "IBAN DE89 3704 0044 0532 0130 00",
    "USPS 9400 1000 0000 0000 0000 00",
    "version 4.1.1.1",
  ];
  for (const text of negatives) {
    test(`no CREDIT_CARD in ${JSON.stringify(text)}`, () => {
      assert.deepEqual(engineCards(text), []);
    });
  }
});

describe("CREDIT_CARD: properties", () => {
  const issuers: [string, number[]][] = [
    ["4", [13, 16, 19]],
    ["51", [16]],
    ["55", [16]],
    ["2221", [16]],
    ["2720", [16]],
    ["34", [15]],
    ["37", [15]],
    ["6011", [16, 19]],
    ["645", [16]],
    ["65", [16, 19]],
    ["3528", [16]],
    ["3589", [19]],
    ["300", [14]],
    ["36", [14, 16]],
    ["62", [16, 19]],
  ];
  const shapes: Record<number, number[][]> = {
    13: [[13]],
    14: [[14], [4, 6, 4]],
    15: [[15], [4, 6, 5]],
    16: [[16], [4, 4, 4, 4]],
    19: [[19], [4, 4, 4, 4, 3]],
  };
  const left = fc.constantFrom("", "Card: ", "pay with ", "(", "name,", '"pan": "', "\n", "x = ");
  const right = fc.constantFrom("", ".", " thanks", ")", ",12/26", '"', "\n", "; ok");

  test("every valid number, in every printed format, is found at its exact offsets", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...issuers),
        fc.nat(),
        fc.stringMatching(/^\d{18}$/),
        fc.nat(),
        fc.constantFrom(" ", "-"),
        left,
        right,
        ([prefix, lengths], pickLength, fill, pickShape, sep, before, after) => {
          const length = lengths[pickLength % lengths.length]!;
          const options = shapes[length]!;
          const pan = card(prefix, length, fill);
          const written = group(pan, options[pickShape % options.length]!, sep);
          const text = before + written + after;
          const candidates = creditCardRecognizer.find(text);
          assert.equal(candidates.length, 1, text);
          assert.equal(candidates[0]!.start, before.length);
          assert.equal(candidates[0]!.end, before.length + written.length);
          assert.ok(candidates[0]!.score >= 0.5);
        },
      ),
      { numRuns: 500 },
    );
  });

  test("a candidate depends only on nearby text (locality, as the stream masker needs)", () => {
    const piece = fc.constantFrom(
      "4111 1111 1111 1111",
      "4111111111111111",
      "3782-822463-10005",
      "1234",
      " ",
      "-",
      "7",
      "card ",
      "IMEI ",
      "0.",
      "x",
      "\n",
    );
    assertLocality(creditCardRecognizer, piece, 60, 300);
  });

  test("streamed in any chunks, masking equals masking the whole text", () => {
    const piece = fc.constantFrom("card 4111 1111 1111 1111 ", "5555-5555-5555-4444", "x ", "1234 ", "\n", "paid ", "378282246310005.");
    assertStreamEqualsWhole(engine, joined(piece, 40), 150);
  });
});

describe("CREDIT_CARD: adversarial input stays linear", () => {
  // No timing assertions (machines are noisy); these must simply finish and answer correctly.
  test("a megabyte of digits, groups and separators", () => {
    assert.deepEqual(creditCardRecognizer.find("4".repeat(1 << 20)), []);
    assert.deepEqual(creditCardRecognizer.find("4111 ".repeat(200_000)), []);
    assert.deepEqual(creditCardRecognizer.find("1-".repeat(500_000)), []);
    const many = "4111111111111111 ".repeat(60_000);
    assert.equal(creditCardRecognizer.find(many).length, 60_000);
  });
});
