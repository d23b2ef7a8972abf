import { randomBytes } from "node:crypto";
import { closeSync, constants, fchmodSync, fstatSync, openSync, readFileSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { parseSecretKey } from "../config.js";
import { StoreError } from "../errors.js";
import { SECRET_KEY_BYTES } from "./envelope.js";
import { makeDirectories, STORE_FILE_MODE } from "./file.js";

/**
 * The store's secret key from its file (`.bastion/secret.key` by default): read if it exists, else
 * made (32 random bytes, base64, mode 0600, in a 0700 directory) with O_EXCL, so two processes
 * starting together end up with one key. A file others may read is tightened to 0600.
 */
export function loadOrCreateSecretKey(path: string): Buffer {
  let fd: number;
  let created = false;
  try {
    fd = openSync(path, constants.O_RDONLY);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw new StoreError("bad_secret_key_file", `cannot read the secret key file ${path}: ${(error as NodeJS.ErrnoException).code ?? "error"}`);
    makeDirectories(dirname(path));
    try {
      fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, STORE_FILE_MODE);
      created = true;
    } catch (raced) {
      if ((raced as NodeJS.ErrnoException).code !== "EEXIST") throw raced;
      fd = openSync(path, constants.O_RDONLY);
    }
  }
  try {
    if (created) {
      const key = randomBytes(SECRET_KEY_BYTES);
      writeSync(fd, `${key.toString("base64")}\n`);
      return key;
    }
    const { mode } = fstatSync(fd);
    if ((mode & 0o077) !== 0) fchmodSync(fd, STORE_FILE_MODE);
  } finally {
    closeSync(fd);
  }
  const key = parseSecretKey(readFileSync(path, "utf8"));
  if (key === undefined) throw new StoreError("bad_secret_key_file", `the secret key file ${path} does not hold a key (32 bytes, base64 or hex)`);
  return key;
}
