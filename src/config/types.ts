import type { ApiKeysConfig } from "../auth/api-keys/config.js";
import type { IntrospectionConfig } from "../auth/introspection/config.js";
import type { JwtConfig } from "../auth/jwt/config.js";
import type { LockoutConfig } from "../auth/lockout/config.js";
import type { MtlsAuthConfig, TlsConfig } from "../auth/mtls/config.js";
import type { UpstreamConfig } from "../gateway/upstream/types.js";
import type { EmbeddedAuthorizationServerSettings } from "./authorization-server.js";
import type { LogLevel, MessageLogLevel, PiiMode } from "./schema.js";

export type { LogLevel, MessageLogLevel, PiiMode } from "./schema.js";

/** The gateway's settings after defaults, the config file, the environment and flags are merged. */
export interface GatewayConfig {
  listen: {
    host: string;
    port: number;
    /** Reverse proxies whose forwarding headers give the client address (addresses or CIDR blocks); absent or empty: none. */
    trustedProxies?: readonly string[];
  };
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
  /**
   * The embedded store (API keys, users, the authorization server's records): an absolute SQLite
   * file path, or ":memory:". Secrets in it are encrypted with `secretKey` (from BASTION_SECRET_KEY,
   * never from the file) or else with the key in `secretKeyFile` (made at first start); neither for
   * ":memory:" (a random key for the process).
   */
  store: { path: string; secretKey?: Buffer; secretKeyFile?: string };
  /** Step 2, authentication. */
  auth: AuthSettings;
  /** The HTTPS listener (and mutual TLS); plain HTTP when absent. File paths are absolute. */
  tls?: TlsConfig;
  /**
   * The built-in OAuth 2.1 authorization server, when on (config/authorization-server.ts): mounted
   * under `<resource origin>/oauth` on the gateway's listener and trusted as a JWT issuer.
   */
  authorizationServer?: EmbeddedAuthorizationServerSettings;
  /** Where the settings came from, for the start-up log line: a file path or "embedded defaults". */
  source: string;
  /**
   * Set when the embedded default servers are used: the folder the default filesystem server
   * works on, which `bastion serve` makes (with sample files) before it starts.
   */
  sampleFolder?: string;
}

export interface AuthSettings {
  /**
   * Every request must carry a valid credential (the default). false: a request with no
   * credential at all is the anonymous principal (no roles, no scopes); a credential that is
   * presented is still checked. For local experiments only.
   */
  required: boolean;
  /** API keys from the store (accepted as Authorization: Bearer bst_... or X-API-Key). */
  apiKeys: ApiKeysConfig;
  jwt?: JwtConfig;
  introspection?: IntrospectionConfig;
  /** Client certificate -> principal rules (used when tls.clientCertificates.mode is not off). */
  mtls: MtlsAuthConfig;
  lockout: LockoutConfig;
  /**
   * This gateway's resource URI (RFC 8707 audience, RFC 9728 metadata). From the config file, or
   * derived from the listen address (http://127.0.0.1:8080/mcp); undefined when the port is 0:
   * the gateway derives it from the address it bound (never from a request's Host header).
   */
  resource?: string;
  authorizationServers: string[];
  scopesSupported?: string[];
  resourceName?: string;
}
