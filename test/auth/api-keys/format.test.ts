import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { API_KEY_LENGTH, API_KEY_PREFIX, generateApiKey, isPublicId, looksLikeApiKey, parseApiKey } from "../../../src/auth/api-keys/index.js";
import { base32Lower, base62Fixed } from "../../../src/auth/api-keys/encoding.js";
import { AuthError } from "../../../src/auth/errors.js";
import { authError } from "./helpers.js";

const KEY = generateApiKey().key;
const [, ID, SECRET] = KEY.split("_") as [string, string, string];

describe("API key format", () => {
  test("a generated key is bst_<16 base32>_<43 base62>, 64 ASCII characters", () => {
    for (let i = 0; i < 200; i++) {
      const { key, publicId } = generateApiKey();
      assert.match(key, /^bst_[a-z2-7]{16}_[0-9A-Za-z]{43}$/);
      assert.equal(key.length, API_KEY_LENGTH);
      assert.equal(key.slice(4, 20), publicId);
      assert.ok(isPublicId(publicId));
    }
    assert.equal(API_KEY_LENGTH, 64);
  });

  test("ids and secrets come from the random source (no two keys alike)", () => {
    const keys = new Set(Array.from({ length: 500 }, () => generateApiKey().key));
    const ids = new Set([...keys].map((k) => k.slice(4, 20)));
    assert.equal(keys.size, 500);
    assert.equal(ids.size, 500);
  });

  test("an injected random source decides the key (and all-zero / all-0xff bytes encode at full width)", () => {
    const zeros = generateApiKey((n) => new Uint8Array(n));
    assert.equal(zeros.key, `bst_${"a".repeat(16)}_${"0".repeat(43)}`);
    const ones = generateApiKey((n) => new Uint8Array(n).fill(0xff));
    assert.equal(ones.key, `bst_${"7".repeat(16)}_${base62Fixed(new Uint8Array(32).fill(0xff), 43)}`);
    assert.match(ones.key, /^bst_7{16}_[0-9A-Za-z]{43}$/);
    assert.throws(() => generateApiKey((n) => new Uint8Array(n - 1)), RangeError);
  });

  test("base32 matches RFC 4648 test vectors (lower case, no padding)", () => {
    const vectors: Array<[string, string]> = [["", ""], ["f", "my"], ["fo", "mzxq"], ["foo", "mzxw6"], ["foob", "mzxw6yq"], ["fooba", "mzxw6ytb"], ["foobar", "mzxw6ytboi"]];
    for (const [input, output] of vectors) assert.equal(base32Lower(Buffer.from(input)), output);
  });

  test("base62 is the number in base 62, padded; too many bytes for the width throws", () => {
    assert.equal(base62Fixed(Uint8Array.of(0, 61), 3), "00z");
    assert.equal(base62Fixed(Uint8Array.of(0, 62), 3), "010");
    assert.equal(base62Fixed(Uint8Array.of(1, 0), 3), "048"); // 256 = 4*62 + 8
    assert.equal(base62Fixed(Uint8Array.of(0, 36), 2), "0a"); // digits, then A-Z, then a-z
    assert.throws(() => base62Fixed(new Uint8Array(33).fill(0xff), 43), RangeError);
  });

  test("parse returns the public id and the whole key", () => {
    assert.deepEqual(parseApiKey(KEY), { publicId: ID, key: KEY });
  });

  const malformed: Array<[string, string]> = [
    ["empty", ""],
    ["prefix only", "bst_"],
    ["id only", `bst_${ID}`],
    ["id and separator, no secret", `bst_${ID}_`],
    ["missing id", `bst__${SECRET}`],
    ["missing prefix", `${ID}_${SECRET}`],
    ["wrong prefix", `bsk_${ID}_${SECRET}`],
    ["upper-case prefix", `BST_${ID}_${SECRET}`],
    ["another vendor's prefix", `sk_live_${ID}${SECRET}`.slice(0, 64)],
    ["extra underscore in the secret", `bst_${ID}_${SECRET.slice(0, 20)}_${SECRET.slice(21)}`],
    ["extra underscore after the prefix", `bst__${ID}${SECRET}`.slice(0, 64)],
    ["parts swapped", `bst_${SECRET.slice(0, 16)}_${ID}${SECRET.slice(16, 43)}`],
    ["upper-case id", `bst_${ID.toUpperCase()}_${SECRET}`],
    ["id with 0, 1, 8 or 9 (not base32)", `bst_0189${ID.slice(4)}_${SECRET}`],
    ["secret one short", `bst_${ID}_${SECRET.slice(1)}`],
    ["secret one long", `${KEY}x`],
    ["non-ASCII letter in the secret", `bst_${ID}_${SECRET.slice(0, 42)}é`],
    ["non-ASCII look-alike in the id", `bst_${ID.slice(0, 15)}\u0430_${SECRET}`],
    ["emoji", `bst_${ID}_${SECRET.slice(0, 41)}😀`],
    ["NUL byte", `bst_${ID}_${SECRET.slice(0, 42)}\0`],
    ["leading space", ` ${KEY.slice(1)}`],
    ["trailing newline", `${KEY.slice(0, 63)}\n`],
    ["base64url '-' in the secret", `bst_${ID}_${SECRET.slice(0, 42)}-`],
    ["very long (1 MB)", `${KEY}${"A".repeat(1_000_000)}`],
    ["very long, same prefix and id", `bst_${ID}_${"A".repeat(10_000)}`],
  ];
  for (const [name, text] of malformed) {
    test(`malformed key refused: ${name}`, () => {
      assert.throws(() => parseApiKey(text), authError("malformed_credentials", SECRET, text.length > 4 ? text : ""));
    });
  }

  test("property: every generated key parses back to its id", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 42, maxLength: 42 }), (bytes) => {
        let offset = 0;
        const { key, publicId } = generateApiKey((n) => bytes.slice(offset, (offset += n)));
        return parseApiKey(key).publicId === publicId;
      }),
      { numRuns: 300 },
    );
  });

  test("property: any other string is refused with malformed_credentials, never another error", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: "grapheme", maxLength: 70 }), fc.constantFrom(KEY).map((k) => k.slice(0, 63))), (text) => {
        if (/^bst_[a-z2-7]{16}_[0-9A-Za-z]{43}$/.test(text)) return true;
        try {
          parseApiKey(text);
          return false;
        } catch (error) {
          return error instanceof AuthError && error.code === "malformed_credentials";
        }
      }),
      { numRuns: 1000 },
    );
  });

  test("property: changing any one character of a key either makes it malformed or a different key", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 63 }), fc.string({ minLength: 1, maxLength: 1 }), (index, ch) => {
        const changed = KEY.slice(0, index) + ch + KEY.slice(index + 1);
        if (changed === KEY) return true;
        try {
          return parseApiKey(changed).key !== KEY;
        } catch (error) {
          return error instanceof AuthError && error.code === "malformed_credentials";
        }
      }),
      { numRuns: 500 },
    );
  });

  test("looksLikeApiKey routes by prefix only; isPublicId accepts exactly 16 base32 characters", () => {
    assert.equal(API_KEY_PREFIX, "bst_");
    assert.equal(looksLikeApiKey(KEY), true);
    assert.equal(looksLikeApiKey("bst_anything"), true);
    assert.equal(looksLikeApiKey("eyJhbGciOiJSUzI1NiJ9.e30.sig"), false);
    assert.equal(looksLikeApiKey("BST_x"), false);
    assert.equal(isPublicId(ID), true);
    for (const bad of ["", ID.slice(1), `${ID}a`, ID.toUpperCase(), "' OR 1=1 --aaaaa", `${ID.slice(0, 15)}1`]) assert.equal(isPublicId(bad), false, bad);
  });
});
