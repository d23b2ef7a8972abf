/** Durations in config: a whole number of milliseconds, or a string such as "500ms", "30s", "15m", "2h", "1d", "1w". */

const DAY_MS = 86_400_000;
const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: DAY_MS, w: 7 * DAY_MS, y: 365 * DAY_MS };
const DURATION = /^(\d{1,12})(ms|s|m|h|d|w|y)$/;

/** Longest duration a timer can hold (setTimeout's limit), so no value silently overflows to 1 ms. */
export const MAX_DURATION_MS = 2 ** 31 - 1;

/**
 * The milliseconds a duration names, with no bounds applied, or undefined if it is not one. The
 * one parser of duration syntax; each caller applies the bounds that fit what it times.
 */
export function durationToMs(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isSafeInteger(value) ? value : undefined;
  if (typeof value !== "string") return undefined;
  const match = DURATION.exec(value.trim());
  return match ? Number(match[1]) * UNIT_MS[match[2]!]! : undefined;
}

/** The milliseconds a duration names (more than 0, at most what a timer holds), or undefined. */
export function parseDuration(value: unknown): number | undefined {
  const ms = durationToMs(value);
  return ms !== undefined && ms > 0 && ms <= MAX_DURATION_MS ? ms : undefined;
}

export const DURATION_EXPECTED = 'a duration: milliseconds as a whole number, or "500ms", "30s", "15m", "2h", "1d" (at most 24 days)';
