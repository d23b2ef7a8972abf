import type { JsonRpcRequest, JsonRpcResponse } from "../jsonrpc.js";
import { META, MODERN_REVISION, RESERVED_META_PREFIX, isPlainObject, metaOf } from "./envelope.js";

/**
 * Serving 2026-07-28 clients from a 2025-era server: the gateway holds one initialized 2025
 * connection and translates each stateless request onto it. The envelope keys are dropped on the
 * way up; on the way down results get the fields the 2026-07-28 wire requires.
 */

type Json = Record<string, unknown>;

/** The 2026-07-28 request methods a 2025-era server can answer one for one. */
export const BRIDGEABLE_METHODS: ReadonlySet<string> = new Set([
  "tools/call",
  "tools/list",
  "prompts/get",
  "prompts/list",
  "resources/list",
  "resources/templates/list",
  "resources/read",
  "completion/complete",
]);

/** Results the 2026-07-28 wire marks cacheable: they must carry ttlMs and cacheScope. */
const CACHEABLE_METHODS: ReadonlySet<string> = new Set([
  "tools/list",
  "prompts/list",
  "resources/list",
  "resources/templates/list",
  "resources/read",
  "server/discover",
]);

/** The request with the reserved envelope keys removed from `_meta` (progressToken and other keys stay). */
export function withoutEnvelope(request: JsonRpcRequest): JsonRpcRequest {
  const meta = metaOf(request.params);
  if (meta === undefined) return request;
  const kept: Json = {};
  let any = false;
  for (const key of Object.keys(meta)) {
    if (key.startsWith(RESERVED_META_PREFIX)) continue;
    kept[key] = meta[key];
    any = true;
  }
  const { _meta: _dropped, ...rest } = request.params!;
  return { ...request, params: any ? { ...rest, _meta: kept } : rest };
}

/** Drops what 2026-07-28 deleted from the wire: tool `execution` (tasks moved to an extension). */
function withoutDeletedFields(method: string, result: Json): Json {
  const tools = result["tools"];
  if (method !== "tools/list" || !Array.isArray(tools) || !tools.some((tool) => isPlainObject(tool) && "execution" in tool)) return result;
  return {
    ...result,
    tools: tools.map((tool) => {
      if (!isPlainObject(tool) || !("execution" in tool)) return tool;
      const { execution: _deleted, ...rest } = tool;
      return rest;
    }),
  };
}

/** A 2025 result in 2026-07-28 form: resultType, cache hints (no caching by default), server identity. */
export function toModernResult(method: string, result: Json, serverInfo: unknown): Json {
  const out: Json = { ...withoutDeletedFields(method, result), resultType: "complete" };
  if (CACHEABLE_METHODS.has(method)) {
    if (!(typeof out["ttlMs"] === "number" && Number.isInteger(out["ttlMs"]) && out["ttlMs"] >= 0)) out["ttlMs"] = 0;
    if (out["cacheScope"] !== "public" && out["cacheScope"] !== "private") out["cacheScope"] = "private";
  }
  if (serverInfo !== undefined) {
    const meta = isPlainObject(out["_meta"]) ? out["_meta"] : {};
    if (meta[META.serverInfo] === undefined) out["_meta"] = { ...meta, [META.serverInfo]: serverInfo };
  }
  return out;
}

/** 2026-07-28 answers resource-not-found as invalid params (-32602), not the older -32002. */
export function toModernError(response: JsonRpcResponse): JsonRpcResponse {
  if ("error" in response && response.error.code === -32002) return { ...response, error: { ...response.error, code: -32602 } };
  return response;
}

/** `server/discover`, answered from what the server said at initialize. */
export function discoverFromInitialize(initializeResult: Json): Json {
  const capabilities: Json = isPlainObject(initializeResult["capabilities"]) ? { ...initializeResult["capabilities"] } : {};
  delete capabilities["tasks"]; // deleted from the 2026-07-28 core (now an extension)
  const result: Json = { supportedVersions: [MODERN_REVISION], capabilities };
  if (typeof initializeResult["instructions"] === "string") result["instructions"] = initializeResult["instructions"];
  return toModernResult("server/discover", result, initializeResult["serverInfo"]);
}
