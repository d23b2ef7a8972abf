import type { JsonRpcId, JsonRpcMessage } from "../jsonrpc.js";

/**
 * Parses one value an upstream sent into a JSON-RPC message, or undefined when it is not one.
 * Structural checks only (no schema library): this runs for every message on the hot path, and
 * the gateway relays MCP payloads as they are; it only needs to know where each message goes.
 */
export function toJsonRpcMessage(value: unknown): JsonRpcMessage | undefined {
  if (!isObject(value) || value.jsonrpc !== "2.0") return undefined;
  const params = value.params;
  if (params !== undefined && !isObject(params)) return undefined;
  if (typeof value.method === "string") {
    if (value.id === undefined) {
      return params === undefined
        ? { jsonrpc: "2.0", method: value.method }
        : { jsonrpc: "2.0", method: value.method, params };
    }
    if (!isId(value.id)) return undefined;
    return params === undefined
      ? { jsonrpc: "2.0", id: value.id, method: value.method }
      : { jsonrpc: "2.0", id: value.id, method: value.method, params };
  }
  if ("result" in value) {
    if (!isId(value.id) || !isObject(value.result)) return undefined;
    return { jsonrpc: "2.0", id: value.id, result: value.result };
  }
  if ("error" in value) {
    const error = value.error;
    if (!(value.id === null || isId(value.id)) || !isObject(error)) return undefined;
    if (!Number.isInteger(error.code) || typeof error.message !== "string") return undefined;
    const code = error.code as number;
    return {
      jsonrpc: "2.0",
      id: value.id,
      error: "data" in error ? { code, message: error.message, data: error.data } : { code, message: error.message },
    };
  }
  return undefined;
}

/** Parses a JSON text holding one message or a batch; invalid entries are reported, not thrown. */
export function parseJsonRpcText(text: string): { messages: JsonRpcMessage[]; invalid: number } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { messages: [], invalid: 1 };
  }
  const items = Array.isArray(value) ? value : [value];
  const messages: JsonRpcMessage[] = [];
  let invalid = 0;
  for (const item of items) {
    const message = toJsonRpcMessage(item);
    if (message) messages.push(message);
    else invalid += 1;
  }
  return { messages, invalid };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isId(value: unknown): value is JsonRpcId {
  return typeof value === "string" || (typeof value === "number" && Number.isFinite(value));
}
