import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { LineTooLongError, createLineDecoder } from "../../../src/gateway/upstream/lines.js";

/** Cuts `bytes` at the given points (sorted, deduplicated, inside the buffer). */
function cut(bytes: Buffer, points: number[]): Buffer[] {
  const at = [...new Set(points.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const p of at) {
    chunks.push(bytes.subarray(from, p));
    from = p;
  }
  chunks.push(bytes.subarray(from));
  return chunks;
}

describe("createLineDecoder", () => {
  test("yields the same lines however the bytes are chunked (multi-byte UTF-8 included)", () => {
    const line = fc.string({ unit: "grapheme", maxLength: 40 }).map((s) => s.replace(/[\r\n]/g, ""));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 10 }), fc.boolean(), (lines, points, crlf) => {
        const bytes = Buffer.from(lines.map((l) => l + (crlf ? "\r\n" : "\n")).join(""), "utf8");
        const decoder = createLineDecoder(1 << 20);
        const out = cut(bytes, points).flatMap((chunk) => decoder.push(chunk));
        assert.deepEqual(out, lines);
        assert.equal(decoder.buffered, 0);
      }),
    );
  });

  test("holds an unfinished line until its newline arrives", () => {
    const decoder = createLineDecoder(100);
    assert.deepEqual(decoder.push(Buffer.from('{"a":')), []);
    assert.equal(decoder.buffered, 5);
    assert.deepEqual(decoder.push(Buffer.from('1}\n{"b"')), ['{"a":1}']);
    assert.deepEqual(decoder.push(Buffer.from(":2}\n")), ['{"b":2}']);
  });

  test("refuses a line over the limit, whether it arrives in one chunk or many", () => {
    assert.throws(() => createLineDecoder(8).push(Buffer.from("123456789\n")), LineTooLongError);
    const decoder = createLineDecoder(8);
    decoder.push(Buffer.from("12345"));
    assert.throws(() => decoder.push(Buffer.from("6789")), LineTooLongError);
    // Exactly at the limit is fine.
    assert.deepEqual(createLineDecoder(8).push(Buffer.from("12345678\n")), ["12345678"]);
  });
});
