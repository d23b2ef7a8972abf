import { GatewayError } from "./errors.js";
import type { JsonRpcMessage } from "./jsonrpc.js";
import { isPlainObject } from "./modern/envelope.js";

/**
 * Step 4 of the path: the body must be one JSON-RPC 2.0 message of MCP's shapes, nested no deeper
 * than MAX_DEPTH. Batches were removed from MCP in 2025-06-18 and the 2026-07-28 revision forbids
 * them, so an array is refused.
 */

/** Deeper JSON than this is refused: later steps (masking, serializing) walk it recursively. */
export const MAX_DEPTH = 128;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

/** Whether the JSON text nests deeper than `limit`: one pass over the bytes, before parsing. */
export function nestsDeeperThan(body: Buffer, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i]!;
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      if (++depth > limit) return true;
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      depth--;
    }
  }
  return false;
}

const isId = (value: unknown): value is string | number =>
  typeof value === "string" || (typeof value === "number" && Number.isFinite(value));

/** The id a refusal should echo: the body's id when it has a usable one. */
export function echoableId(value: unknown): string | number | null {
  return isPlainObject(value) && isId(value["id"]) ? value["id"] : null;
}

export function parseMessage(body: Buffer): JsonRpcMessage {
  if (nestsDeeperThan(body, MAX_DEPTH)) throw new GatewayError("INVALID_REQUEST", `Invalid Request: JSON nested deeper than ${MAX_DEPTH} levels`);
  let value: unknown;
  try {
    value = JSON.parse(body.toString("utf8"));
  } catch {
    throw new GatewayError("PARSE_ERROR", "Parse error: the request body is not valid JSON");
  }
  if (Array.isArray(value)) throw new GatewayError("INVALID_REQUEST", "Invalid Request: JSON-RPC batches are not supported");
  const id = echoableId(value);
  const invalid = (why: string) => new GatewayError("INVALID_REQUEST", `Invalid Request: ${why}`, { id });
  if (!isPlainObject(value)) throw invalid("the body must be a JSON-RPC message object");
  if (value["jsonrpc"] !== "2.0") throw invalid('jsonrpc must be "2.0"');
  if ("method" in value) {
    if (typeof value["method"] !== "string" || value["method"] === "") throw invalid("method must be a non-empty string");
    if (value["params"] !== undefined && !isPlainObject(value["params"])) throw invalid("params must be an object");
    if ("id" in value && !isId(value["id"])) throw invalid("id must be a string or a number");
    return value as unknown as JsonRpcMessage;
  }
  if (!isId(value["id"])) throw invalid("a response must carry the id of the request it answers");
  const hasResult = "result" in value;
  const hasError = "error" in value;
  if (hasResult === hasError) throw invalid("a response carries exactly one of result and error");
  if (hasResult && !isPlainObject(value["result"])) throw invalid("result must be an object");
  if (hasError) {
    const error = value["error"];
    if (!isPlainObject(error) || !Number.isInteger(error["code"]) || typeof error["message"] !== "string") {
      throw invalid("error must be { code: integer, message: string }");
    }
  }
  return value as unknown as JsonRpcMessage;
}
