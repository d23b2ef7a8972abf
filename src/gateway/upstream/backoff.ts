import type { RestartPolicy } from "./options.js";

/**
 * The wait before restart number `attempt` (1-based): exponential from `initialDelayMs`, capped at
 * `maxDelayMs`, with "equal jitter" (half fixed, half random) so that many children crashing
 * together do not restart in lockstep, while the delay still grows with every attempt.
 */
export function restartDelay(attempt: number, policy: RestartPolicy, random: () => number): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 30);
  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** exponent);
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(ceiling / 2 + (ceiling / 2) * r);
}

/** Crashes inside a sliding window: decides when to stop restarting. */
export interface CrashWindow {
  /** Records a crash at `now`; returns how many crashes the window now holds (the attempt number). */
  record(now: number): number;
  /** True once the window holds `maxCrashes` crashes. */
  exhausted(now: number): boolean;
}

export function createCrashWindow(policy: Pick<RestartPolicy, "maxCrashes" | "windowMs">): CrashWindow {
  const times: number[] = [];
  const prune = (now: number): void => {
    while (times.length > 0 && now - (times[0] as number) >= policy.windowMs) times.shift();
  };
  return {
    record(now) {
      prune(now);
      times.push(now);
      return times.length;
    },
    exhausted(now) {
      prune(now);
      return times.length >= policy.maxCrashes;
    },
  };
}
