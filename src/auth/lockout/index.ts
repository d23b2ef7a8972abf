export { createLockout, lockoutOptionsFrom, addressKey, LockedOutError, type Lockout, type LockoutOptions, type LockoutTarget } from "./lockout.js";
export { createMemoryLockoutStore, type LockoutRule, type LockoutStore } from "./store.js";
export { lockoutConfigSchema, type LockoutConfig } from "./config.js";
export { guardTlsHandshakes, type HandshakeGuardOptions } from "./handshakes.js";
