import { randomBytes } from "node:crypto";
import type { Logger } from "pino";
import { JsonRpcErrorCode, errorResponse, isNotification, isRequest, isResponse } from "../jsonrpc.js";
import type { JsonRpcId, JsonRpcMessage, JsonRpcNotification, JsonRpcRequest, JsonRpcResponse } from "../jsonrpc.js";
import { createCrashWindow, restartDelay } from "./backoff.js";
import { SENT, type Link, type LinkDown, type LinkOpener } from "./link.js";
import { createConnectionListeners } from "./listeners.js";
import type { ResolvedUpstreamDeps } from "./options.js";
import { REQUEST_CANCELLED_CODE, createPendingRequests } from "./pending.js";
import type { EndReason } from "./pending.js";
import { createSessionReplay } from "./replay.js";
import type { UpstreamConnection } from "./types.js";

export interface SupervisedOptions {
  serverName: string;
  requestTimeoutMs: number;
  openLink: LinkOpener;
  deps: ResolvedUpstreamDeps;
  /** The logger to use, already bound to the server name and transport. */
  logger: Logger;
}

type Status = "ready" | "restarting" | "closed";

/**
 * One logical upstream connection over a series of links. When a link dies, the calls that were
 * sent on it end at once with UpstreamUnavailable; calls made meanwhile wait (within their own
 * timeout) for the next link, which is opened after an exponential backoff and brought back to
 * the client's session state (initialize replayed) before anything else is relayed. Too many
 * crashes inside the window and it gives up: every call then fails fast and onClosed fires.
 * Rejects when the very first link cannot be opened (a missing command, a refused connection).
 */
export async function openSupervisedConnection(options: SupervisedOptions): Promise<UpstreamConnection> {
  const { serverName, requestTimeoutMs, openLink, deps, logger } = options;
  const pending = createPendingRequests(serverName);
  const listeners = createConnectionListeners(logger);
  const replay = createSessionReplay();
  const crashes = createCrashWindow(deps.restart);

  let status: Status = "restarting";
  let link: Link | undefined;
  let generation = 0;
  let closedReason = "";
  let restartTimer: NodeJS.Timeout | undefined;
  /** A restart under way (close waits for it, so no child is spawned after close returns). */
  let restarting: Promise<void> | undefined;
  let closing: Promise<void> | undefined;
  /** Ids of calls handed to the current link (a crash fails exactly these; queued ones wait). */
  const sent = new Set<JsonRpcId>();
  /** Ids of requests the current link's upstream sent and the client has yet to answer. */
  const serverRequests = new Set<JsonRpcId>();
  /** Messages waiting for the next link, in order. */
  let queue: JsonRpcMessage[] = [];
  /** Whether notifications/initialized was already replayed to the current link. */
  let initializedReplayed = false;

  // A function, not a comparison, so TypeScript does not carry a narrowing across an await.
  const isClosed = (): boolean => status === "closed";
  const unavailable = (why: string) => ({ code: JsonRpcErrorCode.UpstreamUnavailable, message: `upstream server "${serverName}" ${why}` });

  function onMessage(message: JsonRpcMessage): void {
    if (isResponse(message)) {
      if (message.id !== null) sent.delete(message.id);
      // A late answer (after a timeout or cancellation) has nobody waiting; that is expected.
      if (!pending.settle(message)) logger.debug({ event: "upstream.unmatched_response", id: message.id }, "answer for no call in flight");
      return;
    }
    if (isRequest(message)) serverRequests.add(message.id);
    else if (message.method === "notifications/cancelled") {
      const requestId = message.params?.requestId;
      if (typeof requestId === "string" || typeof requestId === "number") serverRequests.delete(requestId);
    }
    listeners.emitInitiated({ message });
  }

  /** Hands a message to the current link; false when there is none (the caller queues or drops). */
  function deliver(message: JsonRpcMessage): boolean {
    const current = link;
    if (!current) return false;
    const id = isRequest(message) ? message.id : undefined;
    if (id !== undefined) sent.add(id);
    // Alone: the one call in flight is this one (or none, for a notification), so nothing is there to batch it with.
    const sending = current.send(message, pending.size <= (id === undefined ? 0 : 1));
    if (sending === SENT) return true; // handed over; nothing can fail later
    sending.catch((error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      logger.warn({ event: "upstream.send_failed", method: "method" in message ? message.method : undefined, reason }, "could not deliver a message upstream");
      if (id !== undefined && sent.delete(id)) {
        const { code, message: text } = unavailable(`could not be reached: ${reason}`);
        pending.fail(id, code, text, { server: serverName });
      }
    });
    return true;
  }

  /** Opens a link; `generation` tells later whether it is still the current one. */
  async function startLink(): Promise<{ fresh: Link; mine: number }> {
    const mine = ++generation;
    initializedReplayed = false;
    const fresh = await openLink({
      onMessage: (message) => {
        if (mine === generation) onMessage(message);
      },
      onDown: (down) => {
        if (mine === generation) linkLost(down);
      },
    });
    return { fresh, mine };
  }

  /** The current link died (or failed its replay): fail what it carried, then restart or give up. */
  function linkLost(down: LinkDown): void {
    generation += 1; // stale events from the dead link are ignored from here on
    link = undefined;
    serverRequests.clear();
    const { code, message } = unavailable(`${down.reason} while the call was in flight`);
    for (const id of sent) pending.fail(id, code, message, { server: serverName });
    sent.clear();
    if (status === "closed") return;
    const now = deps.now();
    const attempt = crashes.record(now);
    if (crashes.exhausted(now)) {
      giveUp(down, attempt);
      return;
    }
    const delayMs = restartDelay(attempt, deps.restart, deps.random);
    logger.warn({ event: "upstream.down", ...down.details, reason: down.reason, attempt, delayMs }, "upstream went down; restarting after backoff");
    status = "restarting";
    restartTimer = setTimeout(() => {
      restartTimer = undefined;
      restarting = restart(attempt).finally(() => {
        restarting = undefined;
      });
    }, delayMs); // not unref'd: calls waiting for the restart must keep the process alive
  }

  function giveUp(down: LinkDown, crashCount: number): void {
    const windowMs = deps.restart.windowMs;
    logger.error(
      { event: "upstream.gave_up", ...down.details, reason: down.reason, crashes: crashCount, windowMs },
      "upstream keeps failing; not restarting it",
    );
    closedReason = `failed ${crashCount} times within ${windowMs} ms (last: ${down.reason}); it is not restarted`;
    shutDownState(closedReason);
    listeners.emitClosed(closedReason);
  }

  function shutDownState(reason: string): void {
    status = "closed";
    if (restartTimer) clearTimeout(restartTimer);
    restartTimer = undefined;
    queue = [];
    const { code, message } = unavailable(reason);
    pending.failAll(code, message, { server: serverName });
  }

  async function restart(attempt: number): Promise<void> {
    if (status === "closed") return;
    let opened: { fresh: Link; mine: number };
    try {
      opened = await startLink();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (!isClosed()) linkLost({ reason: `could not be restarted: ${reason}`, details: {} });
      return;
    }
    const { fresh, mine } = opened;
    if (isClosed() || mine !== generation) {
      await fresh.close();
      return;
    }
    link = fresh;
    const failure = await replaySession(mine);
    if (mine !== generation) return; // the new link died during the replay; linkLost ran already
    if (failure !== undefined) {
      generation += 1;
      link = undefined;
      void fresh.close();
      linkLost({ reason: `rejected the replayed session: ${failure}`, details: fresh.describe });
      return;
    }
    logger.info({ event: "upstream.restarted", ...fresh.describe, attempt, replayed: replay.protocolVersion !== undefined }, "upstream restarted");
    status = "ready";
    flush();
  }

  /** Brings a fresh upstream to the client's session state; returns why it failed, if it did. */
  async function replaySession(mine: number): Promise<string | undefined> {
    const script = replay.script(() => `bastion-replay-${randomBytes(9).toString("base64url")}`);
    if (!script.initialize) return undefined;
    const answer = await call(script.initialize);
    if ("error" in answer) return answer.error.message;
    if (mine !== generation) return "the upstream went down during the replay";
    const agreed = answer.result.protocolVersion;
    if (agreed !== replay.protocolVersion) {
      logger.warn({ event: "upstream.version_changed", before: replay.protocolVersion, after: agreed }, "restarted upstream negotiated another protocol version");
    }
    if (script.initialized) initializedReplayed = deliver(script.initialized);
    for (const request of script.state) {
      const result = await call(request);
      if (mine !== generation) return "the upstream went down during the replay";
      if ("error" in result) {
        logger.warn({ event: "upstream.replay_failed", method: request.method, reason: result.error.message }, "could not restore session state");
      }
    }
    return undefined;
  }

  /** A gateway-internal call on the current link (its answer never reaches the client). */
  function call(request: JsonRpcRequest): Promise<JsonRpcResponse> {
    const { response } = pending.add(request, { timeoutMs: requestTimeoutMs });
    if (!deliver(request)) {
      const { code, message } = unavailable("went down during the replay");
      pending.fail(request.id, code, message);
    }
    return response;
  }

  function flush(): void {
    const waiting = queue;
    queue = [];
    for (const message of waiting) {
      if (isRequest(message) && !pending.has(message.id)) continue; // timed out or cancelled while waiting
      if (isNotification(message) && message.method === "notifications/initialized" && initializedReplayed) continue;
      relay(message);
    }
  }

  /** Sends now when ready; otherwise keeps the message for the next link, in order. */
  function relay(message: JsonRpcMessage): void {
    if (status === "closed") return;
    if (status === "ready" && deliver(message)) return;
    queue.push(message);
  }

  function callEnded(reason: EndReason, request: JsonRpcRequest): void {
    if (reason === "timeout") {
      logger.warn({ event: "upstream.timeout", method: request.method, id: request.id }, "upstream call timed out");
    }
    // Only a call the upstream actually received needs telling; initialize must never be cancelled.
    if (!sent.delete(request.id) || request.method === "initialize") return;
    const why = reason === "timeout" ? "timed out in the gateway" : "cancelled by the client";
    relay({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: request.id, reason: why } });
  }

  // The first link: failing to start at all is the caller's error to report.
  let first: { fresh: Link; mine: number };
  try {
    first = await startLink();
  } catch (error) {
    status = "closed";
    throw error;
  }
  logger.info({ event: "upstream.started", ...first.fresh.describe }, "upstream connected");
  // Had it died already, linkLost has scheduled a restart and the connection is still usable.
  if (first.mine === generation) {
    link = first.fresh;
    status = "ready";
  }

  const connection: UpstreamConnection = {
    serverName,
    request(request, callOptions) {
      if (status === "closed") {
        const { code, message } = unavailable(closedReason || "is closed");
        return Promise.resolve(errorResponse(request.id, code, message, { server: serverName }));
      }
      const { response, tracked } = pending.add(request, {
        timeoutMs: callOptions?.timeoutMs ?? requestTimeoutMs,
        signal: callOptions?.signal,
        onEnded: callEnded,
      });
      if (!tracked) return response;
      if (replay.tracks(request.method)) void response.then((answer) => replay.answered(request, answer));
      relay(request);
      return response;
    },
    async notify(notification: JsonRpcNotification) {
      if (status === "closed") return;
      replay.notified(notification);
      if (notification.method === "notifications/cancelled") {
        const requestId = notification.params?.requestId;
        if (typeof requestId === "string" || typeof requestId === "number") {
          pending.fail(requestId, REQUEST_CANCELLED_CODE, "request cancelled by the client");
          // A call still queued never reached the upstream: there is nothing to cancel there.
          if (!sent.delete(requestId)) return;
        }
      }
      relay(notification);
    },
    async respond(response: JsonRpcResponse) {
      // Only answers to requests this upstream (this very child) sent are relayed; anything else
      // would be a forged or stale answer.
      if (status === "closed" || response.id === null || !serverRequests.delete(response.id)) {
        logger.warn({ event: "upstream.unsolicited_response", id: response.id }, "dropped an answer to a request the upstream did not send");
        return;
      }
      relay(response);
    },
    onInitiated: (listener) => listeners.onInitiated(listener),
    onClosed: (listener) => listeners.onClosed(listener),
    close() {
      closing ??= (async () => {
        const last = link;
        link = undefined;
        generation += 1;
        closedReason = "was closed";
        shutDownState(closedReason);
        await Promise.all([last?.close(), restarting]);
        logger.info({ event: "upstream.closed" }, "upstream connection closed");
        listeners.emitClosed("closed");
      })();
      return closing;
    },
  };
  return connection;
}
