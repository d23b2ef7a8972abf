import { createApiKeyService, type ApiKeyService, type ApiKeyServiceOptions } from "../../../src/auth/api-keys/index.js";
import { AuthError, type AuthFailureCode } from "../../../src/auth/errors.js";
import { openSqliteStore, type SqliteStore } from "../../../src/store/index.js";

export const T0 = Date.UTC(2026, 0, 1);
export const SECOND = 1000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** A clock tests move by hand. */
export class TestClock {
  constructor(public t = T0) {}
  readonly now = (): number => this.t;
  advance(ms: number): void {
    this.t += ms;
  }
}

export interface Harness {
  clock: TestClock;
  store: SqliteStore;
  service: ApiKeyService;
  close(): Promise<void>;
}

export function harness(options: Partial<ApiKeyServiceOptions> = {}, path = ":memory:"): Harness {
  const clock = new TestClock();
  const store = openSqliteStore({ path, now: clock.now });
  const service = createApiKeyService({ store: store.apiKeys, now: clock.now, ...options });
  return { clock, store, service, close: () => store.close() };
}

/** A predicate for assert.rejects: an AuthError with this code whose message leaks none of `secrets`. */
export function authError(code: AuthFailureCode, ...secrets: string[]) {
  return (error: unknown): boolean => {
    if (!(error instanceof AuthError)) throw new Error(`expected AuthError ${code}, got ${String(error)}`);
    if (error.code !== code) throw new Error(`expected AuthError ${code}, got ${error.code}: ${error.message}`);
    for (const s of secrets) if (s.length > 0 && (error.message.includes(s) || String(error.stack).includes(s))) throw new Error("error leaks a secret");
    if (error.status !== 401) throw new Error(`expected status 401, got ${error.status}`);
    return true;
  };
}

/** The secret part of a key (after the second underscore). */
export function secretOf(key: string): string {
  return key.slice(key.lastIndexOf("_") + 1);
}
