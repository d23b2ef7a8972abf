import type { ServerResponse } from "node:http";
import type { GatewayError } from "../errors.js";

/** Writes a complete JSON body; `body` is already serialized (each message is serialized once). */
export function sendJson(res: ServerResponse, status: number, body: string, headers?: Readonly<Record<string, string>>): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  // A flat [name, value, ...] list: no merged object built per reply (this runs for every call).
  const list: Array<string | number> = [];
  if (headers !== undefined) {
    for (const name of Object.keys(headers)) if (name !== "content-type" && name !== "content-length") list.push(name, headers[name]!);
  }
  list.push("content-type", "application/json", "content-length", Buffer.byteLength(body));
  res.writeHead(status, list);
  res.end(body);
}

export function sendEmpty(res: ServerResponse, status: number, headers?: Readonly<Record<string, string>>): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, headers);
  res.end();
}

/** The one place a GatewayError becomes an HTTP response: its status, headers and a JSON-RPC error body. */
export function sendGatewayError(res: ServerResponse, error: GatewayError, extraHeaders?: Readonly<Record<string, string>>): void {
  const body = JSON.stringify({
    jsonrpc: "2.0",
    id: error.id,
    error: error.data === undefined ? { code: error.rpcCode, message: error.message } : { code: error.rpcCode, message: error.message, data: error.data },
  });
  sendJson(res, error.status, body, { ...extraHeaders, ...error.headers });
}
