#!/usr/bin/env node
// Builds the PII detection kernel (native/pii, Rust, no dependencies) into
// native/pii/bastion-pii.node. Without a Rust toolchain the engine runs its TypeScript
// recognizers instead, so a missing cargo is a warning, not a failure, unless
// BASTION_REQUIRE_NATIVE=1 (CI sets it: the benchmark's figures are the kernel's).
import { spawnSync } from "node:child_process";
import { copyFileSync, renameSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const crate = join(root, "native", "pii");
const required = process.env.BASTION_REQUIRE_NATIVE === "1";

if (process.env.BASTION_PII_NATIVE === "0" && !required) {
  console.log("build-native: skipped (BASTION_PII_NATIVE=0)");
  process.exit(0);
}

const cargo = process.env.CARGO ?? "cargo";
const build = spawnSync(cargo, ["build", "--release", "--offline", "--quiet", "--manifest-path", join(crate, "Cargo.toml")], {
  stdio: "inherit",
  env: { ...process.env, CARGO_TARGET_DIR: join(crate, "target") },
});
if (build.error !== undefined || build.status !== 0) {
  const why = build.error !== undefined ? build.error.message : `cargo exited with ${build.status}`;
  const message = `build-native: the PII kernel was not built (${why}); the engine uses its TypeScript recognizers`;
  if (required) {
    console.error(message);
    process.exit(1);
  }
  console.warn(message);
  process.exit(0);
}
// Copied beside, then renamed over: a process that has the old addon loaded keeps its mapping.
const target = join(crate, "bastion-pii.node");
const library = { darwin: "libbastion_pii.dylib", win32: "bastion_pii.dll" }[process.platform] ?? "libbastion_pii.so";
copyFileSync(join(crate, "target", "release", library), `${target}.tmp`);
renameSync(`${target}.tmp`, target);
console.log(`build-native: ${target}`);
