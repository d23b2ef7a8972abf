/**
 * The engine with the compiled kernel against the engine on its TypeScript recognizers: every
 * public operation answers the same, on the benchmark corpus and on random text, with every
 * option that reaches detection (entity subsets, thresholds, allow-lists, disguised text).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { createPiiEngine, type PiiEngineOptions } from "../../../src/pii/engine.js";
import { kernelDetect } from "../../../src/pii/native-detect.js";
import { defaultRecognizers } from "../../../src/pii/recognizers/index.js";
import type { NativeKernel } from "../../../src/pii/native.js";
import { ENTITY_TYPES, type Finding, type Recognizer } from "../../../src/pii/types.js";
import { corpusSlices, corpusTexts, kernelSwitchedOff, mixedText, requireKernel } from "./differential.js";

function twins(options: PiiEngineOptions = {}) {
  const hashKey = "k".repeat(32);
  return {
    kernel: createPiiEngine({ hashKey, ...options }),
    typescript: createPiiEngine({ hashKey, ...options, kernel: false }),
  };
}

/** Disguises the way canonical.ts undoes: invisibles inside, no-break spaces, fullwidth digits. */
function disguise(text: string, seed: number): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const r = (seed * 31 + i * 17) % 23;
    if (c === " " && r < 3) out += "\u00a0";
    else if (c >= "0" && c <= "9" && r === 5) out += String.fromCharCode(c.charCodeAt(0) + 0xfee0);
    else out += c;
    if (r === 7) out += "\u200b";
  }
  return out;
}

if (!kernelSwitchedOff) {
  test("the engine detects with the kernel by default, and with TypeScript when asked or when it must", () => {
    requireKernel();
    assert.equal(createPiiEngine().detector, "kernel");
    assert.equal(createPiiEngine({ entities: ["US_SSN", "EMAIL_ADDRESS"] }).detector, "kernel");
    assert.equal(createPiiEngine({ kernel: false }).detector, "typescript");
    // Custom recognizers, or built-in ones in another order (ties go to the earlier recognizer,
    // and the kernel runs them in the built-in order), run in TypeScript.
    assert.equal(createPiiEngine({ recognizers: [...defaultRecognizers()].reverse() }).detector, "typescript");
    assert.equal(createPiiEngine({ recognizers: defaultRecognizers() }).detector, "kernel");
  });

  test("kernel engine: detect and mask equal the TypeScript engine's on the whole benchmark corpus", () => {
    requireKernel();
    const { kernel, typescript } = twins();
    for (const text of corpusTexts()) {
      assert.deepEqual(kernel.detect(text), typescript.detect(text), text);
      assert.equal(kernel.mask(text), typescript.mask(text));
    }
  });

  test("kernel engine: the same on disguised corpus text (invisibles, no-break spaces, fullwidth digits)", () => {
    const { kernel, typescript } = twins();
    corpusTexts(512 * 1024).forEach((text, k) => {
      const disguised = disguise(text, k);
      assert.deepEqual(kernel.detect(disguised), typescript.detect(disguised), disguised);
    });
  });

  test("kernel engine: the same on random text, for random entity subsets and thresholds", () => {
    const texts = corpusTexts(64 * 1024);
    fc.assert(
      fc.property(
        fc.oneof(mixedText(), corpusSlices(texts)),
        fc.subarray([...ENTITY_TYPES], { minLength: 1 }),
        fc.constantFrom(0, 0.3, 0.5, 0.65, 0.8, 1),
        fc.nat(),
        (text, entities, threshold, seed) => {
          const { kernel, typescript } = twins({ entities, threshold });
          const input = seed % 3 === 0 ? disguise(text, seed) : text;
          assert.deepEqual(kernel.detect(input), typescript.detect(input));
        },
      ),
      { numRuns: 1500 },
    );
  });

  test("kernel engine: maskJson and the stream masker equal the TypeScript engine's", () => {
    const { kernel, typescript } = twins();
    const texts = corpusTexts(128 * 1024);
    const value = { results: texts.slice(0, 40).map((text, i) => ({ id: i, text, tags: [text.slice(0, 30)] })) };
    assert.deepEqual(kernel.maskJson(value, { scope: "s" }), typescript.maskJson(value, { scope: "s" }));
    for (const text of texts.slice(0, 60)) {
      const outputs = [kernel, typescript].map((engine) => {
        const stream = engine.createStreamMasker();
        let out = "";
        for (let i = 0; i < text.length; i += 37) out += stream.push(text.slice(i, i + 37));
        return out + stream.end();
      });
      assert.equal(outputs[0], outputs[1]);
    }
  });

  test("kernel engine: a text past the kept-scratch size (its buffers let go after the call), then small ones", () => {
    const { kernel, typescript } = twins();
    const huge = corpusTexts(128 * 1024).join("\n").repeat(20); // ~2.6 M code units, over 1 << 20
    assert.ok(huge.length > 1 << 20);
    assert.deepEqual(kernel.detect(huge), typescript.detect(huge));
    for (const text of ["SSN 536-22-1234", "mail jane@example.com", ""]) assert.deepEqual(kernel.detect(text), typescript.detect(text));
  });

  test("kernel detect window by window (long texts) finds what the TypeScript engine finds in the whole text", () => {
    const kernel = requireKernel() as ReturnType<typeof requireKernel> & {
      detectWindowed(types: number, threshold: number, text: string, out: Float64Array, window: number, margin: number): number;
    };
    const texts = corpusTexts(256 * 1024);
    const engines = new Map<number, ReturnType<typeof createPiiEngine>>();
    const typescriptAt = (threshold: number) =>
      engines.get(threshold) ?? engines.set(threshold, createPiiEngine({ threshold, kernel: false })).get(threshold)!;
    let out = new Float64Array(4 * 4096);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(texts.length - 1), fc.nat(), fc.nat(2000)), { minLength: 2, maxLength: 14 }),
        fc.integer({ min: 1, max: 2500 }),
        fc.constantFrom(0.3, 0.5, 0.7),
        fc.nat(),
        (pieces, window, threshold, seed) => {
          let text = pieces.map(([doc, from, length]) => texts[doc]!.slice(from % 500, (from % 500) + length)).join(seed % 2 ? "\n" : " ");
          if (seed % 3 === 0) text = disguise(text, seed);
          let count = kernel.detectWindowed(127, threshold, text, out, window, 1024);
          if (4 * count > out.length) {
            out = new Float64Array(8 * count);
            count = kernel.detectWindowed(127, threshold, text, out, window, 1024);
          }
          const windowed = [];
          for (let k = 0; k < count; k++) windowed.push({ type: ENTITY_TYPES[out[4 * k]!], start: out[4 * k + 1], end: out[4 * k + 2], score: out[4 * k + 3] });
          assert.deepEqual(windowed, typescriptAt(threshold).detect(text));
        },
      ),
      { numRuns: 400 },
    );
  });

  test("kernel engine: the allow-list is asked about values as the recognizers read them", () => {
    const allow = { values: ["4111 1111 1111 1111", "jane@example.com"], patterns: [/^10\.0\.0\.\d+$/] };
    const { kernel, typescript } = twins({ allow });
    const texts = [
      "card 4111\u00a01111\u00a01111\u00a01111 and 5500 0000 0000 0004",
      "mail jane\u200b@example.com, or jo@example.com",
      "hosts 10.0.0.7 and 10.0.０.8 and 192.168.1.1",
    ];
    for (const text of texts) assert.deepEqual(kernel.detect(text), typescript.detect(text), text);
    // The attack: an allow-listed value elsewhere does not shield a different one.
    assert.deepEqual(
      kernel.detect(texts[0]!).map((f) => f.type),
      ["CREDIT_CARD"],
    );
  });
}

test("custom recognizers run in TypeScript, with or without a kernel", () => {
  const custom: Recognizer = {
    type: "PASSPORT",
    maxLength: 8,
    context: [],
    find: (text) => [...text.matchAll(/ZZ\d{6}/g)].map((m) => ({ start: m.index, end: m.index + 8, score: 0.9 })),
  };
  const engine = createPiiEngine({ recognizers: [custom] });
  assert.deepEqual(engine.detect("id ZZ123456 here"), [{ type: "PASSPORT", start: 3, end: 11, score: 0.9 }]);
});

test("a kernel that throws is not trusted: the call falls back to the TypeScript scanner", () => {
  const fallback: Finding[] = [{ type: "US_SSN", start: 0, end: 11, score: 0.85 }];
  const throwing: NativeKernel = {
    scan: () => 0,
    find: () => 0,
    configure: () => 0,
    detect: () => {
      throw new Error("kernel bug");
    },
  };
  const detect = kernelDetect(["US_SSN"], 0.5, () => fallback, throwing);
  assert.ok(detect);
  assert.deepEqual(detect("536-22-1234"), fallback);
  // A kernel without detect (an older build) is not used at all.
  assert.equal(kernelDetect(["US_SSN"], 0.5, () => fallback, { scan: () => 0, find: () => 0, configure: () => 0 }), undefined);
});

if (kernelSwitchedOff) {
  test("with BASTION_PII_NATIVE=0 the engine detects with its TypeScript recognizers", () => {
    assert.equal(createPiiEngine().detector, "typescript");
  });
}
