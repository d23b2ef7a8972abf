import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { isSecretKey, scrubCredentials } from "../../src/audit/secrets.js";
import { sanitizeLogValue } from "../../src/audit/log-sanitizer.js";

describe("isSecretKey", () => {
  test("secret-looking keys, in any case and separator style", () => {
    for (const key of [
      "authorization", "Authorization", "proxy-authorization", "cookie", "Set-Cookie", "password", "DB_PASSWORD", "passwd",
      "secret", "client_secret", "clientSecret", "token", "access_token", "refreshToken", "x-upstream-token", "apiKey",
      "x-api-key", "OPENAI_API_KEY", "privateKey", "hashKey", "credentials", "auth", "jwt",
    ]) {
      assert.equal(isSecretKey(key), true, key);
    }
  });

  test("ordinary keys stay readable", () => {
    for (const key of [
      "progressToken", "nextPageToken", "maxTokens", "tokenizer", "author", "authority", "key", "monkey", "keyboard",
      "email", "id", "sessionId", "method", "uri", "env", "passwordHint", "secretary",
    ]) {
      assert.equal(isSecretKey(key), false, key);
    }
  });
});

describe("scrubCredentials", () => {
  test("authorization values, key=value credentials and URL passwords are cut", () => {
    const cases: [string, string][] = [
      ["Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig", "Authorization: Bearer [REDACTED]"],
      ["bearer abcdefgh12345678", "bearer [REDACTED]"],
      ["Basic dXNlcjpwYXNzd29yZA==", "Basic [REDACTED]"],
      ["x-api-key: sk-123456", "x-api-key: [REDACTED]"],
      ['{"apiKey":"sk-123456"}', '{"apiKey":"[REDACTED]"}'],
      ["password=hunter2&user=bob", "password=[REDACTED]&user=bob"],
      ["client_secret = abc123", "client_secret = [REDACTED]"],
      ["postgres://app:pa55word@db:5432/x", "postgres://app:[REDACTED]@db:5432/x"],
    ];
    for (const [input, expected] of cases) assert.equal(scrubCredentials(input), expected, input);
  });

  test("plain prose is left alone", () => {
    for (const text of [
      "Basic information is missing",
      "the bearer tokenizer failed",
      "password reset requested",
      "see https://example.com/docs",
      "tokens: 42, secrets: none listed",
      "api version 2",
    ]) {
      assert.equal(scrubCredentials(text), text);
    }
  });
});

describe("sanitizeLogValue", () => {
  test("copy-on-write: a value with nothing to change is returned as is", () => {
    const value = { a: [1, "two", { three: true }], when: new Date(0) };
    assert.equal(sanitizeLogValue(value, { maxDepth: 10 }), value);
  });

  test("a secret key is censored even when its value is an object; null and undefined stay", () => {
    assert.deepEqual(sanitizeLogValue({ token: { a: 1 }, password: null, secret: undefined }, { maxDepth: 10 }), {
      token: "[REDACTED]",
      password: null,
      secret: undefined,
    });
  });

  test("objects with toJSON are sanitized through it", () => {
    const value = { toJSON: () => ({ password: "x-123456" }) };
    assert.deepEqual(sanitizeLogValue(value, { maxDepth: 10 }), { password: "[REDACTED]" });
  });

  test("masked keys that collide do not overwrite each other", () => {
    const mask = (s: string): string => s.replace(/[a-z]+@[a-z.]+/g, "<E>");
    const out = sanitizeLogValue({ "a@x.org": 1, "b@y.org": 2 }, { maxDepth: 10, mask }) as Record<string, number>;
    assert.deepEqual(Object.values(out).sort(), [1, 2]);
    assert.ok(Object.keys(out).every((k) => k.startsWith("<E>")));
  });
});
