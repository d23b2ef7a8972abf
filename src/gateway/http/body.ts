import type { IncomingMessage } from "node:http";
import { GatewayError } from "../errors.js";

function tooLarge(maxBytes: number): GatewayError {
  // Connection: close, so the rest of an oversized body is not read.
  return new GatewayError("BODY_TOO_LARGE", `Payload Too Large: the request body must not exceed ${maxBytes} bytes`, {
    headers: { connection: "close" },
  });
}

/** Refuses a declared Content-Length over the limit before reading a byte of the body. */
export function checkDeclaredLength(req: IncomingMessage, maxBytes: number): void {
  const declared = req.headers["content-length"];
  if (declared !== undefined && Number(declared) > maxBytes) throw tooLarge(maxBytes);
}

/**
 * The body, when it has already arrived in full (the usual case: a small body came in the same read
 * as its headers, so the parser has buffered all of it and ended the stream): taken at once, with
 * no listeners, no flowing mode, no events and no promise. Undefined when it is still arriving
 * (then readBody). Throws BODY_TOO_LARGE over the limit.
 */
export function takeBody(req: IncomingMessage, maxBytes: number): Buffer | undefined {
  if (!(req.complete && req.readableFlowing === null && !req.readableEnded && req.listenerCount("data") === 0)) return undefined;
  if (req.readableLength > maxBytes) {
    req.resume();
    throw tooLarge(maxBytes);
  }
  const body = req.read() as Buffer | null;
  return body ?? Buffer.alloc(0);
}

/**
 * Reads the request body, stopping as soon as more than `maxBytes` has arrived (a chunked body
 * declares no length). One Buffer.concat at the end; no per-chunk string building.
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  // Already here in full: takeBody's path (about 10 us per request less than the events below).
  let ready: Buffer | undefined;
  try {
    ready = takeBody(req, maxBytes);
  } catch (error) {
    return Promise.reject(error);
  }
  if (ready !== undefined) return Promise.resolve(ready);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const finish = (error?: GatewayError) => {
      if (settled) return;
      settled = true;
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      req.off("aborted", onError);
      if (error) {
        req.resume(); // discard what is still arriving until the socket closes
        reject(error);
      } else {
        resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received));
      }
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > maxBytes) finish(tooLarge(maxBytes));
      else chunks.push(chunk);
    };
    const onEnd = () => finish();
    const onError = () => finish(new GatewayError("PARSE_ERROR", "Parse error: the request body could not be read"));
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
    req.on("aborted", onError);
  });
}
