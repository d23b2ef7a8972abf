import type { EntityType } from "../../../src/index.js";

/** The hard-negative kinds: spans that look like PII but must not be flagged as any type. */
export const NEGATIVE_KINDS = [
  "luhn_invalid_16",
  "imei",
  "invalid_ssn",
  "version",
  "snmp_oid",
  "timestamp",
  "epoch",
  "uuid",
  "hex_hash",
  "isbn",
  "order_number",
  "invoice_number",
  "price",
  "date",
  "postcode",
] as const;

export type NegativeKind = (typeof NEGATIVE_KINDS)[number];

export const DOC_KINDS = [
  "email",
  "support_ticket",
  "nginx_log",
  "syslog",
  "app_json_log",
  "json_tool_result",
  "csv",
  "chat",
] as const;

export type DocKind = (typeof DOC_KINDS)[number];

/** A generated value and the format it was written in (for per-format breakdowns). */
export interface Generated {
  value: string;
  variant: string;
}

export interface EntityLabel {
  type: EntityType;
  start: number;
  end: number;
  /** The generated value; `text.slice(start, end)` equals it. */
  value: string;
  variant: string;
}

export interface NegativeLabel {
  kind: NegativeKind;
  start: number;
  end: number;
  value: string;
  variant: string;
}

export interface CorpusDoc {
  kind: DocKind;
  text: string;
  entities: EntityLabel[];
  negatives: NegativeLabel[];
}

/**
 * Builds a document left to right. Labels are recorded at the moment a value is appended, so
 * their offsets are exact by construction (no search over the finished text).
 */
export class DocBuilder {
  private readonly parts: string[] = [];
  private length = 0;
  private readonly entities: EntityLabel[] = [];
  private readonly negatives: NegativeLabel[] = [];

  text(chunk: string): this {
    this.parts.push(chunk);
    this.length += chunk.length;
    return this;
  }

  entity(type: EntityType, generated: Generated): this {
    const start = this.length;
    this.text(generated.value);
    this.entities.push({ type, start, end: this.length, value: generated.value, variant: generated.variant });
    return this;
  }

  negative(kind: NegativeKind, generated: Generated): this {
    const start = this.length;
    this.text(generated.value);
    this.negatives.push({ kind, start, end: this.length, value: generated.value, variant: generated.variant });
    return this;
  }

  /** Current length in UTF-16 code units (string offsets). */
  get size(): number {
    return this.length;
  }

  build(kind: DocKind): CorpusDoc {
    return { kind, text: this.parts.join(""), entities: [...this.entities], negatives: [...this.negatives] };
  }
}
