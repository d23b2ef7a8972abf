/**
 * Scoring. Two matching rules, both reported:
 * - overlap (the headline): a predicted span of the right type matches a gold span when their
 *   intersection covers at least half of the gold span. Each gold and each predicted span is used
 *   at most once (greedy, largest intersection first).
 * - exact: same type, same start and end.
 * Unmatched predictions are false positives, unmatched gold spans false negatives. A hard
 * negative counts as flagged when any predicted span (of any scored type) overlaps it at all.
 */
import { ENTITY_TYPES, type EntityType } from "../../src/index.js";
import { NEGATIVE_KINDS, type CorpusDoc, type NegativeKind } from "./corpus.js";
import type { Span } from "./regex-chain.js";

export type MatchRule = "overlap" | "exact";
export const MATCH_RULES: readonly MatchRule[] = ["overlap", "exact"];

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

export interface Prf extends Counts {
  precision: number;
  recall: number;
  f1: number;
}

export interface NegativeRate {
  total: number;
  flagged: number;
  rate: number;
}

export interface SystemScore {
  perType: Record<MatchRule, Record<EntityType, Prf>>;
  /** Micro-averaged over the types the system claims to cover. */
  microCovered: Record<MatchRule, Prf>;
  /** Micro-averaged over all seven types (uncovered types add only false negatives). */
  microAll: Record<MatchRule, Prf>;
  negatives: Record<NegativeKind, NegativeRate>;
  /** Recall per generated format ("DE:mobile:intl-dash"), overlap rule, for finding weak spots. */
  variants: Record<string, { type: EntityType; total: number; found: number }>;
  /** A few misses and false alarms per type, to read (overlap rule). */
  examples: Record<EntityType, { missed: string[]; falseAlarms: string[] }>;
}

function intersection(a: { start: number; end: number }, b: { start: number; end: number }): number {
  return Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start));
}

function qualifies(rule: MatchRule, gold: { start: number; end: number }, predicted: Span): number {
  if (rule === "exact") return gold.start === predicted.start && gold.end === predicted.end ? gold.end - gold.start : 0;
  const shared = intersection(gold, predicted);
  return shared * 2 >= gold.end - gold.start && shared > 0 ? shared : 0;
}

/** Indices of gold spans matched under `rule`, one-to-one, for one document and one type. */
function match(rule: MatchRule, gold: readonly { start: number; end: number }[], predicted: readonly Span[]): { goldHit: boolean[]; predHit: boolean[] } {
  const pairs: { g: number; p: number; shared: number }[] = [];
  for (let g = 0; g < gold.length; g++) {
    for (let p = 0; p < predicted.length; p++) {
      const shared = qualifies(rule, gold[g]!, predicted[p]!);
      if (shared > 0) pairs.push({ g, p, shared });
    }
  }
  pairs.sort((a, b) => b.shared - a.shared || a.g - b.g || a.p - b.p);
  const goldHit = new Array<boolean>(gold.length).fill(false);
  const predHit = new Array<boolean>(predicted.length).fill(false);
  for (const { g, p } of pairs) {
    if (goldHit[g] || predHit[p]) continue;
    goldHit[g] = true;
    predHit[p] = true;
  }
  return { goldHit, predHit };
}

export function prf(c: Counts): Prf {
  const precision = c.tp + c.fp === 0 ? (c.fn === 0 ? 1 : 0) : c.tp / (c.tp + c.fp);
  const recall = c.tp + c.fn === 0 ? 1 : c.tp / (c.tp + c.fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { ...c, precision, recall, f1 };
}

const EXAMPLES_PER_TYPE = 8;

function snippet(text: string, start: number, end: number): string {
  const before = text.slice(Math.max(0, start - 24), start);
  const after = text.slice(end, end + 12);
  return `${before}[[${text.slice(start, end)}]]${after}`.replace(/\s+/g, " ");
}

function zeroCounts(): Record<EntityType, Counts> {
  const out = {} as Record<EntityType, Counts>;
  for (const type of ENTITY_TYPES) out[type] = { tp: 0, fp: 0, fn: 0 };
  return out;
}

/** Scores one system's predictions (one array per document, same order as `docs`). */
export function scoreSystem(docs: readonly CorpusDoc[], predictions: readonly (readonly Span[])[], covers: readonly EntityType[]): SystemScore {
  if (docs.length !== predictions.length) throw new Error("one prediction list per document");
  const counts: Record<MatchRule, Record<EntityType, Counts>> = { overlap: zeroCounts(), exact: zeroCounts() };
  const negatives = {} as Record<NegativeKind, NegativeRate>;
  for (const kind of NEGATIVE_KINDS) negatives[kind] = { total: 0, flagged: 0, rate: 0 };
  const variants: SystemScore["variants"] = {};
  const examples = {} as SystemScore["examples"];
  for (const type of ENTITY_TYPES) examples[type] = { missed: [], falseAlarms: [] };

  docs.forEach((doc, d) => {
    const predicted = predictions[d]!;
    for (const type of ENTITY_TYPES) {
      const gold = doc.entities.filter((e) => e.type === type);
      const mine = predicted.filter((p) => p.type === type);
      if (gold.length === 0 && mine.length === 0) continue;
      for (const rule of MATCH_RULES) {
        const { goldHit, predHit } = match(rule, gold, mine);
        const c = counts[rule][type];
        for (const hit of goldHit) {
          if (hit) c.tp++;
          else c.fn++;
        }
        for (const hit of predHit) if (!hit) c.fp++;
        if (rule !== "overlap") continue;
        gold.forEach((g, i) => {
          const v = (variants[`${type} ${g.variant}`] ??= { type, total: 0, found: 0 });
          v.total++;
          if (goldHit[i]) v.found++;
          else if (examples[type].missed.length < EXAMPLES_PER_TYPE) examples[type].missed.push(snippet(doc.text, g.start, g.end));
        });
        mine.forEach((p, i) => {
          if (!predHit[i] && examples[type].falseAlarms.length < EXAMPLES_PER_TYPE) examples[type].falseAlarms.push(snippet(doc.text, p.start, p.end));
        });
      }
    }
    for (const negative of doc.negatives) {
      const rate = negatives[negative.kind];
      rate.total++;
      if (predicted.some((p) => intersection(p, negative) > 0)) rate.flagged++;
    }
  });

  for (const kind of NEGATIVE_KINDS) {
    const r = negatives[kind];
    r.rate = r.total === 0 ? 0 : r.flagged / r.total;
  }
  const perType = { overlap: {}, exact: {} } as SystemScore["perType"];
  const microCovered = {} as SystemScore["microCovered"];
  const microAll = {} as SystemScore["microAll"];
  for (const rule of MATCH_RULES) {
    const covered: Counts = { tp: 0, fp: 0, fn: 0 };
    const all: Counts = { tp: 0, fp: 0, fn: 0 };
    for (const type of ENTITY_TYPES) {
      const c = counts[rule][type];
      perType[rule][type] = prf(c);
      all.tp += c.tp;
      all.fp += c.fp;
      all.fn += c.fn;
      if (covers.includes(type)) {
        covered.tp += c.tp;
        covered.fp += c.fp;
        covered.fn += c.fn;
      }
    }
    microCovered[rule] = prf(covered);
    microAll[rule] = prf(all);
  }
  return { perType, microCovered, microAll, negatives, variants, examples };
}
