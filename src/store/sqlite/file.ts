import { closeSync, constants, existsSync, fchmodSync, fstatSync, mkdirSync, openSync } from "node:fs";
import { dirname } from "node:path";
import { StoreError } from "../errors.js";

/** Owner read and write only: the file holds credential hashes and user records. */
export const STORE_FILE_MODE = 0o600;
/** Owner only, for a store directory this code creates. */
export const STORE_DIRECTORY_MODE = 0o700;

/**
 * Makes sure the store file exists with owner-only permissions before SQLite opens it (SQLite would
 * otherwise create it with the process umask, typically 0644). Creates missing directories as 0700.
 * An existing file that group or others may read is tightened to 0600. SQLite gives the -wal and
 * -shm files the database file's permissions.
 */
export function prepareStoreFile(path: string, create: boolean): void {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDWR);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    if (!create) throw new StoreError("store_missing", `no store at ${path}`);
    makeDirectories(dirname(path));
    try {
      fd = openSync(path, constants.O_RDWR | constants.O_CREAT | constants.O_EXCL, STORE_FILE_MODE);
    } catch (raced) {
      // Another process created it between our two opens: use theirs.
      if ((raced as NodeJS.ErrnoException).code !== "EEXIST") throw raced;
      fd = openSync(path, constants.O_RDWR);
    }
  }
  try {
    const { mode } = fstatSync(fd);
    if ((mode & 0o077) !== 0) fchmodSync(fd, STORE_FILE_MODE);
  } finally {
    closeSync(fd);
  }
}

/**
 * `mkdir -p` with mode 0700, one level at a time. Not mkdirSync's `recursive`: on Node 20 it never
 * returns when mkdir fails with ENOENT under an existing parent (a path under /proc, for example).
 */
export function makeDirectories(directory: string): void {
  const missing: string[] = [];
  for (let d = directory; !existsSync(d); d = dirname(d)) {
    missing.push(d);
    if (dirname(d) === d || missing.length > 256) break;
  }
  for (const d of missing.reverse()) {
    try {
      mkdirSync(d, { mode: STORE_DIRECTORY_MODE });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
}
