import type { NewApiKey } from "../../store/types.js";
import { StoreError } from "../../store/errors.js";
import { generateApiKey, type RandomBytes } from "./format.js";
import { HASH_SCHEME, hashApiKey } from "./hash.js";

export interface KeyFields {
  readonly name: string;
  readonly role: string;
  readonly scopes: readonly string[];
  readonly createdAt: number;
  readonly expiresAt?: number;
  /** For a rotation: the chain this key continues and the key it replaces. */
  readonly lineageId?: string;
  readonly rotatedFromId?: string;
}

/** A fresh key and the record that stores it (the hash only, never the key). */
export function newKeyRecord(fields: KeyFields, random?: RandomBytes): { key: string; record: NewApiKey } {
  const { publicId, key } = generateApiKey(random);
  const record: NewApiKey = {
    id: publicId,
    lineageId: fields.lineageId ?? publicId,
    name: fields.name,
    role: fields.role,
    scopes: [...fields.scopes],
    hashScheme: HASH_SCHEME,
    secretHash: hashApiKey(key),
    createdAt: fields.createdAt,
    ...(fields.expiresAt !== undefined ? { expiresAt: fields.expiresAt } : {}),
    ...(fields.rotatedFromId !== undefined ? { rotatedFromId: fields.rotatedFromId } : {}),
  };
  return { key, record };
}

/** Ids are 80 random bits, so a clash is all but impossible; still, never overwrite: draw again. */
export async function withFreshId<T>(attempt: () => Promise<T>, tries = 3): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof StoreError && error.code === "conflict") || i >= tries) throw error;
    }
  }
}
