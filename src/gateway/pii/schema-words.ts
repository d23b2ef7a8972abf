import { editAllFieldsExcept, isRecord, mapArray, onRecordValues, type JsonRecord } from "./cow.js";
import type { StringOps } from "./ops.js";

/*
 * The words and sample values inside a tool's JSON Schemas: the model reads every property's
 * description and title (they are the function's parameter docs) and its default and examples,
 * so those are masked. The structure the client validates a call with is left alone (property
 * names, types, required, patterns, and enum and const: a call must still be able to name one of
 * their values). A default is the server's to apply when an argument is left out; the client
 * never needs it verbatim.
 */

const WORDS: ReadonlySet<string> = new Set(["title", "description"]);
/** Values shown as samples: any JSON, masked as such. */
const SAMPLES: ReadonlySet<string> = new Set(["default", "examples", "example"]);
const MAP_KEYWORDS: ReadonlySet<string> = new Set(["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"]);
const SCHEMA_KEYWORDS: ReadonlySet<string> = new Set([
  "additionalProperties", "unevaluatedProperties", "propertyNames", "items", "additionalItems", "unevaluatedItems", "contains", "not", "if", "then", "else",
]);
const LIST_KEYWORDS: ReadonlySet<string> = new Set(["allOf", "anyOf", "oneOf", "prefixItems"]);
const NOTHING: ReadonlySet<string> = new Set();

/** Deeper than any real schema; past it the rest is masked as unknown JSON (fail closed). */
const MAX_DEPTH = 64;

export function maskSchemaWords(schema: unknown, ops: StringOps): unknown {
  function walk(node: unknown, depth: number): unknown {
    if (!isRecord(node)) return node;
    if (depth >= MAX_DEPTH) return ops.unknownShape(node);
    return editAllFieldsExcept(node as JsonRecord, NOTHING, (value, keyword) => {
      if (WORDS.has(keyword)) return ops.field(value);
      if (SAMPLES.has(keyword)) return ops.json(value);
      if (MAP_KEYWORDS.has(keyword)) return onRecordValues(value, (child) => walk(child, depth + 1));
      if (SCHEMA_KEYWORDS.has(keyword)) return Array.isArray(value) ? mapArray(value, (child) => walk(child, depth + 1)) : walk(value, depth + 1);
      if (LIST_KEYWORDS.has(keyword)) return Array.isArray(value) ? mapArray(value, (child) => walk(child, depth + 1)) : value;
      return value;
    });
  }
  return walk(schema, 0);
}
