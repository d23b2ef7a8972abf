import {
  JsonRpcErrorCode,
  errorResponse,
  type JsonRpcFailure,
  type JsonRpcNotification,
  type JsonRpcRequest,
  type JsonRpcResponse,
} from "../jsonrpc.js";
import { META, MODERN_REVISION, isPlainObject } from "../modern/envelope.js";
import type { ClientChannel } from "../relay/channel.js";
import type { McpPort } from "../relay/port.js";
import { splitName, unwrapUri } from "./names.js";
import { LIST_VIEWS, viewResult } from "./view.js";

type Json = Record<string, unknown>;

export interface ServerInfo {
  name: string;
  version: string;
}

export interface AggregatorOptions {
  /** legacy: a 2025-11-25 session; modern: stateless 2026-07-28 requests. */
  era: "legacy" | "modern";
  serverInfo: ServerInfo;
  /** Reports a server left out of a merged answer. */
  onServerError?: (server: string, method: string, error: JsonRpcFailure["error"]) => void;
}

/** Most pages read from one server for one merged list: a bound on a server that pages forever. */
const MAX_PAGES = 64;

const ok = (request: JsonRpcRequest, result: Json): JsonRpcResponse => ({ jsonrpc: "2.0", id: request.id, result });

/** Capabilities of the merged view: a feature is on if any server has it. */
export function mergeCapabilities(all: readonly Json[]): Json {
  const merged: Json = {};
  const any = (key: string) => all.filter((c) => isPlainObject(c[key])).map((c) => c[key] as Json);
  const flag = (parts: Json[], name: string) => parts.some((p) => p[name] === true);
  const tools = any("tools");
  if (tools.length > 0) merged["tools"] = { listChanged: flag(tools, "listChanged") };
  const prompts = any("prompts");
  if (prompts.length > 0) merged["prompts"] = { listChanged: flag(prompts, "listChanged") };
  const resources = any("resources");
  if (resources.length > 0) merged["resources"] = { subscribe: flag(resources, "subscribe"), listChanged: flag(resources, "listChanged") };
  if (any("logging").length > 0) merged["logging"] = {};
  if (any("completions").length > 0) merged["completions"] = {};
  return merged;
}

/**
 * The aggregated `/mcp` route: one MCP server made of all configured servers. Lists are merged
 * with namespaced names; calls are routed back to the owning server with its own names.
 */
export class Aggregator {
  private readonly ports: ReadonlyMap<string, McpPort>;
  private readonly options: AggregatorOptions;

  constructor(ports: ReadonlyMap<string, McpPort>, options: AggregatorOptions) {
    this.ports = ports;
    this.options = options;
  }

  get serverNames(): string[] {
    return [...this.ports.keys()];
  }

  async request(request: JsonRpcRequest, channel: ClientChannel | undefined, signal?: AbortSignal): Promise<JsonRpcResponse> {
    const method = request.method;
    const params: Json = request.params ?? {};
    if (LIST_VIEWS[method] !== undefined) return this.list(request, channel, signal);
    switch (method) {
      case "ping":
        return this.options.era === "legacy" ? ok(request, {}) : this.methodNotFound(request);
      case "server/discover":
        return this.options.era === "modern" ? this.discover(request, channel, signal) : this.methodNotFound(request);
      case "tools/call":
      case "prompts/get":
        return this.routeByName(request, params, channel, signal);
      case "resources/read":
        return this.routeByUri(request, params, channel, signal);
      case "resources/subscribe":
      case "resources/unsubscribe":
        return this.options.era === "legacy" ? this.routeByUri(request, params, channel, signal) : this.methodNotFound(request);
      case "completion/complete":
        return this.complete(request, params, channel, signal);
      case "logging/setLevel":
        return this.options.era === "legacy" ? this.fanOut(request, channel, signal) : this.methodNotFound(request);
      default:
        return this.methodNotFound(request);
    }
  }

  /** Notifications from the client that concern every server (initialized, roots/list_changed). */
  async notify(notification: JsonRpcNotification): Promise<void> {
    await Promise.all([...this.ports.values()].map((port) => port.notify(notification)));
  }

  /** Answers a 2025 `initialize` by initializing every server; servers that fail are left out and reported. */
  async initialize(request: JsonRpcRequest, negotiatedVersion: string): Promise<{ response: JsonRpcResponse; failed: string[] }> {
    const answers = await Promise.all(
      [...this.ports].map(async ([name, port]) => ({ name, response: await port.call({ ...request, params: { ...request.params, protocolVersion: negotiatedVersion } }, undefined) })),
    );
    const capabilities: Json[] = [];
    const instructions: string[] = [];
    const failed: string[] = [];
    for (const { name, response } of answers) {
      if ("error" in response) {
        failed.push(name);
        this.options.onServerError?.(name, "initialize", response.error);
        continue;
      }
      if (isPlainObject(response.result["capabilities"])) capabilities.push(response.result["capabilities"]);
      const text = response.result["instructions"];
      if (typeof text === "string" && text.trim() !== "") instructions.push(`${name}: ${text.trim()}`);
    }
    const result: Json = {
      protocolVersion: negotiatedVersion,
      capabilities: mergeCapabilities(capabilities),
      serverInfo: this.options.serverInfo,
    };
    if (instructions.length > 0) result["instructions"] = instructions.join("\n\n");
    return { response: ok(request, result), failed };
  }

  private async discover(request: JsonRpcRequest, channel: ClientChannel | undefined, signal?: AbortSignal): Promise<JsonRpcResponse> {
    const answers = await this.each(request, channel, signal);
    const capabilities: Json[] = [];
    for (const { response } of answers) {
      if ("result" in response && isPlainObject(response.result["capabilities"])) capabilities.push(response.result["capabilities"]);
    }
    return ok(request, {
      supportedVersions: [MODERN_REVISION],
      capabilities: mergeCapabilities(capabilities),
      resultType: "complete",
      ttlMs: 0,
      cacheScope: "private",
      _meta: { [META.serverInfo]: this.options.serverInfo },
    });
  }

  private async list(request: JsonRpcRequest, channel: ClientChannel | undefined, signal?: AbortSignal): Promise<JsonRpcResponse> {
    const view = LIST_VIEWS[request.method]!;
    const { cursor: _ignored, ...params } = request.params ?? {};
    const perServer = await Promise.all(
      [...this.ports].map(async ([name, port]) => {
        const items: unknown[] = [];
        let cursor: unknown;
        let ttlMs: number | undefined;
        let isPublic = true;
        for (let page = 0; page < MAX_PAGES; page++) {
          const pageParams = cursor === undefined ? params : { ...params, cursor };
          const response = await port.call({ jsonrpc: "2.0", id: request.id, method: request.method, params: pageParams }, channel, signal);
          if ("error" in response) {
            this.options.onServerError?.(name, request.method, response.error);
            break;
          }
          const result = response.result;
          const list = result[view.key];
          if (Array.isArray(list)) items.push(...list.map((item) => (isPlainObject(item) ? view.item(name)(item) : item)));
          if (typeof result["ttlMs"] === "number") ttlMs = Math.min(ttlMs ?? Infinity, result["ttlMs"]);
          if (result["cacheScope"] !== "public") isPublic = false;
          cursor = result["nextCursor"];
          if (typeof cursor !== "string" || cursor === "") break;
        }
        return { items, ttlMs, isPublic };
      }),
    );
    const result: Json = { [view.key]: perServer.flatMap((s) => s.items) };
    if (this.options.era === "modern") {
      result["resultType"] = "complete";
      result["ttlMs"] = perServer.reduce((min, s) => Math.min(min, s.ttlMs ?? 0), Infinity);
      if (result["ttlMs"] === Infinity) result["ttlMs"] = 0;
      result["cacheScope"] = perServer.length > 0 && perServer.every((s) => s.isPublic) ? "public" : "private";
      result["_meta"] = { [META.serverInfo]: this.options.serverInfo };
    }
    return ok(request, result);
  }

  private async routeByName(request: JsonRpcRequest, params: Json, channel: ClientChannel | undefined, signal?: AbortSignal): Promise<JsonRpcResponse> {
    const name = params["name"];
    const split = typeof name === "string" ? splitName(name) : undefined;
    const port = split === undefined ? undefined : this.ports.get(split.server);
    if (split === undefined || port === undefined) {
      const what = request.method === "tools/call" ? "Tool" : "Prompt";
      return errorResponse(request.id, JsonRpcErrorCode.InvalidParams, `${what} ${String(name)} not found`);
    }
    return this.forward(port, request, { ...params, name: split.name }, channel, signal);
  }

  private async routeByUri(request: JsonRpcRequest, params: Json, channel: ClientChannel | undefined, signal?: AbortSignal): Promise<JsonRpcResponse> {
    const uri = params["uri"];
    const unwrapped = typeof uri === "string" ? unwrapUri(uri) : undefined;
    const port = unwrapped === undefined ? undefined : this.ports.get(unwrapped.server);
    if (unwrapped === undefined || port === undefined) {
      return errorResponse(request.id, JsonRpcErrorCode.InvalidParams, `Resource ${String(uri)} not found`, { uri });
    }
    return this.forward(port, request, { ...params, uri: unwrapped.uri }, channel, signal);
  }

  private async complete(request: JsonRpcRequest, params: Json, channel: ClientChannel | undefined, signal?: AbortSignal): Promise<JsonRpcResponse> {
    const ref = params["ref"];
    if (isPlainObject(ref) && ref["type"] === "ref/prompt" && typeof ref["name"] === "string") {
      const split = splitName(ref["name"]);
      const port = split && this.ports.get(split.server);
      if (split && port) return this.forward(port, request, { ...params, ref: { ...ref, name: split.name } }, channel, signal);
    }
    if (isPlainObject(ref) && ref["type"] === "ref/resource" && typeof ref["uri"] === "string") {
      const unwrapped = unwrapUri(ref["uri"]);
      const port = unwrapped && this.ports.get(unwrapped.server);
      if (unwrapped && port) return this.forward(port, request, { ...params, ref: { ...ref, uri: unwrapped.uri } }, channel, signal);
    }
    return errorResponse(request.id, JsonRpcErrorCode.InvalidParams, "completion/complete: unknown prompt or resource reference");
  }

  private async fanOut(request: JsonRpcRequest, channel: ClientChannel | undefined, signal?: AbortSignal): Promise<JsonRpcResponse> {
    await this.each(request, channel, signal);
    return ok(request, {});
  }

  private async each(request: JsonRpcRequest, channel: ClientChannel | undefined, signal?: AbortSignal) {
    return Promise.all(
      [...this.ports].map(async ([name, port]) => {
        const response = await port.call(request, channel, signal);
        if ("error" in response) this.options.onServerError?.(name, request.method, response.error);
        return { name, response };
      }),
    );
  }

  private async forward(port: McpPort, request: JsonRpcRequest, params: Json, channel: ClientChannel | undefined, signal?: AbortSignal): Promise<JsonRpcResponse> {
    const response = await port.call({ ...request, params }, channel, signal);
    if ("error" in response) return response;
    return { ...response, result: viewResult(port.serverName, request.method, response.result) };
  }

  private methodNotFound(request: JsonRpcRequest): JsonRpcResponse {
    return errorResponse(request.id, JsonRpcErrorCode.MethodNotFound, `Method not found: ${request.method}`);
  }
}
