import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createInterface } from "node:readline";
import type { JsonRpcMessage, JsonRpcRequest, JsonRpcResponse } from "../../../src/gateway/jsonrpc.js";

/**
 * Talks raw JSON-RPC (one message per line) to a real MCP server over stdio, so tests see the
 * exact messages a gateway relays. Every wait is bounded; close() kills the child.
 */
export interface StdioPeer {
  request(method: string, params?: Record<string, unknown>): Promise<JsonRpcResponse>;
  notify(method: string, params?: Record<string, unknown>): void;
  send(message: JsonRpcMessage): void;
  /** Handles requests the server sends (sampling, elicitation): the answer's result. */
  onServerRequest(handler: (request: JsonRpcRequest) => JsonRpcResponse | Promise<JsonRpcResponse>): void;
  close(): Promise<void>;
}

const TIMEOUT_MS = 15_000;

export function startStdioPeer(command: string, args: readonly string[]): StdioPeer {
  const child: ChildProcessWithoutNullStreams = spawn(command, [...args], {
    stdio: ["pipe", "pipe", "pipe"],
    env: { PATH: process.env.PATH ?? "" },
  });
  child.stderr.resume(); // the server logs there; not part of the protocol
  const pending = new Map<number | string, (response: JsonRpcResponse) => void>();
  let serverRequestHandler: ((request: JsonRpcRequest) => JsonRpcResponse | Promise<JsonRpcResponse>) | undefined;
  let nextId = 1;

  const send = (message: JsonRpcMessage): void => {
    child.stdin.write(`${JSON.stringify(message)}\n`);
  };

  createInterface({ input: child.stdout }).on("line", (line) => {
    if (line.trim() === "") return;
    const message = JSON.parse(line) as JsonRpcMessage;
    if ("method" in message && "id" in message) {
      const handler = serverRequestHandler;
      if (handler) void Promise.resolve(handler(message)).then(send);
      return;
    }
    if ("id" in message && message.id !== null && !("method" in message)) {
      const resolve = pending.get(message.id);
      pending.delete(message.id);
      resolve?.(message);
    }
  });

  return {
    send,
    request(method, params) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`${method}: no answer within ${TIMEOUT_MS} ms`));
        }, TIMEOUT_MS);
        pending.set(id, (response) => {
          clearTimeout(timer);
          resolve(response);
        });
        send({ jsonrpc: "2.0", id, method, ...(params ? { params } : {}) });
      });
    },
    notify(method, params) {
      send({ jsonrpc: "2.0", method, ...(params ? { params } : {}) });
    },
    onServerRequest(handler) {
      serverRequestHandler = handler;
    },
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.stdin.end();
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 3_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
