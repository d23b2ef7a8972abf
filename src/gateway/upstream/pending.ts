import { JsonRpcErrorCode, errorResponse } from "../jsonrpc.js";
import type { JsonRpcId, JsonRpcRequest, JsonRpcResponse } from "../jsonrpc.js";

/**
 * The code a call gets when its caller cancelled it (AbortSignal or notifications/cancelled).
 * Not in jsonrpc.ts on purpose: nobody should relay it, the client asked to hear nothing more.
 * -32800 is the value LSP uses for the same thing.
 */
export const REQUEST_CANCELLED_CODE = -32800;

/** Why a call ended without the upstream's answer; the caller decides what to tell upstream. */
export type EndReason = "timeout" | "cancelled";

export interface AddOptions {
  /** <= 0 or Infinity: no timeout (long-lived requests such as subscriptions/listen). */
  timeoutMs: number;
  signal?: AbortSignal;
  /**
   * Called once when the call ends by timeout or cancellation (not by an answer or failAll). It is
   * given the request, so one function can serve every call (no closure per call).
   */
  onEnded?: (reason: EndReason, request: JsonRpcRequest) => void;
}

interface Entry {
  request: JsonRpcRequest;
  resolve: (response: JsonRpcResponse) => void;
  timer: NodeJS.Timeout | undefined;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  onEnded: ((reason: EndReason, request: JsonRpcRequest) => void) | undefined;
}

/**
 * The calls in flight on one connection, by the id the client gave them. Every call ends exactly
 * once: with the upstream's answer, a timeout, a cancellation, or `failAll`.
 */
export interface PendingRequests {
  /**
   * Starts tracking a call. `tracked` is false when the call was answered at once instead (an id
   * already in flight, or a signal already aborted): then it must not be sent upstream.
   */
  add(request: JsonRpcRequest, options: AddOptions): { response: Promise<JsonRpcResponse>; tracked: boolean };
  /** Delivers an upstream answer; false when no call with that id is in flight. */
  settle(response: JsonRpcResponse): boolean;
  /** Ends one call with a gateway-made error (true if it was in flight); `onEnded` is not called. */
  fail(id: JsonRpcId, code: number, message: string, data?: unknown): boolean;
  /** Ends every call in flight with the same error. */
  failAll(code: number, message: string, data?: unknown): void;
  has(id: JsonRpcId): boolean;
  /** The method of a call in flight (for logs and replay bookkeeping). */
  method(id: JsonRpcId): string | undefined;
  readonly size: number;
}

export function createPendingRequests(serverName: string): PendingRequests {
  const entries = new Map<JsonRpcId, Entry>();

  function finish(id: JsonRpcId, response: JsonRpcResponse): Entry | undefined {
    const entry = entries.get(id);
    if (!entry) return undefined;
    entries.delete(id);
    if (entry.timer) clearTimeout(entry.timer);
    if (entry.signal && entry.onAbort) entry.signal.removeEventListener("abort", entry.onAbort);
    entry.resolve(response);
    return entry;
  }

  return {
    add(request, options) {
      const { id } = request;
      if (entries.has(id)) {
        const message = `a request with id ${JSON.stringify(id)} is already in flight`;
        return { response: Promise.resolve(errorResponse(id, JsonRpcErrorCode.InvalidRequest, message)), tracked: false };
      }
      if (options.signal?.aborted) {
        return { response: Promise.resolve(errorResponse(id, REQUEST_CANCELLED_CODE, "request cancelled")), tracked: false };
      }
      const response = new Promise<JsonRpcResponse>((resolve) => {
        const entry: Entry = { request, resolve, timer: undefined, signal: options.signal, onAbort: undefined, onEnded: options.onEnded };
        const timeoutMs = options.timeoutMs;
        if (timeoutMs > 0 && Number.isFinite(timeoutMs)) {
          entry.timer = setTimeout(() => {
            const ended = finish(
              id,
              errorResponse(id, JsonRpcErrorCode.UpstreamTimeout, `upstream server "${serverName}" did not answer within ${timeoutMs} ms`, {
                server: serverName,
                method: request.method,
                timeoutMs,
              }),
            );
            ended?.onEnded?.("timeout", request);
          }, timeoutMs);
        }
        if (options.signal) {
          // A plain function: Node 20 wraps a listener object's handleEvent in an async function.
          entry.onAbort = () => {
            const ended = finish(id, errorResponse(id, REQUEST_CANCELLED_CODE, "request cancelled"));
            ended?.onEnded?.("cancelled", request);
          };
          options.signal.addEventListener("abort", entry.onAbort, { once: true });
        }
        entries.set(id, entry);
      });
      return { response, tracked: true };
    },
    settle(response) {
      if (response.id === null) return false;
      return finish(response.id, response) !== undefined;
    },
    fail(id, code, message, data) {
      return finish(id, errorResponse(id, code, message, data)) !== undefined;
    },
    failAll(code, message, data) {
      for (const id of [...entries.keys()]) finish(id, errorResponse(id, code, message, data));
    },
    has(id) {
      return entries.has(id);
    },
    method(id) {
      return entries.get(id)?.request.method;
    },
    get size() {
      return entries.size;
    },
  };
}
