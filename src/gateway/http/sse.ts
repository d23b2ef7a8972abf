import type { ServerResponse } from "node:http";

const SSE_HEADERS = {
  "content-type": "text/event-stream",
  "cache-control": "no-cache, no-transform",
  connection: "keep-alive",
  "x-accel-buffering": "no",
} as const;

export const KEEP_ALIVE_MS = 15_000;

/**
 * One server-sent-events stream on an HTTP response: each JSON-RPC message is one `message` event.
 * A comment line every 15 s keeps proxies from closing a quiet stream.
 */
export class SseStream {
  private readonly res: ServerResponse;
  private keepAlive: NodeJS.Timeout | undefined;
  private ended = false;

  constructor(res: ServerResponse, headers: Readonly<Record<string, string>>, keepAliveMs = KEEP_ALIVE_MS) {
    this.res = res;
    res.writeHead(200, { ...headers, ...SSE_HEADERS });
    res.flushHeaders();
    if (keepAliveMs > 0) {
      this.keepAlive = setInterval(() => {
        if (!this.ended) res.write(": keepalive\n\n");
      }, keepAliveMs);
      this.keepAlive.unref();
    }
    res.once("close", () => this.stop());
  }

  get open(): boolean {
    return !this.ended && !this.res.destroyed && !this.res.writableEnded;
  }

  /** Writes one message, already serialized to JSON (which never contains a raw newline). */
  send(json: string): void {
    if (this.open) this.res.write(`event: message\ndata: ${json}\n\n`);
  }

  end(): void {
    if (!this.res.writableEnded) this.res.end();
    this.stop();
  }

  private stop(): void {
    this.ended = true;
    if (this.keepAlive !== undefined) clearInterval(this.keepAlive);
    this.keepAlive = undefined;
  }
}
