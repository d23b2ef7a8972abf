import type { Logger } from "pino";
import type { UpstreamInitiated } from "./types.js";

/** The two subscriptions every connection offers; a throwing listener cannot break the relay. */
export interface ConnectionListeners {
  onInitiated(listener: (event: UpstreamInitiated) => void): () => void;
  onClosed(listener: (reason: string) => void): () => void;
  emitInitiated(event: UpstreamInitiated): void;
  /** Emits once; later calls are ignored (a connection ends for good only once). */
  emitClosed(reason: string): void;
  readonly closed: boolean;
}

export function createConnectionListeners(logger: Logger): ConnectionListeners {
  const initiated = new Set<(event: UpstreamInitiated) => void>();
  const closed = new Set<(reason: string) => void>();
  let closedReason: string | undefined;

  function safely<T>(listener: (value: T) => void, value: T): void {
    try {
      listener(value);
    } catch (error) {
      logger.error({ err: error }, "upstream listener threw");
    }
  }

  return {
    onInitiated(listener) {
      initiated.add(listener);
      return () => initiated.delete(listener);
    },
    onClosed(listener) {
      // Subscribing after the end still hears about it, so no caller waits forever.
      if (closedReason !== undefined) {
        const reason = closedReason;
        queueMicrotask(() => safely(listener, reason));
        return () => {};
      }
      closed.add(listener);
      return () => closed.delete(listener);
    },
    emitInitiated(event) {
      for (const listener of initiated) safely(listener, event);
    },
    emitClosed(reason) {
      if (closedReason !== undefined) return;
      closedReason = reason;
      const listeners = [...closed];
      closed.clear();
      initiated.clear();
      for (const listener of listeners) safely(listener, reason);
    },
    get closed() {
      return closedReason !== undefined;
    },
  };
}
