import type { ApiKeyMetadata, ApiKeyStore } from "../../store/types.js";
import type { Principal } from "../principal.js";
import { checkNotExpired } from "./check-expired.js";
import { checkNotRevoked } from "./check-revoked.js";
import { checkNotRotatedOut } from "./check-rotated-out.js";
import { checkSecret } from "./check-secret.js";
import { API_KEY_DEFAULTS } from "./config.js";
import { MAX_KEY_LIFETIME_MS, MAX_ROTATION_OVERLAP_MS } from "./duration.js";
import { ApiKeyAdminError } from "./errors.js";
import { isPublicId, parseApiKey, type RandomBytes } from "./format.js";
import { hashApiKey } from "./hash.js";
import { newKeyRecord, withFreshId } from "./issue.js";
import { parseKeyName } from "./name.js";
import { parseRole, type ApiKeyRole } from "./roles.js";
import { parseScopes } from "./scopes.js";
import { apiKeyStatus, apiKeyValidUntil } from "./status.js";

export interface ApiKeyServiceOptions {
  readonly store: ApiKeyStore;
  /** Now in ms (tests move it). Default Date.now. */
  readonly now?: () => number;
  /** Random bytes for ids and secrets. Default crypto.randomBytes. */
  readonly random?: RandomBytes;
  /** Default overlap for rotate() (ms). */
  readonly rotationOverlapMs?: number;
  /** Write last_used_at at most once per this many ms per key. */
  readonly lastUsedIntervalMs?: number;
  /** Called when writing last_used_at fails (authentication still succeeds: it is bookkeeping). */
  readonly onLastUsedError?: (error: unknown, keyId: string) => void;
}

export interface CreateApiKeyInput {
  readonly name: string;
  readonly role: string;
  /** A list, or one comma-separated string. */
  readonly scopes?: string | readonly string[];
  /** Lifetime from now (ms); none: the key does not expire. */
  readonly expiresInMs?: number;
}

export interface RotateApiKeyInput {
  /** How long the old key keeps working (ms); 0 stops it at once. Default from options. */
  readonly overlapMs?: number;
  /** Lifetime of the new key from now; default the old key's lifetime (none if it had none). */
  readonly expiresInMs?: number;
}

/** A key as returned once at creation or rotation: `key` is never stored nor shown again. */
export interface IssuedApiKey {
  readonly key: string;
  readonly metadata: ApiKeyMetadata;
}

export interface ApiKeyService {
  create(input: CreateApiKeyInput): Promise<IssuedApiKey>;
  /** Every key with its status now; never a secret or a hash. */
  list(): Promise<Array<ApiKeyMetadata & { status: ReturnType<typeof apiKeyStatus> }>>;
  /** Revokes a key (and the earlier keys of its rotation chain) at once. */
  revoke(id: string): Promise<{ id: string; alreadyRevoked: boolean }>;
  /** A new key for the same name, role and scopes; the old one works until the overlap ends. */
  rotate(id: string, input?: RotateApiKeyInput): Promise<IssuedApiKey & { replacedId: string; overlapUntil: number }>;
  /** The Principal for a presented key, or AuthError (malformed, unknown, revoked, expired). */
  authenticate(presented: string, now: number): Promise<Principal>;
}

function checkLifetime(ms: number | undefined, what: string, max: number, allowZero: boolean): void {
  if (ms === undefined) return;
  if (!Number.isSafeInteger(ms) || ms < 0 || (!allowZero && ms === 0) || ms > max) {
    throw new ApiKeyAdminError("invalid_duration", `${what} must be a whole number of ms, ${allowZero ? "0" : "1"} to ${max}`);
  }
}

function checkId(id: string): void {
  if (typeof id !== "string" || !isPublicId(id)) throw new ApiKeyAdminError("invalid_id", "not an API key id (16 characters a-z, 2-7)");
}

export function createApiKeyService(options: ApiKeyServiceOptions): ApiKeyService {
  const { store, random } = options;
  const now = options.now ?? Date.now;
  const defaultOverlapMs = options.rotationOverlapMs ?? API_KEY_DEFAULTS.rotationOverlapMs;
  const lastUsedIntervalMs = options.lastUsedIntervalMs ?? API_KEY_DEFAULTS.lastUsedIntervalMs;
  checkLifetime(defaultOverlapMs, "rotationOverlapMs", MAX_ROTATION_OVERLAP_MS, true);

  const principalOf = (key: ApiKeyMetadata, at: number): Principal => {
    const validUntil = apiKeyValidUntil(key);
    return Object.freeze({
      // The chain's first id: a rotated key is the same caller, so sessions bound to it survive rotation.
      id: `key:${key.lineageId}`,
      method: "api-key",
      roles: Object.freeze([key.role]),
      scopes: Object.freeze([...key.scopes]),
      attributes: Object.freeze({ keyName: key.name }),
      authenticatedAt: at,
      ...(validUntil !== undefined ? { expiresAt: validUntil } : {}),
      credentialId: key.id,
    });
  };

  return {
    async create(input) {
      const name = parseKeyName(input.name);
      const role: ApiKeyRole = parseRole(input.role);
      const scopes = parseScopes(input.scopes);
      checkLifetime(input.expiresInMs, "expiresInMs", MAX_KEY_LIFETIME_MS, false);
      return withFreshId(async () => {
        const createdAt = now();
        const { key, record } = newKeyRecord(
          { name, role, scopes, createdAt, ...(input.expiresInMs !== undefined ? { expiresAt: createdAt + input.expiresInMs } : {}) },
          random,
        );
        await store.insert(record);
        const { secretHash: _hash, hashScheme: _scheme, ...metadata } = record;
        return { key, metadata: Object.freeze(metadata) };
      });
    },

    async list() {
      const at = now();
      return (await store.list()).map((key) => ({ ...key, status: apiKeyStatus(key, at) }));
    },

    async revoke(id) {
      checkId(id);
      const outcome = await store.revoke(id, now());
      if (outcome === "not-found") throw new ApiKeyAdminError("not_found", `no API key with id ${id}`);
      return { id, alreadyRevoked: outcome === "already-revoked" };
    },

    async rotate(id, input = {}) {
      checkId(id);
      const overlapMs = input.overlapMs ?? defaultOverlapMs;
      checkLifetime(overlapMs, "overlapMs", MAX_ROTATION_OVERLAP_MS, true);
      checkLifetime(input.expiresInMs, "expiresInMs", MAX_KEY_LIFETIME_MS, false);
      const old = await store.findById(id);
      if (old === undefined) throw new ApiKeyAdminError("not_found", `no API key with id ${id}`);
      const notRotatable = (): ApiKeyAdminError => {
        const status = apiKeyStatus(old, now());
        const why = status === "rotating" || status === "rotated" ? `it was already rotated (to ${old.replacedById}); rotate that key instead` : `it is ${status}`;
        return new ApiKeyAdminError("not_rotatable", `API key ${id} cannot be rotated: ${why}`);
      };
      if (apiKeyStatus(old, now()) !== "active") throw notRotatable();
      const lifetimeMs = input.expiresInMs ?? (old.expiresAt !== undefined ? old.expiresAt - old.createdAt : undefined);
      return withFreshId(async () => {
        const at = now();
        const overlapUntil = Math.min(at + overlapMs, old.expiresAt ?? Number.MAX_SAFE_INTEGER);
        const { key, record } = newKeyRecord(
          {
            name: old.name,
            role: old.role,
            scopes: old.scopes,
            createdAt: at,
            ...(lifetimeMs !== undefined ? { expiresAt: at + lifetimeMs } : {}),
            lineageId: old.lineageId,
            rotatedFromId: old.id,
          },
          random,
        );
        const outcome = await store.rotate(id, record, overlapUntil, at);
        if (outcome === "not-found") throw new ApiKeyAdminError("not_found", `no API key with id ${id}`);
        if (outcome === "not-rotatable") throw notRotatable();
        const { secretHash: _hash, hashScheme: _scheme, ...metadata } = record;
        return { key, metadata: Object.freeze(metadata), replacedId: id, overlapUntil };
      });
    },

    async authenticate(presented, at) {
      const { publicId, key } = parseApiKey(presented);
      const digest = hashApiKey(key);
      const record = checkSecret(await store.findById(publicId), digest);
      checkNotRevoked(record);
      checkNotRotatedOut(record, at);
      checkNotExpired(record, at);
      if (record.lastUsedAt === undefined || at - record.lastUsedAt >= lastUsedIntervalMs) {
        try {
          await store.touchLastUsed(record.id, at, at - lastUsedIntervalMs + 1);
        } catch (error) {
          options.onLastUsedError?.(error, record.id);
        }
      }
      return principalOf(record, at);
    },
  };
}

