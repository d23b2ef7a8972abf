import { isRecord, setOwn, type JsonRecord } from "./cow.js";
import { MessageMaskingError } from "./errors.js";

export interface JsonWalkOptions {
  /** Transform object keys too (a key that is PII is data, not schema). */
  keys: boolean;
  /**
   * Numbers whose decimal form the transform changes become that (string) result: a card or
   * phone number sent as a JSON number must not reach the model either.
   */
  numbers: boolean;
  /** Deeper nesting is refused (MessageMaskingError) rather than risk the stack. */
  maxDepth: number;
  /** Fields left as they are, key and value, at any depth (binary data, opaque protocol state). */
  skip?: (key: string, record: JsonRecord) => boolean;
}

// Shorter numbers cannot hold any entity the engine knows (the shortest numeric one has 6+ digits).
const SMALLEST_NUMBER_WORTH_SCANNING = 100_000;

/**
 * Rebuilds a JSON value with `transform` applied to its strings, copy-on-write: the result is
 * the input itself when nothing changed, and unchanged subtrees are shared.
 */
export function mapJsonStrings(value: unknown, transform: (text: string) => string, options: JsonWalkOptions): unknown {
  const { keys, numbers, maxDepth, skip } = options;

  function uniqueKey(target: JsonRecord, key: string): string {
    if (!Object.prototype.hasOwnProperty.call(target, key)) return key;
    for (let n = 2; ; n++) {
      const candidate = `${key}_${n}`;
      if (!Object.prototype.hasOwnProperty.call(target, candidate)) return candidate;
    }
  }

  function walkRecord(node: JsonRecord, depth: number): JsonRecord {
    const names = Object.keys(node);
    // Keys first: if any key changes, the object is rebuilt in key order (collisions get _2, _3).
    let keyChanged = false;
    const newNames = keys ? new Array<string>(names.length) : names;
    if (keys) {
      for (let i = 0; i < names.length; i++) {
        const name = names[i]!;
        const masked = skip?.(name, node) ? name : transform(name);
        newNames[i] = masked;
        if (masked !== name) keyChanged = true;
      }
    }
    if (keyChanged) {
      const out: JsonRecord = {};
      for (let i = 0; i < names.length; i++) {
        const name = names[i]!;
        const child = skip?.(name, node) ? node[name] : walk(node[name], depth + 1);
        setOwn(out, uniqueKey(out, newNames[i]!), child);
      }
      return out;
    }
    let out: JsonRecord | undefined;
    for (const name of names) {
      if (skip?.(name, node)) continue;
      const before = node[name];
      const after = walk(before, depth + 1);
      if (after === before) continue;
      out ??= { ...node };
      setOwn(out, name, after);
    }
    return out ?? node;
  }

  function walk(node: unknown, depth: number): unknown {
    switch (typeof node) {
      case "string":
        return transform(node);
      case "number": {
        if (!numbers || !Number.isFinite(node)) return node;
        if (node < SMALLEST_NUMBER_WORTH_SCANNING && node > -SMALLEST_NUMBER_WORTH_SCANNING) return node;
        const asText = String(node);
        const masked = transform(asText);
        return masked === asText ? node : masked;
      }
      case "object": {
        if (node === null) return node;
        if (depth >= maxDepth) throw new MessageMaskingError(`JSON nested deeper than ${maxDepth} levels`);
        if (Array.isArray(node)) {
          let out: unknown[] | undefined;
          for (let i = 0; i < node.length; i++) {
            const before: unknown = node[i];
            const after = walk(before, depth + 1);
            if (after === before) continue;
            out ??= node.slice();
            out[i] = after;
          }
          return out ?? node;
        }
        return isRecord(node) ? walkRecord(node, depth) : node;
      }
      default:
        return node; // booleans; nothing else comes out of JSON.parse
    }
  }

  return walk(value, 0);
}
