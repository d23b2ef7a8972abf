import type { UpstreamConfig } from "../gateway/upstream/types.js";
import type { LogLevel, PiiMode } from "./schema.js";

export type { LogLevel, PiiMode } from "./schema.js";

/** The gateway's settings after defaults, the config file, the environment and flags are merged. */
export interface GatewayConfig {
  listen: { host: string; port: number };
  /** Upstream MCP servers by name, in the order the config lists them. */
  servers: Record<string, UpstreamConfig>;
  pii: {
    /** Mask PII in everything bound for the model. */
    beforeLlm: boolean;
    /** Mask PII in the gateway's own log lines. */
    inLogs: boolean;
    mode: PiiMode;
    /** Whether a request header may turn masking off (refused with 403 otherwise). */
    allowOptOut: boolean;
  };
  sessions: { idleTimeoutMs: number; absoluteTimeoutMs: number; max: number };
  limits: { maxBodyBytes: number };
  /** Host header values accepted (DNS-rebinding defence); `*` accepts any. */
  allowedHosts: string[];
  /** Origin header values accepted: full origins or host names. */
  allowedOrigins: string[];
  log: { level: LogLevel };
  shutdownTimeoutMs: number;
  /** Where the settings came from, for the start-up log line: a file path or "embedded defaults". */
  source: string;
}
