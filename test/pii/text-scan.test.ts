import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { createTextScan, digitClustersOf, MAX_GAP, MIN_DIGITS, MIN_DOTS, RUN_LENGTHS, scanDigits, SPAN, ZERO_LED } from "../../src/pii/text-scan.js";
import { nextCardAnchor } from "../../src/pii/recognizers/credit-card.js";
import { nextSsnAnchor } from "../../src/pii/recognizers/us-ssn.js";
import { quadTailEnd } from "../../src/pii/recognizers/ip-address.js";
import { findInRun, findPhoneNumbers, mayOpenRun } from "../../src/pii/recognizers/phone-number.js";
import { phoneNumbering } from "../../src/pii/recognizers/phone-metadata.js";
import { PhoneRun } from "../../src/pii/recognizers/phone-runs.js";
import type { Candidate } from "../../src/pii/types.js";
import { cueBefore, type CueWords } from "../../src/pii/recognizers/digits-cues.js";
import { CONTEXT_WINDOW } from "../../src/pii/context.js";
import { defaultRecognizers } from "../../src/pii/recognizers/index.js";

// The regular expressions the recognizers used to scan whole texts with; the text scan and the
// anchor functions must find exactly what they found.
const CARD_ANCHOR = /[2-6]\d{3}(?:\d{9}|[ -]\d{4})/g;
const SSN_ANCHOR = /\d{3}(?:\d{6}|[ -]\d\d[ -]\d{4})/g;
const QUAD_TAIL = /\.\d{1,3}\.\d{1,3}\.\d{1,3}/y;
const RUN_OF_SEVEN = /(?<![0-9A-Za-z_]|[0-9A-Za-z_][\-./\\#$])[0-9](?:[ \u00a0\u2007\u202f\-./\u2010-\u2013()]{0,5}[0-9]){6}/y;
const GERMAN_ANCHOR = /[a-zäöüß.][ \u00A0][1-9]/g;
// Where a US or UK house number meets its street's name: "12 Main", "221B Baker", "5th Ave".
const HOUSE_NUMBER_GAP = /(?<=[0-9][A-Za-z]{0,2})[ \u00a0](?=[A-Z\u0080-\uffff])/g;

// Digit-heavy text: digits, every separator a cluster may hold, and what ends one.
const digitText = fc
  .array(
    fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom("0", "1", "2", "3", "4", "5", "6", "7", "8", "9") },
      { weight: 3, arbitrary: fc.constantFrom(" ", "-", ".", "/", "(", ")", "\u00a0", "\u2007", "\u202f", "\u2010", "\u2013") },
      { weight: 1, arbitrary: fc.constantFrom("a", "Z", "_", "+", "#", "$", "\\", ":", "\n", "ä", "ß", "é", "x") },
      { weight: 1, arbitrary: fc.constantFrom("4111 1111 1111 1111", "123-45-6789", "10.0.0.1", "415 555 2671", "str. 5") },
      // The longest gaps a cluster holds, and one longer.
      { weight: 1, arbitrary: fc.constantFrom(") - (", " / . ", ")  - ( ") },
    ),
    { maxLength: 60 },
  )
  .map((parts) => parts.join(""));

/** Index of the first match of global `re` at or after `from`, or -1. */
function firstMatch(re: RegExp, text: string, from: number): number {
  re.lastIndex = from;
  const m = re.exec(text);
  return m === null ? -1 : m.index;
}

function stickyEnd(re: RegExp, text: string, at: number): number {
  re.lastIndex = at;
  return re.test(text) ? re.lastIndex : -1;
}

/** The kept cluster holding text[from, to), as [start, end, digits, dots], or undefined. */
function clusterAround(text: string, from: number, to: number): number[] | undefined {
  const { spans } = scanDigits(text);
  for (let k = 0; k < spans.length; k += SPAN) {
    if (spans[k]! <= from && to <= spans[k + 1]!) return spans.slice(k, k + SPAN);
  }
  return undefined;
}

describe("text scan: digit clusters", () => {
  test("a cluster begins and ends with a digit, and its gaps are short runs of separators", () => {
    const text = "call 415 555 2671 or (020) 7946-0958; ip 10.0.0.1; 12 34";
    const { spans } = scanDigits(text);
    const clusters = [];
    for (let k = 0; k < spans.length; k += SPAN) clusters.push(text.slice(spans[k], spans[k + 1]));
    assert.deepEqual(clusters, ["415 555 2671", "020) 7946-0958", "10.0.0.1"]);
    assert.equal(scanDigits("no digits here").hasDigit, false);
    assert.equal(scanDigits("one 1 digit").hasDigit, true);
    assert.equal(scanDigits("1" + " ".repeat(MAX_GAP + 1) + "234567").count, 0, "a longer gap splits the digits");
  });

  test("every anchor match of the card, SSN, phone and IPv4 recognizers lies in a cluster with enough digits", () => {
    fc.assert(
      fc.property(digitText, (text) => {
        for (let at = 0; at < text.length; at++) {
          const seven = stickyEnd(RUN_OF_SEVEN, text, at);
          if (seven >= 0) {
            const cluster = clusterAround(text, at, seven);
            assert.ok(cluster !== undefined && cluster[2]! >= MIN_DIGITS, `run of seven at ${at} in ${JSON.stringify(text)}`);
          }
          const quad = stickyEnd(QUAD_TAIL, text, at);
          if (quad >= 0 && at > 0 && /[0-9]/.test(text[at - 1]!)) {
            const cluster = clusterAround(text, at - 1, quad);
            assert.ok(cluster !== undefined && cluster[3]! >= MIN_DOTS, `quad at ${at} in ${JSON.stringify(text)}`);
          }
        }
        for (const re of [CARD_ANCHOR, SSN_ANCHOR]) {
          re.lastIndex = 0;
          for (let m = re.exec(text); m !== null; m = re.exec(text)) {
            // The whole match lies in one cluster (a card anchor "6000 0000" holds 8 digits, an SSN's 9).
            const cluster = clusterAround(text, m.index, m.index + m[0].length);
            const digits = m[0].replace(/[^0-9]/g, "").length;
            assert.ok(cluster !== undefined && cluster[2]! >= digits, `${re.source} at ${m.index} in ${JSON.stringify(text)}`);
            re.lastIndex = m.index + 1;
          }
        }
      }),
      { numRuns: 1500 },
    );
  });

  test("the German house-number anchors are the matches of /[a-zäöüß.][ \\u00A0][1-9]/", () => {
    const germanText = fc
      .array(fc.constantFrom("a", "z", "ß", "ä", "ö", "ü", "Ö", "`", "{", ".", "A", " ", "\u00a0", "1", "0", "9", "-", "straße 5", "Am Markt 12"), { maxLength: 40 })
      .map((p) => p.join(""));
    fc.assert(
      fc.property(germanText, (text) => {
        const expected = [...text.matchAll(GERMAN_ANCHOR)].map((m) => m.index + 2);
        assert.deepEqual(scanDigits(text).germanNumbers, expected, JSON.stringify(text));
      }),
      { numRuns: 1500 },
    );
  });

  test("the US and UK house-number gaps are the matches of /(?<=[0-9][A-Za-z]{0,2})[ \\u00a0](?=[A-Z\\u0080-\\uffff])/", () => {
    const houseText = fc
      .array(
        fc.constantFrom(
          "0", "1", "9", "12", "a", "b", "z", "A", "B", "Z", "th", "abc", "ä", "É", "\ud83d\ude00", "\u007f", "\u0080", "@", "[", "`", "{", "_",
          " ", "  ", "\u00a0", "\t", "-", ".", ",", "221B Baker Street", "5th Ave", "12 Main St", "12ab Oak", "12abc Oak",
        ),
        { maxLength: 40 },
      )
      .map((p) => p.join(""));
    fc.assert(
      fc.property(houseText, (text) => {
        const expected = [...text.matchAll(HOUSE_NUMBER_GAP)].map((m) => m.index);
        assert.deepEqual(scanDigits(text).houseNumberGaps, expected, JSON.stringify(text));
      }),
      { numRuns: 3000 },
    );
  });

  test("house-number gaps: after digits and up to two letters, before a capital or non-ASCII letter", () => {
    const gaps = (text: string): readonly number[] => scanDigits(text).houseNumberGaps;
    assert.deepEqual(gaps("12 Main St"), [2]);
    // (not the space after "1000": a digit follows it)
    assert.deepEqual(gaps("at 221B Baker Street, 1000 5th Ave"), [7, 30]);
    assert.deepEqual(gaps("12\u00a0Ölweg"), [2]);
    // Not one: a lower-case word, three letters, a tab, two spaces, the end of the text.
    assert.deepEqual(gaps("12 main 12abc Oak 12\tOak 12  Oak 12 "), []);
    assert.deepEqual(gaps("no digits Here"), []);
  });
});

describe("anchors read from the clusters agree with the regular expressions", () => {
  test("card and SSN anchors: the first match at or after any offset", () => {
    fc.assert(
      fc.property(digitText, (text) => {
        for (let from = 0; from <= text.length; from++) {
          assert.equal(nextCardAnchor(text, from, text.length), firstMatch(CARD_ANCHOR, text, from), `card from ${from} in ${JSON.stringify(text)}`);
          assert.equal(nextSsnAnchor(text, from, text.length), firstMatch(SSN_ANCHOR, text, from), `ssn from ${from} in ${JSON.stringify(text)}`);
        }
      }),
      { numRuns: 1500 },
    );
  });

  test("IPv4 quad tails: the same end at every offset", () => {
    fc.assert(
      fc.property(digitText, (text) => {
        for (let at = 0; at <= text.length; at++) assert.equal(quadTailEnd(text, at), stickyEnd(QUAD_TAIL, text, at), `at ${at} in ${JSON.stringify(text)}`);
      }),
      { numRuns: 1500 },
    );
  });

  test("phone runs open where the run-of-seven expression matches", () => {
    fc.assert(
      fc.property(digitText, (text) => {
        for (let at = 0; at < text.length; at++) {
          const cluster = clusterAround(text, at, at + 1);
          let opens = false;
          if (cluster !== undefined && /[0-9]/.test(text[at]!) && mayOpenRun(text, at)) {
            const digitsFrom = text.slice(at, cluster[1]).replace(/[^0-9]/g, "").length;
            opens = digitsFrom >= 7;
          }
          assert.equal(opens, stickyEnd(RUN_OF_SEVEN, text, at) >= 0, `at ${at} in ${JSON.stringify(text)}`);
        }
      }),
      { numRuns: 1500 },
    );
  });
});

describe("a recognizer gives the same candidates with the scanner's text scan and without", () => {
  test("on texts with every entity type", () => {
    const samples = [
      "Card 4111 1111 1111 1111, SSN 123-45-6780, call +1 415 555 2671 or 020 7946 0958.",
      "Server 10.0.0.1 and fe80::1%eth0; mail bob@example.com; Hauptstraße 5, 80331 München.",
      "Ship to 221B Baker Street, London NW1 6XE. Passport C01X00T47. 1600 Pennsylvania Ave NW",
    ];
    for (const text of samples) {
      const scan = createTextScan(text);
      for (const recognizer of defaultRecognizers()) {
        assert.deepEqual(recognizer.find(text, scan), recognizer.find(text), `${recognizer.type} on ${text}`);
      }
      // A scan of another text is not used.
      for (const recognizer of defaultRecognizers()) {
        assert.deepEqual(recognizer.find(text, createTextScan("other 4111 1111 1111 1111")), recognizer.find(text));
      }
    }
  });
});

describe("phone numbers found from the clusters are those the run-of-seven scan found", () => {
  // The scan the recognizer used before the text scan existed: every match of RUN_OF_SEVEN opens
  // a run, read and searched as now. The clusters (and the clusters skipped because no number
  // fits their digits) must change nothing.
  const RUN_OF_SEVEN_G = new RegExp(RUN_OF_SEVEN.source, "g");
  function byRegex(text: string): Candidate[] {
    const out: Candidate[] = [];
    const run = new PhoneRun();
    RUN_OF_SEVEN_G.lastIndex = 0;
    for (let m = RUN_OF_SEVEN_G.exec(text); m !== null; m = RUN_OF_SEVEN_G.exec(text)) {
      const at = m.index;
      let start = at;
      if (text.charCodeAt(start - 1) === 40) start--;
      if (text.charCodeAt(start - 1) === 43) start--;
      if (!run.read(text, start)) run.read(text, at);
      findInRun(text, run, phoneNumbering, out);
      RUN_OF_SEVEN_G.lastIndex = Math.max(run.end, at + 1);
    }
    return out;
  }
  const phoneText = fc
    .array(
      fc.oneof(
        { weight: 4, arbitrary: digitText },
        {
          weight: 3,
          arbitrary: fc.constantFrom(
            "+", "+(", "(0)", "0", "00", "+1 415 555 2671", "+44 20 7946 0958", "(020) 7946 0958", "0 800 12 34 56",
            "030 12345678", "98765 43210", "(11) 91234-5678", "1-800-555-0199", "0044 20 7946 0958", "2024-01-15 10",
            "call ", "order ", "tel: ", "ID ",
          ),
        },
      ),
      { maxLength: 6 },
    )
    .map((parts) => parts.join(""));

  test("on random phone-like text", () => {
    fc.assert(
      fc.property(phoneText, (text) => {
        assert.deepEqual(findPhoneNumbers(text), byRegex(text), JSON.stringify(text));
      }),
      { numRuns: 3000 },
    );
  });

  test("on bare runs of digits of every length, led by a '+', a '(', a 0 or none of them", () => {
    // Clusters that are one run of digits are skipped by their length (isOneRun): every length
    // around the ten or eleven digits a number dialled at home without a trunk 0 has.
    const bareRun = fc.record({
      before: fc.constantFrom("", "+", "(", "+(", "tel ", "x", "call "),
      lead: fc.constantFrom("", "0", "1", "00"),
      digits: fc.array(fc.constantFrom("2", "3", "4", "5", "6", "7", "8", "9", "0", "1"), { minLength: 5, maxLength: 20 }),
      after: fc.constantFrom("", ")", " ", ".", "x"),
    });
    fc.assert(
      fc.property(bareRun, ({ before, lead, digits, after }) => {
        const text = `${before}${lead}${digits.join("")}${after}`;
        assert.deepEqual(findPhoneNumbers(text), byRegex(text), JSON.stringify(text));
      }),
      { numRuns: 3000 },
    );
    for (const text of ["4155552671", "14155552671", "+4155552671", "02079460958", "415555267100", "+441632960961"]) {
      assert.deepEqual(findPhoneNumbers(text), byRegex(text), text);
    }
  });
});

describe("clusters skipped for lacking the runs of digits a candidate needs hold none", () => {
  test("card, SSN and phone candidates are the same with every cluster searched", () => {
    const recognizers = defaultRecognizers().filter((r) => ["CREDIT_CARD", "US_SSN", "PHONE_NUMBER"].includes(r.type));
    const mixed = fc
      .array(
        fc.oneof(
          digitText,
          fc.constantFrom("4111 1111 1111 1111", "4111-1111-1111-1111", "378282246310005", "123-45-6780", "078 05 1121", "020 7946 0958", "0 800 12 34 56", "+33 1 23 45 67 89", " ssn "),
        ),
        { maxLength: 5 },
      )
      .map((parts) => parts.join(" "));
    fc.assert(
      fc.property(mixed, (text) => {
        const gated = createTextScan(text);
        const open = createTextScan(text);
        const { spans, ...rest } = digitClustersOf(text, gated);
        const all = [...spans];
        for (let k = 0; k < all.length; k += SPAN) {
          all[k + RUN_LENGTHS] = -1; // every run length seen
          all[k + ZERO_LED] = 1;
        }
        Object.assign(open, { clusters: { ...rest, spans: all } });
        for (const recognizer of recognizers) {
          assert.deepEqual(recognizer.find(text, gated), recognizer.find(text, open), `${recognizer.type} in ${JSON.stringify(text)}`);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe("cue words read from the text agree with cutting the words out", () => {
  // The reading cueBefore had before it matched words in place: each word cut out and lower-cased.
  const isWord = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
  function byWords(text: string, start: number, words: CueWords): boolean {
    const floor = Math.max(0, start - CONTEXT_WINDOW);
    let i = start;
    let seen = 0;
    while (i > floor) {
      const code = text.charCodeAt(i - 1);
      if (code === 10 || code === 13) return false;
      if (!isWord(code)) {
        const next = text.charCodeAt(i);
        if ((code === 33 || code === 63 || code === 46) && (next === 32 || next === 9 || next === 10 || next === 13)) {
          if (code !== 46) return false;
          let k = i - 1;
          while (k > floor && isWord(text.charCodeAt(k - 1))) k--;
          if (i - 1 - k > 4) return false;
        }
        i--;
        continue;
      }
      let j = i;
      while (j > floor && isWord(text.charCodeAt(j - 1))) j--;
      if (j === floor && j > 0 && isWord(text.charCodeAt(j - 1))) return false;
      const word = text.slice(j, i).toLowerCase();
      if (/[0-9]/.test(word)) return false;
      if (words.cues.has(word) || (words.suffixCues ?? []).some((s) => word.endsWith(s))) return true;
      if (words.stops?.has(word) || ++seen > words.maxWords) return false;
      i = j;
    }
    return false;
  }
  const lists: CueWords[] = [
    { cues: new Set(["imei", "serial", "sku"]), stops: new Set(["card", "cc"]), maxWords: 4 },
    { cues: new Set(["version", "v", "fw"]), suffixCues: ["version", "release"], stops: new Set(["ip", "at", "on"]), maxWords: 5 },
    { cues: new Set(["order", "id", "cc"]), stops: new Set(["cc", "tel"]), maxWords: 1 },
    { cues: new Set(["passé"]), stops: new Set(["x"]), maxWords: 2 },
  ];
  const piece = fc.constantFrom("IMEI", "imei", "Serial", "card", "CC", "app_version", "FileVersion", "v", "V", "fw", "at", "ip", "order", "id", "tel", "x", "passé", "the", "no.", "Ver.", "ok!", "a1", "_", " ", "  ", ": ", "#", "\n", ". ", ", ");
  const text = fc.array(piece, { maxLength: 16 }).map((p) => p.join(""));

  test("for cue lists with stops, suffixes and a word no trie can hold", () => {
    fc.assert(
      fc.property(text, fc.constantFrom(...lists), (t, words) => {
        for (let start = 0; start <= t.length; start++) assert.equal(cueBefore(t, start, words), byWords(t, start, words), `${JSON.stringify(t)} at ${start}`);
      }),
      { numRuns: 2000 },
    );
  });
});
