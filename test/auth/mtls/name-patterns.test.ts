/**
 * Mapping-rule patterns: what each one matches, and, beside every positive, the near misses an
 * attacker would try (a deeper subdomain, a look-alike suffix, path traversal, a NUL byte).
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { matchesPattern, parsePattern, type NameKind, type NamePattern } from "../../../src/auth/mtls/name-patterns.js";

function pattern(kind: NameKind, text: string): NamePattern {
  const parsed = parsePattern(kind, text);
  if ("error" in parsed) throw new Error(`${kind} ${text}: ${parsed.error}`);
  return parsed;
}

const matches = (kind: NameKind, text: string, value: string): boolean => matchesPattern(kind, pattern(kind, text), value);

describe("subject attributes (cn, o, ou): exact and case-sensitive", () => {
  test("equal values match", () => assert.equal(matches("cn", "alice", "alice"), true));
  test("case, whitespace and prefixes do not", () => {
    for (const value of ["Alice", "alice ", " alice", "alice2", "alic", "alice\u0000.evil"]) assert.equal(matches("cn", "alice", value), false, value);
  });
  test("wildcards are refused in the config", () => {
    assert.ok("error" in parsePattern("cn", "*"));
    assert.ok("error" in parsePattern("o", "Acme*"));
  });
  test("empty values and control characters are refused in the config", () => {
    assert.ok("error" in parsePattern("ou", ""));
    assert.ok("error" in parsePattern("cn", "a\nb"));
  });
});

describe("dns", () => {
  test("exact names match case-insensitively", () => {
    assert.equal(matches("dns", "api.acme.test", "API.Acme.Test"), true);
    assert.equal(matches("dns", "API.acme.test", "api.acme.test"), true);
  });
  test("exact names do not match a subdomain, a parent or a look-alike", () => {
    for (const value of ["x.api.acme.test", "acme.test", "api.acme.test.evil", "api-acme.test", "api.acme.test."]) {
      assert.equal(matches("dns", "api.acme.test", value), false, value);
    }
  });
  test('"*.acme.test" matches one left-most label only', () => {
    assert.equal(matches("dns", "*.acme.test", "a.acme.test"), true);
    for (const value of ["acme.test", "a.b.acme.test", ".acme.test", "evilacme.test", "a.acme.test.evil", "*.acme.test", "a\u0000.acme.test", "-a.acme.test"]) {
      assert.equal(matches("dns", "*.acme.test", value), false, value);
    }
  });
  test("a wildcard over a single label or in the middle is refused in the config", () => {
    for (const bad of ["*.test", "*", "a.*.test", "*acme.test", "acme.*", "bad_name.test"]) assert.ok("error" in parsePattern("dns", bad), bad);
  });
  test("a one-label wildcard never matches outside its suffix (property)", () => {
    const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/);
    fc.assert(
      fc.property(label, label, fc.array(label, { minLength: 1, maxLength: 3 }), (first, other, suffix) => {
        const suffixText = [...suffix, "test"].join(".");
        assert.equal(matches("dns", `*.${suffixText}`, `${first}.${suffixText}`), true);
        assert.equal(matches("dns", `*.${suffixText}`, `${first}.${other}.${suffixText}`), false);
        assert.equal(matches("dns", `*.${suffixText}`, `${first}.${suffixText}x`), false);
      }),
    );
  });
});

describe("email", () => {
  test("exact addresses: the domain is case-insensitive, the local part is not", () => {
    assert.equal(matches("email", "bob@acme.test", "bob@ACME.test"), true);
    assert.equal(matches("email", "bob@acme.test", "Bob@acme.test"), false);
  });
  test('"*@acme.test" matches any local part at that domain only', () => {
    assert.equal(matches("email", "*@acme.test", "carol@acme.test"), true);
    for (const value of ["carol@sub.acme.test", "carol@acme.test.evil", "carol@evilacme.test", "a@b@acme.test", "@acme.test", "carol @acme.test", "carol@acme.test\u0000"]) {
      assert.equal(matches("email", "*@acme.test", value), false, value);
    }
  });
  test("malformed addresses are refused in the config", () => {
    for (const bad of ["bob", "*@", "@acme.test", "bob@@acme.test", "*@*.acme.test"]) assert.ok("error" in parsePattern("email", bad), bad);
  });
});

describe("uri (SPIFFE ids)", () => {
  const prod = "spiffe://acme.test/ns/prod/*";
  test("exact URIs match exactly", () => {
    assert.equal(matches("uri", "spiffe://acme.test/ns/prod/sa/alice", "spiffe://acme.test/ns/prod/sa/alice"), true);
    assert.equal(matches("uri", "spiffe://acme.test/ns/prod/sa/alice", "spiffe://acme.test/ns/prod/sa/alice/x"), false);
    assert.equal(matches("uri", "spiffe://acme.test/ns/prod/sa/alice", "SPIFFE://acme.test/ns/prod/sa/alice"), false);
  });
  test('"…/prod/*" matches one or more segments below', () => {
    assert.equal(matches("uri", prod, "spiffe://acme.test/ns/prod/sa/alice"), true);
    assert.equal(matches("uri", prod, "spiffe://acme.test/ns/prod/x"), true);
  });
  test("…but not the path itself, a sibling, traversal, encoded slashes, queries or empty segments", () => {
    for (const value of [
      "spiffe://acme.test/ns/prod/",
      "spiffe://acme.test/ns/prod",
      "spiffe://acme.test/ns/production/sa/alice",
      "spiffe://acme.test/ns/prod/../admin",
      "spiffe://acme.test/ns/prod/./x",
      "spiffe://acme.test/ns/prod/sa%2F..%2Fadmin",
      "spiffe://acme.test/ns/prod/sa?x=1",
      "spiffe://acme.test/ns/prod/sa#frag",
      "spiffe://acme.test/ns/prod//x",
      "spiffe://acme.test/ns/prod/sa\\x",
      "spiffe://acme.test/ns/prod/sa x",
      "spiffe://acme.test.evil/ns/prod/sa/alice",
      "spiffe://evil.test/ns/prod/sa/alice",
    ]) {
      assert.equal(matches("uri", prod, value), false, value);
    }
  });
  test("malformed patterns are refused in the config", () => {
    for (const bad of ["spiffe://acme.test/*/prod", "spiffe://acme.test/ns*", "not a uri", "/relative/*", "spiffe:///ns/*"]) assert.ok("error" in parsePattern("uri", bad), bad);
  });
  test("no value containing a '..' segment matches a prefix pattern (property)", () => {
    const segment = fc.stringMatching(/^[a-z0-9_-]{1,8}$/);
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 3 }), fc.array(segment, { maxLength: 3 }), (before, afterSegments) => {
        const value = `spiffe://acme.test/ns/prod/${[...before, "..", ...afterSegments].join("/")}`;
        assert.equal(matches("uri", prod, value), false);
      }),
    );
  });
});

test("values with control characters never match anything (property)", () => {
  const control = fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c));
  fc.assert(
    fc.property(fc.string({ maxLength: 10 }), control, fc.string({ maxLength: 10 }), (left, c, right) => {
      const value = `${left}${c}${right}`;
      for (const [kind, text] of [["cn", value.replace(/[\u0000-\u001f\u007f-\u009f*]/g, "") || "x"], ["dns", "*.acme.test"], ["email", "*@acme.test"], ["uri", "spiffe://acme.test/*"]] as const) {
        assert.equal(matchesPattern(kind, pattern(kind, text), value), false);
      }
    }),
  );
});
