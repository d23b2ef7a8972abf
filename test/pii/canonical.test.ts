import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { createPiiEngine } from "../../src/pii/index.js";
import { backOverKept, canonicalView } from "../../src/pii/canonical.js";
import { scanDigits } from "../../src/pii/text-scan.js";
import { FILLER_FRAGMENTS, PII_FRAGMENTS } from "./samples.js";

const engine = createPiiEngine();

const INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u180e"];

/** Fullwidth twin of a printable ASCII character (U+0021..U+007E). */
const fullwidth = (c: string): string => String.fromCharCode(c.charCodeAt(0) + 0xfee0);
const isPrintableAscii = (c: string): boolean => c.charCodeAt(0) >= 0x21 && c.charCodeAt(0) <= 0x7e;

const documentText = fc
  .array(fc.oneof(fc.constantFrom(...PII_FRAGMENTS), fc.constantFrom(...FILLER_FRAGMENTS)), { minLength: 1, maxLength: 16 })
  .map((parts) => parts.join(" "));

/** `text` with invisible characters put in before the characters at `at` (positions taken modulo the length). */
function withInvisibles(text: string, at: readonly number[], pick: readonly number[]): string {
  const before = new Map<number, string>();
  at.forEach((p, k) => {
    const i = p % (text.length + 1);
    before.set(i, (before.get(i) ?? "") + INVISIBLE[pick[k % pick.length]! % INVISIBLE.length]!);
  });
  let out = "";
  for (let i = 0; i <= text.length; i++) out += (before.get(i) ?? "") + (text[i] ?? "");
  return out;
}

const withoutInvisibles = (text: string): string => [...text].filter((c) => !INVISIBLE.includes(c)).join("");

describe("canonical view: what a reader sees is what is scanned", () => {
  test("invisible characters inside an entity do not hide it, and are masked with it", () => {
    assert.equal(engine.mask("mail jane.doe\u200b@example.com now"), "mail <EMAIL_ADDRESS> now");
    assert.equal(engine.mask("mail jane.doe@exam\u00adple.com now"), "mail <EMAIL_ADDRESS> now");
    assert.equal(engine.mask("SSN 536\u200d-22-\u20601234"), "SSN <US_SSN>");
    assert.equal(engine.mask("card 4111\ufeff1111\u200b1111\u200c1111"), "card <CREDIT_CARD>");
    assert.equal(engine.mask("from 192.168.\u200b10.20 on"), "from <IP_ADDRESS> on");
    // Next to the entity, outside it, they stay where they were.
    assert.equal(engine.mask("\u200bjane@example.com\u200b"), "\u200b<EMAIL_ADDRESS>\u200b");
  });

  test("fullwidth digits and signs read as their ASCII twins", () => {
    assert.equal(engine.mask("SSN ５３６-２２-１２３４"), "SSN <US_SSN>");
    assert.equal(engine.mask("card ４１１１１１１１１１１１１１１１"), "card <CREDIT_CARD>");
    assert.equal(engine.mask("mail ｊａｎｅ＠ｅｘａｍｐｌｅ．ｃｏｍ"), "mail <EMAIL_ADDRESS>");
    assert.equal(engine.mask("ip 192。168。10。20"), "ip <IP_ADDRESS>");
  });

  test("no-break and narrow no-break spaces group digits as a space does", () => {
    assert.equal(engine.mask("card 4111\u00a01111\u00a01111\u00a01111"), "card <CREDIT_CARD>");
    assert.equal(engine.mask("Card: 4111\u202f1111\u202f1111\u202f1111"), "Card: <CREDIT_CARD>");
    assert.equal(engine.mask("SSN 536\u00a022\u00a01234"), "SSN <US_SSN>");
    assert.equal(engine.mask("SSN 536\u201022\u20111234"), "SSN <US_SSN>");
  });

  test("hard negatives stay unflagged in these forms too", () => {
    for (const text of [
      "card 4111\u00a01111\u00a01111\u00a01112", // Luhn fails
      "version １.２.３.４",
      "SSN ０００-２２-１２３４", // area 000
      "order #１００２３４５６７",
      "build 1.2\u200b.3.4 released",
      "price ＄１,２３４.５６",
    ]) {
      assert.deepEqual(engine.detect(text), [], text);
    }
  });

  test("text without such characters is scanned as it is (no view made)", () => {
    assert.equal(canonicalView("plain text, 4111 1111 1111 1111, é ü ß 漢字 – — …"), undefined);
    const view = canonicalView("a\u200bb\u00a0c４")!;
    assert.equal(view.text, "ab c4");
    assert.deepEqual([...view.source!], [0, 2, 3, 4, 5]);
    // Replaced one for one, nothing dropped: the offsets are the original's.
    const oneForOne = canonicalView("card 4111\u00a01111 ５")!;
    assert.equal(oneForOne.text, "card 4111 1111 5");
    assert.equal(oneForOne.source, undefined);
  });

  test("property: invisible characters anywhere change no finding, only where spans reach", () => {
    fc.assert(
      fc.property(documentText, fc.array(fc.nat(), { maxLength: 12 }), fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), (text, at, pick) => {
        const padded = withInvisibles(text, at, pick);
        const findings = engine.detect(text);
        const paddedFindings = engine.detect(padded);
        assert.deepEqual(paddedFindings.map((f) => [f.type, f.score]), findings.map((f) => [f.type, f.score]));
        // Each span holds the same visible characters.
        paddedFindings.forEach((f, k) => {
          assert.equal(withoutInvisibles(padded.slice(f.start, f.end)), text.slice(findings[k]!.start, findings[k]!.end));
        });
        assert.equal(withoutInvisibles(engine.mask(padded)), engine.mask(text));
      }),
      { numRuns: 300 },
    );
  });

  test("property: fullwidth forms give the findings of their ASCII twins, at the same offsets", () => {
    fc.assert(
      fc.property(documentText, fc.array(fc.boolean(), { minLength: 1, maxLength: 64 }), (text, which) => {
        let k = 0;
        const wide = [...text].map((c) => (isPrintableAscii(c) && which[k++ % which.length] ? fullwidth(c) : c)).join("");
        assert.deepEqual(engine.detect(wide), engine.detect(text));
      }),
      { numRuns: 300 },
    );
  });
});

describe("the text scan finds what the canonical view would change", () => {
  const NOT_CANONICAL = /[\u00a0\u00ad\u180e\u2007\u2010-\u2012\u200b-\u200d\u202f\u2060\u2212\u3002\ufeff\uff01-\uff5e\uff61]/;
  // Digits, the separators a cluster's gaps hold (no-break spaces and hyphens among them), letters,
  // and every character the view changes, so they stand inside gaps as well as between words.
  const pieces = fc.constantFrom(
    "1", "23", "4567", " ", "-", ".", "/", "(", ")", "a", "Z", "ß", "\u2013", "\u2014", "\u00a0", "\u2007", "\u202f", "\u2010", "\u2011",
    "\u2012", "\u2212", "\u00ad", "\u180e", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u3002", "\uff61", "\uff10", "\uff5e", "\uff00", "\uff5f",
  );

  test("property: the scan's first changed character is the first match of the view's characters", () => {
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 40 }), (parts) => {
        const text = parts.join("");
        assert.equal(scanDigits(text).firstNotCanonical, text.search(NOT_CANONICAL), JSON.stringify(text));
      }),
      { numRuns: 3000 },
    );
  });

  test("inside a cluster's gap and between words alike", () => {
    assert.equal(scanDigits("4111\u00a01111").firstNotCanonical, 4);
    assert.equal(scanDigits("536\u201022").firstNotCanonical, 3);
    assert.equal(scanDigits("no digits \u200b here").firstNotCanonical, 10);
    assert.equal(scanDigits("plain 4111 1111 \u2013 é").firstNotCanonical, -1);
  });
});

describe("canonical view in the stream masker", () => {
  function maskInChunks(text: string, size: number): string {
    const masker = engine.createStreamMasker();
    let out = "";
    for (let i = 0; i < text.length; i += size) out += masker.push(text.slice(i, i + size));
    return out + masker.end();
  }

  test("an entity padded past the hold with invisible characters is still masked whole", () => {
    const padding = "\u200b".repeat(engine.maxEntityLength * 2);
    const text = `write to jane.${padding}doe@example.com today`;
    assert.equal(engine.mask(text), "write to <EMAIL_ADDRESS> today");
    for (const size of [1, 7, 64]) assert.equal(maskInChunks(text, size), "write to <EMAIL_ADDRESS> today");
  });

  test("property: any split equals the whole text, with invisible characters about", () => {
    fc.assert(
      fc.property(
        documentText,
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 40 }),
        (text, at, pick, size) => {
          const padded = withInvisibles(text, at, pick);
          assert.equal(maskInChunks(padded, size), engine.mask(padded));
        },
      ),
      { numRuns: 200 },
    );
  });

  test("an endless run of invisible characters is not held without bound", () => {
    const masker = engine.createStreamMasker();
    const chunk = "\u200b".repeat(1000);
    let pushed = 0;
    let emitted = 0;
    for (let k = 0; k < 200; k++) {
      pushed += chunk.length;
      emitted += masker.push(chunk).length;
    }
    const held = pushed - emitted;
    assert.ok(held <= engine.maxEntityLength * 4 + 4096 + chunk.length, `held ${held}`);
    emitted += masker.end().length;
    assert.equal(emitted, pushed);
  });

  test("backOverKept counts only the characters the view keeps, never below its floor", () => {
    assert.equal(backOverKept("abc\u200b\u200bd", 6, 2), 2);
    assert.equal(backOverKept("abc", 3, 5), 0);
    assert.equal(backOverKept("\u200b".repeat(10), 10, 1, 4), 4);
  });
});
