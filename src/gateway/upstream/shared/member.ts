import type { Logger } from "pino";
import { JsonRpcErrorCode, errorResponse, type JsonRpcId, type JsonRpcNotification, type JsonRpcRequest, type JsonRpcResponse } from "../../jsonrpc.js";
import { isPlainObject } from "../../modern/envelope.js";
import { createConnectionListeners } from "../listeners.js";
import type { UpstreamConnection, UpstreamInitiated } from "../types.js";
import type { LogLevel } from "./log-levels.js";

/** One call of a member in flight on the shared upstream. */
export interface SharedCall {
  readonly member: SharedMember;
  /** The id the member (its session's link) gave the call. */
  readonly callerId: JsonRpcId;
  /** The member's own progress token, when it asked for progress. */
  callerToken?: string | number;
  /** Made only when the caller gave no signal of its own: leaving the hub must still cancel the call. */
  readonly controller?: AbortController;
}

/** What a member asks of the upstream it shares (shared-upstream.ts). */
export interface SharedHub {
  readonly serverName: string;
  initializeResult(): Record<string, unknown>;
  forward(member: SharedMember, request: JsonRpcRequest, options: { timeoutMs?: number; signal?: AbortSignal } | undefined): Promise<JsonRpcResponse>;
  setLevel(member: SharedMember, request: JsonRpcRequest): Promise<JsonRpcResponse>;
  subscribe(member: SharedMember, request: JsonRpcRequest): Promise<JsonRpcResponse>;
  unsubscribe(member: SharedMember, request: JsonRpcRequest): Promise<JsonRpcResponse>;
  /** Relays the member's answer to a server request it was given. */
  respond(member: SharedMember, response: JsonRpcResponse): Promise<void>;
  leave(member: SharedMember): void;
}

/**
 * One session's view of a shared upstream connection: an UpstreamConnection like a dedicated one,
 * so the session's link and relay do not know the difference. What is session state in MCP
 * (declared capabilities, log level, subscriptions, the server requests it was given) lives here;
 * the hub keeps the upstream's single copy consistent with all its members.
 */
export class SharedMember implements UpstreamConnection {
  readonly serverName: string;
  private readonly hub: SharedHub;
  private readonly listeners;
  /** The capabilities the session declared in its initialize (what it may be asked for). */
  private capabilities: Record<string, unknown> = {};
  /** The log level the session asked for; undefined: it did not ask (it gets what the server sends). */
  level: LogLevel | undefined;
  readonly calls = new Set<SharedCall>();
  readonly subscriptions = new Set<string>();
  /** Ids (the upstream's) of server requests this session was given and has not answered. */
  readonly serverRequests = new Set<JsonRpcId>();
  private left = false;

  constructor(hub: SharedHub, logger: Logger) {
    this.hub = hub;
    this.serverName = hub.serverName;
    this.listeners = createConnectionListeners(logger);
  }

  get hasLeft(): boolean {
    return this.left;
  }

  /** Whether the session declared the client capability `name` (sampling, elicitation, roots). */
  declares(name: string): boolean {
    return isPlainObject(this.capabilities[name]);
  }

  /** The member's only call in flight, if it has exactly one (a server request is likely its). */
  soleCall(): SharedCall | undefined {
    if (this.calls.size !== 1) return undefined;
    for (const call of this.calls) return call;
    return undefined;
  }

  // Not async: every branch already has a promise (or a value) to give, and this runs once per
  // call, so an async frame here would only add a promise and a tick.
  request(request: JsonRpcRequest, options?: { timeoutMs?: number; signal?: AbortSignal }): Promise<JsonRpcResponse> {
    if (this.left) return Promise.resolve(errorResponse(request.id, JsonRpcErrorCode.UpstreamUnavailable, `upstream server "${this.serverName}" was closed`));
    switch (request.method) {
      case "initialize": {
        // The upstream was initialized once, by the hub; each session keeps what it declared.
        const capabilities = request.params?.["capabilities"];
        this.capabilities = isPlainObject(capabilities) ? capabilities : {};
        return Promise.resolve({ jsonrpc: "2.0", id: request.id, result: this.hub.initializeResult() });
      }
      case "logging/setLevel":
        return this.hub.setLevel(this, request);
      case "resources/subscribe":
        return this.hub.subscribe(this, request);
      case "resources/unsubscribe":
        return this.hub.unsubscribe(this, request);
      default:
        return this.hub.forward(this, request, options);
    }
  }

  /**
   * Client notifications stop here: initialized was sent once by the hub, cancellation travels as
   * the call's abort signal, and roots are not offered to a shared upstream (they are one client's).
   */
  async notify(_notification: JsonRpcNotification): Promise<void> {}

  respond(response: JsonRpcResponse): Promise<void> {
    return this.hub.respond(this, response);
  }

  onInitiated(listener: (event: UpstreamInitiated) => void): () => void {
    return this.listeners.onInitiated(listener);
  }

  onClosed(listener: (reason: string) => void): () => void {
    return this.listeners.onClosed(listener);
  }

  /** A message for this session only; `related` is the member's id of the call it belongs to. */
  deliver(message: JsonRpcRequest | JsonRpcNotification, related: JsonRpcId | undefined): void {
    if (this.left) return;
    this.listeners.emitInitiated(related === undefined ? { message } : { message, relatedRequestId: related });
  }

  /** The session ends: its calls are cancelled upstream, its subscriptions and level released. */
  async close(): Promise<void> {
    if (this.left) return;
    this.left = true;
    this.hub.leave(this);
    this.listeners.emitClosed("closed");
  }

  /** The shared upstream ended for good (it kept crashing, or the gateway stops). */
  lost(reason: string): void {
    this.left = true;
    this.listeners.emitClosed(reason);
  }
}
