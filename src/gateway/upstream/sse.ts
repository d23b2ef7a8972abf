import type { Logger } from "pino";
import { createAbortScope } from "./abort-scope.js";
import { credentialHeaders } from "./http-headers.js";
import { discardBody, mediaType, readBodyText } from "./http-body.js";
import type { Link, LinkHandlers, LinkOpener } from "./link.js";
import { parseJsonRpcText } from "./message.js";
import { createSseDecoder, readSseEvents } from "./sse-parser.js";

export interface SseLinkOptions {
  url: string;
  headers: Readonly<Record<string, string>>;
  /** How long to wait for the stream and its `endpoint` event, and for each POST. */
  connectTimeoutMs: number;
  maxMessageBytes: number;
  logger: Logger;
}

/**
 * The legacy HTTP+SSE transport (protocol 2024-11-05): a GET opens an event stream whose first
 * `endpoint` event names the URL to POST messages to; everything the server says arrives on the
 * stream. A new stream is a new session, so the supervisor replays initialize after a reconnect.
 */
export function sseLinkOpener(options: SseLinkOptions): LinkOpener {
  return (handlers) => openSseLink(options, handlers);
}

async function openSseLink(options: SseLinkOptions, handlers: LinkHandlers): Promise<Link> {
  const { logger } = options;
  const streamUrl = new URL(options.url);
  const abort = new AbortController();
  /** The POSTs in flight, so close() stops them too. */
  const posts = createAbortScope();
  let closing = false;

  const headers = credentialHeaders(options.headers);
  headers.set("accept", "text/event-stream");
  const connectTimer = setTimeout(() => abort.abort(new Error(`no endpoint event within ${options.connectTimeoutMs} ms`)), options.connectTimeoutMs);
  let response: Response;
  try {
    // Redirects are not followed: they would carry the gateway's credentials to another place.
    response = await fetch(streamUrl, { method: "GET", headers, redirect: "manual", signal: abort.signal });
  } catch (error) {
    clearTimeout(connectTimer);
    throw new Error(`could not open the event stream at ${streamUrl.origin}: ${reason(abort.signal.aborted ? abort.signal.reason : error)}`);
  }
  if (response.status !== 200 || mediaType(response.headers.get("content-type")) !== "text/event-stream" || !response.body) {
    clearTimeout(connectTimer);
    await discardBody(response);
    abort.abort();
    throw new Error(`the event stream at ${streamUrl.origin} answered HTTP ${response.status} (${response.headers.get("content-type") ?? "no content type"})`);
  }

  const events = readSseEvents(response.body, createSseDecoder(options.maxMessageBytes));
  let endpoint: URL;
  try {
    endpoint = await waitForEndpoint(events, streamUrl);
  } catch (error) {
    // When the connect timer fired, its reason is the story; otherwise the error is.
    const why = reason(abort.signal.aborted ? abort.signal.reason : error);
    abort.abort();
    throw new Error(`the event stream at ${streamUrl.origin} gave no usable endpoint: ${why}`);
  } finally {
    clearTimeout(connectTimer);
  }

  void (async () => {
    let why = "closed its event stream";
    try {
      for await (const event of events) {
        if (event.type !== "message" || event.empty) continue;
        const { messages, invalid } = parseJsonRpcText(event.data);
        if (invalid > 0) logger.warn({ event: "upstream.invalid_output", sample: event.data.slice(0, 200) }, "upstream sent an event that is not JSON-RPC; ignored");
        for (const message of messages) handlers.onMessage(message);
      }
    } catch (error) {
      why = `event stream failed: ${reason(error)}`;
    }
    if (!closing) handlers.onDown({ reason: why, details: { endpoint: endpoint.pathname } });
  })();

  return {
    describe: { endpoint: endpoint.pathname },
    async send(message) {
      const postHeaders = credentialHeaders(options.headers);
      postHeaders.set("content-type", "application/json");
      const handle = posts.child(options.connectTimeoutMs);
      try {
        const answer = await fetch(endpoint, { method: "POST", headers: postHeaders, body: JSON.stringify(message), redirect: "manual", signal: handle.signal });
        if (answer.status < 200 || answer.status >= 300) {
          const text = await readBodyText(answer, 1024).catch(() => "");
          throw new Error(`POST ${endpoint.pathname} answered HTTP ${answer.status}${text ? `: ${text.slice(0, 200)}` : ""}`);
        }
        await discardBody(answer);
      } finally {
        handle.done();
      }
    },
    async close() {
      closing = true;
      abort.abort();
      posts.abortAll();
    },
  };
}

async function waitForEndpoint(events: AsyncGenerator<{ type: string; data: string }>, streamUrl: URL): Promise<URL> {
  for (;;) {
    const next = await events.next();
    if (next.done) throw new Error("the stream ended first");
    if (next.value.type !== "endpoint") continue;
    const endpoint = new URL(next.value.data.trim(), streamUrl);
    // Messages carry the gateway's credentials: they go back where the stream came from, nowhere else.
    if (endpoint.origin !== streamUrl.origin) throw new Error(`it points at another origin (${endpoint.origin})`);
    return endpoint;
  }
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
