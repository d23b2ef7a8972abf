import { JsonRpcErrorCode, errorResponse, type JsonRpcId, type JsonRpcNotification, type JsonRpcRequest, type JsonRpcResponse } from "../jsonrpc.js";
import { META, isPlainObject, metaOf } from "../modern/envelope.js";
import type { UpstreamConnection } from "../upstream/types.js";
import type { ClientChannel } from "./channel.js";
import type { McpPort } from "./port.js";

/** What a link cannot route by itself: it asks its owner (a session, or the stateless channel). */
export interface LinkOwner {
  /** A request from the server (sampling, elicitation, roots/list); `channel` is its call's, if known. */
  onServerRequest(link: UpstreamLink, request: JsonRpcRequest, channel: ClientChannel | undefined): void;
  /** A notification that belongs to no call in flight (logging, list changes, server-side cancels). */
  onUnrelatedNotification(link: UpstreamLink, notification: JsonRpcNotification): void;
  onClosed(link: UpstreamLink, reason: string): void;
}

interface Call {
  readonly downstreamId: JsonRpcId;
  readonly channel: ClientChannel | undefined;
  readonly clientToken?: string | number;
}

/**
 * A relay over one upstream connection. Requests go up with ids of the link's own (clients' ids
 * may collide: several clients share a stateless channel, and a client may reuse ids), and come
 * back with the caller's id. Progress tokens are swapped the same way, so a server's progress and
 * related messages reach the HTTP response of the call they belong to.
 */
export class UpstreamLink implements McpPort {
  readonly serverName: string;
  private readonly connection: UpstreamConnection;
  private readonly owner: LinkOwner;
  private nextId = 0;
  private readonly calls = new Map<JsonRpcId, Call>();
  private readonly byToken = new Map<string, Call>();
  private readonly unsubscribe: Array<() => void>;
  private closed = false;

  constructor(serverName: string, connection: UpstreamConnection, owner: LinkOwner) {
    this.serverName = serverName;
    this.connection = connection;
    this.owner = owner;
    this.unsubscribe = [
      connection.onInitiated((event) => this.route(event.message, event.relatedRequestId)),
      connection.onClosed((reason) => {
        this.closed = true;
        this.owner.onClosed(this, reason);
      }),
    ];
  }

  get isClosed(): boolean {
    return this.closed;
  }

  async call(request: JsonRpcRequest, channel: ClientChannel | undefined, signal?: AbortSignal): Promise<JsonRpcResponse> {
    if (this.closed) return errorResponse(request.id, JsonRpcErrorCode.UpstreamUnavailable, `upstream ${this.serverName} is closed`);
    const id = ++this.nextId;
    let params = request.params;
    let call: Call = { downstreamId: request.id, channel };
    let token: string | undefined;
    const meta = metaOf(params);
    const clientToken = meta?.["progressToken"];
    if (typeof clientToken === "string" || typeof clientToken === "number") {
      token = `bastion-${id}`;
      call = { ...call, clientToken };
      params = { ...params, _meta: { ...meta, progressToken: token } };
      this.byToken.set(token, call);
    }
    this.calls.set(id, call);
    try {
      const upstreamRequest: JsonRpcRequest = params === undefined ? { jsonrpc: "2.0", id, method: request.method } : { jsonrpc: "2.0", id, method: request.method, params };
      const response = await this.connection.request(upstreamRequest, signal ? { signal } : undefined);
      return { ...response, id: request.id } as JsonRpcResponse;
    } catch (error) {
      // The contract says request() never rejects; if one does, the caller still gets an answer.
      return errorResponse(request.id, JsonRpcErrorCode.UpstreamUnavailable, `upstream ${this.serverName} failed: ${(error as Error).message}`);
    } finally {
      this.calls.delete(id);
      if (token !== undefined) this.byToken.delete(token);
    }
  }

  notify(notification: JsonRpcNotification): Promise<void> {
    if (this.closed) return Promise.resolve();
    return this.connection.notify(notification).catch(() => undefined);
  }

  /** Answers a request the server sent, under the id the server gave it. */
  respond(upstreamId: JsonRpcId, response: JsonRpcResponse): Promise<void> {
    if (this.closed) return Promise.resolve();
    return this.connection.respond({ ...response, id: upstreamId } as JsonRpcResponse).catch(() => undefined);
  }

  async close(): Promise<void> {
    for (const off of this.unsubscribe) off();
    this.closed = true;
    await this.connection.close().catch(() => undefined);
  }

  private route(message: JsonRpcRequest | JsonRpcNotification, relatedRequestId: JsonRpcId | undefined): void {
    if ("id" in message) {
      const call = relatedRequestId === undefined ? undefined : this.calls.get(relatedRequestId);
      this.owner.onServerRequest(this, message, call?.channel);
      return;
    }
    const params = message.params;
    if (message.method === "notifications/progress" && isPlainObject(params)) {
      const call = this.byToken.get(String(params["progressToken"]));
      if (call !== undefined) {
        call.channel?.deliver({ ...message, params: { ...params, progressToken: call.clientToken } });
        return;
      }
    }
    // 2026-07-28 listen streams stamp their notifications with the listen request's id.
    const meta = metaOf(params);
    const subscription = meta?.[META.subscriptionId];
    if (typeof subscription === "number" || typeof subscription === "string") {
      const call = this.calls.get(subscription);
      if (call !== undefined) {
        call.channel?.deliver({ ...message, params: { ...params, _meta: { ...meta, [META.subscriptionId]: call.downstreamId } } });
      }
      return;
    }
    if (relatedRequestId !== undefined) {
      const call = this.calls.get(relatedRequestId);
      if (call?.channel?.open) {
        call.channel.deliver(message);
        return;
      }
    }
    this.owner.onUnrelatedNotification(this, message);
  }
}
