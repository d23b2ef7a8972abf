import type { KeyStore, OidcRecord, OidcStore, SigningKeyRecord, UserRecord, UserStore } from "./store.js";
import { UsernameTakenError } from "./store.js";

/**
 * In-memory stores for one process (tests, and a single gateway without a database). Each call
 * makes a fresh, independent store: nothing is shared through module state.
 */

interface Entry {
  model: string;
  id: string;
  payload: Record<string, unknown>;
  expiresAt?: number;
}

const keyOf = (model: string, id: string) => `${model}\u0000${id}`;

/** Expired records are dropped when read, and swept at most once a minute on writes. */
export function createMemoryOidcStore(options: { now?: () => number } = {}): OidcStore {
  const now = options.now ?? (() => Date.now());
  const entries = new Map<string, Entry>();
  const byUid = new Map<string, string>();
  const byUserCode = new Map<string, string>();
  const byGrant = new Map<string, Set<string>>();
  let lastSweep = now();

  const unindex = (key: string, entry: Entry) => {
    const { uid, userCode, grantId } = entry.payload;
    if (typeof uid === "string" && byUid.get(keyOf(entry.model, uid)) === key) byUid.delete(keyOf(entry.model, uid));
    if (typeof userCode === "string" && byUserCode.get(keyOf(entry.model, userCode)) === key) byUserCode.delete(keyOf(entry.model, userCode));
    if (typeof grantId === "string") {
      const members = byGrant.get(grantId);
      members?.delete(key);
      if (members?.size === 0) byGrant.delete(grantId);
    }
  };

  const remove = (key: string) => {
    const entry = entries.get(key);
    if (!entry) return;
    entries.delete(key);
    unindex(key, entry);
  };

  const live = (key: string | undefined): Entry | undefined => {
    if (key === undefined) return undefined;
    const entry = entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt !== undefined && entry.expiresAt <= now()) {
      remove(key);
      return undefined;
    }
    return entry;
  };

  const sweep = () => {
    const t = now();
    if (t - lastSweep < 60_000) return;
    lastSweep = t;
    for (const [key, entry] of entries) if (entry.expiresAt !== undefined && entry.expiresAt <= t) remove(key);
  };

  const snapshot = (entry: Entry | undefined): OidcRecord | undefined =>
    entry ? { payload: structuredClone(entry.payload), ...(entry.expiresAt !== undefined ? { expiresAt: entry.expiresAt } : {}) } : undefined;

  return {
    async upsert(model, id, record) {
      sweep();
      const key = keyOf(model, id);
      remove(key);
      const entry: Entry = { model, id, payload: structuredClone(record.payload), ...(record.expiresAt !== undefined ? { expiresAt: record.expiresAt } : {}) };
      entries.set(key, entry);
      const { uid, userCode, grantId } = entry.payload;
      if (typeof uid === "string") byUid.set(keyOf(model, uid), key);
      if (typeof userCode === "string") byUserCode.set(keyOf(model, userCode), key);
      if (typeof grantId === "string") {
        let members = byGrant.get(grantId);
        if (!members) byGrant.set(grantId, (members = new Set()));
        members.add(key);
      }
    },
    async find(model, id) {
      return snapshot(live(keyOf(model, id)));
    },
    async findByUid(model, uid) {
      return snapshot(live(byUid.get(keyOf(model, uid))));
    },
    async findByUserCode(model, userCode) {
      return snapshot(live(byUserCode.get(keyOf(model, userCode))));
    },
    async consume(model, id, at) {
      const entry = live(keyOf(model, id));
      if (entry) entry.payload.consumed = at;
    },
    async destroy(model, id) {
      remove(keyOf(model, id));
    },
    async revokeByGrantId(model, grantId) {
      for (const key of [...(byGrant.get(grantId) ?? [])]) {
        if (entries.get(key)?.model === model) remove(key);
      }
    },
    async count(model) {
      let n = 0;
      const t = now();
      for (const entry of entries.values()) if (entry.model === model && (entry.expiresAt === undefined || entry.expiresAt > t)) n++;
      return n;
    },
  };
}

export function createMemoryKeyStore(): KeyStore {
  const keys = new Map<string, SigningKeyRecord>();
  const secrets = new Map<string, Buffer>();
  return {
    async listSigningKeys() {
      return [...keys.values()].map((k) => structuredClone(k));
    },
    async saveSigningKey(record) {
      keys.set(record.kid, structuredClone(record));
    },
    async deleteSigningKey(kid) {
      keys.delete(kid);
    },
    async putSecretIfAbsent(name, value) {
      const existing = secrets.get(name);
      if (existing) return Buffer.from(existing);
      secrets.set(name, Buffer.from(value));
      return Buffer.from(value);
    },
  };
}

export function createMemoryUserStore(): UserStore {
  const byId = new Map<string, UserRecord>();
  const idByName = new Map<string, string>();
  const copy = (user: UserRecord | undefined): UserRecord | undefined => (user ? { ...user, roles: [...user.roles] } : undefined);
  const change = (id: string, patch: (user: UserRecord) => UserRecord): boolean => {
    const user = byId.get(id);
    if (!user) return false;
    byId.set(id, patch(user));
    return true;
  };
  return {
    async insert(user) {
      if (idByName.has(user.username) || byId.has(user.id)) throw new UsernameTakenError();
      byId.set(user.id, copy(user)!);
      idByName.set(user.username, user.id);
    },
    async findByUsername(username) {
      const id = idByName.get(username);
      return copy(id === undefined ? undefined : byId.get(id));
    },
    async findById(id) {
      return copy(byId.get(id));
    },
    async list() {
      return [...byId.values()].map(({ passwordHash: _hash, ...rest }) => ({ ...rest, roles: [...rest.roles] }));
    },
    async setPasswordHash(id, passwordHash) {
      return change(id, (u) => ({ ...u, passwordHash }));
    },
    async setDisabled(id, at) {
      return change(id, ({ disabledAt: _previous, ...u }) => (at === undefined ? u : { ...u, disabledAt: at }));
    },
    async setRoles(id, roles) {
      return change(id, (u) => ({ ...u, roles: [...roles] }));
    },
    async delete(id) {
      const user = byId.get(id);
      if (!user) return false;
      byId.delete(id);
      idByName.delete(user.username);
      return true;
    },
  };
}
