import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const cli = join(import.meta.dirname, "../../src/cli/main.ts");

function bastion(args: string[], input?: string | Buffer) {
  const result = spawnSync(process.execPath, ["--import", "tsx", cli, ...args], {
    input: input ?? "",
    encoding: "utf8",
    timeout: 30_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("bastion pii", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "bastion-cli-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("mask reads stdin text and writes masked text", () => {
    const r = bastion(["pii", "mask"], "contact alice@example.com please\n");
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "contact <EMAIL_ADDRESS> please\n");
  });

  test("detect writes JSONL findings with offsets; values only when asked", () => {
    const r = bastion(["pii", "detect"], "x alice@example.com");
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout.trim()), { type: "EMAIL_ADDRESS", start: 2, end: 19, score: 1 });
    const shown = bastion(["pii", "detect", "--show-values"], "x alice@example.com");
    assert.equal(JSON.parse(shown.stdout.trim()).value, "alice@example.com");
  });

  test("JSON file: masked JSON of the same shape; detect reports paths", () => {
    const file = join(dir, "in.json");
    writeFileSync(file, JSON.stringify({ user: { email: "alice@example.com", tags: ["a", "bob@example.org"] }, n: 3 }));
    const masked = bastion(["pii", "mask", file]);
    assert.equal(masked.code, 0, masked.stderr);
    assert.deepEqual(JSON.parse(masked.stdout), { user: { email: "<EMAIL_ADDRESS>", tags: ["a", "<EMAIL_ADDRESS>"] }, n: 3 });
    const found = bastion(["pii", "detect", file]);
    const paths = found.stdout.trim().split("\n").map((l) => JSON.parse(l).path);
    assert.deepEqual(paths, ["$.user.email", "$.user.tags[1]"]);
  });

  test("JSONL: one masked line per input line, line numbers in findings", () => {
    const input = '{"a":"alice@example.com"}\n\n{"b":"none"}\n';
    const masked = bastion(["pii", "mask", "--format", "jsonl"], input);
    assert.equal(masked.stdout, '{"a":"<EMAIL_ADDRESS>"}\n{"b":"none"}\n');
    const found = bastion(["pii", "detect", "-f", "jsonl"], input);
    assert.equal(JSON.parse(found.stdout.trim()).line, 1);
  });

  test("operators and entity selection from flags", () => {
    assert.equal(bastion(["pii", "mask", "-o", "remove"], "[alice@example.com]").stdout, "[]");
    assert.equal(bastion(["pii", "mask", "--operator-for", "EMAIL_ADDRESS=partial"], "alice@example.com").stdout, "*****@******e.com");
    assert.equal(bastion(["pii", "mask", "-e", "CREDIT_CARD"], "alice@example.com").stdout, "alice@example.com");
  });

  const failures: Array<[string, string[], string | Buffer, RegExp]> = [
    ["invalid JSON", ["pii", "mask", "-f", "json"], "{bad", /invalid JSON/],
    ["invalid JSONL line", ["pii", "detect", "-f", "jsonl"], '{"a":1}\n{oops\n', /line 2/],
    ["binary input", ["pii", "detect"], Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01]), /binary/],
    ["invalid UTF-8", ["pii", "mask"], Buffer.from([0x61, 0xff, 0xfe, 0x62]), /UTF-8/],
    ["missing file", ["pii", "mask", "/nonexistent/file.txt"], "", /cannot read .*ENOENT/],
    ["unknown operator", ["pii", "mask", "-o", "bogus"], "x", /unknown operator/],
    ["unknown entity", ["pii", "detect", "-e", "NAME"], "x", /unknown entity type/],
    ["bad threshold", ["pii", "detect", "-t", "2"], "x", /threshold/],
    ["unknown format", ["pii", "detect", "-f", "xml"], "x", /unknown --format/],
  ];
  for (const [name, args, input, message] of failures) {
    test(`bad input gives a clear error and exit 1, no stack trace: ${name}`, () => {
      const r = bastion(args, input);
      assert.equal(r.code, 1);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
      assert.equal(r.stdout, "");
    });
  }

  test("a path that cannot be read as a file is refused clearly", () => {
    // A directory: unreadable as a file even for root, where permission bits would not stop us.
    const r = bastion(["pii", "mask", dir]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /cannot read .*EISDIR/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });
});
