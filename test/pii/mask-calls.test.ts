import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createPiiEngine } from "../../src/pii/index.js";

/*
 * The engine keeps the operator choice of calls without operators, and the context of the last
 * scope, instead of making them per call. Calls that differ in scope or operators, one after
 * another, must still each get their own.
 */

const text = "mail ada@example.com or call +1 415 555 2671";

describe("mask: calls one after another keep their own scope and operators", () => {
  test("tokens follow the scope of each call, as scopes alternate", () => {
    const engine = createPiiEngine({ defaultOperator: { type: "token" } });
    const first = engine.mask(text, { scope: "s1" });
    const other = engine.mask("write to bob@example.org", { scope: "s2" });
    const again = engine.mask(text, { scope: "s1" });
    assert.equal(again, first); // same value, same scope: same token
    assert.equal(other, "write to <EMAIL_ADDRESS_1>"); // numbered in its own scope
    assert.equal(engine.restore(first, { scope: "s1" }), text);
    // Each scope reads a token as what it issued itself: s2's <EMAIL_ADDRESS_1> is bob, and it
    // issued no phone token.
    assert.equal(engine.restore(first, { scope: "s2" }), "mail bob@example.org or call <PHONE_NUMBER_1>");
    assert.equal(engine.restore(other, { scope: "s1" }), "write to ada@example.com");
    // No scope is the default scope, not the last one used.
    const unscoped = engine.mask("write to cy@example.net");
    assert.equal(unscoped, "write to <EMAIL_ADDRESS_1>");
    assert.equal(engine.restore(unscoped, { scope: "default" }), "write to cy@example.net");
    assert.equal(engine.restore(unscoped, { scope: "s1" }), "write to ada@example.com");
  });

  test("per-call operators apply to their call only", () => {
    const engine = createPiiEngine({ operators: { PHONE_NUMBER: { type: "remove" } } });
    assert.equal(engine.mask(text), "mail <EMAIL_ADDRESS> or call ");
    assert.equal(engine.mask(text, { defaultOperator: { type: "partial" } }), "mail ***@******e.com or call ");
    assert.equal(
      engine.mask(text, { operators: { EMAIL_ADDRESS: { type: "replace", tag: "[email]" }, PHONE_NUMBER: { type: "replace" } } }),
      "mail [email] or call <PHONE_NUMBER>",
    );
    assert.equal(engine.mask(text, { scope: "x" }), "mail <EMAIL_ADDRESS> or call ");
  });
});
