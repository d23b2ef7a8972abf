import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createAbortScope } from "../../../src/gateway/upstream/abort-scope.js";
import { descendantsOf, isAlive, signal } from "../../../src/gateway/upstream/process-tree.js";

describe("process tree (/proc)", () => {
  test("finds children and grandchildren; signals only the very process it saw (no pid reuse)", async () => {
    // A child that starts a grandchild, and both wait.
    const child = spawn(process.execPath, ["-e", "require('node:child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' }); setInterval(() => {}, 1000)"], { stdio: "ignore" });
    await once(child, "spawn");
    let tree = descendantsOf(child.pid as number);
    for (let i = 0; i < 200 && tree.length < 1; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      tree = descendantsOf(child.pid as number);
    }
    const [grandchild] = tree;
    assert.ok(grandchild, "the grandchild is found");
    assert.ok(isAlive(grandchild));
    assert.ok(descendantsOf(process.pid).some((ref) => ref.pid === child.pid), "and our own child below us");
    // A stale reference (same pid, another start time) is never signalled.
    assert.equal(signal({ pid: grandchild.pid, startTime: "1" }, "SIGKILL"), false);
    assert.ok(isAlive(grandchild));
    assert.equal(signal(grandchild, "SIGKILL"), true);
    child.kill("SIGKILL");
    await once(child, "exit");
    for (let i = 0; i < 200 && isAlive(grandchild); i++) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(isAlive(grandchild), false);
    assert.equal(signal(grandchild, "SIGKILL"), false, "a process that is gone is not signalled");
  });
});

describe("createAbortScope", () => {
  test("abortAll aborts every live handle and every later one; released handles are left alone", () => {
    const scope = createAbortScope();
    const a = scope.child();
    const b = scope.child();
    b.done();
    scope.abortAll();
    assert.equal(a.signal.aborted, true);
    assert.equal(b.signal.aborted, false);
    assert.equal(scope.child().signal.aborted, true);
  });

  test("a handle with a timeout aborts itself; done() before that cancels the timer", async () => {
    const scope = createAbortScope();
    const timed = scope.child(10);
    const released = scope.child(10);
    released.done();
    await once(timed.signal, "abort");
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(released.signal.aborted, false);
  });
});
