import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { closesChain, DigitGroups, opensChain } from "../../../src/pii/recognizers/digits-runs.js";

/** The groups as the splitter made them before it reused one object: [start, end, sep] each. */
function reference(text: string, start: number, end: number): [number, number, number][] {
  const groups: [number, number, number][] = [];
  let i = start;
  let sep = 0;
  while (i < end) {
    const groupStart = i;
    while (i < end && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
    groups.push([groupStart, i, sep]);
    if (i < end) sep = text.charCodeAt(i++);
  }
  return groups;
}

function current(groups: DigitGroups): [number, number, number][] {
  return Array.from({ length: groups.count }, (_, k) => [groups.starts[k]!, groups.ends[k]!, groups.seps[k]!]);
}

// Runs of digit groups joined by single separators, as forEachAnchoredRun hands them over.
const run = fc
  .array(fc.tuple(fc.integer({ min: 1, max: 6 }), fc.constantFrom(" ", "-")), { minLength: 1, maxLength: 12 })
  .map((parts) => parts.map(([n, sep]) => "7".repeat(n) + sep).join("").slice(0, -1));

describe("digit groups read into one reused object", () => {
  test("every run splits into the groups a fresh split gives, whatever run came before", () => {
    const groups = new DigitGroups();
    fc.assert(
      fc.property(fc.array(run, { minLength: 1, maxLength: 4 }), (runs) => {
        for (const text of runs) {
          groups.read(text, 0, text.length);
          assert.deepEqual(current(groups), reference(text, 0, text.length), text);
          assert.equal(groups.length(0), reference(text, 0, text.length)[0]![1]);
        }
      }),
      { numRuns: 500 },
    );
  });

  test("a chain opens and closes where the separator changes", () => {
    const groups = new DigitGroups();
    const text = "2024-01-15 123 45 6789";
    groups.read(text, 0, text.length);
    assert.equal(groups.count, 6);
    assert.equal(opensChain(groups, 3, 32), true, "after a date written with dashes");
    assert.equal(closesChain(groups, 5, 32), true, "at the end of the run");
    assert.equal(opensChain(groups, 4, 32), false, "inside the spaced chain");
  });

  test("trim lets go of a huge run's arrays and keeps a small run's", () => {
    const groups = new DigitGroups();
    const huge = Array.from({ length: 5000 }, () => "12").join(" ");
    groups.read(huge, 0, huge.length);
    assert.equal(groups.count, 5000);
    groups.trim();
    assert.equal(groups.starts.length, 0);
    groups.read("12 34", 0, 5);
    groups.trim();
    assert.deepEqual(current(groups), [
      [0, 2, 0],
      [3, 5, 32],
    ]);
  });
});
