import { generateKeyPair, randomBytes, type KeyObject } from "node:crypto";
import type { SigningAlgorithm } from "./config.js";
import type { KeyStore, SigningKeyRecord } from "./store.js";

/**
 * The token-signing keys: generated here, kept in the KeyStore (never hard-coded), rotated on
 * demand. After a rotation the previous key stops signing at once but stays in the JWKS, marked
 * `key_ops: ["verify"]`, for `retentionMs` (the longest token lifetime plus clock skew), so tokens
 * it signed keep verifying until they expire; then it is deleted.
 */

export interface KeySet {
  /** For oidc-provider's `jwks` option: private keys, the signing one first and unrestricted. */
  readonly providerJwks: { keys: Record<string, unknown>[] };
  /** What /jwks publishes: public parts only. */
  readonly publicJwks: { keys: Record<string, unknown>[] };
  readonly activeKid: string;
}

async function generate(alg: SigningAlgorithm): Promise<KeyObject> {
  const pair = await new Promise<{ privateKey: KeyObject }>((resolve, reject) => {
    const done = (error: Error | null, _publicKey: KeyObject, privateKey: KeyObject) => (error ? reject(error) : resolve({ privateKey }));
    switch (alg) {
      case "ES256":
        generateKeyPair("ec", { namedCurve: "P-256" }, done);
        break;
      case "EdDSA":
        generateKeyPair("ed25519", {}, done);
        break;
      case "PS256":
      case "RS256":
        generateKeyPair("rsa", { modulusLength: 2048 }, done);
        break;
    }
  });
  return pair.privateKey;
}

export async function createSigningKeyRecord(alg: SigningAlgorithm, now: number): Promise<SigningKeyRecord> {
  const privateKey = await generate(alg);
  const kid = randomBytes(16).toString("base64url");
  const jwk = privateKey.export({ format: "jwk" }) as Record<string, unknown>;
  return { kid, alg, privateJwk: { ...jwk, kid, alg, use: "sig" }, createdAt: now };
}

const PRIVATE_MEMBERS = new Set(["d", "p", "q", "dp", "dq", "qi", "oth", "k", "priv"]);
const publicPart = (jwk: Record<string, unknown>) => Object.fromEntries(Object.entries(jwk).filter(([name]) => !PRIVATE_MEMBERS.has(name)));

export interface SigningKeyManagerOptions {
  store: KeyStore;
  algorithm: SigningAlgorithm;
  /** How long a retired key stays published. */
  retentionMs: number;
  now: () => number;
}

export interface SigningKeyManager {
  /** Makes the first key if there is none, deletes retired keys past retention, and returns the set. */
  load(): Promise<KeySet>;
  /** A new signing key; the current one is retired (published for verification only). */
  rotate(): Promise<KeySet>;
}

export function createSigningKeyManager(options: SigningKeyManagerOptions): SigningKeyManager {
  const { store, algorithm, retentionMs, now } = options;

  const assemble = async (): Promise<KeySet> => {
    const t = now();
    let records = await store.listSigningKeys();
    for (const record of records) {
      if (record.retiredAt !== undefined && record.retiredAt + retentionMs <= t) await store.deleteSigningKey(record.kid);
    }
    records = records.filter((r) => r.retiredAt === undefined || r.retiredAt + retentionMs > t);
    // The newest unretired key of the configured algorithm signs. Any other unretired key (two
    // replicas creating a first key at once, or an algorithm change) is retired now.
    const candidates = records.filter((r) => r.retiredAt === undefined && r.alg === algorithm).sort((a, b) => b.createdAt - a.createdAt || (a.kid < b.kid ? -1 : 1));
    let active = candidates[0];
    if (!active) {
      active = await createSigningKeyRecord(algorithm, t);
      await store.saveSigningKey(active);
      records.push(active);
    }
    for (const record of records) {
      if (record.kid !== active.kid && record.retiredAt === undefined) {
        const retired = { ...record, retiredAt: t };
        await store.saveSigningKey(retired);
        records[records.indexOf(record)] = retired;
      }
    }
    const verifyOnly = records.filter((r) => r.kid !== active.kid).sort((a, b) => b.createdAt - a.createdAt);
    const providerKeys = [{ ...active.privateJwk }, ...verifyOnly.map((r) => ({ ...r.privateJwk, key_ops: ["verify"] }))];
    return {
      providerJwks: { keys: providerKeys },
      publicJwks: { keys: providerKeys.map(publicPart) },
      activeKid: active.kid,
    };
  };

  return {
    load: assemble,
    async rotate() {
      const t = now();
      const next = await createSigningKeyRecord(algorithm, t);
      for (const record of await store.listSigningKeys()) {
        if (record.retiredAt === undefined) await store.saveSigningKey({ ...record, retiredAt: t });
      }
      await store.saveSigningKey(next);
      return assemble();
    },
  };
}
