import { createHmac } from "node:crypto";
import type { EntityType, Finding } from "./types.js";
import type { TokenVault } from "./vault.js";

/** How one entity type is transformed (Presidio's anonymizer operators). */
export type Operator =
  /** `<EMAIL_ADDRESS>` (or a tag of your own). The default. */
  | { type: "replace"; tag?: string }
  /** Keep the last `keep` characters that are letters or digits, mask the others with `char`. */
  | { type: "partial"; keep?: number; char?: string }
  /**
   * `<EMAIL_ADDRESS:jpgmadbiiige>`: a keyed HMAC-SHA256, stable across calls with one key.
   * Written in the letters a-p (one per hex digit) so a digest never reads as a number that
   * could be detected again.
   */
  | { type: "hash"; length?: number }
  /** Removes the value. */
  | { type: "remove" }
  /** `<EMAIL_ADDRESS_1>`: a reversible token kept in the vault for the scope. */
  | { type: "token" };

export type OperatorName = Operator["type"];
export const OPERATOR_NAMES: readonly OperatorName[] = ["replace", "partial", "hash", "remove", "token"];

/** Read only: the engine hands one context to many calls of a scope. */
export interface OperatorContext {
  readonly hashKey: Buffer;
  readonly vault: TokenVault;
  /** The vault scope for reversible tokens. */
  readonly scope: string;
}

const NON_ASCII_ALNUM = /[\p{L}\p{N}\p{M}]/u;
/**
 * The tags the operators write, as a regular-expression source: "<TYPE>" (replace's default tag),
 * "<TYPE_12>" (a vault token) and "<TYPE:kdpa>" (hash, in the letters a-p). Recognizers that
 * judge a candidate by its neighbours read these as the values they hide, so masking masked
 * text changes nothing.
 */
export const OPERATOR_TAG_SOURCE = "<[A-Z][A-Z_]{0,31}(?:_\\d{1,9}|:[a-p]{1,64})?>";

/** Letters and digits of any script are masked; punctuation and separators keep the shape. */
function isMaskable(value: string, index: number): boolean {
  const code = value.charCodeAt(index);
  if (code < 128) return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
  return NON_ASCII_ALNUM.test(value[index]!);
}

function hexToLetters(hex: string): string {
  let out = "";
  for (let i = 0; i < hex.length; i++) out += String.fromCharCode(97 + parseInt(hex[i]!, 16));
  return out;
}

function partial(value: string, keep: number, char: string): string {
  let kept = 0;
  let out = "";
  for (let i = value.length - 1; i >= 0; i--) {
    if (!isMaskable(value, i)) {
      out = value[i] + out; // separators stay, so the shape remains readable
    } else if (kept < keep) {
      out = value[i] + out;
      kept++;
    } else {
      out = char + out;
    }
  }
  return out;
}

/** The default tag of each type, made once (a template string would build it per finding). */
const TAGS = new Map<string, string>();
function tagOf(type: EntityType): string {
  let tag = TAGS.get(type);
  if (tag === undefined) {
    tag = `<${type}>`;
    TAGS.set(type, tag);
  }
  return tag;
}

export function applyOperator(
  operator: Operator,
  type: EntityType,
  value: string,
  context: OperatorContext,
): string {
  switch (operator.type) {
    case "replace":
      return operator.tag ?? tagOf(type);
    case "partial": {
      const keep = operator.keep ?? 4;
      // Short values would be mostly kept; mask them fully rather than leak them.
      const effectiveKeep = value.length <= keep * 2 ? 0 : keep;
      return partial(value, effectiveKeep, operator.char ?? "*");
    }
    case "hash": {
      const digest = createHmac("sha256", context.hashKey).update(type).update("\u0000").update(value).digest("hex");
      return `<${type}:${hexToLetters(digest.slice(0, operator.length ?? 12))}>`;
    }
    case "remove":
      return "";
    case "token":
      return context.vault.tokenFor(context.scope, type, value);
  }
}

/** Rebuilds `text` with every finding transformed by the operator chosen for its type. */
export function applyFindings(
  text: string,
  findings: readonly Finding[],
  operatorFor: (type: EntityType) => Operator,
  context: OperatorContext,
): string {
  if (findings.length === 0) return text;
  let out = "";
  let cursor = 0;
  for (const finding of findings) {
    out += text.slice(cursor, finding.start);
    const operator = operatorFor(finding.type);
    // A tag needs no copy of the value it replaces.
    out +=
      operator.type === "replace"
        ? (operator.tag ?? tagOf(finding.type))
        : applyOperator(operator, finding.type, text.slice(finding.start, finding.end), context);
    cursor = finding.end;
  }
  return out + text.slice(cursor);
}
