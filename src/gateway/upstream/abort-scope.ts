/** One fetch's abort handle inside a scope; `done()` releases it once the fetch is over. */
export interface ScopedAbort {
  readonly controller: AbortController;
  readonly signal: AbortSignal;
  done(): void;
}

/**
 * The aborts of one connection's fetches, so closing it stops every one of them. Used instead of
 * AbortSignal.any() with a long-lived connection signal, which keeps a listener per fetch on
 * that signal for as long as the connection lives.
 */
export interface AbortScope {
  /** A fresh abort handle; with `timeoutMs`, it aborts itself after that long. */
  child(timeoutMs?: number): ScopedAbort;
  /** Aborts every live handle, and every later one at birth. */
  abortAll(): void;
}

export function createAbortScope(): AbortScope {
  const live = new Set<ScopedAbort>();
  let over = false;
  return {
    child(timeoutMs) {
      const controller = new AbortController();
      let timer: NodeJS.Timeout | undefined;
      const handle: ScopedAbort = {
        controller,
        signal: controller.signal,
        done() {
          if (timer) clearTimeout(timer);
          live.delete(handle);
        },
      };
      if (over) {
        controller.abort();
        return handle;
      }
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => controller.abort(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }
      live.add(handle);
      return handle;
    },
    abortAll() {
      over = true;
      for (const handle of [...live]) {
        handle.controller.abort();
        handle.done();
      }
    },
  };
}
