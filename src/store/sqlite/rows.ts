/** Small helpers shared by the SQLite row mappers. */

/** `{ [key]: value }` when the column is not NULL, else `{}` (optional fields stay absent, not undefined). */
export function optional<K extends string, V>(key: K, value: V | null): { [P in K]?: V } {
  return (value === null ? {} : { [key]: value }) as { [P in K]?: V };
}

/** A JSON array of strings from a TEXT column; anything else is a corrupt row and throws. */
export function parseStringArray(text: string, column: string): string[] {
  const value: unknown = JSON.parse(text);
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) {
    throw new Error(`corrupt value in ${column}: expected a JSON array of strings`);
  }
  return value;
}

/** A UNIQUE or PRIMARY KEY constraint failure from better-sqlite3. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === "SQLITE_CONSTRAINT_PRIMARYKEY" || code === "SQLITE_CONSTRAINT_UNIQUE";
}
