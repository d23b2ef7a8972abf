import { randomBytes } from "node:crypto";
import { DEFAULT_SCRYPT_COST, hashPassword, needsRehash, verifyPasswordHash, type ScryptCost } from "./passwords.js";
import { UsernameTakenError, type UserRecord, type UserStore } from "./store.js";

/**
 * Local users for the login page: create them, check their passwords, change or disable them.
 * `verifyPassword` spends the same scrypt work whether or not the user exists, so response times
 * do not tell which user names exist.
 */

const USERNAME = /^[a-z0-9][a-z0-9._@+-]{0,63}$/;
const ROLE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

export class InvalidUsernameError extends Error {
  constructor() {
    super("A user name is 1 to 64 characters: letters, digits, '.', '_', '@', '+', '-' (starting with a letter or digit)");
    this.name = "InvalidUsernameError";
  }
}

/** The normalized form of a user name (NFC, lower case), or undefined if it is not a valid one. */
export function normalizeUsername(username: string): string | undefined {
  if (username.length > 256) return undefined;
  const normalized = username.normalize("NFC").trim().toLowerCase();
  return USERNAME.test(normalized) ? normalized : undefined;
}

/** What callers see of a user: never the password hash. */
export interface LocalUser {
  readonly id: string;
  readonly username: string;
  readonly roles: readonly string[];
  readonly disabled: boolean;
  readonly createdAt: number;
}

const toLocalUser = (u: Omit<UserRecord, "passwordHash">): LocalUser => ({ id: u.id, username: u.username, roles: [...u.roles], disabled: u.disabledAt !== undefined, createdAt: u.createdAt });

export interface UserDirectory {
  createUser(input: { username: string; password: string; roles?: readonly string[] }): Promise<LocalUser>;
  /** The user if the password is right and the user is enabled; undefined otherwise (no reason given). */
  verifyPassword(username: string, password: string): Promise<LocalUser | undefined>;
  setPassword(username: string, password: string): Promise<void>;
  /** Needs a store with `setRoles`. */
  setRoles(username: string, roles: readonly string[]): Promise<void>;
  setDisabled(username: string, disabled: boolean): Promise<void>;
  /** Needs a store with `delete`; otherwise disable the user. */
  deleteUser(username: string): Promise<void>;
  findById(id: string): Promise<LocalUser | undefined>;
  findByUsername(username: string): Promise<LocalUser | undefined>;
  list(): Promise<LocalUser[]>;
}

export class UnknownUserError extends Error {
  constructor() {
    super("No such user");
    this.name = "UnknownUserError";
  }
}

function checkRoles(roles: readonly string[]): string[] {
  for (const role of roles) if (!ROLE.test(role)) throw new Error(`Invalid role name (letters, digits, '.', '_', ':', '-'; at most 64)`);
  return [...new Set(roles)];
}

const isConflict = (error: unknown) => error instanceof UsernameTakenError || (typeof error === "object" && error !== null && (error as { code?: unknown }).code === "conflict");

export function createUserDirectory(store: UserStore, options: { now?: () => number; cost?: ScryptCost } = {}): UserDirectory {
  const now = options.now ?? (() => Date.now());
  const cost = options.cost ?? DEFAULT_SCRYPT_COST;
  // Verified against when the user does not exist, so that case costs one scrypt too.
  let dummyHash: Promise<string> | undefined;
  const dummy = () => (dummyHash ??= hashPassword(randomBytes(24).toString("base64url"), cost));

  const requireUser = async (username: string): Promise<UserRecord> => {
    const normalized = normalizeUsername(username);
    const user = normalized === undefined ? undefined : await store.findByUsername(normalized);
    if (!user) throw new UnknownUserError();
    return user;
  };
  const changed = (ok: boolean) => {
    if (!ok) throw new UnknownUserError();
  };

  return {
    async createUser({ username, password, roles = [] }) {
      const normalized = normalizeUsername(username);
      if (normalized === undefined) throw new InvalidUsernameError();
      const record = {
        id: randomBytes(16).toString("base64url"),
        username: normalized,
        passwordHash: await hashPassword(password, cost),
        roles: checkRoles(roles),
        createdAt: now(),
      };
      try {
        await store.insert(record);
      } catch (error) {
        throw isConflict(error) ? new UsernameTakenError() : error;
      }
      return toLocalUser(record);
    },

    async verifyPassword(username, password) {
      const normalized = normalizeUsername(username);
      const user = normalized === undefined ? undefined : await store.findByUsername(normalized);
      const ok = await verifyPasswordHash(password, user?.passwordHash ?? (await dummy()));
      if (!user || !ok || user.disabledAt !== undefined) return undefined;
      if (needsRehash(user.passwordHash, cost)) {
        await store.setPasswordHash(user.id, await hashPassword(password, cost)).catch(() => false);
      }
      return toLocalUser(user);
    },

    async setPassword(username, password) {
      const user = await requireUser(username);
      changed(await store.setPasswordHash(user.id, await hashPassword(password, cost)));
    },

    async setRoles(username, roles) {
      if (!store.setRoles) throw new Error("This user store cannot change roles");
      const user = await requireUser(username);
      changed(await store.setRoles(user.id, checkRoles(roles)));
    },

    async setDisabled(username, disabled) {
      const user = await requireUser(username);
      changed(await store.setDisabled(user.id, disabled ? now() : undefined));
    },

    async deleteUser(username) {
      if (!store.delete) throw new Error("This user store cannot delete users; disable the user instead");
      const user = await requireUser(username);
      changed(await store.delete(user.id));
    },

    async findById(id) {
      const user = await store.findById(id);
      return user ? toLocalUser(user) : undefined;
    },

    async findByUsername(username) {
      const normalized = normalizeUsername(username);
      const user = normalized === undefined ? undefined : await store.findByUsername(normalized);
      return user ? toLocalUser(user) : undefined;
    },

    async list() {
      return (await store.list()).map(toLocalUser);
    },
  };
}
