import { createLocalJWKSet, errors, type JWSHeaderParameters } from "jose";
import { AuthError } from "../errors.js";
import { KeySetUnavailableError, keyFromSet, publicKeysOf, type KeySet, type VerificationKey } from "./key-set.js";

export interface RemoteKeySetOptions {
  url: string;
  /** Fetched keys are used this long, then fetched again (ms). */
  cacheMaxAge: number;
  /** At most one fetch per cooldown (ms): a token with an unknown `kid` refetches only after it. */
  cooldown: number;
  /** A fetch that takes longer fails (ms). */
  timeout: number;
  /** Largest JWKS document accepted, in bytes (default 256 KiB). */
  maxBytes?: number;
  now?: () => number;
  /** For tests that count fetches differently; default: global fetch. */
  fetch?: typeof fetch;
}

export interface RemoteKeySet extends KeySet {
  /** How many fetches were started (for tests and metrics). */
  readonly fetchCount: number;
}

type LocalKeySet = ReturnType<typeof createLocalJWKSet>;

/**
 * An issuer's JWKS fetched from its URL and cached. Keys are refetched when the cache is older
 * than `cacheMaxAge`, and when a token names a `kid` the cached set lacks (key rotation) - but
 * never more than once per `cooldown`, whatever tokens arrive, so forged kids cannot make the
 * gateway hammer the issuer. Concurrent refetches share one request. A failed fetch leaves no
 * stale keys in use beyond `cacheMaxAge` (fail closed); redirects are not followed.
 */
export function createRemoteKeySet(options: RemoteKeySetOptions): RemoteKeySet {
  const now = options.now ?? Date.now;
  const doFetch = options.fetch ?? fetch;
  const maxBytes = options.maxBytes ?? 256 * 1024;
  let local: LocalKeySet | undefined;
  let fetchedAt = Number.NEGATIVE_INFINITY;
  let lastAttemptAt = Number.NEGATIVE_INFINITY;
  let pending: Promise<void> | undefined;
  let fetchCount = 0;
  let last: { keys?: LocalKeySet; alg?: string; kid?: string; key?: VerificationKey } = {};

  const fresh = (): boolean => local !== undefined && now() < fetchedAt + options.cacheMaxAge;
  // A cooldown longer than the cache's life would leave expired keys and no way to refetch them.
  const cooldown = Math.min(options.cooldown, options.cacheMaxAge);
  const coolingDown = (): boolean => now() < lastAttemptAt + cooldown;

  async function load(): Promise<void> {
    lastAttemptAt = now();
    fetchCount += 1;
    const document = await fetchJwks(options.url, doFetch, options.timeout, maxBytes);
    let keys;
    try {
      keys = createLocalJWKSet(publicKeysOf(document));
    } catch (cause) {
      throw new KeySetUnavailableError("The issuer's JWKS is not a valid key set", { cause });
    }
    local = keys;
    fetchedAt = now();
  }

  function reload(): Promise<void> {
    if (!pending) {
      pending = load().finally(() => {
        pending = undefined;
      });
    }
    return pending;
  }

  async function current(): Promise<LocalKeySet> {
    if (pending) await pending;
    if (!fresh()) {
      if (coolingDown()) throw new KeySetUnavailableError("The issuer's keys are unavailable (a recent fetch failed)");
      await reload();
    }
    if (!local || !fresh()) throw new KeySetUnavailableError("The issuer's keys are unavailable");
    return local;
  }

  return {
    get fetchCount() {
      return fetchCount;
    },
    knownKey(header: JWSHeaderParameters): VerificationKey | undefined {
      // The same conditions under which getKey answers from `last` without fetching (current() and the check below).
      if (pending !== undefined || local === undefined || !fresh()) return undefined;
      return local === last.keys && header.alg === last.alg && header.kid === last.kid ? last.key : undefined;
    },
    async getKey(header: JWSHeaderParameters): Promise<VerificationKey> {
      const keys = await current();
      // The same token on every request asks for the same key: the set's lookup reads only the
      // header's alg and kid and gives the same key object for them, so its last answer is kept,
      // for this very set (a refetched set is another object, looked up afresh).
      if (keys === last.keys && header.alg === last.alg && header.kid === last.kid && last.key !== undefined) return last.key;
      try {
        const key = await keys(header);
        last = { keys, alg: header.alg, kid: header.kid, key };
        return key;
      } catch (error) {
        if (!(error instanceof errors.JWKSNoMatchingKey) || coolingDown()) return keyFromSet(keys, header);
      }
      // An unknown kid after the cooldown: the issuer may have rotated its keys.
      await reload();
      if (!local) throw new AuthError("invalid_token", "No trusted key matches the token");
      return keyFromSet(local, header);
    },
  };
}

async function fetchJwks(url: string, doFetch: typeof fetch, timeout: number, maxBytes: number): Promise<unknown> {
  let response: Response;
  try {
    response = await doFetch(url, {
      method: "GET",
      redirect: "manual",
      headers: { accept: "application/jwk-set+json, application/json" },
      signal: AbortSignal.timeout(timeout),
    });
  } catch (cause) {
    throw new KeySetUnavailableError("The issuer's JWKS could not be fetched", { cause });
  }
  if (response.status !== 200) {
    await response.body?.cancel().catch(() => undefined);
    throw new KeySetUnavailableError(`The issuer's JWKS answered HTTP ${response.status}`);
  }
  const text = await readLimited(response, maxBytes);
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new KeySetUnavailableError("The issuer's JWKS is not JSON", { cause });
  }
}

/** Reads a response body as UTF-8, refusing one larger than `maxBytes`. */
export async function readLimited(response: Response, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw new KeySetUnavailableError("The response is too large");
  }
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw new KeySetUnavailableError("The response is too large");
      }
      chunks.push(value);
    }
  } catch (cause) {
    if (cause instanceof KeySetUnavailableError) throw cause;
    throw new KeySetUnavailableError("The response could not be read", { cause });
  }
  return Buffer.concat(chunks).toString("utf8");
}
