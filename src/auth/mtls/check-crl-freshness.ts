/**
 * The nextUpdate policy. OpenSSL refuses every certificate whose issuer's CRL is past nextUpdate
 * (CRL_HAS_EXPIRED) or not yet valid (CRL_NOT_YET_VALID), and accepts a CRL without nextUpdate
 * forever. This module decides what the gateway does about it before OpenSSL gets there:
 *
 * - a CRL without nextUpdate is refused in every mode (RFC 5280 5.1.2.5: conforming CAs MUST
 *   include it; without it a stale CRL would be trusted forever);
 * - a CRL past nextUpdate, or with thisUpdate in the future, is a start-up error when client
 *   certificates are `required` (the gateway could authenticate nobody), and a warning when they
 *   are `optional` (other credentials keep working; every certificate is refused until a current
 *   CRL is loaded);
 * - no grace period after nextUpdate: a CA that stops publishing must not leave revoked
 *   certificates working.
 */
import type { CrlFields } from "./crl.js";

export type CrlFreshness = { ok: true } | { ok: false; fatal: boolean; problem: string };

export function checkCrlFreshness(crl: CrlFields, now: number, mode: "optional" | "required"): CrlFreshness {
  if (crl.nextUpdate === undefined) return { ok: false, fatal: true, problem: "has no nextUpdate (a CRL must say when it goes stale)" };
  if (crl.thisUpdate > now) {
    return { ok: false, fatal: mode === "required", problem: `is not valid yet (thisUpdate ${new Date(crl.thisUpdate).toISOString()}; is the clock right?)` };
  }
  if (crl.nextUpdate <= now) {
    return { ok: false, fatal: mode === "required", problem: `expired at ${new Date(crl.nextUpdate).toISOString()} (nextUpdate): publish a fresh CRL` };
  }
  return { ok: true };
}
