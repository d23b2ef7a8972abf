import { contextScorerFor, CONTEXT_WINDOW } from "./context.js";
import { canonicalView, canonicalViewFrom, toOriginalSpans } from "./canonical.js";
import { kernelDetect } from "./native-detect.js";
import { defaultRecognizers } from "./recognizers/index.js";
import { createTextScan, digitClustersOf, type TextScan } from "./text-scan.js";
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
  /**
   * Detect with the compiled kernel (native.ts) when it is built and every recognizer is a
   * built-in one (default true); it reports what the TypeScript recognizers report, faster.
   */
  kernel?: boolean;
}

export interface Scanner {
  detect(text: string): Finding[];
  /** The longest span any enabled recognizer can report. */
  readonly maxEntityLength: number;
  /** How much text before a span can change its finding (entity plus context window). */
  readonly lookbehind: number;
  /** Which detects: the compiled kernel, or the TypeScript recognizers. */
  readonly detector: "kernel" | "typescript";
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
    if (!mergeRuns(findings)) findings.sort((a, b) => a.start - b.start || b.end - a.end);
    return;
  }
  for (let i = 1; i < findings.length; i++) {
    const finding = findings[i]!;
    let j = i;
    for (; j > 0 && precedes(finding, findings[j - 1]!); j--) findings[j] = findings[j - 1]!;
    findings[j] = finding;
  }
}

/** Most ascending runs mergeRuns takes on (a detect call has about one per recognizer). */
const MERGE_RUNS_MAX = 32;
/** Where the runs start, and the list's length after them; reused (a sort runs synchronously). */
const runBounds = new Int32Array(MERGE_RUNS_MAX + 1);

/**
 * Sorts a list made of a few runs already in order (each recognizer reports in text order, so
 * a dense text's findings are about seven runs) by merging the runs, stably: of two equal
 * findings, the one from the earlier run comes first, as with the built-in stable sort. False,
 * with the list untouched, when it has more than MERGE_RUNS_MAX runs.
 */
function mergeRuns(findings: Finding[]): boolean {
  const n = findings.length;
  const bounds = runBounds;
  let runs = 1; // bounds[0..runs] hold the run starts, then n
  bounds[0] = 0;
  for (let i = 1; i < n; i++) {
    if (precedes(findings[i]!, findings[i - 1]!)) {
      if (runs === MERGE_RUNS_MAX) return false;
      bounds[runs++] = i;
    }
  }
  bounds[runs] = n;
  if (runs === 1) return true;
  let source = findings;
  // (A fresh array per call: setting the length of a reused one is a call into the runtime.)
  let target: Finding[] = new Array<Finding>(n);
  while (runs > 1) {
    // Merge runs pairwise: [b0, b1) with [b1, b2), [b2, b3) with [b3, b4), ...
    let merged = 0;
    for (let r = 0; r < runs; r += 2) {
      const lo = bounds[r]!;
      const mid = bounds[r + 1]!;
      const hi = r + 2 <= runs ? bounds[r + 2]! : mid;
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) target[k++] = precedes(source[j]!, source[i]!) ? source[j++]! : source[i++]!;
      while (i < mid) target[k++] = source[i++]!;
      while (j < hi) target[k++] = source[j++]!;
      bounds[merged++] = lo;
    }
    bounds[merged] = n;
    runs = merged;
    const swap = source;
    source = target;
    target = swap;
  }
  if (source !== findings) for (let k = 0; k < n; k++) findings[k] = source[k]!;
  return true;
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

/**
 * True when every recognizer is a built-in one, in the built-in order (the kernel runs them in
 * that order, and of two equal findings the earlier recognizer's wins).
 */
function inBuiltInOrder(recognizers: readonly Recognizer[]): boolean {
  const builtIn = defaultRecognizers();
  let next = 0;
  for (const recognizer of recognizers) {
    while (next < builtIn.length && builtIn[next] !== recognizer) next++;
    if (next === builtIn.length) return false;
    next++;
  }
  return true;
}

export function createScanner(options: ScannerOptions): Scanner {
  const { recognizers, threshold } = options;
  const allowValues = new Set(options.allow?.values ?? []);
  const allowPatterns = compileAllowPatterns(options.allow?.patterns ?? []);
  const hasAllowList = allowValues.size > 0 || allowPatterns.length > 0;
  const maxEntityLength = recognizers.reduce((m, r) => Math.max(m, r.maxLength), 1);

  function allowed(text: string, finding: Finding): boolean {
    return allowedValue(text.slice(finding.start, finding.end));
  }

  function allowedValue(value: string): boolean {
    if (allowValues.has(value)) return true;
    return allowPatterns.some((re) => re.test(value));
  }

  // Each recognizer's context words compiled once, with the threshold (see ContextScorer).
  const scorers = recognizers.map((recognizer) => contextScorerFor(recognizer, threshold));

  /**
   * Text is read as a reader sees it (canonical.ts): when the text scan, which reads every
   * character anyway, met one the canonical view changes, the recognizers read that view and
   * the findings are mapped back to this text's offsets.
   */
  function detect(text: string): Finding[] {
    const scan = createTextScan(text);
    const first = digitClustersOf(text, scan).firstNotCanonical;
    if (first < 0) return detectIn(text, scan);
    const view = canonicalViewFrom(text, first);
    return toOriginalSpans(detectIn(view.text, createTextScan(view.text)), view);
  }

  function detectIn(text: string, scan: TextScan): Finding[] {
    const findings: Finding[] = [];
    for (let r = 0; r < recognizers.length; r++) {
      const recognizer = recognizers[r]!;
      const type: EntityType = recognizer.type;
      const candidates = recognizer.find(text, scan);
      const scorer = scorers[r];
      for (let k = 0; k < candidates.length; k++) {
        const candidate = candidates[k]!;
        const score = scorer === undefined ? candidate.score : scorer.score(text, candidate);
        if (score < threshold) continue; // (so is DROPPED, -1: a scorer gives it only above 0)
        findings.push({ type, start: candidate.start, end: candidate.end, score });
      }
    }
    if (findings.length === 0) return findings;
    const resolved = resolveOverlaps(findings);
    return hasAllowList ? resolved.filter((f) => !allowed(text, f)) : resolved;
  }

  const kernel =
    options.kernel !== false && inBuiltInOrder(recognizers)
      ? kernelDetect(
          recognizers.map((r) => r.type),
          threshold,
          detect,
        )
      : undefined;
  if (kernel === undefined) return { detect, maxEntityLength, lookbehind: maxEntityLength + CONTEXT_WINDOW, detector: "typescript" };

  /**
   * The kernel's findings are spans of the original text; the allow-list is asked about each
   * one's value as the recognizers read it (the canonical view), as the TypeScript path asks.
   */
  function detectByKernel(text: string): Finding[] {
    const findings = kernel!(text);
    if (!hasAllowList || findings.length === 0) return findings;
    return findings.filter((f) => {
      const value = text.slice(f.start, f.end);
      return !allowedValue(canonicalView(value)?.text ?? value);
    });
  }
  return { detect: detectByKernel, maxEntityLength, lookbehind: maxEntityLength + CONTEXT_WINDOW, detector: "kernel" };
}
