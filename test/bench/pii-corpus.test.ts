import assert from "node:assert/strict";
import { isIP } from "node:net";
import { describe, test } from "node:test";
import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/max";
import { DOC_KINDS, generateCorpus, NEGATIVE_KINDS, type CorpusDoc } from "../../bench/pii/corpus.js";
import { runChain } from "../../bench/pii/regex-chain.js";
import { scoreSystem } from "../../bench/pii/score.js";
import { ENTITY_TYPES } from "../../src/index.js";

// The checks below recompute checksums on their own, so a bug in a generator cannot vouch for itself.

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

function ssnIssuable(value: string): boolean {
  const d = value.replace(/[ -]/g, "");
  const area = Number(d.slice(0, 3));
  const group = Number(d.slice(3, 5));
  const serial = Number(d.slice(5));
  const banned = ["078051120", "219099999", "123456789"];
  return /^\d{9}$/.test(d) && area !== 0 && area !== 666 && area < 900 && group !== 0 && serial !== 0 && !banned.includes(d);
}

function icaoCheck(field: string): string {
  let sum = 0;
  for (let i = 0; i < field.length; i++) {
    const c = field[i]!;
    const v = c === "<" ? 0 : /\d/.test(c) ? Number(c) : c.charCodeAt(0) - 55;
    sum += v * [7, 3, 1][i % 3]!;
  }
  return String(sum % 10);
}

function isbnValid(value: string): boolean {
  const d = value.replace(/-/g, "");
  if (d.length === 10) {
    let sum = 0;
    for (let i = 0; i < 10; i++) sum += (10 - i) * (d[i] === "X" ? 10 : Number(d[i]));
    return sum % 11 === 0;
  }
  let sum = 0;
  for (let i = 0; i < 13; i++) sum += (i % 2 === 0 ? 1 : 3) * Number(d[i]);
  return d.length === 13 && sum % 10 === 0;
}

function csvFields(line: string, separator: string): string[] {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === separator && !quoted) {
      fields.push(field);
      field = "";
    } else field += ch;
  }
  fields.push(field);
  return fields;
}

const corpus = generateCorpus(1234, 256 * 1024);
const entities = corpus.docs.flatMap((doc) => doc.entities.map((e) => ({ ...e, doc })));
const negatives = corpus.docs.flatMap((doc) => doc.negatives.map((n) => ({ ...n, doc })));

describe("PII corpus generator", () => {
  test("is deterministic for a seed and differs between seeds", () => {
    assert.deepEqual(generateCorpus(99, 48 * 1024), generateCorpus(99, 48 * 1024));
    assert.notEqual(generateCorpus(99, 8 * 1024).docs[0]!.text, generateCorpus(100, 8 * 1024).docs[0]!.text);
  });

  test("reaches about the requested size", () => {
    const bytes = corpus.docs.reduce((n, d) => n + Buffer.byteLength(d.text), 0);
    assert.ok(bytes >= 256 * 1024 && bytes < 256 * 1024 + 64 * 1024, `got ${bytes} bytes`);
  });

  test("every label span slices exactly to its generated value, in bounds, never overlapping another", () => {
    for (const doc of corpus.docs) {
      const labels = [...doc.entities, ...doc.negatives].sort((a, b) => a.start - b.start);
      let previousEnd = 0;
      for (const label of labels) {
        assert.ok(label.start >= previousEnd, `overlapping labels in a ${doc.kind} document`);
        assert.ok(label.end > label.start && label.end <= doc.text.length);
        assert.equal(doc.text.slice(label.start, label.end), label.value);
        previousEnd = label.end;
      }
    }
  });

  test("covers every entity type, hard-negative kind and document kind", () => {
    for (const type of ENTITY_TYPES) assert.ok(entities.filter((e) => e.type === type).length >= 50, type);
    for (const kind of NEGATIVE_KINDS) assert.ok(negatives.filter((n) => n.kind === kind).length >= 20, kind);
    for (const kind of DOC_KINDS) assert.ok(corpus.docs.some((d) => d.kind === kind), kind);
  });

  test("credit cards pass Luhn with a real issuer prefix; the Luhn negatives fail it; IMEIs pass it", () => {
    for (const card of entities.filter((e) => e.type === "CREDIT_CARD")) {
      const digits = card.value.replace(/[ \u00a0-]/g, "");
      assert.match(digits, /^(4\d{15}(\d{3})?|5[1-5]\d{14}|2(2[2-9]\d|[3-6]\d\d|7[01]\d|720)\d{12}|3[47]\d{13}|(6011|64[4-9]\d|65\d\d)\d{12}|35(2[89]|[3-8]\d)\d{12}|3(0[0-5]|[68]\d)\d{11}|62\d{14}(\d{3})?)$/, card.value);
      assert.ok(luhn(digits), card.value);
    }
    for (const n of negatives.filter((x) => x.kind === "luhn_invalid_16")) {
      const digits = n.value.replace(/[ -]/g, "");
      assert.equal(digits.length, 16);
      assert.ok(!luhn(digits), n.value);
    }
    for (const n of negatives.filter((x) => x.kind === "imei")) {
      const digits = n.value.replace(/[ -]/g, "");
      assert.equal(digits.length, 15);
      assert.ok(luhn(digits), n.value);
    }
  });

  test("SSNs are issuable and the invalid-SSN negatives are not", () => {
    for (const e of entities.filter((x) => x.type === "US_SSN")) assert.ok(ssnIssuable(e.value), e.value);
    for (const n of negatives.filter((x) => x.kind === "invalid_ssn")) assert.ok(!ssnIssuable(n.value), n.value);
  });

  test("a bare nine-digit SSN and every passport number have a context word just before them", () => {
    for (const e of entities.filter((x) => x.type === "PASSPORT" || (x.type === "US_SSN" && /^\d{9}$/.test(x.value)))) {
      const before = e.doc.text.slice(Math.max(0, e.start - 40), e.start).toLowerCase();
      assert.match(before, e.type === "PASSPORT" ? /passport|reisepass|passeport|mrz|machine readable/ : /ssn|social security/, before);
    }
  });

  test("phone numbers are valid in their region's numbering plan", () => {
    const phones = entities.filter((e) => e.type === "PHONE_NUMBER");
    for (const phone of phones) {
      const region = phone.variant.split(":")[0] as CountryCode;
      const parsed = parsePhoneNumberFromString(phone.value, region);
      assert.ok(parsed?.isValid(), `${phone.value} (${phone.variant})`);
    }
    for (const region of ["US", "CA", "GB", "DE", "FR", "IN", "AU", "JP", "BR"]) {
      assert.ok(phones.some((p) => p.variant.startsWith(`${region}:`)), region);
    }
  });

  test("IP addresses parse (after their CIDR suffix or zone id) and four-part versions are IPv4-shaped on purpose", () => {
    for (const e of entities.filter((x) => x.type === "IP_ADDRESS")) {
      const [address, prefix] = e.value.replace(/%[A-Za-z0-9]+$/, "").split("/");
      const family = isIP(address!);
      assert.ok(family !== 0, e.value);
      if (prefix !== undefined) assert.ok(Number(prefix) >= 0 && Number(prefix) <= (family === 4 ? 32 : 128), e.value);
    }
    const ipLike = negatives.filter((n) => n.kind === "version" && n.variant === "four-part-small");
    assert.ok(ipLike.length > 0);
    for (const v of ipLike) assert.equal(isIP(v.value), 4, v.value);
  });

  test("MRZ blocks are two 44-character lines with correct ICAO 9303 check digits", () => {
    const mrzs = entities.filter((e) => e.type === "PASSPORT" && e.variant.startsWith("MRZ:"));
    assert.ok(mrzs.length > 0);
    for (const { value } of mrzs) {
      const [line1, line2] = value.split("\n");
      assert.equal(line1!.length, 44);
      assert.equal(line2!.length, 44);
      assert.match(line1!, /^P<[A-Z<]{3}[A-Z<]+$/);
      assert.equal(line2![9], icaoCheck(line2!.slice(0, 9)));
      assert.equal(line2![19], icaoCheck(line2!.slice(13, 19)));
      assert.equal(line2![27], icaoCheck(line2!.slice(21, 27)));
      const personal = line2!.slice(28, 42);
      assert.equal(line2![42], personal === "<".repeat(14) ? "<" : icaoCheck(personal));
      assert.equal(line2![43], icaoCheck(line2!.slice(0, 10) + line2!.slice(13, 20) + line2!.slice(21, 43)));
    }
  });

  test("ISBNs carry correct check digits", () => {
    for (const n of negatives.filter((x) => x.kind === "isbn")) assert.ok(isbnValid(n.value), n.value);
  });

  test("structured documents are well formed: JSON parses, CSV rows match the header", () => {
    for (const doc of corpus.docs) {
      if (doc.kind === "json_tool_result") assert.doesNotThrow(() => JSON.parse(doc.text));
      if (doc.kind === "app_json_log") for (const line of doc.text.trim().split("\n")) assert.doesNotThrow(() => JSON.parse(line));
      if (doc.kind === "csv") {
        const [header, ...rows] = doc.text.trim().split("\n");
        const separator = header!.includes(";") ? ";" : ",";
        const width = csvFields(header!, separator).length;
        for (const row of rows) assert.equal(csvFields(row, separator).length, width, row);
      }
    }
  });
});

describe("scoring against the corpus labels", () => {
  const docs: CorpusDoc[] = corpus.docs.slice(0, 60);
  const gold = docs.map((d) => d.entities.map(({ type, start, end }) => ({ type, start, end })));

  test("predicting exactly the gold spans scores 1 and flags no hard negative", () => {
    const score = scoreSystem(docs, gold, ENTITY_TYPES);
    assert.equal(score.microAll.exact.f1, 1);
    assert.equal(score.microAll.overlap.f1, 1);
    for (const kind of NEGATIVE_KINDS) assert.equal(score.negatives[kind].flagged, 0);
  });

  test("flagging every hard negative is counted per kind and costs precision", () => {
    const flagged = docs.map((d, i) => [...gold[i]!, ...d.negatives.map(({ start, end }) => ({ type: "CREDIT_CARD" as const, start, end }))]);
    const score = scoreSystem(docs, flagged, ENTITY_TYPES);
    for (const kind of NEGATIVE_KINDS) assert.equal(score.negatives[kind].rate, score.negatives[kind].total === 0 ? 0 : 1);
    assert.ok(score.perType.overlap.CREDIT_CARD.precision < 0.5);
    assert.equal(score.perType.overlap.CREDIT_CARD.recall, 1);
  });

  test("a span trimmed by one character matches under the overlap rule but not the exact rule", () => {
    const trimmed = gold.map((spans) => spans.map((s) => ({ ...s, end: s.end - 1 })));
    const score = scoreSystem(docs, trimmed, ENTITY_TYPES);
    assert.equal(score.microAll.overlap.recall, 1);
    assert.equal(score.microAll.exact.tp, 0);
  });

  test("a type a system does not cover lowers only its all-types micro score", () => {
    const withoutPassports = gold.map((spans) => spans.filter((s) => s.type !== "PASSPORT"));
    const covers = ENTITY_TYPES.filter((t) => t !== "PASSPORT");
    const score = scoreSystem(docs, withoutPassports, covers);
    assert.equal(score.microCovered.overlap.f1, 1);
    assert.ok(score.microAll.overlap.recall < 1);
  });
});

describe("regex-chain replay (how spans are recovered from redact-only peers)", () => {
  test("maps each placeholder back to its original span, across earlier rewrites", () => {
    const text = "mail bob@acme.io or call 415-555-0132 today";
    const result = runChain(text, [
      { pattern: /[a-z]+@[a-z.]+/g, replacement: "EMAIL_ADDRESS", type: "EMAIL_ADDRESS" },
      { pattern: /\d{3}-\d{3}-\d{4}/g, replacement: "PHONE_NUMBER", type: "PHONE_NUMBER" },
    ]);
    assert.equal(result.output, text.replace(/[a-z]+@[a-z.]+/g, "EMAIL_ADDRESS").replace(/\d{3}-\d{3}-\d{4}/g, "PHONE_NUMBER"));
    assert.deepEqual(result.spans, [
      { type: "EMAIL_ADDRESS", start: 5, end: 16 },
      { type: "PHONE_NUMBER", start: 25, end: 37 },
    ]);
  });

  test("a later match that swallows an earlier placeholder replaces it", () => {
    const text = "id 12 34 end";
    const result = runChain(text, [
      { pattern: /\d\d/g, replacement: "N", type: "US_SSN" },
      { pattern: /N N/g, replacement: "CARD", type: "CREDIT_CARD" },
    ]);
    assert.equal(result.output, "id CARD end");
    assert.deepEqual(result.spans, [{ type: "CREDIT_CARD", start: 3, end: 8 }]);
  });

  test("matches of categories we do not score leave no finding", () => {
    const result = runChain("Dear Jane", [{ pattern: /Jane/g, replacement: "NAME", type: null }]);
    assert.equal(result.output, "Dear NAME");
    assert.deepEqual(result.spans, []);
  });
});
