import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { createPiiEngine, type Operator } from "../../src/pii/index.js";
import { FILLER_FRAGMENTS, PII_FRAGMENTS } from "./samples.js";

const engine = createPiiEngine();

const documentText = fc
  .array(fc.oneof(fc.constantFrom(...PII_FRAGMENTS), fc.constantFrom(...FILLER_FRAGMENTS), fc.string({ maxLength: 6 })), {
    maxLength: 40,
  })
  .map((parts) => parts.join(" "));

function chunksOf(text: string, cuts: number[]): string[] {
  const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const chunks: string[] = [];
  let previous = 0;
  for (const p of points) {
    chunks.push(text.slice(previous, p));
    previous = p;
  }
  chunks.push(text.slice(previous));
  return chunks;
}

function maskInChunks(chunks: string[], op?: Operator, scope?: string): string {
  const masker = engine.createStreamMasker({ ...(op ? { defaultOperator: op } : {}), ...(scope ? { scope } : {}) });
  let out = "";
  for (const chunk of chunks) out += masker.push(chunk);
  return out + masker.end();
}

describe("stream masker", () => {
  test("an address split across chunks is still masked", () => {
    assert.equal(maskInChunks(["write to ali", "ce@exam", "ple.com now"]), "write to <EMAIL_ADDRESS> now");
  });

  test("one character at a time equals the whole text", () => {
    const text = "a alice@example.com b " + PII_FRAGMENTS.join(" ; ");
    assert.equal(maskInChunks([...text]), engine.mask(text));
  });

  test("holds back no more than the longest possible entity", () => {
    const masker = engine.createStreamMasker();
    const text = "word ".repeat(400);
    let emitted = masker.push(text);
    const held = text.length - emitted.length;
    assert.ok(held <= engine.maxEntityLength, `held ${held} > ${engine.maxEntityLength}`);
    emitted += masker.end();
    assert.equal(emitted, text);
  });

  test("property: any split gives exactly the whole-text result", () => {
    fc.assert(
      fc.property(documentText, fc.array(fc.nat(), { maxLength: 20 }), (text, cuts) => {
        assert.equal(maskInChunks(chunksOf(text, cuts)), engine.mask(text));
      }),
      { numRuns: 400 },
    );
  });

  test("property: the same holds with reversible tokens", () => {
    fc.assert(
      fc.property(documentText, fc.array(fc.nat(), { maxLength: 10 }), (text, cuts) => {
        const whole = engine.mask(text, { defaultOperator: { type: "token" }, scope: "w" });
        const chunked = maskInChunks(chunksOf(text, cuts), { type: "token" }, "w");
        assert.equal(chunked, whole);
      }),
      { numRuns: 200 },
    );
  });

  test("end() is final; pushing after it throws", () => {
    const masker = engine.createStreamMasker();
    masker.push("x");
    assert.equal(masker.end(), "x");
    assert.equal(masker.end(), "");
    assert.throws(() => masker.push("y"));
  });
});

