import type { JsonRpcNotification, JsonRpcRequest, JsonRpcResponse } from "../jsonrpc.js";

/** The methods whose effect lives in the upstream's session state and so must be replayed. */
const SESSION_METHODS = new Set(["initialize", "logging/setLevel", "resources/subscribe", "resources/unsubscribe"]);

/**
 * Remembers what a client did to set up its MCP session (2025-11-25 era: initialize, then
 * notifications/initialized, log level, resource subscriptions) so a fresh upstream (a restarted
 * child, a new SSE stream, an HTTP session the server forgot) can be brought to the same state
 * before anything else is relayed. The stateless 2026-07-28 era records nothing.
 */
export interface SessionReplay {
  /** True for requests whose successful answer changes session state (watch their answers). */
  tracks(method: string): boolean;
  /** Records the answer to a tracked request; only successes change anything. */
  answered(request: JsonRpcRequest, response: JsonRpcResponse): void;
  /** Records a client notification (only notifications/initialized matters). */
  notified(notification: JsonRpcNotification): void;
  /** What to send to a fresh upstream, in order; `newId` names each replayed request. */
  script(newId: () => string): ReplayScript;
  /** The protocol version the upstream agreed to at initialize, if any. */
  readonly protocolVersion: string | undefined;
}

export interface ReplayScript {
  initialize: JsonRpcRequest | undefined;
  initialized: JsonRpcNotification | undefined;
  /** Requests restoring session state; answers are awaited but failures are only logged. */
  state: JsonRpcRequest[];
}

export function createSessionReplay(): SessionReplay {
  let initialize: JsonRpcRequest | undefined;
  let protocolVersion: string | undefined;
  let initialized: JsonRpcNotification | undefined;
  let logLevel: JsonRpcRequest | undefined;
  const subscriptions = new Map<string, JsonRpcRequest>();

  return {
    tracks: (method) => SESSION_METHODS.has(method),
    answered(request, response) {
      if (!("result" in response)) return;
      switch (request.method) {
        case "initialize":
          // A new handshake starts a new session: whatever was set up before is gone.
          initialize = request;
          initialized = undefined;
          logLevel = undefined;
          subscriptions.clear();
          protocolVersion = typeof response.result.protocolVersion === "string" ? response.result.protocolVersion : undefined;
          break;
        case "logging/setLevel":
          logLevel = request;
          break;
        case "resources/subscribe":
        case "resources/unsubscribe": {
          const uri = request.params?.uri;
          if (typeof uri !== "string") break;
          if (request.method === "resources/subscribe") subscriptions.set(uri, request);
          else subscriptions.delete(uri);
          break;
        }
      }
    },
    notified(notification) {
      if (notification.method === "notifications/initialized" && initialize) initialized = notification;
    },
    script(newId) {
      if (!initialize) return { initialize: undefined, initialized: undefined, state: [] };
      const state = [logLevel, ...subscriptions.values()]
        .filter((r): r is JsonRpcRequest => r !== undefined)
        .map((r) => ({ ...r, id: newId() }));
      return { initialize: { ...initialize, id: newId() }, initialized, state };
    },
    get protocolVersion() {
      return protocolVersion;
    },
  };
}
