import { durationToMs } from "../../config/duration.js";
import { ApiKeyAdminError } from "./errors.js";

/** Longest key lifetime: 10 years. */
export const MAX_KEY_LIFETIME_MS = 10 * 365 * 86_400_000;
/** Longest rotation overlap: 30 days (a long overlap defeats the point of rotating). */
export const MAX_ROTATION_OVERLAP_MS = 30 * 86_400_000;

function parse(text: string, what: string, allowZero: boolean, maxMs: number): number {
  const trimmed = text.trim();
  if (allowZero && trimmed === "0") return 0;
  // Only unit-suffixed text here ("30d"): a bare number on the command line is ambiguous.
  const ms = /^\d+[a-z]+$/.test(trimmed) ? (durationToMs(trimmed) ?? Number.NaN) : Number.NaN;
  if (!(ms > 0) || ms > maxMs) {
    throw new ApiKeyAdminError(
      "invalid_duration",
      `${what}: got ${JSON.stringify(trimmed.slice(0, 40))}, expected a duration such as 90m, 12h, 30d, 4w or 1y${allowZero ? ", or 0" : ""} (more than 0${allowZero ? " or 0" : ""}, at most ${Math.round(maxMs / 86_400_000)}d)`,
    );
  }
  return ms;
}

/** A key lifetime such as "30d" (s, m, h, d, w, y), in ms. */
export function parseKeyLifetime(text: string, what = "--expires"): number {
  return parse(text, what, false, MAX_KEY_LIFETIME_MS);
}

/** A rotation overlap such as "24h", or "0" (the old key stops at once), in ms. */
export function parseRotationOverlap(text: string, what = "--overlap"): number {
  return parse(text, what, true, MAX_ROTATION_OVERLAP_MS);
}
