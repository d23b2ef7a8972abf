import type { Logger } from "pino";

/** When a crashed upstream is restarted, and when the gateway stops trying. */
export interface RestartPolicy {
  /** Delay before the first restart; doubles with every further consecutive crash. */
  initialDelayMs: number;
  /** The cap on that delay. */
  maxDelayMs: number;
  /** Give up after this many crashes inside `windowMs` (the connection then closes for good). */
  maxCrashes: number;
  windowMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  initialDelayMs: 250,
  maxDelayMs: 30_000,
  maxCrashes: 5,
  windowMs: 60_000,
};

/** What `createUpstreamFactory` needs from its caller; everything but the logger has a default. */
export interface UpstreamDeps {
  logger: Logger;
  /** Wall clock for the crash window (ms). */
  now?: () => number;
  /** Uniform [0, 1) source for backoff jitter. */
  random?: () => number;
  restart?: Partial<RestartPolicy>;
  /** Grace between SIGTERM and SIGKILL when a stdio child is stopped. */
  killGraceMs?: number;
  /** The largest single message accepted from an upstream (a line, an SSE event, a JSON body). */
  maxMessageBytes?: number;
  /** PATH given to stdio children that do not declare their own; the gateway's PATH by default. */
  inheritedPath?: string;
  /** How long a shared upstream stays open after its last session left (ms); 0 closes it at once. */
  sharedIdleCloseMs?: number;
  /** The name and version the gateway gives at a shared upstream's initialize. */
  clientInfo?: { name: string; version: string };
}

export interface ResolvedUpstreamDeps {
  logger: Logger;
  now: () => number;
  random: () => number;
  restart: RestartPolicy;
  killGraceMs: number;
  maxMessageBytes: number;
  inheritedPath: string | undefined;
  sharedIdleCloseMs: number;
  clientInfo: { name: string; version: string };
}

export const DEFAULT_SHARED_IDLE_CLOSE_MS = 30_000;

export const DEFAULT_KILL_GRACE_MS = 5_000;
export const DEFAULT_MAX_MESSAGE_BYTES = 32 * 1024 * 1024;

export function resolveDeps(deps: UpstreamDeps): ResolvedUpstreamDeps {
  const restart = { ...DEFAULT_RESTART_POLICY, ...deps.restart };
  if (!(restart.initialDelayMs >= 0 && restart.maxDelayMs >= restart.initialDelayMs)) {
    throw new RangeError("restart: need 0 <= initialDelayMs <= maxDelayMs");
  }
  if (!(Number.isInteger(restart.maxCrashes) && restart.maxCrashes >= 1 && restart.windowMs > 0)) {
    throw new RangeError("restart: maxCrashes must be an integer >= 1 and windowMs > 0");
  }
  return {
    logger: deps.logger,
    now: deps.now ?? Date.now,
    random: deps.random ?? Math.random,
    restart,
    killGraceMs: deps.killGraceMs ?? DEFAULT_KILL_GRACE_MS,
    maxMessageBytes: deps.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
    // Read here, once, because the brief lets the child keep the gateway's PATH and nothing else.
    inheritedPath: "inheritedPath" in deps ? deps.inheritedPath : process.env.PATH,
    sharedIdleCloseMs: deps.sharedIdleCloseMs ?? DEFAULT_SHARED_IDLE_CLOSE_MS,
    clientInfo: deps.clientInfo ?? { name: "mcp-bastion", version: "0.1.0" },
  };
}
