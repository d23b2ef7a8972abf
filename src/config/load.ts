import { readFileSync } from "node:fs";
import { dirname, extname, isAbsolute, join, resolve } from "node:path";
import { parseDocument } from "yaml";
import type { z } from "zod";
import type { UpstreamConfig } from "../gateway/upstream/types.js";
import { splitHostPort } from "../guard/origin.js";
import { MEMORY_STORE_PATH, parseSecretKey, resolveStorePath, SECRET_KEY_FILE_NAME } from "../store/config.js";
import { checkEmbeddedAuthorizationServer, type EmbeddedAuthorizationServerSettings } from "./authorization-server.js";
import { DEFAULTS, LOOPBACK_NAMES, defaultServers } from "./defaults.js";
import { parseDuration } from "./duration.js";
import { SAMPLE_FOLDER } from "./sample.js";
import { CONFIG_PATH_VARIABLE, readEnvOverlay, SECRET_KEY_VARIABLE } from "./env.js";
import { ConfigError, describeValue, formatPath } from "./errors.js";
import {
  SERVER_NAME,
  SERVER_NAME_EXPECTED,
  configFileSchema,
  remoteServerSchema,
  stdioServerSchema,
  type ConfigFile,
} from "./schema.js";
import type { AuthSettings, GatewayConfig } from "./types.js";

export interface LoadConfigOptions {
  /** The config file (`--config`); falls back to $BASTION_CONFIG, then to the embedded defaults. */
  file?: string;
  /** The environment to read overrides from. Only the CLI passes process.env, and only through here. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Command-line flags, which win over file and environment. */
  flags?: { host?: string; port?: number };
  /** Directory relative paths are resolved against (the process's working directory by default). */
  cwd?: string;
}

type Raw = Record<string, unknown>;

const isPlainObject = (value: unknown): value is Raw =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/** Lays `over` onto `base`: objects merge key by key, anything else replaces. */
function deepMerge(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over;
  const out: Raw = { ...base };
  for (const [key, value] of Object.entries(over)) out[key] = key in out ? deepMerge(out[key], value) : value;
  return out;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

/** Keys whose values never appear in an error message. */
const SECRET_KEYS = new Set(["clientSecret", "initialAccessToken"]);

/** One line per zod issue: the key path (or the variable that set it), what it got, what it expected. */
function describeIssues(issues: readonly z.core.$ZodIssue[], root: unknown, prefix: readonly PropertyKey[], sources: Map<string, string>): string[] {
  const lines: string[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) lines.push(`${formatPath([...path, key])}: unknown key`);
      continue;
    }
    const keyPath = formatPath(path);
    const variable = sources.get(path.join("."));
    const where = variable ? `${variable} (${keyPath})` : keyPath;
    const shown = path.some((key) => typeof key === "string" && SECRET_KEYS.has(key)) ? "(a secret, not shown)" : describeValue(valueAt(root, path));
    lines.push(`${where}: got ${shown}, expected ${issue.message}`);
  }
  return lines;
}

function readConfigFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : code === "EISDIR" ? "it is a directory" : (code ?? "unreadable");
    throw new ConfigError(path, [`cannot read the config file: ${why}`]);
  }
  if (extname(path).toLowerCase() === ".json") {
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new ConfigError(path, [`not valid JSON: ${(error as Error).message}`]);
    }
  }
  // YAML is a superset of JSON, so .yaml, .yml and anything else are read as YAML.
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new ConfigError(path, document.errors.map((e) => `not valid YAML: ${e.message.split("\n")[0]}`));
  }
  const value = document.toJS() as unknown;
  return value ?? {}; // an empty file means "all defaults"
}

/** shareIdleClose means something only for a shared connection: anything else is a mistake worth naming. */
function checkShareIdleClose(server: { share?: string | undefined; shareIdleClose?: unknown }, path: string[], problems: string[]): boolean {
  if (server.shareIdleClose === undefined || (server.share !== undefined && server.share !== "none")) return true;
  problems.push(`${formatPath([...path, "shareIdleClose"])}: applies only to a shared connection, expected share: "principal" or "all" beside it`);
  return false;
}

function resolveServer(name: string, raw: unknown, problems: string[], root: unknown): UpstreamConfig | undefined {
  const path = ["servers", name];
  if (!SERVER_NAME.test(name) || name.length > 64) {
    problems.push(`${formatPath(path)}: the server name ${JSON.stringify(name)} is not allowed, expected ${SERVER_NAME_EXPECTED}`);
    return undefined;
  }
  if (!isPlainObject(raw) || (!("command" in raw) && !("url" in raw))) {
    problems.push(`${formatPath(path)}: got ${describeValue(raw)}, expected { command, args, env } (a stdio server) or { url } (an HTTP server)`);
    return undefined;
  }
  if ("command" in raw && "url" in raw) {
    problems.push(`${formatPath(path)}: has both command and url, expected one of them`);
    return undefined;
  }
  if ("command" in raw) {
    const parsed = stdioServerSchema.safeParse(raw);
    if (!parsed.success) {
      problems.push(...describeIssues(parsed.error.issues, root, path, new Map()));
      return undefined;
    }
    const s = parsed.data;
    if (!checkShareIdleClose(s, path, problems)) return undefined;
    return {
      kind: "stdio",
      command: s.command,
      args: s.args,
      env: s.env,
      ...(s.cwd !== undefined ? { cwd: s.cwd } : {}),
      requestTimeoutMs: parseDuration(s.requestTimeout) ?? DEFAULTS.requestTimeoutMs,
      ...(s.share !== undefined ? { share: s.share } : {}),
      ...(s.shareIdleClose !== undefined ? { shareIdleCloseMs: parseDuration(s.shareIdleClose)! } : {}),
    };
  }
  const parsed = remoteServerSchema.safeParse(raw);
  if (!parsed.success) {
    problems.push(...describeIssues(parsed.error.issues, root, path, new Map()));
    return undefined;
  }
  const s = parsed.data;
  if (!checkShareIdleClose(s, path, problems)) return undefined;
  return {
    kind: s.transport === "sse" ? "sse" : "http",
    url: s.url,
    headers: s.headers,
    requestTimeoutMs: parseDuration(s.requestTimeout) ?? DEFAULTS.requestTimeoutMs,
    ...(s.share !== undefined ? { share: s.share } : {}),
    ...(s.shareIdleClose !== undefined ? { shareIdleCloseMs: parseDuration(s.shareIdleClose)! } : {}),
  };
}

/** Allow-list entries the origin guard can use; an entry it could not parse would silently allow nothing. */
function checkAllowLists(file: ConfigFile, problems: string[], sources: Map<string, string>): void {
  const where = (key: string, index: number) => {
    const variable = sources.get(key);
    return variable ? `${variable} (${key}[${index}])` : `${key}[${index}]`;
  };
  file.allowedHosts?.forEach((entry, index) => {
    if (entry !== "*" && splitHostPort(entry) === undefined) {
      problems.push(`${where("allowedHosts", index)}: got ${JSON.stringify(entry)}, expected a host name or IP literal, optionally with :port ([::1] for IPv6), or "*"`);
    }
  });
  file.allowedOrigins?.forEach((entry, index) => {
    if (entry === "*") return;
    let ok: boolean;
    if (entry.includes("://")) {
      try {
        const url = new URL(entry);
        ok = (url.protocol === "http:" || url.protocol === "https:") && (url.pathname === "/" || url.pathname === "") && url.search === "" && url.hash === "";
      } catch {
        ok = false;
      }
    } else {
      ok = splitHostPort(entry)?.port === undefined && splitHostPort(entry) !== undefined;
    }
    if (!ok) {
      problems.push(`${where("allowedOrigins", index)}: got ${JSON.stringify(entry)}, expected an http(s) origin such as "https://app.example.com:8443", a host name, or "*"`);
    }
  });
}

const WILDCARD_HOSTS = new Set(["0.0.0.0", "::", "[::]"]);

function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase();
  return h === "localhost" || h === "::1" || h === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** The Host allow-list: loopback names for a loopback listener, plus the listen address itself. */
function defaultAllowedHosts(listenHost: string): string[] | undefined {
  if (WILDCARD_HOSTS.has(listenHost)) return undefined;
  const hosts: string[] = [...LOOPBACK_NAMES];
  const literal = listenHost.includes(":") && !listenHost.startsWith("[") ? `[${listenHost}]` : listenHost;
  if (!hosts.includes(literal.toLowerCase())) hosts.push(literal.toLowerCase());
  return hosts;
}

/**
 * This gateway's resource URI when the config names none: `http(s)://HOST:PORT/mcp` from the
 * listen address (never from a request's Host header). Undefined when it cannot be told: port 0
 * (the gateway derives it from the bound address), or an address that is no name for clients
 * (0.0.0.0, ::) or not a loopback one over plain HTTP (RFC 9728 wants https there).
 */
export function deriveResource(host: string, port: number, https: boolean): string | undefined {
  if (port === 0 || WILDCARD_HOSTS.has(host)) return undefined;
  const literal = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  const candidate = `${https ? "https" : "http"}://${literal}:${port}/mcp`;
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return undefined;
  }
  if (!https && !isLoopbackHost(url.hostname)) return undefined;
  return url.href;
}

/** The auth section as the gateway uses it, with the resource URI settled. */
function resolveAuth(file: ConfigFile, host: string, port: number, problems: string[], sources: Map<string, string>): AuthSettings {
  const auth = file.auth;
  const resource = auth.resource ?? deriveResource(host, port, file.tls !== undefined);
  // Tokens must name this gateway as their audience: JWT and introspection cannot work without it.
  // API keys alone can (then no metadata is served, and the 401 challenge has no resource_metadata).
  const needsResource = auth.jwt !== undefined || auth.introspection !== undefined;
  if (resource === undefined && port !== 0 && needsResource) {
    const variable = sources.get("listen.host");
    problems.push(
      `auth.resource: must be set for auth.jwt or auth.introspection when listening on ${variable ? `${variable} (listen.host) ` : ""}${host} over ${file.tls ? "https" : "http"}: the URL clients use to reach /mcp (e.g. https://mcp.example.com/mcp), the audience tokens must carry`,
    );
  }
  return {
    required: auth.required,
    apiKeys: auth.apiKeys,
    ...(auth.jwt !== undefined ? { jwt: auth.jwt } : {}),
    ...(auth.introspection !== undefined ? { introspection: auth.introspection } : {}),
    mtls: auth.mtls,
    lockout: auth.lockout,
    ...(resource !== undefined ? { resource } : {}),
    authorizationServers: auth.authorizationServers,
    ...(auth.scopesSupported !== undefined ? { scopesSupported: auth.scopesSupported } : {}),
    ...(auth.resourceName !== undefined ? { resourceName: auth.resourceName } : {}),
  };
}

/** A resource for checking the section when the real one is known only after binding (port 0). */
const PLACEHOLDER_RESOURCE = "http://127.0.0.1:1/mcp";

/**
 * The built-in authorization server: on when the section says so, or by default when no external
 * issuer is configured and the gateway has (or will derive at bind) a resource URI.
 */
function resolveAuthorizationServer(
  file: ConfigFile,
  merged: Raw,
  auth: AuthSettings,
  port: number,
  problems: string[],
  sources: Map<string, string>,
): EmbeddedAuthorizationServerSettings | undefined {
  const { enabled, ...section } = file.authorizationServer ?? {};
  const where = (key: string) => (sources.has(key) ? `${sources.get(key)} (${key})` : key);
  if (enabled !== undefined && typeof enabled !== "boolean") {
    problems.push(`${where("authorizationServer.enabled")}: got ${describeValue(enabled)}, expected true or false`);
    return undefined;
  }
  const external = file.auth.jwt !== undefined || file.auth.introspection !== undefined || file.auth.authorizationServers.length > 0;
  const on = enabled ?? (!external && (auth.resource !== undefined || port === 0));
  if (!on) return undefined;
  if (auth.resource === undefined && port !== 0) {
    problems.push(`${where("authorizationServer.enabled")}: the built-in authorization server needs auth.resource (the URL clients use to reach /mcp): set it, or turn the server off`);
    return undefined;
  }
  const issues = checkEmbeddedAuthorizationServer(section, auth.resource ?? PLACEHOLDER_RESOURCE, auth.scopesSupported);
  if (issues.length > 0) {
    problems.push(...describeIssues(issues, merged, ["authorizationServer"], sources));
    return undefined;
  }
  return { section };
}

/** The store section as the gateway uses it: absolute paths, the secret key (from the environment) decoded. */
function resolveStore(store: ConfigFile["store"], cwd: string, secretKeyText: string | undefined, problems: string[]): GatewayConfig["store"] {
  const path = resolveStorePath(store.path, cwd);
  const secretKey = secretKeyText === undefined || secretKeyText === "" ? undefined : parseSecretKey(secretKeyText);
  if (secretKeyText !== undefined && secretKeyText !== "" && secretKey === undefined) {
    problems.push(`${SECRET_KEY_VARIABLE}: got (a secret, not shown), expected 32 bytes, base64 (44 characters) or hex (64 characters)`);
  }
  const secretKeyFile =
    store.secretKeyFile !== undefined ? (isAbsolute(store.secretKeyFile) ? store.secretKeyFile : resolve(cwd, store.secretKeyFile)) : path === MEMORY_STORE_PATH ? undefined : join(dirname(path), SECRET_KEY_FILE_NAME);
  return { path, ...(secretKey !== undefined ? { secretKey } : {}), ...(secretKeyFile !== undefined ? { secretKeyFile } : {}) };
}

/** TLS file paths made absolute against `cwd`, like every relative path in the file. */
function resolveTls(tls: ConfigFile["tls"], cwd: string): GatewayConfig["tls"] {
  if (tls === undefined) return undefined;
  const abs = (path: string) => (isAbsolute(path) ? path : resolve(cwd, path));
  return {
    ...tls,
    cert: abs(tls.cert),
    key: abs(tls.key),
    clientCertificates: { ...tls.clientCertificates, ca: tls.clientCertificates.ca.map(abs), crl: tls.clientCertificates.crl.map(abs) },
  };
}

/**
 * Builds the gateway's settings: embedded defaults, then the config file, then environment
 * variables, then command-line flags. Throws ConfigError listing every problem found.
 */
export function loadConfig(options: LoadConfigOptions = {}): GatewayConfig {
  const env = options.env ?? {};
  const cwd = options.cwd ?? process.cwd();
  const overlay = readEnvOverlay(env);
  const fileOption = options.file ?? (env[CONFIG_PATH_VARIABLE] || undefined);
  const filePath = fileOption === undefined ? undefined : isAbsolute(fileOption) ? fileOption : resolve(cwd, fileOption);
  const source = filePath ?? "embedded defaults";

  const fromFile = filePath === undefined ? {} : readConfigFile(filePath);
  if (!isPlainObject(fromFile)) {
    throw new ConfigError(source, [`(top level): got ${describeValue(fromFile)}, expected a mapping of settings (listen, servers, pii, ...)`]);
  }
  const merged = deepMerge(fromFile, overlay.values) as Raw;
  const problems = [...overlay.problems];
  const parsed = configFileSchema.safeParse(merged);
  if (!parsed.success) problems.push(...describeIssues(parsed.error.issues, merged, [], overlay.sources));

  // Servers are checked one by one even when other keys failed, so one run reports every problem.
  let servers: Record<string, UpstreamConfig> = {};
  const rawServers = merged["servers"];
  let sampleFolder: string | undefined;
  if (rawServers === undefined) {
    sampleFolder = resolve(cwd, SAMPLE_FOLDER);
    servers = defaultServers(sampleFolder);
  } else if (isPlainObject(rawServers)) {
    for (const [name, raw] of Object.entries(rawServers)) {
      const server = resolveServer(name, raw, problems, merged);
      if (server) servers[name] = server;
    }
    if (Object.keys(rawServers).length === 0) problems.push("servers: got {}, expected at least one server");
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(source, problems);
  const file: ConfigFile = parsed.data;
  checkAllowLists(file, problems, overlay.sources);

  const host = options.flags?.host ?? file.listen?.host ?? DEFAULTS.host;
  const port = options.flags?.port ?? file.listen?.port ?? DEFAULTS.port;
  const allowedHosts = file.allowedHosts?.map((h) => h.toLowerCase()) ?? defaultAllowedHosts(host);
  if (allowedHosts === undefined) {
    problems.push(
      `allowedHosts: must be set when listening on ${host} (every interface): list the host names clients use to reach the gateway, or ["*"] to accept any Host`,
    );
  }
  const idleTimeoutMs = parseDuration(file.sessions?.idleTimeout) ?? DEFAULTS.idleTimeoutMs;
  const absoluteTimeoutMs = parseDuration(file.sessions?.absoluteTimeout) ?? DEFAULTS.absoluteTimeoutMs;
  if (idleTimeoutMs > absoluteTimeoutMs) {
    problems.push(`sessions.idleTimeout: got ${idleTimeoutMs} ms, expected no more than sessions.absoluteTimeout (${absoluteTimeoutMs} ms)`);
  }
  const auth = resolveAuth(file, host, port, problems, overlay.sources);
  if (file.tls === undefined && file.auth.mtls.rules.length > 0) {
    problems.push("auth.mtls.rules: client certificate rules need tls.clientCertificates (mode optional or required) to be configured");
  }
  const authorizationServer = resolveAuthorizationServer(file, merged, auth, port, problems, overlay.sources);
  const store = resolveStore(file.store, cwd, env[SECRET_KEY_VARIABLE], problems);
  if (problems.length > 0 || allowedHosts === undefined) throw new ConfigError(source, problems);
  const tls = resolveTls(file.tls, cwd);

  return {
    listen: { host, port, ...(file.listen?.trustedProxies?.length ? { trustedProxies: file.listen.trustedProxies } : {}) },
    servers,
    pii: {
      beforeLlm: file.pii?.beforeLlm ?? true,
      inLogs: file.pii?.inLogs ?? true,
      mode: file.pii?.mode ?? "replace",
      allowOptOut: file.pii?.allowOptOut ?? false,
    },
    sessions: { idleTimeoutMs, absoluteTimeoutMs, max: file.sessions?.max ?? DEFAULTS.maxSessions },
    limits: { maxBodyBytes: file.limits?.maxBodyBytes ?? DEFAULTS.maxBodyBytes },
    allowedHosts,
    allowedOrigins: file.allowedOrigins ?? [...LOOPBACK_NAMES],
    log: { level: file.log?.level ?? "info", messages: file.log?.messages ?? "debug" },
    shutdownTimeoutMs: parseDuration(file.shutdownTimeout) ?? DEFAULTS.shutdownTimeoutMs,
    store,
    auth,
    ...(tls === undefined ? {} : { tls }),
    ...(authorizationServer === undefined ? {} : { authorizationServer }),
    source,
    ...(sampleFolder === undefined ? {} : { sampleFolder }),
  };
}
