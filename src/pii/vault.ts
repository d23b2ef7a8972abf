import type { EntityType } from "./types.js";

/**
 * Keeps the originals behind reversible tokens (`<EMAIL_ADDRESS_1>`), per scope (an MCP session,
 * or a caller in the stateless revision). The same value gets the same token within one scope;
 * a token is only ever restored in the scope that issued it.
 */
export interface TokenVault {
  /** The token for `value` in `scope`, issuing a new one the first time. */
  tokenFor(scope: string, type: EntityType, value: string): string;
  /** The original behind `token` in `scope`, or undefined if this scope never issued it. */
  originalOf(scope: string, token: string): string | undefined;
  /** Forgets a scope (session ended). */
  dropScope(scope: string): void;
}

interface ScopeTokens {
  byValue: Map<string, string>;
  byToken: Map<string, string>;
  counters: Map<EntityType, number>;
  lastUsed: number;
}

export interface MemoryVaultOptions {
  /** Most values one scope may hold; past it the scope refuses new tokens (fails closed). */
  maxEntriesPerScope?: number;
  /** Most scopes held; the least recently used is dropped past it. */
  maxScopes?: number;
  now?: () => number;
}

export class VaultFullError extends Error {
  readonly code = "PII_VAULT_FULL";
  constructor(scope: string) {
    super(`token vault scope is full (scope ${scope.slice(0, 8)}...)`);
  }
}

/** The embedded default: an in-process vault, bounded in size. */
export function createMemoryVault(options: MemoryVaultOptions = {}): TokenVault {
  const maxEntries = options.maxEntriesPerScope ?? 100_000;
  const maxScopes = options.maxScopes ?? 10_000;
  const now = options.now ?? Date.now;
  const scopes = new Map<string, ScopeTokens>();

  function scopeFor(scope: string, create: boolean): ScopeTokens | undefined {
    let entry = scopes.get(scope);
    if (entry === undefined && create) {
      if (scopes.size >= maxScopes) evictOldest();
      entry = { byValue: new Map(), byToken: new Map(), counters: new Map(), lastUsed: now() };
      scopes.set(scope, entry);
    }
    if (entry) entry.lastUsed = now();
    return entry;
  }

  function evictOldest(): void {
    let oldestKey: string | undefined;
    let oldest = Infinity;
    for (const [key, value] of scopes) {
      if (value.lastUsed < oldest) {
        oldest = value.lastUsed;
        oldestKey = key;
      }
    }
    if (oldestKey !== undefined) scopes.delete(oldestKey);
  }

  return {
    tokenFor(scope, type, value) {
      const entry = scopeFor(scope, true)!;
      const key = `${type}\u0000${value}`;
      const existing = entry.byValue.get(key);
      if (existing !== undefined) return existing;
      if (entry.byToken.size >= maxEntries) throw new VaultFullError(scope);
      const n = (entry.counters.get(type) ?? 0) + 1;
      entry.counters.set(type, n);
      const token = `<${type}_${n}>`;
      entry.byValue.set(key, token);
      entry.byToken.set(token, value);
      return token;
    },
    originalOf(scope, token) {
      return scopeFor(scope, false)?.byToken.get(token);
    },
    dropScope(scope) {
      scopes.delete(scope);
    },
  };
}
