import ipaddr from "ipaddr.js";
import { AuthError } from "../errors.js";
import type { LockoutConfig } from "./config.js";
import { createMemoryLockoutStore, type LockoutRule, type LockoutStore } from "./store.js";

/** Refused because of earlier failures: HTTP 429 with Retry-After. */
export class LockedOutError extends AuthError {
  constructor(readonly retryAfterSeconds: number) {
    super("locked_out", "Too many failed authentication attempts; try again later");
  }
}

/** Who a failed attempt is counted against: always the client address, and the credential's public subject when known. */
export interface LockoutTarget {
  address: string;
  /** An API key's public id, a user name: never a secret. */
  subject?: string;
}

export interface Lockout {
  /** Throws LockedOutError if the address or the subject is locked at `now`. */
  check(target: LockoutTarget, now: number): Promise<void>;
  /** Counts a failure against the address and the subject; says whether either is now locked. */
  recordFailure(target: LockoutTarget, now: number): Promise<{ lockedUntil?: number }>;
  /** A success clears the subject's failures. The address's are kept: one good key must not wash out guesses at others. */
  recordSuccess(target: LockoutTarget, now: number): Promise<void>;
}

export interface LockoutOptions {
  address: LockoutRule;
  subject: LockoutRule;
  ipv6PrefixLength?: number;
  store?: LockoutStore;
}

/** Options from the parsed `auth.lockout` config section. */
export function lockoutOptionsFrom(config: LockoutConfig, store?: LockoutStore): LockoutOptions {
  return {
    address: { maxFailures: config.address.maxFailures, windowMs: config.address.window, lockoutMs: config.address.duration },
    subject: { maxFailures: config.subject.maxFailures, windowMs: config.subject.window, lockoutMs: config.subject.duration },
    ipv6PrefixLength: config.ipv6PrefixLength,
    store: store ?? createMemoryLockoutStore(config.maxEntries),
  };
}

/**
 * The key a client address is counted under: IPv4 as is (IPv4-mapped IPv6 as IPv4), IPv6 by its
 * prefix (a host that has a /64 must not get 2^64 fresh counters).
 */
export function addressKey(address: string, ipv6PrefixLength = 64): string {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.process(address);
  } catch {
    return `addr:${address}`;
  }
  if (parsed.kind() === "ipv4") return `addr:${parsed.toString()}`;
  const bytes = parsed.toByteArray();
  for (let bit = ipv6PrefixLength; bit < 128; bit += 1) bytes[bit >> 3]! &= ~(0x80 >> (bit & 7));
  return `addr:${ipaddr.fromByteArray(bytes).toString()}/${ipv6PrefixLength}`;
}

export function createLockout(options: LockoutOptions): Lockout {
  const store = options.store ?? createMemoryLockoutStore();
  const prefix = options.ipv6PrefixLength ?? 64;
  // Every request is checked; a client's next request nearly always comes from the same address,
  // so the last key is kept (addressKey is a pure function of the address and the prefix).
  let lastAddress: string | undefined;
  let lastKey = "";
  const keyOfAddress = (address: string): string => {
    if (address !== lastAddress) {
      lastKey = addressKey(address, prefix);
      lastAddress = address;
    }
    return lastKey;
  };
  const keysOf = (target: LockoutTarget): Array<[string, LockoutRule]> => {
    const keys: Array<[string, LockoutRule]> = [[keyOfAddress(target.address), options.address]];
    if (target.subject !== undefined && target.subject !== "") keys.push([`subject:${target.subject}`, options.subject]);
    return keys;
  };

  return {
    async check(target, now) {
      let until = 0;
      for (const [key] of keysOf(target)) until = Math.max(until, (await store.lockedUntil(key, now)) ?? 0);
      if (until > now) throw new LockedOutError(Math.max(1, Math.ceil((until - now) / 1000)));
    },
    async recordFailure(target, now) {
      let until = 0;
      for (const [key, rule] of keysOf(target)) until = Math.max(until, (await store.recordFailure(key, now, rule)).lockedUntil ?? 0);
      return until > now ? { lockedUntil: until } : {};
    },
    async recordSuccess(target) {
      if (target.subject !== undefined && target.subject !== "") await store.clearFailures(`subject:${target.subject}`);
    },
  };
}
