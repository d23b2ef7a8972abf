import type { ServerResponse } from "node:http";
import { sendJson } from "../http/reply.js";
import { SseStream } from "../http/sse.js";
import type { JsonRpcMessage, JsonRpcNotification, JsonRpcRequest, JsonRpcResponse } from "../jsonrpc.js";

/**
 * The server-to-client steps of the pipeline for one HTTP request (namespacing is done before,
 * by the route; this masks, audits and serializes): a message in, the JSON text to write out.
 * `answering` is the method of the request a response answers. Undefined: the message may not be
 * sent (it could not be masked) and is dropped.
 */
export type Outbound = (message: JsonRpcMessage, answering?: string) => string | undefined;

/** The queue of a channel with nothing waiting (shared: a reply made per call need not allocate one). */
const IDLE: Promise<void> = Promise.resolve();

/** Somewhere messages for the client can be written: a POST's response, or the GET stream. */
export interface ClientChannel {
  readonly open: boolean;
  /** A request or notification for the client. */
  deliver(message: JsonRpcRequest | JsonRpcNotification): void;
}

/**
 * Whether the credential a long-lived stream was opened with is still good (re-authenticates the
 * stream's request). Never rejects: any doubt is false.
 */
export type StillAllowed = () => Promise<boolean>;

/**
 * The reply to one POSTed request. It stays a plain JSON response unless a message for the client
 * (progress, logging, a sampling request) arrives before the result; then it becomes an SSE stream
 * and the result is its last event. Most calls take the cheap JSON path.
 */
export class PostExchange implements ClientChannel {
  private readonly res: ServerResponse;
  private readonly headers: Record<string, string>;
  private readonly outbound: Outbound;
  private readonly stillAllowed: StillAllowed | undefined;
  private queue: Promise<void> = IDLE;
  private sse: SseStream | undefined;
  private finished = false;
  /** finish() was called and the result waits in the queue behind the messages before it. */
  private finishing = false;

  /** `stillAllowed`: for a reply that stays open for long (a 2026-07-28 listen stream), as GetStreamChannel's. */
  constructor(res: ServerResponse, headers: Record<string, string>, outbound: Outbound, stillAllowed?: StillAllowed) {
    this.res = res;
    this.headers = headers;
    this.outbound = outbound;
    this.stillAllowed = stillAllowed;
  }

  get open(): boolean {
    return !this.finished && !this.res.destroyed && !this.res.writableEnded;
  }

  setHeader(name: string, value: string): void {
    this.headers[name] = value;
  }

  deliver(message: JsonRpcRequest | JsonRpcNotification): void {
    if (!this.open || this.finishing) return;
    const stillAllowed = this.stillAllowed;
    if (stillAllowed === undefined) return this.write(message);
    this.queue = this.queue.then(async () => {
      if (!this.open) return;
      if (await stillAllowed().catch(() => false)) this.write(message);
      else this.refuse();
    });
  }

  private write(message: JsonRpcRequest | JsonRpcNotification): void {
    const json = this.outbound(message);
    if (json === undefined) return;
    this.sse ??= new SseStream(this.res, this.headers);
    this.sse.send(json);
  }

  /** The credential stopped being good while the reply was open: it ends here, without a result. */
  private refuse(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.sse) this.sse.end();
    else if (!this.res.headersSent) sendJson(this.res, 401, JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32001, message: "The credential is no longer valid" } }), this.headers);
  }

  /** Writes the result (or error) for the request and ends the reply. `status` applies to a JSON reply only. */
  finish(response: JsonRpcResponse, answering: string | undefined, status = 200): void {
    if (this.finished || this.finishing) return;
    if (this.stillAllowed !== undefined) {
      // After the messages still waiting for their credential check, in order; nothing delivered
      // from now on is sent (as with a reply finished at once).
      this.finishing = true;
      const stillAllowed = this.stillAllowed;
      this.queue = this.queue.then(async () => {
        if (!this.open) return;
        if (await stillAllowed().catch(() => false)) this.finishNow(response, answering, status);
        else this.refuse();
      });
      return;
    }
    this.finishNow(response, answering, status);
  }

  private finishNow(response: JsonRpcResponse, answering: string | undefined, status: number): void {
    this.finished = true;
    if (this.res.destroyed) return;
    // A response always masks to something (an error when the result must be withheld).
    const json = this.outbound(response, answering) ?? JSON.stringify({ jsonrpc: "2.0", id: response.id, error: { code: -32603, message: "withheld" } });
    if (this.sse) {
      this.sse.send(json);
      this.sse.end();
    } else {
      sendJson(this.res, status, json, this.headers);
    }
  }

  /** Ends the reply without a result (the session ended under it). */
  abandon(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.sse) this.sse.end();
    else if (!this.res.headersSent) sendJson(this.res, 404, JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32001, message: "Session ended" } }), this.headers);
  }
}

/**
 * The standalone GET stream of a session: where messages that belong to no request go. It outlives
 * the request that authenticated it, so with `stillAllowed` every message first waits for the
 * credential to be checked again (in order): a key revoked, a user disabled or a token expired
 * while the stream is open ends the stream at its next message instead of leaking it.
 */
export class GetStreamChannel implements ClientChannel {
  private readonly stream: SseStream;
  private readonly outbound: Outbound;
  private readonly stillAllowed: StillAllowed | undefined;
  private queue: Promise<void> = IDLE;

  constructor(res: ServerResponse, headers: Record<string, string>, outbound: Outbound, stillAllowed?: StillAllowed) {
    this.stream = new SseStream(res, headers);
    this.outbound = outbound;
    this.stillAllowed = stillAllowed;
  }

  get open(): boolean {
    return this.stream.open;
  }

  deliver(message: JsonRpcRequest | JsonRpcNotification): void {
    if (!this.stream.open) return;
    const stillAllowed = this.stillAllowed;
    if (stillAllowed === undefined) return this.write(message);
    this.queue = this.queue.then(async () => {
      if (!this.stream.open) return;
      if (await stillAllowed().catch(() => false)) this.write(message);
      else this.stream.end();
    });
  }

  private write(message: JsonRpcRequest | JsonRpcNotification): void {
    const json = this.outbound(message);
    if (json !== undefined) this.stream.send(json);
  }

  end(): void {
    this.stream.end();
  }
}
