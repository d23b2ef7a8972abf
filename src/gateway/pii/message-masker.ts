import type { Operator, OperatorMap, PiiEngine } from "../../pii/index.js";
import { isNotification, isRequest, type JsonRpcMessage } from "../jsonrpc.js";
import { createCleanTextCache } from "./clean-cache.js";
import { isRecord, type JsonRecord } from "./cow.js";
import { MessageMaskingError } from "./errors.js";
import { REQUEST_RESTORERS, RESPONSE_RESTORERS } from "./inbound.js";
import { mapJsonStrings, type JsonWalkOptions } from "./json-walk.js";
import type { StringOps } from "./ops.js";
import { maskErrorObject, maskNotificationParams, maskResult, type OutboundSettings } from "./outbound.js";
import { maskServerRequestParams } from "./server-requests.js";

export interface MessageMaskerOptions {
  /**
   * Mask titles, descriptions and resource URIs/names in tools/prompts/resources lists (default
   * true). Lists are metadata, but the model reads them, and resource lists are often data.
   */
  lists?: boolean;
  /**
   * In tools/list results, loosen each outputSchema so masked structuredContent still validates
   * in SDK clients (drop email/IP/URI formats and patterns; numeric fields admit strings when
   * `numbers` is on). Default true.
   */
  relaxOutputSchemas?: boolean;
  /**
   * Numbers in free JSON (structuredContent, log data, tool input) whose digits are PII become
   * the masked string (default true: a card number must not reach the model because it was sent
   * as a number). The price is a type change in that one field, which relaxOutputSchemas covers.
   */
  numbers?: boolean;
  /** Deepest JSON nesting masked; deeper messages are refused with MessageMaskingError (default 512). */
  maxDepth?: number;
}

export interface OutboundContext {
  /** For a response: the method of the request it answers (unknown or absent: masked as unknown JSON). */
  method?: string;
  /** Vault scope for reversible tokens: the MCP session id, or the caller in the stateless revision. */
  scope: string;
  /** Per-request operator overrides (the engine's operators otherwise). */
  operators?: OperatorMap;
  defaultOperator?: Operator;
}

export interface InboundContext {
  /** Vault scope whose tokens are restored (the same scope the results were masked in). */
  scope: string;
  /** For a response the client sends (answering a server request): that request's method. */
  method?: string;
}

export interface MessageMasker {
  /**
   * Masks PII in a message flowing toward the client and its model: results, server requests
   * (sampling, elicitation), notifications, errors. Returns the message itself when nothing
   * changed, else a copy sharing every untouched subtree; never mutates its input, never changes
   * ids, methods or the message's kind. Throws MessageMaskingError when it cannot mask: the
   * caller must then not forward the message (fail closed).
   */
  maskOutbound<M extends JsonRpcMessage>(message: M, context: OutboundContext): M;
  /**
   * Restores reversible tokens this scope issued in a message from the client: tools/call and
   * prompts/get arguments, resource URIs, completion arguments, 2026-07-28 inputResponses, and
   * the client's sampling and elicitation results. Tokens never issued stay as they are.
   */
  restoreInbound<M extends JsonRpcMessage>(message: M, context: InboundContext): M;
}

const DEFAULT_MAX_DEPTH = 512;

/** In JSON of unknown shape, what is binary or opaque protocol state rather than text. */
function skipInUnknownShape(key: string, record: JsonRecord): boolean {
  switch (key) {
    case "_meta":
    case "blob":
    case "requestState":
    case "progressToken":
    case "cursor":
    case "nextCursor":
      return true;
    case "data": // base64 beside a MIME type (image, audio): never scanned
      return typeof record.mimeType === "string";
    default:
      return false;
  }
}

/** `data:image/png;base64,...`: binary carried in a URI, never scanned (a digit run could be taken for a number). */
function isBase64DataUri(uri: string): boolean {
  if (!uri.startsWith("data:")) return false;
  const comma = uri.indexOf(",");
  return comma > 0 && uri.lastIndexOf(";base64", comma) > 0;
}

function requireScope(scope: unknown): void {
  // An empty or missing scope would pool every caller's tokens together.
  if (typeof scope !== "string" || scope.length === 0) throw new TypeError("a non-empty vault scope is required");
}

function asMaskingError(error: unknown): MessageMaskingError {
  if (error instanceof MessageMaskingError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new MessageMaskingError(reason, { cause: error });
}

function withParams<M extends JsonRpcMessage>(message: M, before: unknown, after: unknown): M {
  return after === before ? message : { ...message, params: after };
}

export function createMessageMasker(engine: PiiEngine, options: MessageMaskerOptions = {}): MessageMasker {
  const settings: OutboundSettings = {
    lists: options.lists ?? true,
    relaxOutputSchemas: options.relaxOutputSchemas ?? true,
    numbers: options.numbers ?? true,
  };
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  const jsonWalk: JsonWalkOptions = { keys: true, numbers: settings.numbers, maxDepth };
  const unknownWalk: JsonWalkOptions = { ...jsonWalk, skip: skipInUnknownShape };
  const restoreWalk: JsonWalkOptions = { keys: true, numbers: false, maxDepth };
  const cleanText = createCleanTextCache();

  function stringOps(transform: (text: string) => string, walk: JsonWalkOptions, unknown: JsonWalkOptions): StringOps {
    const json = (value: unknown): unknown => mapJsonStrings(value, transform, walk);
    const field = (value: unknown): unknown => (typeof value === "string" ? transform(value) : json(value));
    return {
      text: transform,
      json,
      field,
      named: (value, name) => (name === "uri" && typeof value === "string" && isBase64DataUri(value) ? value : field(value)),
      unknownShape: (value) => mapJsonStrings(value, transform, unknown),
    };
  }

  // The ops of the last scope, kept: made afresh, they are ~10 objects per message (one session's
  // messages usually follow one another). Only without per-call operators, which would be part of them.
  let lastScope: string | undefined;
  let lastOps: StringOps | undefined;
  function maskOps(context: OutboundContext): StringOps {
    if (context.operators === undefined && context.defaultOperator === undefined) {
      if (context.scope !== lastScope || lastOps === undefined) {
        lastOps = makeMaskOps(context);
        lastScope = context.scope;
      }
      return lastOps;
    }
    return makeMaskOps(context);
  }

  function makeMaskOps(context: OutboundContext): StringOps {
    const maskOptions = {
      scope: context.scope,
      ...(context.operators ? { operators: context.operators } : {}),
      ...(context.defaultOperator ? { defaultOperator: context.defaultOperator } : {}),
    };
    const scan = (text: string): string => engine.mask(text, maskOptions);
    return stringOps((text) => cleanText.mask(text, scan), jsonWalk, unknownWalk);
  }

  function restoreOps(context: InboundContext): StringOps {
    const scope = { scope: context.scope };
    return stringOps((text) => engine.restore(text, scope), restoreWalk, restoreWalk);
  }

  function maskOutbound<M extends JsonRpcMessage>(message: M, context: OutboundContext): M {
    requireScope(context.scope);
    try {
      const ops = maskOps(context);
      if (isRequest(message) || isNotification(message)) {
        const params: unknown = message.params;
        if (params === undefined) return message;
        // Positional (array) params are not MCP, but their strings are masked all the same.
        if (!isRecord(params)) return withParams(message, params, ops.unknownShape(params));
        const masked = isRequest(message)
          ? maskServerRequestParams(message.method, params, ops, settings)
          : maskNotificationParams(message.method, params, ops, settings);
        return withParams(message, params, masked);
      }
      if ("result" in message) {
        const result: unknown = message.result;
        const masked = isRecord(result) ? maskResult(context.method, result, ops, settings) : ops.unknownShape(result);
        return masked === result ? message : { ...message, result: masked };
      }
      if ("error" in message) {
        const error: unknown = message.error;
        const masked = isRecord(error) ? maskErrorObject(error, ops) : ops.unknownShape(error);
        return masked === error ? message : { ...message, error: masked };
      }
      return message;
    } catch (error) {
      throw asMaskingError(error);
    }
  }

  function restoreInbound<M extends JsonRpcMessage>(message: M, context: InboundContext): M {
    requireScope(context.scope);
    try {
      const ops = restoreOps(context);
      if (isRequest(message)) {
        const restorer = REQUEST_RESTORERS.get(message.method);
        const params = message.params;
        if (!restorer || !isRecord(params)) return message;
        return withParams(message, params, restorer(params, ops));
      }
      if ("result" in message && isRecord(message.result) && context.method !== undefined) {
        const restorer = RESPONSE_RESTORERS.get(context.method);
        if (!restorer) return message;
        const restored = restorer(message.result, ops);
        return restored === message.result ? message : { ...message, result: restored };
      }
      return message; // notifications and errors from the client carry nothing a tool needs back
    } catch (error) {
      throw asMaskingError(error);
    }
  }

  return { maskOutbound, restoreInbound };
}
