import type { EntityType } from "../../src/index.js";

/** A finding in our entity names: string offsets into the original text, end exclusive. */
export interface Span {
  type: EntityType;
  start: number;
  end: number;
}

/** One replace pass of a redactor that rewrites text rule after rule. */
export interface RegexStep {
  pattern: RegExp;
  /** Literal replacement text (no `$` patterns). */
  replacement: string;
  /** Our entity name for what the rule finds, or null for categories we do not score (names, URLs). */
  type: EntityType | null;
}

/** A pass we cannot see inside (a function redactor); allowed only after every regex step. */
export interface OpaqueStep {
  apply(text: string): string;
}

export type ChainStep = RegexStep | OpaqueStep;

export interface ChainResult {
  /** The redacted text, which must equal the library's own output. */
  output: string;
  /** Where each placeholder left in the output came from in the original text. */
  spans: Span[];
}

interface Placeholder {
  start: number;
  end: number;
  type: EntityType | null;
  alive: boolean;
}

function isRegexStep(step: ChainStep): step is RegexStep {
  return "pattern" in step;
}

/**
 * Replays a sequential regex redactor (redact-pii, @redactpii/node) while tracking, for every
 * character of the working text, which original offset or earlier placeholder it came from. Each
 * match then maps back to an exact original span, even when later rules run over text that
 * earlier rules already rewrote (as the libraries do). A placeholder swallowed by a later match
 * is superseded by it, just as it disappears from the library's output.
 */
export function runChain(text: string, steps: readonly ChainStep[]): ChainResult {
  let current = text;
  // origin[i] >= 0: the original offset of current[i]; origin[i] < 0: placeholder number -origin[i]-1.
  let origin = new Int32Array(text.length);
  for (let i = 0; i < text.length; i++) origin[i] = i;
  const placeholders: Placeholder[] = [];
  let opaqueSeen = false;

  const startOf = (o: number): number => (o >= 0 ? o : placeholders[-o - 1]!.start);
  const endOf = (o: number): number => (o >= 0 ? o + 1 : placeholders[-o - 1]!.end);

  for (const step of steps) {
    if (!isRegexStep(step)) {
      current = step.apply(current);
      opaqueSeen = true;
      continue;
    }
    if (opaqueSeen) throw new Error("a regex step after an opaque step cannot be mapped back");
    if (step.replacement.includes("$")) throw new Error("replacement patterns ($) are not supported");
    const pattern = new RegExp(step.pattern.source, step.pattern.flags);
    const matches: { at: number; length: number }[] = [];
    if (pattern.global) {
      for (const m of current.matchAll(pattern)) matches.push({ at: m.index, length: m[0].length });
    } else {
      const m = pattern.exec(current);
      if (m !== null) matches.push({ at: m.index, length: m[0].length });
    }
    if (matches.length === 0) continue;

    let removed = 0;
    for (const m of matches) removed += m.length;
    const nextLength = current.length - removed + matches.length * step.replacement.length;
    const nextOrigin = new Int32Array(nextLength);
    const pieces: string[] = [];
    let from = 0;
    let write = 0;
    for (const { at, length } of matches) {
      pieces.push(current.slice(from, at));
      nextOrigin.set(origin.subarray(from, at), write);
      write += at - from;
      let start: number;
      let end: number;
      if (length > 0) {
        start = startOf(origin[at]!);
        end = endOf(origin[at + length - 1]!);
        for (let i = at; i < at + length; i++) if (origin[i]! < 0) placeholders[-origin[i]! - 1]!.alive = false;
      } else {
        start = at < current.length ? startOf(origin[at]!) : text.length;
        end = start;
      }
      const id = placeholders.length;
      placeholders.push({ start, end, type: step.type, alive: step.type !== null && end > start });
      nextOrigin.fill(-id - 1, write, write + step.replacement.length);
      write += step.replacement.length;
      pieces.push(step.replacement);
      from = at + length;
    }
    pieces.push(current.slice(from));
    nextOrigin.set(origin.subarray(from), write);
    current = pieces.join("");
    origin = nextOrigin;
  }

  const spans: Span[] = [];
  for (const p of placeholders) if (p.alive && p.type !== null) spans.push({ type: p.type, start: p.start, end: p.end });
  spans.sort((a, b) => a.start - b.start || a.end - b.end);
  return { output: current, spans };
}
