import assert from "node:assert/strict";
import { isIPv4, isIPv6 } from "node:net";
import { describe, test } from "node:test";
import fc from "fast-check";
import { isIpv4At, isIpv6At } from "../../../src/pii/recognizers/ip-parse.js";

// Pieces of addresses and of near misses: groups of every length, octets at the edges and past
// them, leading zeros, and the separators in every count.
const v6Piece = fc.constantFrom(
  "0", "1", "a", "F", "ff", "db8", "2001", "ffff", "12345", "g", ":", "::", ":::", ".", "1.2.3.4", "255.255.255.255",
  "256.1.1.1", "01.2.3.4", "1.2.3", "0.0.0.0", "192.0.2.33", "10", "00", "099", "abcd",
);
const v6Text = fc.array(v6Piece, { maxLength: 14 }).map((parts) => parts.join(""));
const v6Chars = fc.array(fc.constantFrom("0", "1", "9", "a", "f", "A", "F", ":", "."), { maxLength: 40 }).map((c) => c.join(""));

const v4Piece = fc.constantFrom("0", "1", "9", "10", "01", "00", "99", "100", "199", "200", "249", "250", "255", "256", "300", "999", "1000", ".", "..", "a");
const v4Text = fc.array(v4Piece, { maxLength: 9 }).map((parts) => parts.join(""));

describe("ip-parse: addresses read in place answer as node:net does", () => {
  test("IPv6 on address-like text", () => {
    fc.assert(
      fc.property(fc.oneof(v6Text, v6Chars), (text) => {
        assert.equal(isIpv6At(text, 0, text.length), isIPv6(text), JSON.stringify(text));
      }),
      { numRuns: 20000 },
    );
  });

  test("IPv6 on every stretch of a longer text", () => {
    fc.assert(
      fc.property(v6Text, (text) => {
        for (let from = 0; from <= text.length; from++) {
          for (let to = from; to <= text.length; to++) {
            assert.equal(isIpv6At(text, from, to), isIPv6(text.slice(from, to)), `${JSON.stringify(text)} [${from}, ${to})`);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  test("IPv6 forms: every length of '::', an embedded IPv4 in its place only", () => {
    for (const [text, valid] of [
      ["::", true],
      ["::1", true],
      ["1::", true],
      ["1:2:3:4:5:6:7:8", true],
      ["1:2:3:4:5:6:7::", true],
      ["::2:3:4:5:6:7:8", true],
      ["1:2:3:4:5:6:7:8:9", false],
      ["1::3:4:5:6:7:8:9", false],
      ["1:2:3:4:5:6:1.2.3.4", true],
      ["1:2:3:4:5::1.2.3.4", true],
      ["1:2:3:4:5:6::1.2.3.4", false],
      ["::ffff:192.0.2.1", true],
      ["::ffff:192.0.2.01", false],
      ["1.2.3.4::", false],
      ["1:2", false],
      [":1::", false],
      ["1::2::3", false],
      ["12345::1", false],
      ["", false],
    ] as const) {
      assert.equal(isIpv6At(text, 0, text.length), valid, text);
      assert.equal(isIPv6(text), valid, `node:net agrees on ${text}`);
    }
  });

  test("IPv4 on quad-like text and every stretch of it", () => {
    fc.assert(
      fc.property(v4Text, (text) => {
        for (let from = 0; from <= text.length; from++) {
          for (let to = from; to <= text.length; to++) {
            assert.equal(isIpv4At(text, from, to), isIPv4(text.slice(from, to)), `${JSON.stringify(text)} [${from}, ${to})`);
          }
        }
      }),
      { numRuns: 2000 },
    );
    assert.equal(isIpv4At("ip 10.0.0.1 ok", 3, 11), true);
    assert.equal(isIpv4At("01.2.3.4", 0, 8), false);
    assert.equal(isIpv4At("256.2.3.4", 0, 9), false);
  });
});
