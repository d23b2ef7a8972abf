import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";

/**
 * The kernel's own Rust unit tests (`#[cfg(test)]` modules in native/pii/src: tables built at
 * compile time checked against the loops they replace, and the like), run by `cargo test` so
 * `npm test` covers them. Without a Rust toolchain they are skipped, as the kernel itself is,
 * unless BASTION_REQUIRE_NATIVE=1 (CI), where a missing cargo fails.
 */
const crate = join(import.meta.dirname, "..", "..", "..", "native", "pii");
const cargo = process.env["CARGO"] ?? "cargo";
const hasCargo = spawnSync(cargo, ["--version"], { encoding: "utf8" }).status === 0;
const required = process.env["BASTION_REQUIRE_NATIVE"] === "1";

test("the PII kernel's Rust unit tests pass (cargo test)", { skip: !hasCargo && !required ? "no Rust toolchain" : false, timeout: 600_000 }, () => {
  const run = spawnSync(cargo, ["test", "--offline", "--quiet", "--manifest-path", join(crate, "Cargo.toml")], {
    encoding: "utf8",
    env: { ...process.env, CARGO_TARGET_DIR: join(crate, "target") },
  });
  assert.equal(run.error, undefined, `cargo could not run: ${run.error?.message}`);
  const output = `${run.stdout}\n${run.stderr}`;
  assert.equal(run.status, 0, output);
  // Some tests ran: a crate whose tests all vanished would pass silently.
  const ran = [...output.matchAll(/test result: ok\. (\d+) passed/g)].reduce((n, m) => n + Number(m[1]), 0);
  assert.ok(ran > 0, output);
});
