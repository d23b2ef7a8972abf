/**
 * MCP sessions (the 2025-11-25 revision) as shared state: what every replica must know to accept
 * or refuse a session id. The live parts (upstream connections, open streams) stay on the replica
 * that opened the session; a load balancer keeps a session's requests on that replica by its
 * `Mcp-Session-Id` header (affinity by session id), and any replica can still recognise, expire
 * and end the session from the shared store.
 */

export interface SessionRecord {
  readonly id: string;
  /** The principal that opened the session; every later request must come from the same one. */
  readonly principal: string;
  /** The route it was opened on: a server name, or "*" for the aggregated `/mcp`. */
  readonly route: string;
  /** The protocol revision negotiated at initialize. */
  protocolVersion: string;
  readonly createdAt: number;
  lastActiveAt: number;
}

export interface SessionTimeouts {
  idleTimeoutMs: number;
  absoluteTimeoutMs: number;
}

/** The one expiry rule, so every store implementation expires sessions alike. */
export function isExpired(record: SessionRecord, now: number, timeouts: SessionTimeouts): boolean {
  return now - record.lastActiveAt >= timeouts.idleTimeoutMs || now - record.createdAt >= timeouts.absoluteTimeoutMs;
}

export interface SessionStore {
  create(record: SessionRecord): Promise<void>;
  get(id: string): Promise<SessionRecord | undefined>;
  touch(id: string, at: number): Promise<void>;
  delete(id: string): Promise<void>;
  count(): Promise<number>;
  /**
   * For a store in this process only (both or neither): the record itself, at once (not a copy:
   * read it, do not keep or change it), and touch at once. They spare each request's session
   * lookup two promises and two microtask turns; a shared store leaves them out.
   */
  peek?(id: string): Readonly<SessionRecord> | undefined;
  touchNow?(id: string, at: number): void;
}

/** The embedded default: a Map in this process. */
export function createMemorySessionStore(): SessionStore {
  const records = new Map<string, SessionRecord>();
  const touchNow = (id: string, at: number): void => {
    const record = records.get(id);
    if (record !== undefined && at > record.lastActiveAt) record.lastActiveAt = at;
  };
  return {
    async create(record) {
      records.set(record.id, { ...record });
    },
    async get(id) {
      const record = records.get(id);
      return record === undefined ? undefined : { ...record };
    },
    async touch(id, at) {
      touchNow(id, at);
    },
    peek: (id) => records.get(id),
    touchNow,
    async delete(id) {
      records.delete(id);
    },
    async count() {
      return records.size;
    },
  };
}
