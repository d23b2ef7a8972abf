import type { Candidate } from "../types.js";

/** A candidate that also knows which of its parts are optional. */
export interface AddressCandidate extends Candidate {
  /**
   * The street and house number alone, without what follows (unit, town, postcode), with their
   * own score; undefined when they are no address without the rest (a prefix-form street whose
   * number only a PLZ vouches for).
   */
  core: { end: number; score: number } | undefined;
  /** Where the address starts without what was read before its street (a unit "Flat 3, ", an
   * adjective, a preposition); undefined when that part is needed. */
  bareStart: number | undefined;
}

function better(a: Candidate, b: Candidate): boolean {
  return a.score > b.score || (a.score === b.score && a.end - a.start > b.end - b.start);
}

const plain = (start: number, end: number, score: number): Candidate => ({ start, end, score });

/** `x` comes before `y`: earlier start, or at one start the longer. */
function precedes(x: Candidate, y: Candidate): boolean {
  return x.start < y.start || (x.start === y.start && x.end > y.end);
}

function isSorted(list: readonly Candidate[]): boolean {
  for (let k = 1; k < list.length; k++) if (precedes(list[k]!, list[k - 1]!)) return false;
  return true;
}

/**
 * `a.concat(b)` sorted by start, then longer first, stably (equals keep a's before b's): merged
 * in one pass when each list is in that order already (the finders report in text order), else
 * sorted. Why: on a dense text the built-in sort and its comparator calls cost more than the merge.
 */
export function sortedUnion<T extends Candidate>(a: readonly T[], b: readonly T[]): T[] {
  if (!isSorted(a) || !isSorted(b)) return a.concat(b).sort((x, y) => x.start - y.start || y.end - x.end);
  const out: T[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) out.push(precedes(b[j]!, a[i]!) ? b[j++]! : a[i++]!);
  while (i < a.length) out.push(a[i++]!);
  while (j < b.length) out.push(b[j++]!);
  return out;
}

/**
 * Merges the sorted, disjoint lists of the two finders into one. Where two overlap, both stay
 * if one can give up an optional part: the later its left part ("Flat 3, 1 Acacia Terrace" and
 * "Terrace Hauptstraße 1", read as an adjective), or the earlier its tail ("Berliner Straße 1
 * 10000 Oak Street, ..." whose "10000 Oak" reads as PLZ and town). Otherwise the better stays:
 * higher score, then longer. Keeping both masks every street, so masking the result again finds
 * nothing new.
 */
export function mergeAddresses(a: readonly AddressCandidate[], b: readonly AddressCandidate[]): Candidate[] {
  if (a.length === 0 && b.length === 0) return []; // most texts: no list to merge or copy
  const all = sortedUnion(a, b);
  const out: Candidate[] = [];
  let lastCore: AddressCandidate["core"];
  for (const c of all) {
    // (Not out[out.length - 1] on an empty list: reading index -1 is a generic keyed read.)
    const last = out.length > 0 ? out[out.length - 1] : undefined;
    if (last === undefined || c.start >= last.end) {
      out.push(plain(c.start, c.end, c.score));
    } else if (c.bareStart !== undefined && c.bareStart >= last.end) {
      out.push(plain(c.bareStart, c.end, c.score));
    } else if (lastCore !== undefined && last.start < c.start && lastCore.end <= c.start) {
      out[out.length - 1] = plain(last.start, lastCore.end, lastCore.score);
      out.push(plain(c.start, c.end, c.score));
    } else if (better(c, last)) {
      out[out.length - 1] = plain(c.start, c.end, c.score);
    } else {
      continue;
    }
    lastCore = c.core;
  }
  return out;
}
