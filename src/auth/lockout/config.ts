import { z } from "zod";
import { durationMs } from "../jwt/config-values.js";

const ruleSchema = (defaults: { maxFailures: number; window: number; duration: number }) =>
  z
    .strictObject(
      {
        /** Failures within `window` that lock. */
        maxFailures: z.number().int().min(1).max(1_000_000).default(defaults.maxFailures),
        /** The counting window, from the first failure. */
        window: durationMs.default(defaults.window),
        /** How long a lock lasts. */
        duration: durationMs.default(defaults.duration),
      },
      { error: "an object { maxFailures, window, duration }" },
    )
    .default(() => ({ maxFailures: defaults.maxFailures, window: defaults.window, duration: defaults.duration }));

/**
 * Config for failed-authentication limits (the `auth.lockout` section): per client address and
 * per credential subject (an API key's id, a user name), each with its own threshold.
 */
export const lockoutConfigSchema = z.strictObject(
  {
    enabled: z.boolean().default(true),
    address: ruleSchema({ maxFailures: 20, window: 300_000, duration: 900_000 }),
    subject: ruleSchema({ maxFailures: 10, window: 900_000, duration: 900_000 }),
    /** IPv6 clients are counted per prefix of this length (one host usually has a whole /64). */
    ipv6PrefixLength: z.number().int().min(32).max(128).default(64),
    /** Most addresses and subjects tracked at once by the in-memory store. */
    maxEntries: z.number().int().min(100).max(10_000_000).default(100_000),
  },
  { error: "an object { enabled, address, subject, ipv6PrefixLength, maxEntries }" },
);
export type LockoutConfig = z.infer<typeof lockoutConfigSchema>;
