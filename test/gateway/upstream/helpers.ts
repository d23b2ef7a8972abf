import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import pino from "pino";
import type { Logger } from "pino";
import { isNotification, isRequest } from "../../../src/gateway/jsonrpc.js";
import type { JsonRpcMessage, JsonRpcRequest, JsonRpcResponse } from "../../../src/gateway/jsonrpc.js";
import type { UpstreamConfig, UpstreamConnection } from "../../../src/gateway/upstream/types.js";

export const PROJECT_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
export const FIXTURE = fileURLToPath(new URL("./fixtures/stdio-server.ts", import.meta.url));

/** A pino logger writing JSON objects into an array the test can search. */
export function memoryLogger(): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: "debug" }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}

/** The fixture server as a stdio upstream (run by this very Node with tsx, from the project root). */
export function fixtureConfig(env: Record<string, string> = {}, requestTimeoutMs = 10_000): Extract<UpstreamConfig, { kind: "stdio" }> {
  return { kind: "stdio", command: process.execPath, args: ["--import", "tsx", FIXTURE], env, cwd: PROJECT_ROOT, requestTimeoutMs };
}

let nextId = 1;
export function request(method: string, params?: Record<string, unknown>): JsonRpcRequest {
  return params === undefined ? { jsonrpc: "2.0", id: nextId++, method } : { jsonrpc: "2.0", id: nextId++, method, params };
}

export function initializeRequest(protocolVersion = "2025-11-25", capabilities: Record<string, unknown> = {}): JsonRpcRequest {
  return request("initialize", { protocolVersion, capabilities, clientInfo: { name: "upstream-test", version: "1.0.0" } });
}

export function toolCall(name: string, args: Record<string, unknown> = {}): JsonRpcRequest {
  return request("tools/call", { name, arguments: args });
}

/** The text of the first content block of a successful tools/call answer. */
export function resultText(response: JsonRpcResponse): string {
  if (!("result" in response)) throw new Error(`expected a result, got ${JSON.stringify(response)}`);
  const content = response.result.content as Array<{ type: string; text?: string }>;
  const first = content[0];
  if (!first || typeof first.text !== "string") throw new Error(`no text content in ${JSON.stringify(response)}`);
  return first.text;
}

export function errorCode(response: JsonRpcResponse): number | undefined {
  return "error" in response ? response.error.code : undefined;
}

/** True while a process exists and is not a zombie (an exited child nobody has reaped yet). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    return state !== "Z" && state !== "X";
  } catch {
    return false;
  }
}

/** Polls until `check` holds, bounded in time; fails with `what` instead of hanging. */
export async function eventually(check: () => boolean, what: string, limitMs = 10_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Calls `read` until `done` holds for its value (bounded in attempts), and returns that value. */
export async function pollUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, attempts = 200): Promise<T> {
  let value = await read();
  for (let i = 1; i < attempts && !done(value); i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    value = await read();
  }
  return value;
}

/**
 * An SDK client transport (v1 and v2 share the shape) that talks through an UpstreamConnection,
 * so the official clients can drive our upstream connections exactly as a downstream session does.
 */
export class ConnectionTransport {
  onmessage?: (message: JsonRpcMessage) => void;
  onclose?: () => void;
  onerror?: (error: Error) => void;
  private unsubscribe: Array<() => void> = [];

  constructor(private readonly connection: UpstreamConnection) {}

  async start(): Promise<void> {
    this.unsubscribe.push(this.connection.onInitiated((event) => this.onmessage?.(event.message)));
    this.unsubscribe.push(this.connection.onClosed(() => this.onclose?.()));
  }

  async send(message: JsonRpcMessage): Promise<void> {
    if (isRequest(message)) {
      void this.connection.request(message).then((answer) => this.onmessage?.(answer));
    } else if (isNotification(message)) {
      await this.connection.notify(message);
    } else {
      await this.connection.respond(message);
    }
  }

  async close(): Promise<void> {
    for (const off of this.unsubscribe) off();
    await this.connection.close();
    this.onclose?.();
  }
}
