import type { Logger } from "pino";
import { isMaskingLogger, requestLogger, safeLogText } from "../audit/logger.js";
import type { MessageLogLevel } from "../config/types.js";
import type { JsonRpcMessage } from "./jsonrpc.js";
import type { GatewayLogger } from "./logger.js";
import type { PiiSettings } from "./masking.js";

/**
 * One log line per relayed MCP message: who sent it, the method, the tool/prompt/resource name,
 * the arguments, and a bounded summary of the result. Lines are written through a per-request
 * logger (src/audit/logger.ts `requestLogger`), so PII in them is masked or not by that request's
 * in-logs setting (`pii.inLogs`, MASK_PII_IN_LOGS, X-Mask-PII-In-Logs), and secrets are always cut.
 *
 * Values are logged as the gateway relays them: arguments as the client sent them (reversible
 * tokens stay tokens), results as the server answered, before masking for the model; the log's own
 * masking is what protects the line. Nothing is built unless the line's level is enabled.
 */

export interface SummaryLimits {
  /** A longer string is masked, then cut to this many characters. */
  stringChars: number;
  /** Array items and object keys kept per level. */
  items: number;
  keys: number;
  /** Nesting below this depth is summarized as a count. */
  depth: number;
  /** Roughly the most characters one summary holds; the rest is left out. */
  totalChars: number;
}

export const DEFAULT_SUMMARY_LIMITS: Readonly<SummaryLimits> = { stringChars: 256, items: 16, keys: 32, depth: 6, totalChars: 2048 };

export interface RequestLog {
  /** This request's logger: PII masked per its in-logs setting. */
  readonly logger: GatewayLogger;
  /** A message from the client (a request, notification, or an answer to a server request). */
  client(message: JsonRpcMessage): void;
  /** A message to the client, before it is masked for the model. `answering`: the method a response answers. */
  server(message: JsonRpcMessage, answering?: string): void;
}

export interface MessageLog {
  /**
   * The message log of one request; undefined when no message line would be written (turned off,
   * its level not enabled, or a root logger that cannot mask per request). `bindings` (fields on
   * each of its lines) is called only when there is one, so a request pays nothing otherwise.
   */
  forRequest(settings: PiiSettings, bindings: () => Record<string, unknown>): RequestLog | undefined;
}

export interface MessageLogOptions {
  level: MessageLogLevel;
  limits?: Partial<SummaryLimits>;
}

const OFF: MessageLog = { forRequest: () => undefined };

/**
 * Message lines need a logger that can mask per request (one made by createLogger). Any other
 * logger gets none: a line of arguments and results that nothing masks is never written.
 */
export function createMessageLog(root: GatewayLogger, options: MessageLogOptions): MessageLog {
  const level = options.level;
  if (level === "off" || !isMaskingLogger(root)) return OFF;
  const limits: SummaryLimits = { ...DEFAULT_SUMMARY_LIMITS, ...options.limits };
  return {
    forRequest(settings, bindings) {
      if (!root.isLevelEnabled(level)) return undefined;
      let logger: Logger;
      try {
        logger = requestLogger(root, { maskPii: settings.inLogs, bindings: bindings() });
      } catch (error) {
        // Logging never fails a request: without a safe logger, this request's messages go unlogged.
        root.warn({ event: "mcp.message", reason: (error as Error).message }, "could not make a request logger");
        return undefined;
      }
      const write = (from: "client" | "server", message: JsonRpcMessage, answering?: string) => {
        try {
          logger[level]({ event: "mcp.message", from, ...describeMessage(message, answering, limits, logger) }, `${from} ${kindOf(message)}`);
        } catch (error) {
          logger.warn({ event: "mcp.message", from, reason: (error as Error).message }, "could not log a message");
        }
      };
      return {
        logger,
        client: (message) => write("client", message),
        server: (message, answering) => write("server", message, answering),
      };
    },
  };
}

const kindOf = (message: JsonRpcMessage): "request" | "notification" | "response" =>
  "method" in message ? ("id" in message && message.id !== undefined ? "request" : "notification") : "response";

/** Methods whose params name one thing (a tool, a prompt, a resource) and carry its arguments. */
function describeParams(method: string, params: Record<string, unknown> | undefined, summarize: (value: unknown) => unknown): Record<string, unknown> {
  if (params === undefined) return {};
  const { _meta: _ignored, ...rest } = params;
  switch (method) {
    case "tools/call":
    case "prompts/get": {
      const { name, arguments: args, ...others } = rest;
      return {
        ...(name === undefined ? {} : { name: summarize(name) }),
        ...(args === undefined ? {} : { arguments: summarize(args) }),
        ...(Object.keys(others).length > 0 ? { params: summarize(others) } : {}),
      };
    }
    case "resources/read":
    case "resources/subscribe":
    case "resources/unsubscribe":
      return rest["uri"] === undefined ? {} : { name: summarize(rest["uri"]) };
    default:
      return Object.keys(rest).length > 0 ? { params: summarize(rest) } : {};
  }
}

export function describeMessage(message: JsonRpcMessage, answering: string | undefined, limits: SummaryLimits, logger: Logger): Record<string, unknown> {
  const summarize = (value: unknown) => summarizeValue(value, limits, (text, max) => clip(logger, text, max));
  if ("method" in message) {
    const id = "id" in message && message.id !== undefined ? { id: message.id } : {};
    return { kind: kindOf(message), method: message.method, ...id, ...describeParams(message.method, message.params, summarize) };
  }
  const method = answering === undefined ? {} : { method: answering };
  if ("error" in message) {
    const { code, message: text, data } = message.error;
    return { kind: "response", ...method, id: message.id, error: { code, message: summarize(text), ...(data === undefined ? {} : { data: summarize(data) }) } };
  }
  return { kind: "response", ...method, id: message.id, result: summarize(message.result) };
}

/** Masks (per the logger) and then cuts: cutting first could leave half an entity the masker no longer sees. */
function clip(logger: Logger, text: string, max: number): string {
  return `${safeLogText(logger, text.slice(0, max * 4)).slice(0, max)}… (${text.length} chars)`;
}

/** Base64 payloads (images, audio, blobs) are not text: their size is all a log needs. */
function isBinaryField(key: string, owner: Record<string, unknown>, value: unknown): value is string {
  return typeof value === "string" && (key === "blob" || (key === "data" && typeof owner["mimeType"] === "string"));
}

/**
 * A bounded copy of `value` for a log line: long strings cut (by `clip`, which masks first), at
 * most `items` array items and `keys` keys per level, `depth` levels, and about `totalChars`
 * characters in all. Objects are copied without a prototype, so a `__proto__` key stays a key.
 */
export function summarizeValue(value: unknown, limits: SummaryLimits, clip: (text: string, max: number) => string): unknown {
  let budget = limits.totalChars;
  const text = (node: string): string => {
    const max = Math.max(16, Math.min(limits.stringChars, budget));
    const out = node.length <= max ? node : clip(node, max);
    budget -= out.length;
    return out;
  };
  const walk = (node: unknown, depth: number): unknown => {
    if (typeof node === "string") return text(node);
    if (node === null || typeof node !== "object") {
      budget -= 8;
      return node;
    }
    budget -= 2;
    if (Array.isArray(node)) {
      if (depth >= limits.depth) return `[${node.length} items]`;
      const out: unknown[] = [];
      for (let i = 0; i < node.length; i++) {
        if (i >= limits.items || budget <= 0) {
          out.push(`… ${node.length - i} more`);
          break;
        }
        out.push(walk(node[i], depth + 1));
      }
      return out;
    }
    const record = node as Record<string, unknown>;
    const keys = Object.keys(record);
    if (depth >= limits.depth) return `[object, ${keys.length} keys]`;
    const out = Object.create(null) as Record<string, unknown>;
    for (let i = 0; i < keys.length; i++) {
      if (i >= limits.keys || budget <= 0) {
        out["…"] = `${keys.length - i} more keys`;
        break;
      }
      const key = keys[i]!;
      const item = record[key];
      out[text(key)] = isBinaryField(key, record, item) ? `[${item.length} chars of base64]` : walk(item, depth + 1);
    }
    return out;
  };
  return walk(value, 0);
}
