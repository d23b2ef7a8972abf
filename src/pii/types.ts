import type { TextScan } from "./text-scan.js";

/** The entity types the engine knows, named as Microsoft Presidio names them. */
export const ENTITY_TYPES = [
  "EMAIL_ADDRESS",
  "PHONE_NUMBER",
  "US_SSN",
  "CREDIT_CARD",
  "IP_ADDRESS",
  "STREET_ADDRESS",
  "PASSPORT",
] as const;

export type EntityType = (typeof ENTITY_TYPES)[number];

export function isEntityType(value: string): value is EntityType {
  return (ENTITY_TYPES as readonly string[]).includes(value);
}

/** One detected entity: string offsets into the scanned text, end exclusive. */
export interface Finding {
  type: EntityType;
  start: number;
  end: number;
  /** Confidence in [0, 1] after context adjustment. */
  score: number;
}

/** What a recognizer reports before the scanner applies context, threshold and overlap rules. */
export interface Candidate {
  start: number;
  end: number;
  /** Base confidence in [0, 1], before context words are considered. */
  score: number;
}

/**
 * A recognizer finds validated candidates of one entity type (Presidio's split: recognizers
 * detect, operators transform). Rules every recognizer keeps, because the stream masker and the
 * scanner rely on them:
 * - `find` is linear in the length of the text (no backtracking blow-ups);
 * - a candidate depends only on the text within `maxLength` characters of it (plus the context
 *   window before it), so scanning a window gives the same answer as scanning the whole text;
 * - no candidate is longer than `maxLength`;
 * - `find(text, scan)` returns the same candidates as `find(text)`: the scan only shares work
 *   (where the digits are) between the recognizers of one `detect` call.
 */
export interface Recognizer {
  readonly type: EntityType;
  /** The longest span this recognizer can report, in UTF-16 code units. */
  readonly maxLength: number;
  /** Lower-case words or phrases that, shortly before a candidate, raise its score. */
  readonly context: readonly string[];
  /** Lower-case words or phrases that, shortly before a candidate, lower its score. */
  readonly negativeContext?: readonly string[];
  /**
   * The candidates in `text`. `scan`, when given, is the scanner's `TextScan` of this same text,
   * computed once for all recognizers; a recognizer that has no use for it ignores it.
   */
  find(text: string, scan?: TextScan): Candidate[];
}
