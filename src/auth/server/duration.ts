/**
 * Durations in the authorization server's config: the gateway's syntax (src/config/duration.ts:
 * whole milliseconds, or "500ms", "30s", "15m", "2h", "1d"), but allowed up to a year, since refresh
 * tokens and signing keys live longer than a timer can hold. Token lifetimes are whole seconds
 * (JWT NumericDate), so a duration here must be at least one second.
 */

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION = /^(\d{1,12})(ms|s|m|h|d)$/;

export const MAX_AUTH_DURATION_MS = 366 * 86_400_000;

/** The milliseconds a duration names (1 s to 366 d), or undefined if it is not one. */
export function parseAuthDuration(value: unknown): number | undefined {
  let ms: number;
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) return undefined;
    ms = value;
  } else if (typeof value === "string") {
    const match = DURATION.exec(value.trim());
    if (!match) return undefined;
    ms = Number(match[1]) * UNIT_MS[match[2]!]!;
  } else {
    return undefined;
  }
  return ms >= 1000 && ms <= MAX_AUTH_DURATION_MS ? ms : undefined;
}

export const AUTH_DURATION_EXPECTED = 'a duration from 1 second to 366 days: milliseconds as a whole number, or "30s", "15m", "2h", "14d"';

/** Whole seconds, rounded down, at least 1 (oidc-provider's TTLs are positive integers). */
export const toSeconds = (ms: number): number => Math.max(1, Math.floor(ms / 1000));
