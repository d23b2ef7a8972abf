import { JsonRpcErrorCode, errorResponse, type JsonRpcNotification, type JsonRpcRequest, type JsonRpcResponse } from "../jsonrpc.js";
import type { GatewayLogger } from "../logger.js";
import type { ClientChannel } from "../relay/channel.js";
import { UpstreamLink, type LinkOwner } from "../relay/link.js";
import type { McpPort } from "../relay/port.js";
import type { UpstreamFactory } from "../upstream/types.js";
import { BRIDGEABLE_METHODS, discoverFromInitialize, toModernError, toModernResult, withoutEnvelope } from "./bridge.js";
import { META, MODERN_REVISION, isPlainObject } from "./envelope.js";
import { scanParamHeaders, type ParamHeaderDeclaration } from "./param-headers.js";

type Ready =
  | { mode: "modern"; link: UpstreamLink }
  | { mode: "bridge"; link: UpstreamLink; initialize: Record<string, unknown> }
  | { mode: "failed"; reason: string; at: number };

export interface ModernChannelOptions {
  logger: GatewayLogger;
  clientInfo: { name: string; version: string };
  now: () => number;
  /** How long the server/discover probe may take before the server is taken for a 2025-era one. */
  probeTimeoutMs: number;
  /** After a failed start, calls fail fast for this long instead of starting the server again. */
  retryAfterMs: number;
}

const LEGACY_VERSION = "2025-11-25";
/** Bounds on the tool-schema cache: entries held, pages read per listing. */
const MAX_TOOLS = 10_000;
const MAX_PAGES = 64;

/**
 * One server's stateless (2026-07-28) channel, shared by every caller: the revision keeps no
 * session, so one upstream connection serves all. On first use it asks the server `server/discover`:
 * a 2026-07-28 server gets requests as they are; any other is initialized once as a 2025-era
 * server and each request is translated (modern/bridge.ts).
 */
export class ModernChannel implements McpPort, LinkOwner {
  readonly serverName: string;
  private readonly factory: UpstreamFactory;
  private readonly options: ModernChannelOptions;
  private ready: Promise<Ready> | undefined;
  private closed = false;
  /** Per tool, its Mcp-Param header declarations, from the server's tools/list. */
  private readonly paramHeaderCache = new Map<string, ParamHeaderDeclaration[]>();
  private toolsListedAt = -Infinity;
  private listing: Promise<void> | undefined;

  constructor(serverName: string, factory: UpstreamFactory, options: ModernChannelOptions) {
    this.serverName = serverName;
    this.factory = factory;
    this.options = options;
  }

  async call(request: JsonRpcRequest, channel: ClientChannel | undefined, signal?: AbortSignal): Promise<JsonRpcResponse> {
    const state = await this.start();
    if (state.mode === "failed") {
      return errorResponse(request.id, JsonRpcErrorCode.UpstreamUnavailable, `upstream ${this.serverName} is unavailable: ${state.reason}`);
    }
    if (state.mode === "modern") return this.observe(request.method, await state.link.call(request, channel, signal));
    if (request.method === "server/discover") {
      return { jsonrpc: "2.0", id: request.id, result: discoverFromInitialize(state.initialize) };
    }
    if (!BRIDGEABLE_METHODS.has(request.method)) {
      return errorResponse(request.id, JsonRpcErrorCode.MethodNotFound, `Method not found: ${request.method}`);
    }
    const response = this.observe(request.method, await state.link.call(withoutEnvelope(request), channel, signal));
    if ("error" in response) return toModernError(response);
    return { ...response, result: toModernResult(request.method, response.result, state.initialize["serverInfo"]) };
  }

  /**
   * The Mcp-Param header declarations of one tool, from what tools/list said. A tool not seen yet
   * makes the channel list the server's tools, at most once per `retryAfterMs`.
   */
  async paramHeaders(tool: string): Promise<readonly ParamHeaderDeclaration[]> {
    const known = this.paramHeaderCache.get(tool);
    if (known !== undefined) return known;
    if (this.options.now() - this.toolsListedAt >= this.options.retryAfterMs) {
      this.listing ??= this.listTools().finally(() => (this.listing = undefined));
      await this.listing;
    }
    return this.paramHeaderCache.get(tool) ?? [];
  }

  private async listTools(): Promise<void> {
    this.toolsListedAt = this.options.now();
    const meta = { [META.protocolVersion]: MODERN_REVISION, [META.clientInfo]: this.options.clientInfo, [META.clientCapabilities]: {} };
    let cursor: unknown;
    for (let page = 0; page < MAX_PAGES; page++) {
      const params = cursor === undefined ? { _meta: meta } : { cursor, _meta: meta };
      const response = await this.call({ jsonrpc: "2.0", id: 0, method: "tools/list", params }, undefined);
      if ("error" in response) return;
      cursor = response.result["nextCursor"];
      if (typeof cursor !== "string" || cursor === "") return;
    }
  }

  /** Learns tool schemas from every tools/list answer that passes by. */
  private observe(method: string, response: JsonRpcResponse): JsonRpcResponse {
    if (method === "tools/list" && "result" in response && Array.isArray(response.result["tools"])) {
      for (const tool of response.result["tools"]) {
        if (!isPlainObject(tool) || typeof tool["name"] !== "string") continue;
        if (this.paramHeaderCache.size >= MAX_TOOLS && !this.paramHeaderCache.has(tool["name"])) break;
        this.paramHeaderCache.set(tool["name"], scanParamHeaders(tool["inputSchema"]));
      }
    }
    return response;
  }

  /** Stateless: a notification has no session to belong to, so none is relayed. */
  async notify(_notification: JsonRpcNotification): Promise<void> {}

  async close(): Promise<void> {
    this.closed = true;
    const state = this.ready === undefined ? undefined : await this.ready;
    this.ready = undefined;
    if (state !== undefined && state.mode !== "failed") await state.link.close();
  }

  onServerRequest(link: UpstreamLink, request: JsonRpcRequest): void {
    // 2026-07-28 has no server-to-client requests outside input_required results.
    void link.respond(request.id, errorResponse(request.id, JsonRpcErrorCode.MethodNotFound, `${request.method} is not relayed to stateless clients`));
  }

  onUnrelatedNotification(_link: UpstreamLink, notification: JsonRpcNotification): void {
    // No session, so no stream to carry it: dropped. A changed tool list forgets the schemas learnt.
    if (notification.method === "notifications/tools/list_changed") {
      this.paramHeaderCache.clear();
      this.toolsListedAt = -Infinity;
    }
  }

  onClosed(link: UpstreamLink, reason: string): void {
    this.options.logger.warn({ server: this.serverName, reason }, "stateless upstream connection closed");
    void this.ready?.then((state) => {
      if (state.mode !== "failed" && state.link === link) this.ready = undefined;
    });
  }

  private async start(): Promise<Ready> {
    const current = this.ready;
    if (current !== undefined) {
      const state = await current;
      if (state.mode !== "failed" || this.options.now() - state.at < this.options.retryAfterMs) return state;
      if (this.ready !== current) return this.start(); // another caller is already retrying
    }
    if (this.closed) return { mode: "failed", reason: "the gateway is shutting down", at: this.options.now() };
    this.ready = this.open();
    return this.ready;
  }

  private async open(): Promise<Ready> {
    const clientInfo = this.options.clientInfo;
    let link: UpstreamLink | undefined;
    try {
      link = new UpstreamLink(this.serverName, await this.factory.open(), this);
      const probe = await link.call(
        {
          jsonrpc: "2.0",
          id: 0,
          method: "server/discover",
          params: { _meta: { [META.protocolVersion]: MODERN_REVISION, [META.clientInfo]: clientInfo, [META.clientCapabilities]: {} } },
        },
        undefined,
        AbortSignal.timeout(this.options.probeTimeoutMs),
      );
      const versions = "result" in probe ? probe.result["supportedVersions"] : undefined;
      if (Array.isArray(versions) && versions.includes(MODERN_REVISION)) {
        this.options.logger.info({ server: this.serverName }, "upstream speaks 2026-07-28: stateless requests pass through");
        return { mode: "modern", link };
      }
      // A server that did not answer, or answered oddly, may have wedged or exited: start afresh.
      if (!("error" in probe) || probe.error.code !== JsonRpcErrorCode.MethodNotFound || link.isClosed) {
        await link.close();
        link = new UpstreamLink(this.serverName, await this.factory.open(), this);
      }
      const init = await link.call(
        { jsonrpc: "2.0", id: 0, method: "initialize", params: { protocolVersion: LEGACY_VERSION, capabilities: {}, clientInfo } },
        undefined,
      );
      if ("error" in init || !isPlainObject(init.result)) {
        throw new Error("error" in init ? init.error.message : "initialize returned no result");
      }
      await link.notify({ jsonrpc: "2.0", method: "notifications/initialized" });
      this.options.logger.info({ server: this.serverName }, "upstream speaks 2025-era MCP: stateless requests are bridged");
      return { mode: "bridge", link, initialize: init.result };
    } catch (error) {
      await link?.close();
      const reason = (error as Error).message;
      this.options.logger.warn({ server: this.serverName, reason }, "could not start the stateless upstream connection");
      return { mode: "failed", reason, at: this.options.now() };
    }
  }
}
