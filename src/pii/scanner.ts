import { scoreWithContext, CONTEXT_WINDOW } from "./context.js";
import { createTextScan } from "./text-scan.js";
import type { EntityType, Finding, Recognizer } from "./types.js";

export interface AllowList {
  /** Exact values that are never reported. */
  values?: readonly string[];
  /** Patterns that, matching a whole finding, keep it from being reported. */
  patterns?: readonly (string | RegExp)[];
}

export interface ScannerOptions {
  recognizers: readonly Recognizer[];
  /** Findings scoring below this are dropped. */
  threshold: number;
  allow?: AllowList;
}

export interface Scanner {
  detect(text: string): Finding[];
  /** The longest span any enabled recognizer can report. */
  readonly maxEntityLength: number;
  /** How much text before a span can change its finding (entity plus context window). */
  readonly lookbehind: number;
}

function compileAllowPatterns(patterns: readonly (string | RegExp)[]): RegExp[] {
  return patterns.map((p) => {
    const source = typeof p === "string" ? p : p.source;
    const flags = typeof p === "string" ? "u" : p.flags.replace(/[gy]/g, "");
    return new RegExp(`^(?:${source})$`, flags);
  });
}

/** Better of two overlapping findings: higher score, then longer, then earlier. */
function beats(a: Finding, b: Finding): boolean {
  if (a.score !== b.score) return a.score > b.score;
  const la = a.end - a.start;
  const lb = b.end - b.start;
  if (la !== lb) return la > lb;
  return a.start < b.start;
}

/** Earlier start first; of two with one start, the longer first. */
function precedes(a: Finding, b: Finding): boolean {
  return a.start < b.start || (a.start === b.start && a.end > b.end);
}

/** Most findings sorted by insertion; beyond, its quadratic worst case would show. */
const INSERTION_SORT_MAX = 48;

/**
 * Sorts as `findings.sort((a, b) => a.start - b.start || b.end - a.end)` does (stably). A call
 * on a short text has a few dozen findings at most, mostly in order already (each recognizer
 * reports in text order), and sorting those by insertion costs a fraction of the built-in sort
 * and its comparator calls.
 */
export function sortByPosition(findings: Finding[]): void {
  if (findings.length > INSERTION_SORT_MAX) {
    findings.sort((a, b) => a.start - b.start || b.end - a.end);
    return;
  }
  for (let i = 1; i < findings.length; i++) {
    const finding = findings[i]!;
    let j = i;
    for (; j > 0 && precedes(finding, findings[j - 1]!); j--) findings[j] = findings[j - 1]!;
    findings[j] = finding;
  }
}

/**
 * Sweeps findings sorted by start and keeps, of every group of overlapping ones, the best; the
 * array given is sorted and cut down to them in place, and returned.
 * Local by design: a finding only competes with those it touches, so a window scanned on its
 * own resolves overlaps as the whole text would.
 */
export function resolveOverlaps(findings: Finding[]): Finding[] {
  sortByPosition(findings);
  // Kept findings are compacted to the front of the same array (no second array per call).
  let kept = 0;
  for (let k = 0; k < findings.length; k++) {
    const finding = findings[k]!;
    const last = kept > 0 ? findings[kept - 1]! : undefined;
    if (last === undefined || finding.start >= last.end) {
      findings[kept++] = finding;
    } else if (beats(finding, last)) {
      findings[kept - 1] = finding;
      // The replacement may now overlap nothing before it (it starts later), but it may extend
      // past the previous kept finding's end; nothing earlier can overlap it, since `last` did not.
    }
  }
  findings.length = kept;
  return findings;
}

export function createScanner(options: ScannerOptions): Scanner {
  const { recognizers, threshold } = options;
  const allowValues = new Set(options.allow?.values ?? []);
  const allowPatterns = compileAllowPatterns(options.allow?.patterns ?? []);
  const hasAllowList = allowValues.size > 0 || allowPatterns.length > 0;
  const maxEntityLength = recognizers.reduce((m, r) => Math.max(m, r.maxLength), 1);

  function allowed(text: string, finding: Finding): boolean {
    const value = text.slice(finding.start, finding.end);
    if (allowValues.has(value)) return true;
    return allowPatterns.some((re) => re.test(value));
  }

  function detect(text: string): Finding[] {
    const findings: Finding[] = [];
    const scan = createTextScan(text);
    for (const recognizer of recognizers) {
      const type: EntityType = recognizer.type;
      const candidates = recognizer.find(text, scan);
      for (let k = 0; k < candidates.length; k++) {
        const candidate = candidates[k]!;
        const score = scoreWithContext(text, candidate, recognizer);
        if (score < threshold) continue;
        findings.push({ type, start: candidate.start, end: candidate.end, score });
      }
    }
    if (findings.length === 0) return findings;
    const resolved = resolveOverlaps(findings);
    return hasAllowList ? resolved.filter((f) => !allowed(text, f)) : resolved;
  }

  return { detect, maxEntityLength, lookbehind: maxEntityLength + CONTEXT_WINDOW };
}
