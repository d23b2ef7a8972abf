/**
 * PhoneRun keeps its groups in typed arrays that start small and grow: a run longer than they
 * first hold must read the same as a short one, and reading a short run after a long one must
 * leave nothing of the long one in what the recognizer sees.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { PhoneRun } from "../../src/pii/recognizers/phone-runs.js";
import { findPhoneNumbers } from "../../src/pii/recognizers/phone-number.js";

interface Group {
  start: number;
  end: number;
  paren: boolean;
  space: boolean;
  joint: number;
}

function groupsOf(run: PhoneRun): Group[] {
  const out: Group[] = [];
  for (let k = 0; k < run.count; k++) {
    out.push({
      start: run.groupStart[k]!,
      end: run.groupEnd[k]!,
      paren: run.paren[k] === 1,
      space: run.spaceBefore[k] === 1,
      joint: run.jointBefore[k]!,
    });
  }
  return out;
}

describe("PhoneRun", () => {
  test("reads a run of many groups (more than its arrays first hold) group by group", () => {
    const parts = Array.from({ length: 70 }, (_, k) => String(10 + k));
    const text = `x ${parts.join("-")} y`;
    const run = new PhoneRun();
    assert.equal(run.read(text, 2), true);
    assert.equal(run.count, 70);
    assert.equal(run.digits, 140);
    assert.equal(run.start, 2);
    assert.equal(run.end, text.length - 2);
    const groups = groupsOf(run);
    for (let k = 0; k < 70; k++) {
      const group = groups[k]!;
      assert.equal(text.slice(group.start, group.end), parts[k]);
      assert.equal(group.joint, k === 0 ? 0 : 45);
      assert.equal(group.space, false);
      assert.equal(group.paren, false);
    }
  });

  test("a short run read after a long one reads as it does in a fresh PhoneRun", () => {
    const long = `${Array.from({ length: 40 }, () => "12").join(" ")}`;
    const shorts = ["+44 (0)20 7946 0958", "(415) 555-2671", "1-800-555-0199", "+33 1 23 45 67 89", "(0"];
    const reused = new PhoneRun();
    for (const text of shorts) {
      reused.read(long, 0);
      const fresh = new PhoneRun();
      assert.equal(reused.read(text, 0), fresh.read(text, 0));
      assert.deepEqual(groupsOf(reused), groupsOf(fresh));
      assert.deepEqual([reused.plus, reused.start, reused.end, reused.count, reused.digits], [fresh.plus, fresh.start, fresh.end, fresh.count, fresh.digits]);
    }
  });

  test("records parentheses, spaces and joints per group", () => {
    const run = new PhoneRun();
    const text = "+1 (415) 555-2671";
    assert.equal(run.read(text, 0), true);
    assert.equal(run.plus, 0);
    assert.deepEqual(
      groupsOf(run).map((g) => [text.slice(g.start, g.end), g.paren, g.space, g.joint]),
      [
        ["1", false, false, 0],
        ["415", true, true, 0],
        ["555", false, true, 0],
        ["2671", false, false, 45],
      ],
    );
    // A "(" that never closes holds no group.
    assert.equal(run.read("(415 555", 0), false);
    assert.equal(run.count, 0);
  });

  test("phone numbers after a long list of numbers are found as in the list's absence", () => {
    const list = fc.array(fc.integer({ min: 0, max: 99 }).map(String), { minLength: 17, maxLength: 60 });
    fc.assert(
      fc.property(list, fc.constantFrom("-", " ", ".", "/"), (items, joint) => {
        const number = "call +44 20 7946 0958 or (415) 555-2671";
        const alone = findPhoneNumbers(number);
        const prefix = `${items.join(joint)} ; `;
        const after = findPhoneNumbers(prefix + number).filter((c) => c.start >= prefix.length);
        assert.deepEqual(
          after.map((c) => ({ ...c, start: c.start - prefix.length, end: c.end - prefix.length })),
          alone,
        );
        assert.equal(alone.length, 2);
      }),
      { numRuns: 200 },
    );
  });
});
