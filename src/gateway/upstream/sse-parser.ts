/** One dispatched server-sent event (WHATWG HTML, "event stream interpretation"). */
export interface SseEvent {
  /** The `event:` field; "message" when absent. */
  type: string;
  data: string;
  /** The last event id in force when this event was dispatched (for Last-Event-ID). */
  lastEventId: string | undefined;
  /** True when the block had no data lines: it only moved the event id (a priming event). */
  empty: boolean;
}

export class SseEventTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`an SSE event exceeded ${limit} characters`);
    this.name = "SseEventTooLargeError";
  }
}

export interface SseDecoder {
  /** Takes the next decoded chunk of text; returns the events it completed. */
  push(text: string): SseEvent[];
  /** The `retry:` reconnection time the server asked for, if any. */
  readonly retryMs: number | undefined;
  readonly lastEventId: string | undefined;
}

/**
 * Decodes a text/event-stream. Lines end in CRLF, LF or CR (a CR at the end of a chunk waits for
 * the next one, which may start with its LF); fields follow the WHATWG rules (one leading space of
 * the value dropped, ids containing NUL ignored, `retry` only when all digits). `maxEventChars`
 * bounds the memory a hostile stream can make us hold.
 */
export function createSseDecoder(maxEventChars: number): SseDecoder {
  let pending = ""; // the unfinished line
  let sawCr = false; // the previous chunk ended in CR: a leading LF now belongs to it
  let firstChunk = true;
  let type = "";
  let data: string[] = [];
  let dataChars = 0;
  let hasData = false;
  let idChanged = false;
  let lastEventId: string | undefined;
  let retryMs: number | undefined;

  function line(text: string, out: SseEvent[]): void {
    if (text === "") {
      if (hasData || idChanged) {
        out.push({ type: type || "message", data: data.join("\n"), lastEventId, empty: !hasData });
      }
      type = "";
      data = [];
      dataChars = 0;
      hasData = false;
      idChanged = false;
      return;
    }
    if (text.charCodeAt(0) === 0x3a) return; // ":" comment (keep-alive)
    const colon = text.indexOf(":");
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? "" : text.slice(colon + 1);
    if (value.charCodeAt(0) === 0x20) value = value.slice(1);
    switch (field) {
      case "event":
        type = value;
        break;
      case "data":
        dataChars += value.length + 1;
        if (dataChars > maxEventChars) throw new SseEventTooLargeError(maxEventChars);
        data.push(value);
        hasData = true;
        break;
      case "id":
        if (!value.includes("\0")) {
          lastEventId = value;
          idChanged = true;
        }
        break;
      case "retry":
        if (/^\d+$/.test(value)) retryMs = Number(value);
        break;
    }
  }

  return {
    push(chunk) {
      const out: SseEvent[] = [];
      if (chunk.length === 0) return out; // keeps a pending CR's state for the next real chunk
      let text = chunk;
      if (firstChunk && text.length > 0) {
        firstChunk = false;
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      }
      if (sawCr && text.charCodeAt(0) === 0x0a) text = text.slice(1);
      sawCr = false;
      let start = 0;
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c !== 0x0a && c !== 0x0d) continue;
        line(pending + text.slice(start, i), out);
        pending = "";
        if (c === 0x0d) {
          if (i + 1 === text.length) sawCr = true;
          else if (text.charCodeAt(i + 1) === 0x0a) i += 1;
        }
        start = i + 1;
      }
      pending += text.slice(start);
      if (pending.length > maxEventChars) throw new SseEventTooLargeError(maxEventChars);
      return out;
    },
    get retryMs() {
      return retryMs;
    },
    get lastEventId() {
      return lastEventId;
    },
  };
}

/** Reads a response body as server-sent events until it ends (or the signal aborts the fetch). */
export async function* readSseEvents(body: ReadableStream<Uint8Array>, decoder: SseDecoder): AsyncGenerator<SseEvent> {
  const text = new TextDecoder("utf-8");
  const reader = body.getReader();
  let finished = false;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      yield* decoder.push(text.decode(value, { stream: true }));
    }
    finished = true;
    yield* decoder.push(text.decode());
  } finally {
    // A consumer that stops early must not leave the connection streaming into nowhere.
    if (!finished) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}
