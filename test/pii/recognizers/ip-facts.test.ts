import assert from "node:assert/strict";
import { isIPv6 } from "node:net";
import { describe, test } from "node:test";
import fc from "fast-check";
import { isIpv6At, type Ipv6Facts } from "../../../src/pii/recognizers/ip-parse.js";

/*
 * The IPv6 recognizer judges an accepted address by what the parser noted while reading it
 * (instead of reading it again): whether it holds "::" or an embedded IPv4 address, and how many
 * hex and decimal digits its groups hold. Those notes must be what the text says.
 */

const v6Piece = fc.constantFrom(
  "0", "1", "a", "F", "ff", "db8", "2001", "ffff", "12345", ":", "::", ":::", ".", "1.2.3.4", "192.0.2.33", "256.1.1.1", "abcd", "00",
);
const v6Text = fc.array(v6Piece, { maxLength: 14 }).map((parts) => parts.join(""));

function expectedFacts(text: string): Ipv6Facts {
  const embedsIpv4 = text.includes(".");
  const groupsPart = embedsIpv4 ? text.slice(0, text.lastIndexOf(":") + 1) : text;
  return {
    compressed: text.includes("::"),
    embedsIpv4,
    hexDigits: groupsPart.replace(/:/g, "").length,
    decimalDigits: groupsPart.replace(/[^0-9]/g, "").length,
  };
}

describe("ip-parse: the facts noted while reading an IPv6 address", () => {
  test("accepted addresses: notes match the text (digits counted in the groups only)", () => {
    let accepted = 0;
    fc.assert(
      fc.property(v6Text, (text) => {
        const facts: Ipv6Facts = { compressed: false, embedsIpv4: false, hexDigits: -1, decimalDigits: -1 };
        const ok = isIpv6At(text, 0, text.length, facts);
        assert.equal(ok, isIPv6(text), text);
        if (!ok) return;
        accepted++;
        const expected = expectedFacts(text);
        assert.equal(facts.compressed, expected.compressed, text);
        assert.equal(facts.embedsIpv4, expected.embedsIpv4, text);
        // Digit counts are what the recognizer reads only without an embedded IPv4 address.
        if (!expected.embedsIpv4) {
          assert.equal(facts.hexDigits, expected.hexDigits, text);
          assert.equal(facts.decimalDigits, expected.decimalDigits, text);
        }
      }),
      { numRuns: 20000 },
    );
    assert.ok(accepted > 100, `only ${accepted} addresses generated`);
  });

  test("known answers", () => {
    const facts: Ipv6Facts = { compressed: false, embedsIpv4: false, hexDigits: 0, decimalDigits: 0 };
    assert.ok(isIpv6At("fe80::aad9:ab05:93d6:3d1f", 0, 25, facts));
    assert.deepEqual(facts, { compressed: true, embedsIpv4: false, hexDigits: 20, decimalDigits: 10 });
    assert.ok(isIpv6At("::ffff:192.0.2.1", 0, 16, facts));
    assert.equal(facts.embedsIpv4, true);
    assert.ok(isIpv6At("1:2:3:4:5:6:7:8", 0, 15, facts));
    assert.deepEqual(facts, { compressed: false, embedsIpv4: false, hexDigits: 8, decimalDigits: 8 });
    assert.ok(!isIpv6At("1:2:3", 0, 5, facts));
  });
});
