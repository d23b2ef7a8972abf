import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { describe, test } from "node:test";
import { parseStat, treeCpu } from "../proc-cpu.js";

describe("parseStat", () => {
  test("reads pid, ppid and utime+stime, even with spaces and parentheses in the name", () => {
    const line = "4242 (my (odd) name) S 17 4242 17 0 -1 4194304 126 0 0 0 250 37 0 0 20 0 1 0 323896 3133440 382";
    assert.deepEqual(parseStat(line), { pid: 4242, ppid: 17, ticks: 287 });
  });

  test("refuses a line that is not a stat line", () => {
    assert.equal(parseStat("garbage"), undefined);
  });
});

describe("treeCpu", { timeout: 30_000 }, () => {
  test("counts a child's CPU as the descendants' and is undefined for a pid that does not exist", async () => {
    // The child spins until it has used 200 ms of CPU by its own account, then says so and waits.
    const child = spawn(process.execPath, ["-e", "const t = process.cpuUsage(); while ((process.cpuUsage(t).user + process.cpuUsage(t).system) < 200000) {} console.log('done'); setInterval(() => {}, 1000);"], { stdio: ["ignore", "pipe", "ignore"] });
    try {
      await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
      const tree = treeCpu(process.pid);
      assert.ok(tree !== undefined);
      assert.ok(tree.descendantsMs >= 150, `descendants: ${tree.descendantsMs} ms`);
      assert.ok(tree.selfMs >= 0);
    } finally {
      child.kill("SIGKILL");
    }
    assert.equal(treeCpu(2 ** 22 + 12345), undefined);
  });
});
