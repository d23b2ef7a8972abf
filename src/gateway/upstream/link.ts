import type { JsonRpcMessage } from "../jsonrpc.js";

/**
 * One physical channel to an upstream that can die and be opened again: a stdio child, or a
 * legacy SSE stream with its POST endpoint. The supervisor (supervised.ts) turns a series of
 * links into one UpstreamConnection that survives crashes.
 */
export interface Link {
  /**
   * Delivers one message; rejects when it could not be handed to the upstream. May return SENT
   * (never rejects). `alone`: no other call is in flight on the connection, so nothing is likely
   * to come along to share a write with (a link may then hand it over at once rather than batch).
   */
  send(message: JsonRpcMessage, alone?: boolean): Promise<void>;
  /** Stops the link on purpose and resolves once it is gone (a child reaped, a stream closed). */
  close(): Promise<void>;
  /** Facts for log lines (pid, endpoint). */
  readonly describe: Record<string, unknown>;
}

/**
 * What send() returns when the message was handed over with nothing to wait for: one shared,
 * fulfilled promise, so the sender can tell (by identity) that no failure can follow and attach
 * no handler (a closure and a promise fewer per call on the hot path).
 */
export const SENT: Promise<void> = Promise.resolve();

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
