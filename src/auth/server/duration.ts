/**
 * Durations in the authorization server's config: the gateway's syntax (src/config/duration.ts:
 * whole milliseconds, or "500ms", "30s", "15m", "2h", "1d"), but allowed up to a year, since refresh
 * tokens and signing keys live longer than a timer can hold. Token lifetimes are whole seconds
 * (JWT NumericDate), so a duration here must be at least one second.
 */
import { durationToMs } from "../../config/duration.js";

export const MAX_AUTH_DURATION_MS = 366 * 86_400_000;

/** The milliseconds a duration names (1 s to 366 d), or undefined if it is not one. */
export function parseAuthDuration(value: unknown): number | undefined {
  const ms = durationToMs(value);
  return ms !== undefined && ms >= 1000 && ms <= MAX_AUTH_DURATION_MS ? ms : undefined;
}

export const AUTH_DURATION_EXPECTED = 'a duration from 1 second to 366 days: milliseconds as a whole number, or "30s", "15m", "2h", "14d"';

/** Whole seconds, rounded down, at least 1 (oidc-provider's TTLs are positive integers). */
export const toSeconds = (ms: number): number => Math.max(1, Math.floor(ms / 1000));
