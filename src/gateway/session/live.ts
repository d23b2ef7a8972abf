import type { Aggregator } from "../aggregate/aggregator.js";
import { viewNotificationParams } from "../aggregate/view.js";
import { type JsonRpcId, type JsonRpcNotification, type JsonRpcRequest, type JsonRpcResponse } from "../jsonrpc.js";
import type { GatewayLogger } from "../logger.js";
import { isPlainObject } from "../modern/envelope.js";
import type { ClientChannel, GetStreamChannel, PostExchange } from "../relay/channel.js";
import type { LinkOwner, UpstreamLink } from "../relay/link.js";
import { ParkedMessages } from "../relay/parking.js";
import { ServerRequestBroker, type AnswerFilter } from "../relay/server-requests.js";
import type { SessionRecord } from "./store.js";

/** Spare abort controllers one session keeps (its calls in flight at once, usually one). */
const MAX_SPARE_CONTROLLERS = 8;

/** What a session relays to: one server as it is, or the aggregated view of all of them. */
export type SessionBackend = { kind: "server"; link: UpstreamLink } | { kind: "aggregate"; aggregator: Aggregator; links: UpstreamLink[] };

/**
 * The live half of a 2025-11-25 session on this replica: its upstream connection(s), its open
 * streams, the calls in flight and the server requests awaiting the client's answer.
 */
export class LiveSession implements LinkOwner {
  readonly record: SessionRecord;
  private backend: SessionBackend | undefined;
  private readonly logger: GatewayLogger;
  private readonly onEnd: (session: LiveSession, reason: string) => void;
  private getStream: GetStreamChannel | undefined;
  /** Open POST replies, oldest first. */
  private readonly exchanges = new Set<PostExchange>();
  private readonly inflight = new Map<JsonRpcId, AbortController>();
  /**
   * Controllers of finished single-server calls that were never aborted, used again: making an
   * AbortSignal costs ~7 us per call. Safe because the one thing that listens to a call's signal
   * (upstream/pending.ts) stops listening when the call ends, by answer, timeout or cancellation.
   */
  private readonly spareControllers: AbortController[] = [];
  private readonly broker = new ServerRequestBroker();
  /** Server messages waiting (briefly) for the client to open a stream. */
  private readonly parked = new ParkedMessages(2_000, 64);
  private ended = false;

  constructor(record: SessionRecord, logger: GatewayLogger, onEnd: (session: LiveSession, reason: string) => void) {
    this.record = record;
    this.logger = logger;
    this.onEnd = onEnd;
  }

  get id(): string {
    return this.record.id;
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** Whether the session is doing something now (a call in flight, an open GET stream): not idle. */
  get busy(): boolean {
    return this.inflight.size > 0 || (this.getStream?.open ?? false);
  }

  attach(backend: SessionBackend): void {
    this.backend = backend;
  }

  /** Relays one client request and writes its result to `exchange`. */
  async request(request: JsonRpcRequest, exchange: PostExchange): Promise<void> {
    const backend = this.backend;
    if (backend === undefined || this.ended) {
      exchange.abandon();
      return;
    }
    // Only a single-server call is sure to have ended upstream when it returns (an aggregated
    // answer may leave calls behind), so only its controller can be used again.
    const reusable = backend.kind === "server";
    const controller = (reusable ? this.spareControllers.pop() : undefined) ?? new AbortController();
    this.inflight.set(request.id, controller);
    this.exchanges.add(exchange);
    try {
      const response =
        backend.kind === "server"
          ? await backend.link.call(request, exchange, controller.signal)
          : await backend.aggregator.request(request, exchange, controller.signal);
      exchange.finish(response, request.method);
    } finally {
      this.exchanges.delete(exchange);
      if (this.inflight.get(request.id) === controller) this.inflight.delete(request.id);
      if (reusable && !controller.signal.aborted && this.spareControllers.length < MAX_SPARE_CONTROLLERS) this.spareControllers.push(controller);
    }
  }

  /** A client notification: cancellations abort the call they name; the rest go upstream. */
  async notification(notification: JsonRpcNotification): Promise<void> {
    if (notification.method === "notifications/cancelled") {
      const requestId = notification.params?.["requestId"];
      if (typeof requestId === "string" || typeof requestId === "number") this.inflight.get(requestId)?.abort(notification.params?.["reason"]);
      return;
    }
    const backend = this.backend;
    if (backend?.kind === "server") await backend.link.notify(notification);
    else if (backend?.kind === "aggregate") await backend.aggregator.notify(notification);
  }

  /** The client's answer to a server request; false when it answers nothing we sent. */
  response(response: JsonRpcResponse, filter: AnswerFilter): boolean {
    return this.broker.answer(response, filter);
  }

  /** One standalone GET stream per session. */
  get canAttachGetStream(): boolean {
    return !this.ended && !(this.getStream?.open ?? false);
  }

  attachGetStream(stream: GetStreamChannel): void {
    this.getStream = stream;
    this.parked.flush(stream);
  }

  /** Where a message that belongs to no call goes: the GET stream, else the newest open POST reply. */
  private defaultChannel(): ClientChannel | undefined {
    if (this.getStream?.open) return this.getStream;
    let newest: PostExchange | undefined;
    for (const exchange of this.exchanges) if (exchange.open) newest = exchange;
    return newest;
  }

  onServerRequest(link: UpstreamLink, request: JsonRpcRequest, channel: ClientChannel | undefined): void {
    const target = channel?.open ? channel : this.defaultChannel();
    if (target !== undefined) this.broker.forward(link, request, target);
    else this.parked.park((stream) => this.broker.forward(link, request, stream), () => this.broker.forward(link, request, undefined));
  }

  onUnrelatedNotification(link: UpstreamLink, notification: JsonRpcNotification): void {
    let message = notification;
    if (notification.method === "notifications/cancelled") {
      // The server gave up on a request it sent the client: name it by the id the client knows.
      const upstreamId = notification.params?.["requestId"];
      const clientId = typeof upstreamId === "string" || typeof upstreamId === "number" ? this.broker.clientIdOf(link, upstreamId) : undefined;
      if (clientId === undefined) return;
      this.broker.forget(clientId);
      message = { ...notification, params: { ...notification.params, requestId: clientId } };
    } else if (this.backend?.kind === "aggregate") {
      const params = viewNotificationParams(link.serverName, notification.method, isPlainObject(notification.params) ? notification.params : undefined);
      if (params !== notification.params) message = { ...notification, params: params! };
    }
    const target = this.defaultChannel();
    if (target !== undefined) target.deliver(message);
    else this.parked.park((stream) => stream.deliver(message), () => undefined);
  }

  onClosed(link: UpstreamLink, reason: string): void {
    this.broker.dropLink(link);
    if (this.backend?.kind === "server") {
      void this.end(`upstream ${link.serverName} closed: ${reason}`);
    } else {
      this.logger.warn({ session: this.id.slice(0, 8), server: link.serverName, reason }, "an upstream of an aggregated session closed");
    }
  }

  /** Ends the session: streams close, calls in flight are answered with an error, upstreams stop. */
  async end(reason: string): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    this.onEnd(this, reason);
    for (const controller of this.inflight.values()) controller.abort(reason);
    this.parked.expireAll();
    this.getStream?.end();
    for (const exchange of this.exchanges) exchange.abandon();
    const backend = this.backend;
    const links = backend === undefined ? [] : backend.kind === "server" ? [backend.link] : backend.links;
    await Promise.all(links.map((link) => link.close()));
  }
}
