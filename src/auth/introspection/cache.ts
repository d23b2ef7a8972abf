import type { AuthFailureCode } from "../errors.js";

/** What introspection concluded about a token: its validated claims, or why it was refused. */
export type IntrospectionOutcome =
  | { active: true; claims: Readonly<Record<string, unknown>> }
  | { active: false; code: AuthFailureCode; message: string };

/**
 * Introspection answers by token hash (never the token itself). `expiresAt` is absolute (ms);
 * an entry is never returned at or after it.
 */
export interface IntrospectionCache {
  get(key: string, now: number): IntrospectionOutcome | undefined;
  set(key: string, outcome: IntrospectionOutcome, expiresAt: number): void;
}

/** An in-process cache, bounded: when full, the oldest entry makes room. */
export function createMemoryIntrospectionCache(maxEntries = 10_000): IntrospectionCache {
  const entries = new Map<string, { outcome: IntrospectionOutcome; expiresAt: number }>();
  return {
    get(key, now) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (now >= entry.expiresAt) {
        entries.delete(key);
        return undefined;
      }
      return entry.outcome;
    },
    set(key, outcome, expiresAt) {
      if (maxEntries <= 0) return;
      entries.delete(key);
      while (entries.size >= maxEntries) {
        const oldest = entries.keys().next();
        if (oldest.done) break;
        entries.delete(oldest.value);
      }
      entries.set(key, { outcome, expiresAt });
    },
  };
}
