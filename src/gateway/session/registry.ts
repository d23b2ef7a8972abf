import { GatewayError } from "../errors.js";
import type { GatewayLogger } from "../logger.js";
import { isWellFormedSessionId, newSessionId } from "./ids.js";
import { LiveSession } from "./live.js";
import { isExpired, type SessionRecord, type SessionStore, type SessionTimeouts } from "./store.js";

export interface SessionRegistryOptions {
  store: SessionStore;
  timeouts: SessionTimeouts;
  max: number;
  now: () => number;
  logger: GatewayLogger;
  /** Called once when a session ends, for whatever reason (DELETE, expiry, upstream gone, shutdown). */
  onEnded?: (id: string, reason: string) => void;
}

const notFound = () => new GatewayError("SESSION_NOT_FOUND", "Session not found");

/** A session found only if it has not ended and the caller and route are the ones that opened it (else the same 404). */
const belongs = (record: Readonly<SessionRecord>, live: LiveSession, principal: string, route: string): boolean =>
  !live.isEnded && record.principal === principal && record.route === route;

/**
 * Sessions: the record in the store (shared across replicas) and the live half on this replica.
 * A session is found only if both exist, it has not expired, and the caller and route are the
 * ones that opened it; every other case is the same 404, so a session id reveals nothing.
 */
export class SessionRegistry {
  private readonly options: SessionRegistryOptions;
  private readonly live = new Map<string, LiveSession>();

  constructor(options: SessionRegistryOptions) {
    this.options = options;
  }

  get size(): number {
    return this.live.size;
  }

  /** A new session for `principal` on `route`; 503 past the configured maximum. */
  async open(principal: string, route: string): Promise<LiveSession> {
    if ((await this.options.store.count()) >= this.options.max || this.live.size >= this.options.max) {
      throw new GatewayError("TOO_MANY_SESSIONS", "Service Unavailable: too many open sessions", { headers: { "retry-after": "5" } });
    }
    const now = this.options.now();
    const record: SessionRecord = { id: newSessionId(), principal, route, protocolVersion: "", createdAt: now, lastActiveAt: now };
    return new LiveSession(record, this.options.logger, (session, reason) => this.forget(session, reason));
  }

  /** Makes an opened session known (after its initialize succeeded). */
  async register(session: LiveSession): Promise<void> {
    await this.options.store.create(session.record);
    this.live.set(session.id, session);
    this.options.logger.info({ session: session.id.slice(0, 8), route: session.record.route }, "session opened");
  }

  /** The live session `id` names, if `principal` opened it on `route` and it has not expired. */
  resolve(id: string, principal: string, route: string): Promise<LiveSession> {
    const store = this.options.store;
    if (store.peek === undefined || store.touchNow === undefined) return this.resolveShared(id, principal, route);
    // An in-process store: the same checks, with no promise until the answer.
    if (!isWellFormedSessionId(id)) return Promise.reject(notFound());
    const record = store.peek(id);
    const live = this.live.get(id);
    const now = this.options.now();
    if (record === undefined || live === undefined || !belongs(record, live, principal, route)) return Promise.reject(notFound());
    if (isExpired(record, now, this.options.timeouts)) {
      return live.end("expired").then(() => {
        throw notFound();
      });
    }
    store.touchNow(id, now);
    return Promise.resolve(live);
  }

  private async resolveShared(id: string, principal: string, route: string): Promise<LiveSession> {
    if (!isWellFormedSessionId(id)) throw notFound();
    const record = await this.options.store.get(id);
    const live = this.live.get(id);
    const now = this.options.now();
    if (record === undefined || live === undefined || !belongs(record, live, principal, route)) throw notFound();
    if (isExpired(record, now, this.options.timeouts)) {
      await live.end("expired");
      throw notFound();
    }
    await this.options.store.touch(id, now);
    return live;
  }

  async end(session: LiveSession, reason: string): Promise<void> {
    await session.end(reason);
  }

  /** Ends every expired session; a session with a call in flight or an open stream counts as active. */
  async sweep(): Promise<void> {
    const now = this.options.now();
    for (const session of [...this.live.values()]) {
      if (session.busy) {
        await this.options.store.touch(session.id, now);
        session.record.lastActiveAt = now;
      }
      const record = await this.options.store.get(session.id);
      if (record === undefined || isExpired(record, now, this.options.timeouts)) await session.end("expired");
    }
  }

  async endAll(reason: string): Promise<void> {
    await Promise.all([...this.live.values()].map((session) => session.end(reason)));
  }

  private forget(session: LiveSession, reason: string): void {
    this.live.delete(session.id);
    void this.options.store.delete(session.id);
    this.options.logger.info({ session: session.id.slice(0, 8), reason }, "session ended");
    this.options.onEnded?.(session.id, reason);
  }
}
