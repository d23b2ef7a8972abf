/**
 * Brute-force protection for the login form: failures are counted per user name and per client
 * address within a window; `maxFailures` failures lock a user name (`maxFailuresPerAddress` an
 * address) for `lockoutMs`. While locked, the
 * password is not even checked. The memory implementation keeps at most `maxKeys` keys (oldest
 * dropped first), so a flood of made-up names cannot exhaust memory.
 *
 * The lockout engine of src/auth/lockout (issue 4, A2) can stand in for this one behind the same
 * interface.
 */
export interface LoginThrottle {
  /** If any of the keys is locked: how long until it is not (ms). */
  lockedFor(keys: readonly string[]): Promise<number | undefined>;
  recordFailure(keys: readonly string[]): Promise<void>;
  /** A successful login clears the user-name key (not the address key). */
  recordSuccess(keys: readonly string[]): Promise<void>;
}

export interface LoginThrottleOptions {
  /** Failures that lock a user name. */
  maxFailures: number;
  /** Failures that lock a client address (higher: many users may share one address behind NAT). */
  maxFailuresPerAddress: number;
  windowMs: number;
  lockoutMs: number;
  now?: () => number;
  maxKeys?: number;
}

interface Counter {
  failures: number;
  windowStart: number;
  lockedUntil?: number;
}

export function createMemoryLoginThrottle(options: LoginThrottleOptions): LoginThrottle {
  const now = options.now ?? (() => Date.now());
  const maxKeys = options.maxKeys ?? 100_000;
  const counters = new Map<string, Counter>();

  const current = (key: string, t: number): Counter | undefined => {
    const counter = counters.get(key);
    if (!counter) return undefined;
    const locked = counter.lockedUntil !== undefined && counter.lockedUntil > t;
    if (!locked && t - counter.windowStart >= options.windowMs) {
      counters.delete(key);
      return undefined;
    }
    return counter;
  };

  return {
    async lockedFor(keys) {
      const t = now();
      let longest: number | undefined;
      for (const key of keys) {
        const until = current(key, t)?.lockedUntil;
        if (until !== undefined && until > t) longest = Math.max(longest ?? 0, until - t);
      }
      return longest;
    },
    async recordFailure(keys) {
      const t = now();
      for (const key of keys) {
        let counter = current(key, t);
        if (!counter) {
          if (counters.size >= maxKeys) {
            const oldest = counters.keys().next();
            if (!oldest.done) counters.delete(oldest.value);
          }
          counter = { failures: 0, windowStart: t };
          counters.set(key, counter);
        }
        counter.failures++;
        const limit = key.startsWith("addr:") ? options.maxFailuresPerAddress : options.maxFailures;
        if (counter.failures >= limit) {
          counter.lockedUntil = t + options.lockoutMs;
          counter.failures = 0;
          counter.windowStart = t;
        }
      }
    },
    async recordSuccess(keys) {
      for (const key of keys) if (key.startsWith("user:")) counters.delete(key);
    },
  };
}

/** The throttle keys for one login attempt. */
export function loginThrottleKeys(username: string, clientAddress: string): string[] {
  return [`user:${username}`, `addr:${clientAddress}`];
}
