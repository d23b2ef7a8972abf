import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parsePhoneNumberFromString } from "libphonenumber-js/max";
import { createPiiEngine } from "../../../src/pii/index.js";
import { DEFAULT_DOCUMENTS, TARGET_BYTES, piiDocuments } from "../pii-payload.js";

// Checksums and ranges are recomputed here, so a bug in a generator cannot vouch for itself.
function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

const docs = piiDocuments();

describe("the PII payload", () => {
  test("is the same for the same seed and differs for another", () => {
    assert.deepEqual(piiDocuments(), docs);
    assert.notDeepEqual(piiDocuments(7), docs);
    assert.equal(docs.length, DEFAULT_DOCUMENTS);
    assert.equal(new Set(docs).size, docs.length);
  });

  test("each document is about 2 KB", () => {
    for (const doc of docs) {
      const bytes = Buffer.byteLength(doc);
      assert.ok(bytes >= TARGET_BYTES && bytes < TARGET_BYTES + 200, `${bytes} bytes`);
    }
  });

  test("cards are Luhn-valid, SSNs issuable, phone numbers valid by libphonenumber", () => {
    for (const doc of docs) {
      const cards = [...doc.matchAll(/card ([\d -]+?\d) exp/g)].map((m) => m[1]!.replace(/[ -]/g, ""));
      assert.ok(cards.length >= 3);
      for (const card of cards) assert.ok(luhn(card) && (card.length === 15 || card.length === 16), card);
      const ssns = [...doc.matchAll(/SSN (\d{3})-(\d{2})-(\d{4})/g)];
      assert.ok(ssns.length >= 3);
      for (const [, area, group, serial] of ssns) {
        assert.ok(area !== "000" && area !== "666" && Number(area) < 900 && group !== "00" && serial !== "0000", `${area}-${group}-${serial}`);
      }
      const phones = [...doc.matchAll(/(?:mobile|office|called back on) (\+?[\d ()-]+\d)/g)].map((m) => m[1]!);
      assert.ok(phones.length >= 6);
      for (const phone of phones) assert.ok(parsePhoneNumberFromString(phone, "US")?.isValid(), phone);
    }
  });

  test("the project's PII engine finds every kind of entity the payload carries in every document", () => {
    const engine = createPiiEngine();
    for (const doc of docs) {
      const found = new Set(engine.detect(doc).map((f) => f.type));
      for (const type of ["EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "US_SSN", "IP_ADDRESS", "STREET_ADDRESS"]) {
        assert.ok(found.has(type as never), `${type} not found in: ${doc.slice(0, 120)}...`);
      }
    }
  });
});
