/** Durations in config: a whole number of milliseconds, or a string such as "500ms", "30s", "15m", "2h", "1d". */

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION = /^(\d{1,12})(ms|s|m|h|d)$/;

/** Longest duration a timer can hold (setTimeout's limit), so no value silently overflows to 1 ms. */
export const MAX_DURATION_MS = 2 ** 31 - 1;

/** The milliseconds a duration names, or undefined if it is not one. */
export function parseDuration(value: unknown): number | undefined {
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
  return ms > 0 && ms <= MAX_DURATION_MS ? ms : undefined;
}

export const DURATION_EXPECTED = 'a duration: milliseconds as a whole number, or "500ms", "30s", "15m", "2h", "1d" (at most 24 days)';
