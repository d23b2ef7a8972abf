import { z } from "zod";
import { DURATION_EXPECTED, parseDuration } from "../../config/duration.js";

export const API_KEY_DEFAULTS = {
  /** How long a rotated key keeps working beside its replacement. */
  rotationOverlapMs: 24 * 3_600_000,
  /** last_used_at is written at most once per this interval per key (keeps the hot path read-only). */
  lastUsedIntervalMs: 60_000,
} as const;

const duration = (what: string) =>
  z
    .union([z.number(), z.string()], { error: `${what}: ${DURATION_EXPECTED}` })
    .refine((v) => parseDuration(v) !== undefined, { error: `${what}: ${DURATION_EXPECTED}` })
    .transform((v) => parseDuration(v)!);

/**
 * The `apiKeys` section of the config file, parsed to milliseconds:
 *   apiKeys:
 *     enabled: true            # accept API keys at all (default true)
 *     rotationOverlap: 24h     # default overlap for `keys rotate` and the service's rotate()
 *     lastUsedInterval: 60s    # last-used time precision (at most one write per key per interval)
 */
export const apiKeysConfigSchema = z
  .strictObject(
    {
      enabled: z.boolean({ error: "true or false" }).default(true),
      rotationOverlap: duration("a rotation overlap").default(API_KEY_DEFAULTS.rotationOverlapMs),
      lastUsedInterval: duration("a last-used interval").default(API_KEY_DEFAULTS.lastUsedIntervalMs),
    },
    { error: "an object { enabled, rotationOverlap, lastUsedInterval }" },
  )
  .default({ enabled: true, rotationOverlap: API_KEY_DEFAULTS.rotationOverlapMs, lastUsedInterval: API_KEY_DEFAULTS.lastUsedIntervalMs })
  .transform((c) => ({ enabled: c.enabled, rotationOverlapMs: c.rotationOverlap, lastUsedIntervalMs: c.lastUsedInterval }));

export type ApiKeysConfigInput = z.input<typeof apiKeysConfigSchema>;
export type ApiKeysConfig = z.output<typeof apiKeysConfigSchema>;
