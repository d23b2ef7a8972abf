import type { ApiKeyMetadata, ApiKeyStore } from "../../store/types.js";
import type { RandomBytes } from "./format.js";
import { newKeyRecord, withFreshId } from "./issue.js";

export const BOOTSTRAP_KEY_NAME = "bootstrap admin";

export type BootstrapResult = { readonly created: true; readonly key: string; readonly metadata: ApiKeyMetadata } | { readonly created: false };

export interface BootstrapOptions {
  readonly now?: () => number;
  readonly random?: RandomBytes;
  readonly name?: string;
}

/**
 * The quick start's first key: when the store holds no API keys at all (none ever created, not
 * even revoked ones), creates an admin key without expiry and returns it, for `serve` to print
 * once. Otherwise does nothing. Idempotent and safe when two processes start at once: the insert
 * is conditional on the table being empty, in one statement under the write lock.
 */
export async function ensureBootstrapAdminKey(store: { readonly apiKeys: ApiKeyStore }, options: BootstrapOptions = {}): Promise<BootstrapResult> {
  const now = options.now ?? Date.now;
  if ((await store.apiKeys.count()) > 0) return { created: false };
  return withFreshId(async (): Promise<BootstrapResult> => {
    const { key, record } = newKeyRecord({ name: options.name ?? BOOTSTRAP_KEY_NAME, role: "admin", scopes: [], createdAt: now() }, options.random);
    if (!(await store.apiKeys.insertIfNone(record))) return { created: false };
    const { secretHash: _hash, hashScheme: _scheme, ...metadata } = record;
    return { created: true, key, metadata: Object.freeze(metadata) };
  });
}
