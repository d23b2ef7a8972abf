import type { ShareMode } from "./shared/share-mode.js";
import type { JsonRpcId, JsonRpcNotification, JsonRpcRequest, JsonRpcResponse } from "../jsonrpc.js";

/** How one upstream MCP server is reached, as configured (`servers.NAME` in the config file). */
export type UpstreamConfig =
  | {
      kind: "stdio";
      command: string;
      args: string[];
      /** The only variables the child gets, besides PATH: never the gateway's own environment. */
      env: Record<string, string>;
      cwd?: string;
      requestTimeoutMs: number;
      /** Who may share one upstream connection (shared/share-mode.ts); "none" when absent. */
      share?: ShareMode;
      /** With share: ms a shared connection stays open after its last session ends (the factory's default when absent). */
      shareIdleCloseMs?: number;
    }
  | {
      kind: "http"; // Streamable HTTP
      url: string;
      /** Credentials of the gateway's own for this upstream (never the client's token). */
      headers: Record<string, string>;
      requestTimeoutMs: number;
      /** Who may share one upstream connection (shared/share-mode.ts); "none" when absent. */
      share?: ShareMode;
      /** With share: ms a shared connection stays open after its last session ends (the factory's default when absent). */
      shareIdleCloseMs?: number;
    }
  | {
      kind: "sse"; // legacy HTTP+SSE (2024-11-05)
      url: string;
      headers: Record<string, string>;
      requestTimeoutMs: number;
      /** Who may share one upstream connection (shared/share-mode.ts); "none" when absent. */
      share?: ShareMode;
      /** With share: ms a shared connection stays open after its last session ends (the factory's default when absent). */
      shareIdleCloseMs?: number;
    };

/** A message the upstream sends on its own initiative. */
export interface UpstreamInitiated {
  message: JsonRpcRequest | JsonRpcNotification;
  /** The client request this message belongs to, where the transport tells (an HTTP response stream). */
  relatedRequestId?: JsonRpcId;
}

/**
 * One logical MCP connection to an upstream server: what a downstream session talks through.
 * Requests never hang and never reject: a crash, a closed connection or a timeout resolves them
 * with a JSON-RPC error response (codes in jsonrpc.ts), promptly.
 */
export interface UpstreamConnection {
  readonly serverName: string;
  request(request: JsonRpcRequest, options?: { timeoutMs?: number; signal?: AbortSignal }): Promise<JsonRpcResponse>;
  notify(notification: JsonRpcNotification): Promise<void>;
  /** Answers a request the upstream sent (sampling, elicitation, roots/list). */
  respond(response: JsonRpcResponse): Promise<void>;
  /** Subscribes to requests and notifications the upstream sends; returns an unsubscribe. */
  onInitiated(listener: (event: UpstreamInitiated) => void): () => void;
  /** Called once when the connection ends for good (closed, or a child that will not be restarted). */
  onClosed(listener: (reason: string) => void): () => void;
  close(): Promise<void>;
}

/** Opens connections to one configured server (a stdio child per connection, an HTTP session, ...). */
export interface UpstreamFactory {
  readonly serverName: string;
  readonly config: UpstreamConfig;
  /**
   * A connection for one downstream session. With `tenant` and a `share` mode other than none,
   * a connection shared with the other sessions that mode allows (same principal, or all) that
   * asked for the same protocol version; otherwise one of its own.
   */
  open(tenant?: UpstreamTenant): Promise<UpstreamConnection>;
  /** Closes every connection it opened (graceful shutdown). */
  closeAll(): Promise<void>;
}

/** Who a 2025-11-25 session's connection is for: what decides which sessions may share one. */
export interface UpstreamTenant {
  /** The principal that opened the session (its id, as sessions are bound to it). */
  principal: string;
  /** The protocol version the client asked for in its initialize. */
  protocolVersion: string;
}
