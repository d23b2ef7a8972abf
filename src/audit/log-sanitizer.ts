import pino from "pino";
import { isSecretContainer, isSecretKey, REDACTED, scrubCredentials } from "./secrets.js";

export interface LogSanitizeOptions {
  /** Masks PII in one string; absent when this line is not masked (secrets are cut regardless). */
  mask?: (text: string) => string;
  /** Deeper values are replaced by a marker. */
  maxDepth: number;
}

const SMALLEST_NUMBER_WORTH_SCANNING = 100_000;

type Plain = Record<string, unknown>;

interface Walk {
  mask: ((text: string) => string) | undefined;
  maxDepth: number;
  /** The objects being walked, outermost first: a value met again among them is a cycle. */
  ancestors: object[];
}

/**
 * Makes one logged value safe to write: secrets censored by key at any depth and cut out of
 * strings; with `mask`, PII masked in every string, key and PII-bearing number; errors turned
 * into plain objects (type, message with causes, stack, own fields) masked like the rest.
 * Copy-on-write: the caller's objects are never modified, and unchanged values are returned as
 * they are. Circular references and very deep values become markers instead of hanging.
 */
export function sanitizeLogValue(value: unknown, options: LogSanitizeOptions): unknown {
  if (typeof value === "string") return text(value, options.mask); // most log arguments
  if (typeof value !== "object" || value === null) return scalar(value, options.mask);
  return walk(value, 0, { mask: options.mask, maxDepth: options.maxDepth, ancestors: [] });
}

function text(value: string, mask: ((text: string) => string) | undefined): string {
  const scrubbed = scrubCredentials(value);
  return mask ? mask(scrubbed) : scrubbed;
}

function scalar(value: unknown, mask: ((text: string) => string) | undefined): unknown {
  if (typeof value !== "number" || !mask || !Number.isFinite(value)) return value;
  if (value < SMALLEST_NUMBER_WORTH_SCANNING && value > -SMALLEST_NUMBER_WORTH_SCANNING) return value;
  const asText = String(value);
  const masked = mask(asText);
  return masked === asText ? value : masked;
}

function walk(node: unknown, depth: number, ctx: Walk): unknown {
  if (typeof node === "string") return text(node, ctx.mask);
  if (typeof node !== "object" || node === null) return scalar(node, ctx.mask);
  if (ctx.ancestors.includes(node)) return "[Circular]";
  if (depth >= ctx.maxDepth) return "[Too deep]";
  if (node instanceof Date || node instanceof Map || node instanceof Set) return node; // no text in their JSON
  if (ArrayBuffer.isView(node) || node instanceof ArrayBuffer) return `[binary ${node.byteLength} bytes]`;
  ctx.ancestors.push(node);
  try {
    if (node instanceof Error) {
      // pino's serializer gathers causes into message and stack; the copy is plain, so the
      // raw (unmasked) error does not travel with it.
      return walkObject(pino.stdSerializers.err(node), depth, ctx, true);
    }
    const toJSON = (node as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === "function") return walk(toJSON.call(node), depth, ctx);
    if (Array.isArray(node)) {
      let out: unknown[] | undefined;
      for (let i = 0; i < node.length; i++) {
        const before: unknown = node[i];
        const after = walk(before, depth + 1, ctx);
        if (after === before) continue;
        out ??= node.slice();
        out[i] = after;
      }
      return out ?? node;
    }
    return walkObject(node, depth, ctx, false);
  } finally {
    ctx.ancestors.pop();
  }
}

function walkObject(node: object, depth: number, ctx: Walk, forceCopy: boolean): unknown {
  const record = node as Plain;
  const keys = Object.keys(record);
  let out: Plain | undefined = forceCopy ? {} : undefined;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const before = record[key];
    const after =
      before !== undefined && before !== null && (isSecretKey(key) || isSecretContainer(key, before))
        ? REDACTED
        : walk(before, depth + 1, ctx);
    const outKey = ctx.mask ? ctx.mask(key) : key;
    if (out === undefined && (after !== before || outKey !== key)) {
      out = {};
      for (let j = 0; j < i; j++) define(out, keys[j]!, record[keys[j]!]); // unchanged so far
    }
    if (out !== undefined) {
      define(out, Object.prototype.hasOwnProperty.call(out, outKey) ? `${outKey}_${i}` : outKey, after);
    }
  }
  return out ?? node;
}

function define(target: Plain, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}
