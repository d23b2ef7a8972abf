import type { Database, Statement } from "better-sqlite3";
import { StoreError } from "../errors.js";
import type { NewUser, UserRecord, UserStore } from "../types.js";
import { isUniqueViolation, optional, parseStringArray } from "./rows.js";

interface UserRow {
  id: string;
  username: string;
  roles: string;
  created_at: number;
  disabled_at: number | null;
}

interface UserRowWithHash extends UserRow {
  password_hash: string;
}

const COLUMNS = "id, username, roles, created_at, disabled_at";

function userOf(row: UserRow): Omit<UserRecord, "passwordHash"> {
  return Object.freeze({
    id: row.id,
    username: row.username,
    roles: Object.freeze(parseStringArray(row.roles, "users.roles")),
    createdAt: row.created_at,
    ...optional("disabledAt", row.disabled_at),
  });
}

/** Local users in SQLite: prepared, parameterized statements only. */
export class SqliteUserStore implements UserStore {
  private readonly insertStatement: Statement<[string, string, string, string, number]>;
  private readonly byUsername: Statement<[string], UserRowWithHash>;
  private readonly byId: Statement<[string], UserRowWithHash>;
  private readonly listStatement: Statement<[], UserRow>;
  private readonly setHashStatement: Statement<[string, string]>;
  private readonly setDisabledStatement: Statement<[number | null, string]>;

  constructor(db: Database) {
    this.insertStatement = db.prepare("INSERT INTO users (id, username, password_hash, roles, created_at) VALUES (?, ?, ?, ?, ?)");
    this.byUsername = db.prepare(`SELECT ${COLUMNS}, password_hash FROM users WHERE username = ?`);
    this.byId = db.prepare(`SELECT ${COLUMNS}, password_hash FROM users WHERE id = ?`);
    this.listStatement = db.prepare(`SELECT ${COLUMNS} FROM users ORDER BY created_at, rowid`);
    this.setHashStatement = db.prepare("UPDATE users SET password_hash = ? WHERE id = ?");
    this.setDisabledStatement = db.prepare("UPDATE users SET disabled_at = ? WHERE id = ?");
  }

  async insert(user: NewUser): Promise<void> {
    try {
      this.insertStatement.run(user.id, user.username, user.passwordHash, JSON.stringify(user.roles), user.createdAt);
    } catch (error) {
      if (isUniqueViolation(error)) throw new StoreError("conflict", "a user with this id or username already exists");
      throw error;
    }
  }

  async findByUsername(username: string): Promise<UserRecord | undefined> {
    const row = this.byUsername.get(username);
    return row === undefined ? undefined : Object.freeze({ ...userOf(row), passwordHash: row.password_hash });
  }

  async findById(id: string): Promise<UserRecord | undefined> {
    const row = this.byId.get(id);
    return row === undefined ? undefined : Object.freeze({ ...userOf(row), passwordHash: row.password_hash });
  }

  async list(): Promise<Omit<UserRecord, "passwordHash">[]> {
    return this.listStatement.all().map(userOf);
  }

  async setPasswordHash(id: string, passwordHash: string): Promise<boolean> {
    return this.setHashStatement.run(passwordHash, id).changes === 1;
  }

  async setDisabled(id: string, at: number | undefined): Promise<boolean> {
    return this.setDisabledStatement.run(at ?? null, id).changes === 1;
  }
}
