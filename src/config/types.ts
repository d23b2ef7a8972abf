import type { UpstreamConfig } from "../gateway/upstream/types.js";
import type { LogLevel, MessageLogLevel, PiiMode } from "./schema.js";

export type { LogLevel, MessageLogLevel, PiiMode } from "./schema.js";

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
  log: {
    level: LogLevel;
    /**
     * The level of the line written for each relayed MCP message (method, tool/prompt/resource
     * name, arguments, a bounded result summary), masked per the request's in-logs setting; "off"
     * writes none. At "debug" (the default) the lines appear only with `level: debug`.
     */
    messages: MessageLogLevel;
  };
  shutdownTimeoutMs: number;
  /** Where the settings came from, for the start-up log line: a file path or "embedded defaults". */
  source: string;
  /**
   * Set when the embedded default servers are used: the folder the default filesystem server
   * works on, which `bastion serve` makes (with sample files) before it starts.
   */
  sampleFolder?: string;
}
