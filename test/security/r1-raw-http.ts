/**
 * A raw HTTP/1.1 client for the red-team tests: fetch normalizes paths (`..`, `//`), refuses
 * repeated headers and some methods, so attacks that depend on those are written byte for byte.
 */
import { connect } from "node:net";

export interface RawReply {
  status: number;
  /** Header names in lower case; repeated ones joined with ", ". */
  headers: Record<string, string>;
  body: string;
}

/**
 * Sends one request on a fresh connection (`Connection: close`) and reads the whole reply, or
 * what came within `timeoutMs` (an SSE stream does not end by itself).
 */
export function rawRequest(
  url: string,
  options: { method: string; path: string; headers?: ReadonlyArray<readonly [string, string]>; body?: string; timeoutMs?: number },
): Promise<RawReply> {
  const { hostname, port } = new URL(url);
  const headers: Array<readonly [string, string]> = [...(options.headers ?? [])];
  if (!headers.some(([name]) => name.toLowerCase() === "host")) headers.unshift(["Host", `${hostname}:${port}`]);
  headers.push(["Connection", "close"]);
  if (options.body !== undefined) headers.push(["Content-Length", String(Buffer.byteLength(options.body))]);
  const head = `${options.method} ${options.path} HTTP/1.1\r\n${headers.map(([name, value]) => `${name}: ${value}\r\n`).join("")}\r\n`;
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(), options.timeoutMs ?? 5_000);
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on("close", () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString("utf8");
      const split = text.indexOf("\r\n\r\n");
      const lines = (split < 0 ? text : text.slice(0, split)).split("\r\n");
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(lines[0] ?? "")?.[1] ?? 0);
      const replyHeaders: Record<string, string> = {};
      for (const line of lines.slice(1)) {
        const colon = line.indexOf(":");
        if (colon < 0) continue;
        const name = line.slice(0, colon).trim().toLowerCase();
        const value = line.slice(colon + 1).trim();
        replyHeaders[name] = replyHeaders[name] === undefined ? value : `${replyHeaders[name]}, ${value}`;
      }
      resolve({ status, headers: replyHeaders, body: split < 0 ? "" : text.slice(split + 4) });
    });
    socket.write(head + (options.body ?? ""));
  });
}

/** Reads an SSE stream until it ends or `ms` pass, and returns what came. */
export async function readStream(response: Response, ms: number): Promise<string> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  const deadline = Date.now() + ms;
  for (let i = 0; i < 1000; i++) {
    const left = deadline - Date.now();
    if (left <= 0) break;
    const next = await Promise.race([reader.read(), new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), left))]);
    if (next === "timeout" || next.done) break;
    text += decoder.decode(next.value, { stream: true });
  }
  await reader.cancel().catch(() => undefined);
  return text;
}
