import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

/**
 * Cross-site request forgery defences for the login and consent forms, three deep:
 *
 *  1. the interaction cookie is SameSite=Lax and path-bound, so a cross-site POST arrives without it
 *     and oidc-provider finds no interaction;
 *  2. a token in the form, an HMAC of the interaction id under a server secret, compared in constant
 *     time: a page that cannot read ours cannot produce it;
 *  3. the browser's own word: an `Origin` other than the issuer's, or `Sec-Fetch-Site` other than
 *     same-origin / none, is refused.
 */
export function csrfToken(key: Buffer, interactionId: string): string {
  return createHmac("sha256", key).update(`interaction:${interactionId}`).digest("base64url");
}

export function csrfTokenMatches(key: Buffer, interactionId: string, presented: unknown): boolean {
  if (typeof presented !== "string" || presented.length > 128) return false;
  const expected = Buffer.from(csrfToken(key, interactionId));
  const actual = Buffer.from(presented);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Whether a form POST's headers say it came from our own pages. */
export function isSameOriginPost(headers: IncomingHttpHeaders, issuerOrigin: string): boolean {
  const origin = headers.origin;
  if (origin !== undefined && origin !== issuerOrigin) return false;
  const site = headers["sec-fetch-site"];
  if (site !== undefined && site !== "same-origin" && site !== "none") return false;
  return true;
}
