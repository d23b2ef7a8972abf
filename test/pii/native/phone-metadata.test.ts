/**
 * The kernel's phone metadata (native/pii/src/recognizers/phone_metadata.rs) against the
 * TypeScript phoneNumbering it ports: isValid for every calling code on numbers of every
 * length 1..17 (many of them real or nearly real: drawn from the plans' own patterns), the
 * calling-code lookups on every input they can meaningfully get, the trunk prefixes, and the
 * leading digits of the shared calling codes.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { corpusTexts, kernelSwitchedOff, requireKernel } from "./differential.js";
import { findPhoneNumbers } from "../../../src/pii/recognizers/phone-number.js";
import { type NativeKernel } from "../../../src/pii/native.js";
import { phoneNumbering, phoneNumberingPlans, type PhoneNumbering, type PlanSource } from "../../../src/pii/recognizers/phone-metadata.js";
import { compileLeadingDigits } from "../../../src/pii/recognizers/phone-leading.js";
import { phoneMetadataPlans } from "../../../src/pii/native-config/phone-metadata.js";

/** The kernel's debug exports for this module (see native/pii/src/phone_debug.rs). */
interface PhoneDebug extends NativeKernel {
  phoneValid(callingCode: number, nsn: string): number;
  phoneValidBatch(lines: string, out: Float64Array): number;
  callingCodeOf(digits: string): number;
  callingCodeOfPrefix(value: number, length: number): number;
  nationalPrefixOf(callingCode: number, out: Float64Array): number;
  phoneLeading(pattern: string, nsn: string): number;
}

const kernel = (): PhoneDebug => requireKernel() as PhoneDebug;
const PLANS = phoneNumberingPlans();
const CODES = [...PLANS.keys()];

// ---- random numbers drawn from a plan's patterns (the dialect phone_pattern.rs reads) ----

type Node = { alternatives: Item[][] };
type Item = { atom: string | Node; min: number; max: number };

/** The pattern as alternatives of repeated atoms (an atom: the digits it stands for, or a group). */
function parsePattern(pattern: string): Node {
  let i = 0;
  const group = (): Node => {
    const alternatives: Item[][] = [[]];
    while (i < pattern.length) {
      const c = pattern[i]!;
      let atom: string | Node;
      if (c === ")") break;
      if (c === "|") {
        alternatives.push([]);
        i++;
        continue;
      }
      if (c === "(") {
        i += 3; // "(?:"
        atom = group();
        i++; // ")"
      } else if (c === "\\") {
        atom = "0123456789";
        i += 2;
      } else if (c === "[") {
        const close = pattern.indexOf("]", i);
        const inside = pattern.slice(i + 1, close);
        atom = [..."0123456789"].filter((d) => new RegExp(`[${inside}]`).test(d)).join("");
        i = close + 1;
      } else {
        atom = c;
        i++;
      }
      let min = 1;
      let max = 1;
      if (pattern[i] === "?") {
        min = 0;
        i++;
      } else if (pattern[i] === "{") {
        const close = pattern.indexOf("}", i);
        const [a, b] = pattern.slice(i + 1, close).split(",");
        min = Number(a);
        max = b === undefined ? min : Number(b);
        i = close + 1;
      }
      alternatives[alternatives.length - 1]!.push({ atom, min, max });
    }
    return { alternatives };
  };
  return group();
}

function sample(node: Node, random: () => number): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  let out = "";
  for (const item of pick(node.alternatives)) {
    const times = item.min + Math.floor(random() * (item.max - item.min + 1));
    for (let t = 0; t < times; t++) out += typeof item.atom === "string" ? pick([...item.atom]) : sample(item.atom, random);
  }
  return out;
}

/** A small seeded generator (mulberry32), so a failure names a reproducible number. */
function seeded(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const randomDigits = (length: number, random: () => number) =>
  Array.from({ length }, () => String(Math.floor(random() * 10))).join("");

/** Numbers for a calling code: samples of its plans' patterns, and mutations of them to every length 1..17. */
function numbersFor(plans: readonly PlanSource[], random: () => number, perLength: number): string[] {
  const patterns = plans.flatMap((p) => [p.nationalSource, ...(p.types ?? []).map((t) => t.source), p.leadingDigits ?? ""]).filter(Boolean);
  const trees = patterns.map(parsePattern);
  const trunks = plans.map((p) => p.nationalPrefix).filter((t): t is string => t !== undefined);
  const numbers: string[] = [];
  const real = () => sample(trees[Math.floor(random() * trees.length)]!, random);
  for (let k = 0; k < 4 * perLength; k++) {
    const n = real();
    numbers.push(n);
    if (trunks.length > 0 && random() < 0.3) numbers.push(trunks[0]! + n); // with the trunk prefix kept
  }
  for (let length = 1; length <= 17; length++) {
    for (let k = 0; k < perLength; k++) {
      const base = real();
      const kind = random();
      let n: string;
      if (kind < 0.15) n = randomDigits(length, random);
      else {
        // The sample's start, filled or cut to the length, maybe one digit changed.
        const keep = Math.min(base.length, length, Math.floor(random() * (length + 1)) + (kind < 0.6 ? length : 0));
        n = base.slice(0, keep) + randomDigits(length - keep, random);
        if (kind > 0.85) {
          const at = Math.floor(random() * length);
          n = n.slice(0, at) + String(Math.floor(random() * 10)) + n.slice(at + 1);
        }
      }
      numbers.push(n);
    }
  }
  return numbers;
}

function referenceValid(code: string, nsn: string): boolean {
  return phoneNumbering.isValid(code, nsn);
}

/** The kernel's answers for many (code, nsn) checks at once. */
function nativeBatch(checks: readonly (readonly [string, string])[]): { answers: number[] } {
  const out = new Float64Array(checks.length);
  const count = kernel().phoneValidBatch(checks.map(([c, n]) => `${c} ${n}`).join("\n"), out);
  assert.equal(count, checks.length);
  return { answers: Array.from(out.subarray(0, count)) };
}

if (!kernelSwitchedOff) {
  test("isValid: every calling code, numbers of every length 1..17, as phoneNumbering answers", () => {
    const random = seeded(20260601);
    const checks: [string, string][] = [];
    for (const [code, plans] of PLANS) {
      for (const nsn of numbersFor(plans, random, 30)) checks.push([code, nsn]);
    }
    // Codes with no plans, and the empty number.
    for (const code of ["0", "2", "999", "42"]) checks.push([code, "2079460958"]);
    for (const code of CODES) checks.push([code, ""]);
    assert.ok(checks.length >= 100_000, `${checks.length} checks`);
    const { answers } = nativeBatch(checks);
    let valid = 0;
    const wrong: string[] = [];
    checks.forEach(([code, nsn], k) => {
      const expected = referenceValid(code, nsn);
      if (expected) valid++;
      if ((answers[k] === 1) !== expected && wrong.length < 10) wrong.push(`+${code} ${nsn}: reference ${expected}`);
    });
    assert.deepEqual(wrong, []);
    // The checks must exercise both answers, not only the easy "no".
    assert.ok(valid > checks.length / 10, `${valid} of ${checks.length} valid`);
    console.log(`# ${checks.length} isValid checks, ${valid} valid`);
  });

  test("every question the TypeScript phone recognizer asks on the benchmark corpus", () => {
    const asked: [string, string][] = [];
    const callingCodes: string[] = [];
    const prefixes: [number, number][] = [];
    const recording: PhoneNumbering = {
      callingCodeOf: (digits) => (callingCodes.push(digits), phoneNumbering.callingCodeOf(digits)),
      callingCodeOfPrefix: (value, length) => (prefixes.push([value, length]), phoneNumbering.callingCodeOfPrefix(value, length)),
      isValid: (code, nsn) => (asked.push([code, nsn]), phoneNumbering.isValid(code, nsn)),
      nationalPrefixOf: (code) => phoneNumbering.nationalPrefixOf(code),
    };
    for (const text of corpusTexts()) findPhoneNumbers(text, recording);
    assert.ok(asked.length > 5_000, `${asked.length} questions`);
    const { answers } = nativeBatch(asked);
    const wrong = asked.filter(([code, nsn], k) => (answers[k] === 1) !== referenceValid(code, nsn)).slice(0, 10);
    assert.deepEqual(wrong, []);
    for (const digits of callingCodes) {
      const expected = phoneNumbering.callingCodeOf(digits);
      assert.equal(kernel().callingCodeOf(digits), expected === undefined ? -1 : Number(expected), digits);
    }
    for (const [value, length] of prefixes) {
      const expected = phoneNumbering.callingCodeOfPrefix(value, length);
      assert.equal(kernel().callingCodeOfPrefix(value, length), expected === undefined ? -1 : Number(expected));
    }
    console.log(`# corpus: ${asked.length} isValid, ${callingCodes.length} callingCodeOf, ${prefixes.length} callingCodeOfPrefix questions`);
  });

  test("isValid: random calling codes and numbers (and strings that are not numbers), one call at a time", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CODES, "0", "5", "999"),
        fc.oneof(fc.stringMatching(/^[0-9]{0,18}$/), fc.string({ unit: "binary", maxLength: 16 }), fc.stringMatching(/^[0-9]{1,6}[^0-9][0-9]{0,8}$/)),
        (code, nsn) => {
          assert.equal(kernel().phoneValid(Number(code), nsn) === 1, referenceValid(code, nsn), `+${code} ${JSON.stringify(nsn)}`);
        },
      ),
      { numRuns: 5000 },
    );
  });

  test("callingCodeOf: every digit string up to 5 digits, and strings with other characters", () => {
    const inputs: string[] = [""];
    let level = [""];
    for (let n = 1; n <= 5; n++) {
      level = level.flatMap((s) => [..."0123456789"].map((d) => s + d));
      inputs.push(...level);
    }
    for (const code of CODES) inputs.push(`${code}x`, `x${code}5`, `${code.slice(0, -1)}-${code.slice(-1)}5`, `${code}\u0661`);
    for (const input of inputs) {
      const expected = phoneNumbering.callingCodeOf(input);
      assert.equal(kernel().callingCodeOf(input), expected === undefined ? -1 : Number(expected), JSON.stringify(input));
    }
  });

  test("callingCodeOfPrefix: every (value, length) pair", () => {
    let found = 0;
    for (let length = -1; length <= 5; length++) {
      for (let value = -2; value <= 1001; value++) {
        const expected = phoneNumbering.callingCodeOfPrefix(value, length);
        if (expected !== undefined) found++;
        assert.equal(kernel().callingCodeOfPrefix(value, length), expected === undefined ? -1 : Number(expected), `${value}/${length}`);
      }
    }
    assert.equal(found, CODES.length);
  });

  test("nationalPrefixOf: every calling code", () => {
    const out = new Float64Array(16);
    for (let code = 0; code <= 1000; code++) {
      const expected = phoneNumbering.nationalPrefixOf(String(code));
      const length = kernel().nationalPrefixOf(code, out);
      const got = length < 0 ? undefined : String.fromCharCode(...out.subarray(0, length));
      assert.equal(got, expected, `+${code}`);
    }
  });

  test("leading digits: every shared calling code's patterns, as compileLeadingDigits answers", () => {
    const random = seeded(7);
    const patterns = [...PLANS.values()].flatMap((plans) => plans.map((p) => p.leadingDigits).filter((l): l is string => l !== undefined));
    // And patterns the prefix list does not take (the DFA answers those).
    patterns.push("(?:1|2)3", "1[2-4]?5", "\\d{2}7", "[\\d]1", "1|", "7(?:0|6(?:[03-9]|2[356]))", "1(?:3873|5(?:242|39[4-6])|(?:697|768)[347]|9467)");
    let checks = 0;
    for (const pattern of patterns) {
      const leading = compileLeadingDigits(pattern);
      const numbers = [""];
      for (let length = 1; length <= 8; length++) for (let k = 0; k < 60; k++) numbers.push(randomDigits(length, random));
      const tree = parsePattern(pattern);
      for (let k = 0; k < 200; k++) numbers.push(sample(tree, random) + randomDigits(Math.floor(random() * 4), random));
      for (const n of numbers) {
        assert.equal(kernel().phoneLeading(pattern, n), leading(n) ? 1 : 0, `${pattern} on ${n}`);
        checks++;
      }
    }
    console.log(`# ${checks} leading-digits checks over ${patterns.length} patterns`);
  });

  test("configure refuses metadata outside the dialect or out of shape (fail closed)", () => {
    const good = phoneMetadataPlans();
    const bad = [
      "",
      good.replace(/\nend$/, ""), // truncated
      good.replace("[2-9]\\d{9}", "[2-9]\\d*"),
      good.replace("[2-9]\\d{9}", "[2-9]\\d+"),
      good.replace("[2-9]\\d{9}", "[^2-9]\\d{9}"),
      good.replace("[2-9]\\d{9}", "([2-9])\\d{9}"),
      good.replace("[2-9]\\d{9}", "[2-9].{9}"),
      good.replace("[2-9]\\d{9}", "[2-9]\\d{9,}"),
      good.replace("[2-9]\\d{9}", "^[2-9]\\d{9}$"),
      good.replace("[2-9]\\d{9}", "[2-9]\\d{9}?"),
      good.replace("[2-9]\\d{9}", "[2-9]\\w{9}"),
      good.replace("[2-9]\\d{9}", "[9-2]\\d{9}"),
      good.replace("[2-9]\\d{9}", "(?:[2-9]\\d{9}"),
      good.replace("code\t44\n", "code\t044\n"),
      good.replace("\tRU\t8\t[3489]\t", "\tRU\t8\t[3489]+\t"),
    ];
    for (const data of bad) {
      assert.notEqual(data, good);
      assert.throws(() => kernel().configure("phone-metadata", data), /phone/, data.slice(0, 80));
    }
    kernel().configure("phone-metadata", good); // the good data again: accepted
  });
}
