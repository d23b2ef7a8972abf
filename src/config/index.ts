/** Configuration: schema, defaults, file and environment loading. The only module that reads process.env. */
export { deriveResource, loadConfig, type LoadConfigOptions } from "./load.js";
export { ConfigError } from "./errors.js";
export { ENV_VARIABLES, CONFIG_PATH_VARIABLE, SECRET_KEY_VARIABLE } from "./env.js";
export { DEFAULTS, LOOPBACK_NAMES, defaultServers } from "./defaults.js";
export { parseDuration } from "./duration.js";
export { ensureSampleFolder, SAMPLE_FILES, SAMPLE_FOLDER } from "./sample.js";
export { PII_MODES, LOG_LEVELS, MESSAGE_LOG_LEVELS, SERVER_NAME } from "./schema.js";
export type { AuthSettings, GatewayConfig, LogLevel, MessageLogLevel, PiiMode } from "./types.js";

/** The process environment, for the CLI to pass to loadConfig (kept here: config is where env is read). */
export function processEnvironment(): Readonly<Record<string, string | undefined>> {
  return process.env;
}
