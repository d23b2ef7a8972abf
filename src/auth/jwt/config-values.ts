import { z } from "zod";
import { DURATION_EXPECTED, parseDuration } from "../../config/duration.js";

/**
 * Value schemas shared by the token-authentication config sections (jwt, introspection, lockout,
 * resource metadata). Each parses the file's value into the typed value the code uses.
 */

/** A duration ("30s", "15m", or milliseconds) parsed to milliseconds. */
export const durationMs = z
  .union([z.number(), z.string()], { error: DURATION_EXPECTED })
  .transform((value, ctx) => {
    const ms = parseDuration(value);
    if (ms === undefined) {
      ctx.addIssue({ code: "custom", message: DURATION_EXPECTED });
      return z.NEVER;
    }
    return ms;
  });

/** A duration that may be zero (a clock skew of none). */
export const durationOrZeroMs = z.union([z.literal(0), durationMs], { error: `0 or ${DURATION_EXPECTED}` });

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "[::1]", "localhost"]);

/** Whether a URL may be fetched for keys or introspection: https, or http to this machine only. */
export function isSafeFetchUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username !== "" || url.password !== "" || url.hash !== "") return false;
  if (url.protocol === "https:") return true;
  return url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname);
}

export const fetchUrl = z
  .string({ error: "a URL" })
  .refine(isSafeFetchUrl, { error: "an https:// URL without credentials or fragment (http:// only to 127.0.0.1, [::1] or localhost)" });

/** An absolute URI with no fragment: an issuer or a resource identifier (compared exactly, never normalized). */
export const absoluteUri = z.string({ error: "an absolute URI" }).refine(
  (value) => {
    try {
      const url = new URL(value);
      return url.hash === "" && !value.includes("#") && url.username === "" && url.password === "";
    } catch {
      return false;
    }
  },
  { error: "an absolute URI without fragment or credentials" },
);

/** A claim's location: a top-level claim name (which may contain dots, e.g. "https://example.com/roles"), or a path of names. */
export const claimPath = z.union(
  [
    z.string().min(1),
    z.array(z.string().min(1)).min(1).max(8),
  ],
  { error: 'a claim name ("roles") or a path of names (["realm_access", "roles"])' },
);
export type ClaimPath = z.infer<typeof claimPath>;
