/**
 * Environment variables that override the config file. Each maps onto one config key; values are
 * converted here (text to boolean, number or list) and then validated by the same schema as the
 * file, so a bad value is reported with the variable's name.
 */

type Kind = "boolean" | "integer" | "string" | "list" | "duration";

interface EnvVariable {
  name: string;
  path: readonly string[];
  kind: Kind;
  description: string;
}

export const ENV_VARIABLES: readonly EnvVariable[] = [
  { name: "BASTION_HOST", path: ["listen", "host"], kind: "string", description: "address to listen on" },
  { name: "BASTION_PORT", path: ["listen", "port"], kind: "integer", description: "port to listen on (0 picks a free one)" },
  { name: "MASK_PII_BEFORE_LLM", path: ["pii", "beforeLlm"], kind: "boolean", description: "mask PII in everything bound for the model" },
  { name: "MASK_PII_IN_LOGS", path: ["pii", "inLogs"], kind: "boolean", description: "mask PII in the gateway's log lines" },
  { name: "BASTION_PII_MODE", path: ["pii", "mode"], kind: "string", description: "replace, tokens, hash, partial or remove" },
  { name: "BASTION_PII_ALLOW_OPT_OUT", path: ["pii", "allowOptOut"], kind: "boolean", description: "let request headers turn masking off" },
  { name: "BASTION_MAX_BODY_BYTES", path: ["limits", "maxBodyBytes"], kind: "integer", description: "largest request body accepted" },
  { name: "BASTION_ALLOWED_HOSTS", path: ["allowedHosts"], kind: "list", description: "comma-separated Host allow-list" },
  { name: "BASTION_ALLOWED_ORIGINS", path: ["allowedOrigins"], kind: "list", description: "comma-separated Origin allow-list" },
  { name: "BASTION_SESSION_IDLE_TIMEOUT", path: ["sessions", "idleTimeout"], kind: "duration", description: "end a session idle this long" },
  { name: "BASTION_SESSION_ABSOLUTE_TIMEOUT", path: ["sessions", "absoluteTimeout"], kind: "duration", description: "end a session this long after it began" },
  { name: "BASTION_MAX_SESSIONS", path: ["sessions", "max"], kind: "integer", description: "most concurrent sessions" },
  { name: "BASTION_SHUTDOWN_TIMEOUT", path: ["shutdownTimeout"], kind: "duration", description: "longest wait for in-flight requests on shutdown" },
  { name: "BASTION_LOG_LEVEL", path: ["log", "level"], kind: "string", description: "fatal, error, warn, info, debug, trace or silent" },
  { name: "BASTION_AUTH_REQUIRED", path: ["auth", "required"], kind: "boolean", description: "require authentication on every request (default 1)" },
  { name: "BASTION_AUTH_RESOURCE", path: ["auth", "resource"], kind: "string", description: "this gateway's resource URI (token audience, protected resource metadata)" },
  { name: "BASTION_STORE_PATH", path: ["store", "path"], kind: "string", description: "the SQLite store file (default .bastion/bastion.db)" },
  { name: "BASTION_INTROSPECTION_CLIENT_SECRET", path: ["auth", "introspection", "clientSecret"], kind: "string", description: "the gateway's client secret at the introspection endpoint" },
  { name: "BASTION_AUTHORIZATION_SERVER", path: ["authorizationServer", "enabled"], kind: "boolean", description: "turn the built-in OAuth authorization server on (1) or off (0)" },
  { name: "BASTION_LOG_MESSAGES", path: ["log", "messages"], kind: "string", description: "level of the per-message log line: debug, info or off" },
];

/**
 * The key (32 bytes, base64 or hex) encrypting secrets in the store, instead of the key file
 * (store.secretKeyFile). Read from the environment only, never from the config file.
 */
export const SECRET_KEY_VARIABLE = "BASTION_SECRET_KEY";

/** The variable naming the config file when `--config` is not given. */
export const CONFIG_PATH_VARIABLE = "BASTION_CONFIG";

export interface EnvOverlay {
  /** Values to lay over the file, shaped like the file. */
  values: Record<string, unknown>;
  /** Key path ("pii.beforeLlm") to the variable that set it, so errors can name the variable. */
  sources: Map<string, string>;
  /** Start-up errors found before schema validation (a boolean that is not 1/0/true/false). */
  problems: string[];
}

const BOOLEAN_TEXT: Record<string, boolean> = { "1": true, "0": false, true: true, false: false };

function convert(variable: EnvVariable, raw: string): { value: unknown } | { problem: string } {
  const text = raw.trim();
  switch (variable.kind) {
    case "boolean": {
      const value = BOOLEAN_TEXT[text.toLowerCase()];
      return value === undefined
        ? { problem: `${variable.name}: got ${JSON.stringify(raw)}, expected 1, 0, true or false` }
        : { value };
    }
    case "integer":
      // Non-digits stay text, so the schema reports them with its own expectation.
      return { value: /^\d{1,15}$/.test(text) ? Number(text) : text };
    case "duration":
      return { value: /^\d{1,15}$/.test(text) ? Number(text) : text };
    case "list":
      return { value: text === "" ? [] : text.split(",").map((item) => item.trim()).filter((item) => item !== "") };
    case "string":
      return { value: text };
  }
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i]!;
    const next = node[key];
    if (next === null || typeof next !== "object" || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

/** Reads the overriding variables from `env` (an empty string counts as unset). */
export function readEnvOverlay(env: Readonly<Record<string, string | undefined>>): EnvOverlay {
  const overlay: EnvOverlay = { values: {}, sources: new Map(), problems: [] };
  for (const variable of ENV_VARIABLES) {
    const raw = env[variable.name];
    if (raw === undefined || raw === "") continue;
    const converted = convert(variable, raw);
    if ("problem" in converted) {
      overlay.problems.push(converted.problem);
      continue;
    }
    setPath(overlay.values, variable.path, converted.value);
    overlay.sources.set(variable.path.join("."), variable.name);
  }
  return overlay;
}
