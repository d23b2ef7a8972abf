import { editFields, isRecord, mapArray, onRecordValues, type JsonRecord } from "./cow.js";

/**
 * String formats a masked value no longer satisfies: `<EMAIL_ADDRESS>` is not an email, nor is
 * `mailto:<EMAIL_ADDRESS>` a URI. SDK clients validate structuredContent against the tool's
 * outputSchema with ajv-formats, so a kept format would turn every masked result into an error.
 */
const FORMATS_MASKING_BREAKS: ReadonlySet<string> = new Set([
  "email",
  "idn-email",
  "ipv4",
  "ipv6",
  "uri",
  "uri-reference",
  "iri",
  "iri-reference",
]);

const SCHEMA_MAP_KEYWORDS = ["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"] as const;
const SCHEMA_KEYWORDS = [
  "additionalProperties",
  "unevaluatedProperties",
  "propertyNames",
  "items",
  "additionalItems",
  "unevaluatedItems",
  "contains",
  "not",
  "if",
  "then",
  "else",
] as const;
const SCHEMA_LIST_KEYWORDS = ["allOf", "anyOf", "oneOf", "prefixItems"] as const;
const ALL_KEYWORDS: readonly string[] = [
  ...SCHEMA_MAP_KEYWORDS,
  ...SCHEMA_KEYWORDS,
  ...SCHEMA_LIST_KEYWORDS,
  "format",
  "pattern",
  "type",
];
const MAP_KEYWORDS: ReadonlySet<string> = new Set(SCHEMA_MAP_KEYWORDS);
const LIST_KEYWORDS: ReadonlySet<string> = new Set(SCHEMA_LIST_KEYWORDS);

// Schemas nest shallowly in practice; past this the rest is left as it is (the client may then
// reject a masked result, which fails closed).
const MAX_SCHEMA_DEPTH = 64;

export interface RelaxOptions {
  /** Numbers may be masked into strings, so numeric types also admit strings. */
  numbers: boolean;
}

function widenType(type: unknown): unknown {
  if (type === "number" || type === "integer") return [type, "string"];
  if (Array.isArray(type) && !type.includes("string") && (type.includes("number") || type.includes("integer"))) {
    return [...type, "string"];
  }
  return type;
}

/**
 * Loosens a tool's outputSchema just enough that masked structured content still validates:
 * drops string formats that masking breaks and every `pattern` (a masked value cannot be known
 * to match), and lets numeric fields hold a string when numbers may be masked. Everything else
 * (names, required, descriptions, nesting) stays, copy-on-write.
 */
export function relaxOutputSchema(schema: unknown, options: RelaxOptions): unknown {
  function relax(node: unknown, depth: number): unknown {
    if (!isRecord(node) || depth >= MAX_SCHEMA_DEPTH) return node;
    let out: JsonRecord = editFields(node, ALL_KEYWORDS, (value, keyword) => {
      if (keyword === "type") return options.numbers ? widenType(value) : value;
      if (MAP_KEYWORDS.has(keyword)) return onRecordValues(value, (child) => relax(child, depth + 1));
      if (LIST_KEYWORDS.has(keyword)) {
        return Array.isArray(value) ? mapArray(value, (child) => relax(child, depth + 1)) : value;
      }
      if (keyword === "items" && Array.isArray(value)) return mapArray(value, (child) => relax(child, depth + 1));
      if (keyword === "format" || keyword === "pattern") return value; // removed below
      return relax(value, depth + 1);
    });
    const dropFormat = typeof out.format === "string" && FORMATS_MASKING_BREAKS.has(out.format);
    const dropPattern = Object.prototype.hasOwnProperty.call(out, "pattern");
    if (dropFormat || dropPattern) {
      if (out === node) out = { ...node };
      if (dropFormat) delete out.format;
      if (dropPattern) delete out.pattern;
    }
    return out;
  }
  return relax(schema, 0);
}
