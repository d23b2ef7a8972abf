import { JsonRpcErrorCode, errorResponse, type JsonRpcId, type JsonRpcRequest, type JsonRpcResponse } from "../jsonrpc.js";
import type { ClientChannel } from "./channel.js";
import type { UpstreamLink } from "./link.js";

interface Pending {
  readonly link: UpstreamLink;
  readonly upstreamId: JsonRpcId;
  readonly method: string;
}

/** Prepares the client's answer for the server (restores PII tokens); `method` is what it answers. */
export type AnswerFilter = (response: JsonRpcResponse, method: string) => JsonRpcResponse;

/**
 * Requests servers send to the client (sampling, elicitation, roots/list). Each gets an id of the
 * session's own before it goes down, so requests from several servers cannot collide, and the
 * client's answer is routed back to the server that asked, under that server's id.
 */
export class ServerRequestBroker {
  private counter = 0;
  private readonly pending = new Map<string, Pending>();

  /** Sends `request` to the client on `channel`; with no channel open the server is answered with an error at once. */
  forward(link: UpstreamLink, request: JsonRpcRequest, channel: ClientChannel | undefined): void {
    if (channel === undefined || !channel.open) {
      void link.respond(
        request.id,
        errorResponse(request.id, JsonRpcErrorCode.InternalError, "the client has no open stream to receive this request"),
      );
      return;
    }
    const clientId = `s-${++this.counter}`;
    this.pending.set(clientId, { link, upstreamId: request.id, method: request.method });
    channel.deliver({ ...request, id: clientId });
  }

  /** Routes the client's answer; false when the id names no request the client was sent. */
  answer(response: JsonRpcResponse, filter: AnswerFilter): boolean {
    if (typeof response.id !== "string") return false;
    const pending = this.pending.get(response.id);
    if (pending === undefined) return false;
    this.pending.delete(response.id);
    void pending.link.respond(pending.upstreamId, filter(response, pending.method));
    return true;
  }

  /** The id the client knows a server's request by (for the server's own notifications/cancelled). */
  clientIdOf(link: UpstreamLink, upstreamId: JsonRpcId): string | undefined {
    for (const [clientId, pending] of this.pending) {
      if (pending.link === link && pending.upstreamId === upstreamId) return clientId;
    }
    return undefined;
  }

  forget(clientId: string): void {
    this.pending.delete(clientId);
  }

  /** The server went away: its unanswered requests are forgotten. */
  dropLink(link: UpstreamLink): void {
    for (const [clientId, pending] of this.pending) if (pending.link === link) this.pending.delete(clientId);
  }
}
