/** What the shape-aware maskers do with the strings they reach (mask outbound, restore inbound). */
export interface StringOps {
  /** One string field (a text, a description, a URI). */
  text(value: string): string;
  /** A field that should hold a string: `text` for a string, `json` for anything else (fail closed). */
  field(value: unknown): unknown;
  /**
   * `field`, except that a `uri` holding a base64 `data:` URI is left alone: it is binary, like
   * a blob. The signature fits `editFields`, which passes the field's name.
   */
  named(value: unknown, name: string): unknown;
  /** Free-form JSON (structured content, tool input, log data): every string, key and PII number. */
  json(value: unknown): unknown;
  /** JSON of unknown shape: as `json`, but binary and opaque protocol fields are left alone. */
  unknownShape(value: unknown): unknown;
}
