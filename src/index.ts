/** mcp-bastion as a library: the pieces for embedding in your own MCP servers and tools. */
export * from "./pii/index.js";
export * from "./gateway/index.js";
export * from "./gateway/pii/index.js";
export { loadConfig, ConfigError, DEFAULTS, ENV_VARIABLES, parseDuration } from "./config/index.js";
export type { GatewayConfig, LoadConfigOptions, PiiMode, LogLevel } from "./config/index.js";
export { createLogger, requestLogger, isPiiMasked } from "./audit/logger.js";
