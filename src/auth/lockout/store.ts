/** One limit: `maxFailures` within `windowMs` locks for `lockoutMs`. */
export interface LockoutRule {
  maxFailures: number;
  windowMs: number;
  lockoutMs: number;
}

/**
 * Failure counters and locks, by key ("addr:<address>", "subject:<id>"). Shared state behind a
 * small interface (DESIGN.md, "State"): memory by default; a shared store (Redis: one Lua script
 * doing INCR + PEXPIRE + SET lock) makes every replica see the same counts.
 */
export interface LockoutStore {
  /** When `key` is locked until (ms), if it is locked at `now`. */
  lockedUntil(key: string, now: number): Promise<number | undefined>;
  /**
   * Counts one failure at `now`, atomically. When the count within the window reaches the rule's
   * maximum, the key is locked until `now + lockoutMs` and its count starts again.
   */
  recordFailure(key: string, now: number, rule: LockoutRule): Promise<{ failures: number; lockedUntil?: number }>;
  /** Forgets the key's failures (not its lock). */
  clearFailures(key: string): Promise<void>;
}

interface Entry {
  failures: number;
  windowEndsAt: number;
  lockedUntil: number;
}

/**
 * The in-process store. Bounded: when `maxEntries` is reached, entries with nothing left to say
 * (no lock, window over) go first, then the oldest.
 */
export function createMemoryLockoutStore(maxEntries = 100_000): LockoutStore & { readonly size: number } {
  const entries = new Map<string, Entry>();

  function makeRoom(now: number): void {
    if (entries.size < maxEntries) return;
    for (const [key, entry] of entries) {
      if (entry.lockedUntil <= now && entry.windowEndsAt <= now) entries.delete(key);
    }
    while (entries.size >= maxEntries) {
      const oldest = entries.keys().next();
      if (oldest.done) break;
      entries.delete(oldest.value);
    }
  }

  return {
    get size() {
      return entries.size;
    },
    async lockedUntil(key, now) {
      const entry = entries.get(key);
      return entry && entry.lockedUntil > now ? entry.lockedUntil : undefined;
    },
    async recordFailure(key, now, rule) {
      let entry = entries.get(key);
      if (!entry) {
        makeRoom(now);
        entry = { failures: 0, windowEndsAt: now + rule.windowMs, lockedUntil: 0 };
        entries.set(key, entry);
      } else if (entry.windowEndsAt <= now) {
        entry.failures = 0;
        entry.windowEndsAt = now + rule.windowMs;
      }
      entry.failures += 1;
      const failures = entry.failures;
      if (failures >= rule.maxFailures) {
        entry.lockedUntil = Math.max(entry.lockedUntil, now + rule.lockoutMs);
        entry.failures = 0;
        entry.windowEndsAt = now + rule.windowMs;
      }
      return entry.lockedUntil > now ? { failures, lockedUntil: entry.lockedUntil } : { failures };
    },
    async clearFailures(key) {
      const entry = entries.get(key);
      if (!entry) return;
      if (entry.lockedUntil > 0) entry.failures = 0;
      else entries.delete(key);
    },
  };
}
