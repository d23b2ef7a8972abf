import { randomBytes } from "node:crypto";
import type { Logger } from "pino";
import { JsonRpcErrorCode, errorResponse, isRequest, isResponse } from "../jsonrpc.js";
import type { JsonRpcId, JsonRpcMessage, JsonRpcNotification, JsonRpcRequest, JsonRpcResponse } from "../jsonrpc.js";
import { createAbortScope } from "./abort-scope.js";
import type { ScopedAbort } from "./abort-scope.js";
import { restartDelay } from "./backoff.js";
import { discardBody, mediaType, readBodyText } from "./http-body.js";
import { applyMessageHeaders, credentialHeaders, envelopeVersion } from "./http-headers.js";
import { createConnectionListeners } from "./listeners.js";
import { parseJsonRpcText } from "./message.js";
import type { ResolvedUpstreamDeps } from "./options.js";
import { REQUEST_CANCELLED_CODE, createPendingRequests } from "./pending.js";
import type { EndReason } from "./pending.js";
import { createSessionReplay } from "./replay.js";
import { createSseDecoder, readSseEvents } from "./sse-parser.js";
import type { ToolHeaderDeclarations } from "./tool-headers.js";
import type { UpstreamConnection } from "./types.js";

export interface StreamableHttpOptions {
  serverName: string;
  url: string;
  /** The gateway's own credentials for this upstream. The client's headers are never used. */
  headers: Readonly<Record<string, string>>;
  requestTimeoutMs: number;
  /** Tool `x-mcp-header` declarations learnt from tools/list, shared by the server's connections. */
  toolHeaders: ToolHeaderDeclarations;
  deps: ResolvedUpstreamDeps;
  logger: Logger;
}

/** How often a response stream that broke before its answer is resumed (Last-Event-ID). */
const MAX_RESUMPTIONS = 3;
/** Consecutive failures after which the GET stream for server messages is given up. */
const MAX_GET_STREAM_FAILURES = 5;
/** The longest wait for the DELETE that ends the upstream session on close. */
const DELETE_TIMEOUT_MS = 5_000;
/** Session ids are visible ASCII (0x21-0x7E), per the Streamable HTTP transport. */
const SESSION_ID = /^[\x21-\x7e]{1,1024}$/;

interface InFlight {
  abort: ScopedAbort;
  /** A 2026-07-28 request (revision in `_meta`): cancelled by closing its stream, not by notification. */
  modern: boolean;
}

/**
 * A Streamable HTTP client for one upstream MCP session: every message is a POST, answered with
 * JSON or with an SSE stream carrying the answer and anything the server sends about that
 * request (relatedRequestId); a GET stream carries the rest. It keeps the upstream's own session
 * id; when the upstream forgets the session (404), it replays the client's initialize and sends
 * the call again once. Redirects are never followed (they would carry the credentials elsewhere).
 */
export async function openStreamableHttpConnection(options: StreamableHttpOptions): Promise<UpstreamConnection> {
  const { serverName, requestTimeoutMs, deps, logger } = options;
  const url = new URL(options.url);
  const pending = createPendingRequests(serverName);
  const listeners = createConnectionListeners(logger);
  const replay = createSessionReplay();
  /** Every fetch of this connection, so close() stops them all. */
  const fetches = createAbortScope();
  /** Aborted on close: ends the waits between GET stream attempts. */
  const connectionAbort = new AbortController();
  const inFlight = new Map<JsonRpcId, InFlight>();
  const serverRequests = new Set<JsonRpcId>();
  let sessionId: string | undefined;
  /** The last revision a 2026-07-28 request claimed: notifications then carry it as a header. */
  let modernVersion: string | undefined;
  let closed = false;
  let closing: Promise<void> | undefined;
  let getStreamRunning = false;
  let reinitializing: Promise<void> | undefined;

  const fail = (id: JsonRpcId, why: string, data?: Record<string, unknown>) =>
    pending.fail(id, JsonRpcErrorCode.UpstreamUnavailable, `upstream server "${serverName}" ${why}`, { server: serverName, ...data });

  function baseHeaders(message: JsonRpcMessage | undefined): Headers {
    const headers = credentialHeaders(options.headers);
    const initializing = message !== undefined && "method" in message && message.method === "initialize";
    if (sessionId !== undefined && !initializing) headers.set("mcp-session-id", sessionId);
    if (message !== undefined && !initializing) applyMessageHeaders(headers, message, replay.protocolVersion ?? (isRequest(message) ? undefined : modernVersion));
    else if (message === undefined && replay.protocolVersion !== undefined) headers.set("mcp-protocol-version", replay.protocolVersion);
    return headers;
  }

  /** Delivers what the upstream sent: answers to their calls, the rest to the listeners. */
  function route(text: string, relatedRequestId: JsonRpcId | undefined): void {
    const { messages, invalid } = parseJsonRpcText(text);
    if (invalid > 0) logger.warn({ event: "upstream.invalid_output", sample: text.slice(0, 200) }, "upstream sent something that is not JSON-RPC; ignored");
    for (const message of messages) {
      if (isResponse(message)) {
        if (!pending.settle(message)) logger.debug({ event: "upstream.unmatched_response", id: message.id }, "answer for no call in flight");
        continue;
      }
      if (isRequest(message)) serverRequests.add(message.id);
      listeners.emitInitiated(relatedRequestId === undefined ? { message } : { message, relatedRequestId });
    }
  }

  /** POSTs one request and reads its answer (JSON or SSE) into the pending table. */
  async function exchange(request: JsonRpcRequest, flight: InFlight, retried: boolean): Promise<void> {
    const headers = baseHeaders(request);
    headers.set("content-type", "application/json");
    headers.set("accept", "application/json, text/event-stream");
    if (flight.modern) options.toolHeaders.apply(headers, request);
    const sentSession = headers.get("mcp-session-id");
    let response: Response;
    try {
      response = await fetch(url, {
        method: "POST",
        headers,
        body: JSON.stringify(request),
        redirect: "manual",
        signal: flight.abort.signal,
      });
    } catch (error) {
      fail(request.id, `could not be reached: ${causeOf(error)}`);
      return;
    }
    if (request.method === "initialize" && response.ok) {
      const offered = response.headers.get("mcp-session-id");
      if (offered !== null && !SESSION_ID.test(offered)) {
        await discardBody(response);
        fail(request.id, "offered a session id that is not visible ASCII");
        return;
      }
      sessionId = offered ?? undefined;
    }
    if (response.status === 404 && sentSession !== null && !retried && pending.has(request.id)) {
      await discardBody(response);
      try {
        await reinitialize(sentSession);
      } catch (error) {
        fail(request.id, `forgot the session and could not start a new one: ${causeOf(error)}`);
        return;
      }
      return exchange(request, flight, true);
    }
    if (!response.ok) {
      await answerHttpError(request, response);
      return;
    }
    const type = mediaType(response.headers.get("content-type"));
    try {
      if (type === "text/event-stream" && response.body) {
        await readResponseStream(request, response.body, flight, 0);
      } else if (type === "application/json") {
        route(await readBodyText(response, deps.maxMessageBytes), request.id);
        if (pending.has(request.id)) fail(request.id, "answered without a response to the request");
      } else {
        await discardBody(response);
        fail(request.id, `answered with an unexpected content type (${type || "none"})`);
      }
    } catch (error) {
      if (pending.has(request.id)) fail(request.id, `broke off the answer: ${causeOf(error)}`);
    }
  }

  /** An HTTP error: the upstream's own JSON-RPC error passes through unchanged, else ours. */
  async function answerHttpError(request: JsonRpcRequest, response: Response): Promise<void> {
    const { status } = response;
    if (status >= 300 && status < 400) {
      await discardBody(response);
      fail(request.id, `answered with a redirect (HTTP ${status}); redirects are not followed`, { status });
      return;
    }
    const text = await readBodyText(response, 64 * 1024).catch(() => "");
    if (status === 401 || status === 403) {
      // The operator's problem, not the client's: say so, and keep the upstream's challenge out.
      fail(request.id, `rejected the gateway's credentials (HTTP ${status})`, { status });
      return;
    }
    // The upstream's own JSON-RPC error for this POST (servers often give id null before they
    // could read the body) reaches the client unchanged, under the request's id.
    const { messages } = parseJsonRpcText(text);
    const [only] = messages;
    if (messages.length === 1 && only && "error" in only && (only.id === null || only.id === request.id)) {
      pending.settle({ ...only, id: request.id });
      return;
    }
    fail(request.id, `answered HTTP ${status}`, { status });
  }

  /** Reads an SSE answer stream; resumes it with Last-Event-ID if it breaks before the answer. */
  async function readResponseStream(request: JsonRpcRequest, body: ReadableStream<Uint8Array>, flight: InFlight, resumptions: number): Promise<void> {
    const decoder = createSseDecoder(deps.maxMessageBytes);
    let broken: unknown;
    try {
      for await (const event of readSseEvents(body, decoder)) {
        if (event.type === "message" && !event.empty) route(event.data, request.id);
      }
    } catch (error) {
      broken = error;
    }
    if (!pending.has(request.id) || flight.abort.signal.aborted || closed) return;
    const lastEventId = decoder.lastEventId;
    if (lastEventId === undefined || resumptions >= MAX_RESUMPTIONS) {
      fail(request.id, broken ? `broke off the answer stream: ${causeOf(broken)}` : "closed the answer stream before answering");
      return;
    }
    await sleep(Math.min(decoder.retryMs ?? deps.restart.initialDelayMs, deps.restart.maxDelayMs), flight.abort.signal);
    const headers = baseHeaders(undefined);
    headers.set("accept", "text/event-stream");
    headers.set("last-event-id", lastEventId);
    let resumed: Response;
    try {
      resumed = await fetch(url, { method: "GET", headers, redirect: "manual", signal: flight.abort.signal });
    } catch (error) {
      if (pending.has(request.id)) fail(request.id, `could not resume the answer stream: ${causeOf(error)}`);
      return;
    }
    if (!resumed.ok || mediaType(resumed.headers.get("content-type")) !== "text/event-stream" || !resumed.body) {
      await discardBody(resumed);
      fail(request.id, `could not resume the answer stream (HTTP ${resumed.status})`);
      return;
    }
    logger.debug({ event: "upstream.stream_resumed", id: request.id, resumptions: resumptions + 1 }, "resumed an answer stream");
    return readResponseStream(request, resumed.body, flight, resumptions + 1);
  }

  /** POSTs a notification or an answer; the upstream acknowledges with 202. */
  async function post(message: JsonRpcNotification | JsonRpcResponse): Promise<boolean> {
    const headers = baseHeaders(message);
    headers.set("content-type", "application/json");
    headers.set("accept", "application/json, text/event-stream");
    const handle = fetches.child(requestTimeoutMs);
    try {
      const response = await fetch(url, { method: "POST", headers, body: JSON.stringify(message), redirect: "manual", signal: handle.signal });
      await discardBody(response);
      if (response.ok) return true;
      logger.warn({ event: "upstream.post_rejected", status: response.status, method: "method" in message ? message.method : "response" }, "upstream refused a message");
    } catch (error) {
      if (!closed) logger.warn({ event: "upstream.post_failed", reason: causeOf(error) }, "could not deliver a message upstream");
    } finally {
      handle.done();
    }
    return false;
  }

  /** The GET stream for messages that belong to no request; reopened with backoff when it drops. */
  async function runGetStream(): Promise<void> {
    if (getStreamRunning || closed) return;
    getStreamRunning = true;
    let failures = 0;
    let lastEventId: string | undefined;
    try {
      while (!closed && failures < MAX_GET_STREAM_FAILURES) {
        const headers = baseHeaders(undefined);
        headers.set("accept", "text/event-stream");
        if (lastEventId !== undefined) headers.set("last-event-id", lastEventId);
        let received = false;
        const handle = fetches.child();
        try {
          const response = await fetch(url, { method: "GET", headers, redirect: "manual", signal: handle.signal });
          if (response.status === 405) {
            await discardBody(response);
            logger.debug({ event: "upstream.no_get_stream" }, "upstream offers no GET stream");
            return;
          }
          if (response.status === 404) {
            await discardBody(response);
            return; // the session is gone; the next call re-initializes and reopens the stream
          }
          if (response.ok && mediaType(response.headers.get("content-type")) === "text/event-stream" && response.body) {
            const decoder = createSseDecoder(deps.maxMessageBytes);
            for await (const event of readSseEvents(response.body, decoder)) {
              received = true;
              if (event.type === "message" && !event.empty) route(event.data, undefined);
            }
            lastEventId = decoder.lastEventId ?? lastEventId;
          } else {
            await discardBody(response);
            logger.warn({ event: "upstream.get_stream_refused", status: response.status }, "upstream refused the GET stream");
          }
        } catch (error) {
          if (closed) return;
          logger.debug({ event: "upstream.get_stream_broken", reason: causeOf(error) }, "GET stream broke");
        } finally {
          handle.done();
        }
        failures = received ? 0 : failures + 1;
        await sleep(restartDelay(Math.max(failures, 1), deps.restart, deps.random), connectionAbort.signal);
      }
      if (!closed) logger.warn({ event: "upstream.get_stream_gave_up", failures }, "gave up the GET stream for server messages");
    } finally {
      getStreamRunning = false;
    }
  }

  /** The upstream forgot our session: start a new one the way the client started its own. */
  function reinitialize(staleSession: string): Promise<void> {
    if (sessionId !== staleSession && sessionId !== undefined) return Promise.resolve(); // already renewed
    reinitializing ??= (async () => {
      const script = replay.script(() => `bastion-replay-${randomBytes(9).toString("base64url")}`);
      if (!script.initialize) throw new Error("no initialize to replay");
      sessionId = undefined;
      const answer = await internalCall(script.initialize);
      if ("error" in answer) throw new Error(answer.error.message);
      if (script.initialized && (await post(script.initialized))) void runGetStream();
      for (const request of script.state) {
        const result = await internalCall(request);
        if ("error" in result) logger.warn({ event: "upstream.replay_failed", method: request.method, reason: result.error.message }, "could not restore session state");
      }
      logger.info({ event: "upstream.session_renewed" }, "upstream forgot the session; started a new one with the client's initialize");
    })().finally(() => {
      reinitializing = undefined;
    });
    return reinitializing;
  }

  function internalCall(request: JsonRpcRequest): Promise<JsonRpcResponse> {
    const flight: InFlight = { abort: fetches.child(), modern: false };
    const { response } = pending.add(request, { timeoutMs: requestTimeoutMs, onEnded: () => flight.abort.controller.abort() });
    void exchange(request, flight, true).finally(() => flight.abort.done());
    return response;
  }

  function callEnded(request: JsonRpcRequest, reason: EndReason, flight: InFlight): void {
    if (reason === "timeout") logger.warn({ event: "upstream.timeout", method: request.method, id: request.id }, "upstream call timed out");
    inFlight.delete(request.id);
    // 2025-11-25 wants notifications/cancelled (initialize is never cancelled); 2026-07-28 reads
    // the closed stream as the cancellation.
    if (!flight.modern && request.method !== "initialize") {
      const why = reason === "timeout" ? "timed out in the gateway" : "cancelled by the client";
      void post({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: request.id, reason: why } });
    }
    flight.abort.controller.abort();
  }

  const connection: UpstreamConnection = {
    serverName,
    request(request, callOptions) {
      if (closed) return Promise.resolve(errorResponse(request.id, JsonRpcErrorCode.UpstreamUnavailable, `upstream server "${serverName}" connection is closed`, { server: serverName }));
      const version = envelopeVersion(request);
      if (version !== undefined) modernVersion = version;
      const flight: InFlight = { abort: fetches.child(), modern: version !== undefined };
      const { response, tracked } = pending.add(request, {
        timeoutMs: callOptions?.timeoutMs ?? requestTimeoutMs,
        signal: callOptions?.signal,
        onEnded: (reason) => callEnded(request, reason, flight),
      });
      if (!tracked) {
        flight.abort.done();
        return response;
      }
      inFlight.set(request.id, flight);
      if (replay.tracks(request.method)) void response.then((answer) => replay.answered(request, answer));
      if (request.method === "tools/list") void response.then((answer) => "result" in answer && options.toolHeaders.learn(answer.result));
      void response.then(() => inFlight.delete(request.id));
      void exchange(request, flight, false).finally(() => flight.abort.done());
      return response;
    },
    async notify(notification) {
      if (closed) return;
      replay.notified(notification);
      if (notification.method === "notifications/cancelled") {
        const requestId = notification.params?.requestId;
        const flight = typeof requestId === "string" || typeof requestId === "number" ? inFlight.get(requestId) : undefined;
        if (flight && (typeof requestId === "string" || typeof requestId === "number")) {
          pending.fail(requestId, REQUEST_CANCELLED_CODE, "request cancelled by the client");
          inFlight.delete(requestId);
          if (!flight.modern) await post(notification);
          flight.abort.controller.abort();
          return;
        }
      }
      const accepted = await post(notification);
      if (accepted && notification.method === "notifications/initialized") void runGetStream();
    },
    async respond(response) {
      if (closed || response.id === null || !serverRequests.delete(response.id)) {
        logger.warn({ event: "upstream.unsolicited_response", id: response.id }, "dropped an answer to a request the upstream did not send");
        return;
      }
      await post(response);
    },
    onInitiated: (listener) => listeners.onInitiated(listener),
    onClosed: (listener) => listeners.onClosed(listener),
    close() {
      closing ??= (async () => {
        closed = true;
        pending.failAll(JsonRpcErrorCode.UpstreamUnavailable, `upstream server "${serverName}" connection was closed`, { server: serverName });
        fetches.abortAll();
        connectionAbort.abort();
        const session = sessionId;
        sessionId = undefined;
        if (session !== undefined) await endSession(session);
        logger.info({ event: "upstream.closed" }, "upstream connection closed");
        listeners.emitClosed("closed");
      })();
      return closing;
    },
  };

  /** DELETE ends the upstream session; 405 (not supported) and errors are only logged. */
  async function endSession(session: string): Promise<void> {
    const headers = credentialHeaders(options.headers);
    headers.set("mcp-session-id", session);
    if (replay.protocolVersion !== undefined) headers.set("mcp-protocol-version", replay.protocolVersion);
    try {
      const signal = AbortSignal.timeout(Math.min(requestTimeoutMs, DELETE_TIMEOUT_MS));
      const response = await fetch(url, { method: "DELETE", headers, redirect: "manual", signal });
      await discardBody(response);
      if (!response.ok && response.status !== 405) logger.debug({ event: "upstream.delete_refused", status: response.status }, "upstream refused to end the session");
    } catch (error) {
      logger.debug({ event: "upstream.delete_failed", reason: causeOf(error) }, "could not end the upstream session");
    }
  }

  return connection;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

/** fetch hides the interesting part (ECONNREFUSED, ...) in `cause`. */
function causeOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause;
  if (cause instanceof Error) return `${error.message} (${(cause as NodeJS.ErrnoException).code ?? cause.message})`;
  return error.message;
}
