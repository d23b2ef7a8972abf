import type { JsonRpcNotification, JsonRpcRequest, JsonRpcResponse } from "../jsonrpc.js";
import type { ClientChannel } from "./channel.js";

/**
 * One upstream server as a route sees it: send a request (its related messages go to `channel`),
 * send a notification. A session's own connection and the shared stateless channel both are one.
 */
export interface McpPort {
  readonly serverName: string;
  /** Never rejects: failures come back as JSON-RPC error responses carrying the caller's id. */
  call(request: JsonRpcRequest, channel: ClientChannel | undefined, signal?: AbortSignal): Promise<JsonRpcResponse>;
  notify(notification: JsonRpcNotification): Promise<void>;
}
