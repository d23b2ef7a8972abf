import type { Adapter, AdapterPayload } from "oidc-provider";
import type { OidcStore } from "./store.js";

/**
 * oidc-provider's adapter (one per model) over our OidcStore. Expiry is computed with the injected
 * clock, so the store drops a record exactly when oidc-provider's own `exp` says it has expired.
 */
export function createOidcAdapterFactory(store: OidcStore, now: () => number): (model: string) => Adapter {
  return (model: string): Adapter => ({
    async upsert(id: string, payload: AdapterPayload, expiresIn?: number) {
      const expiresAt = typeof expiresIn === "number" && expiresIn > 0 ? now() + expiresIn * 1000 : undefined;
      await store.upsert(model, id, { payload, ...(expiresAt !== undefined ? { expiresAt } : {}) });
    },
    async find(id: string) {
      return (await store.find(model, id))?.payload as AdapterPayload | undefined;
    },
    async findByUid(uid: string) {
      return (await store.findByUid(model, uid))?.payload as AdapterPayload | undefined;
    },
    async findByUserCode(userCode: string) {
      return (await store.findByUserCode(model, userCode))?.payload as AdapterPayload | undefined;
    },
    async consume(id: string) {
      await store.consume(model, id, Math.floor(now() / 1000));
    },
    async destroy(id: string) {
      await store.destroy(model, id);
    },
    async revokeByGrantId(grantId: string) {
      await store.revokeByGrantId(model, grantId);
    },
  });
}
