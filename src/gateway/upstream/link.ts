import type { JsonRpcMessage } from "../jsonrpc.js";

/**
 * One physical channel to an upstream that can die and be opened again: a stdio child, or a
 * legacy SSE stream with its POST endpoint. The supervisor (supervised.ts) turns a series of
 * links into one UpstreamConnection that survives crashes.
 */
export interface Link {
  /** Delivers one message; rejects when it could not be handed to the upstream. */
  send(message: JsonRpcMessage): Promise<void>;
  /** Stops the link on purpose and resolves once it is gone (a child reaped, a stream closed). */
  close(): Promise<void>;
  /** Facts for log lines (pid, endpoint). */
  readonly describe: Record<string, unknown>;
}

/** Why a link ended without being asked to. */
export interface LinkDown {
  reason: string;
  /** Structured details for the log line (exit code, signal, last stderr lines). */
  details: Record<string, unknown>;
}

export interface LinkHandlers {
  onMessage(message: JsonRpcMessage): void;
  /** Called at most once, and never after close() was called. */
  onDown(down: LinkDown): void;
}

/** Opens a fresh link; rejects when the upstream cannot be started or reached at all. */
export type LinkOpener = (handlers: LinkHandlers) => Promise<Link>;
