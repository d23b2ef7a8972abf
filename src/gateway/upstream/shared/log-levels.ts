/** MCP logging levels (RFC 5424 severities), least severe first. */
export const LOG_LEVELS = ["debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const SEVERITY = new Map<string, number>(LOG_LEVELS.map((level, index) => [level, index]));

export const isLogLevel = (value: unknown): value is LogLevel => typeof value === "string" && SEVERITY.has(value);

/** Whether a message at `level` reaches a session that asked for `wanted` (none asked: everything). */
export function passesLevel(level: unknown, wanted: LogLevel | undefined): boolean {
  if (wanted === undefined) return true;
  const severity = typeof level === "string" ? SEVERITY.get(level) : undefined;
  // A message with an unknown level is shown only to sessions that asked for everything (debug).
  return (severity ?? -1) >= SEVERITY.get(wanted)! || wanted === "debug";
}

/** The most verbose of the levels asked for: what the shared upstream must send so every session gets its own. */
export function mostVerbose(levels: Iterable<LogLevel | undefined>): LogLevel | undefined {
  let best: number | undefined;
  for (const level of levels) {
    if (level === undefined) continue;
    const severity = SEVERITY.get(level)!;
    if (best === undefined || severity < best) best = severity;
  }
  return best === undefined ? undefined : LOG_LEVELS[best];
}
