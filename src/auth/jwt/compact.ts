import { AuthError } from "../errors.js";

/** A compact JWS taken apart, nothing verified yet. */
export interface CompactJws {
  readonly header: Readonly<Record<string, unknown>>;
  /** The payload as JSON: read before verification only to choose the issuer's keys. */
  readonly claims: Readonly<Record<string, unknown>>;
  readonly signature: string;
}

const SEGMENT = /^[A-Za-z0-9_-]*$/;

/** Whether a bearer token is shaped like a compact JWS (three base64url segments), so the JWT verifier is the one to ask. */
export function looksLikeCompactJws(token: string): boolean {
  const parts = token.split(".");
  return parts.length === 3 && parts.every((part) => SEGMENT.test(part)) && parts[0] !== "" && parts[1] !== "";
}

/**
 * Splits a compact JWS and decodes its header and payload as JSON objects. A JWE (five parts),
 * an empty segment, a non-base64url character, or anything that is not a JSON object is refused.
 */
export function decodeCompactJws(token: string): CompactJws {
  const parts = token.split(".");
  if (parts.length !== 3) throw new AuthError("invalid_token", "The token is not a signed JWT");
  const [header, payload, signature] = parts as [string, string, string];
  return {
    header: decodeJsonObject(header, "header"),
    claims: decodeJsonObject(payload, "payload"),
    signature: checkSegment(signature, "signature"),
  };
}

function checkSegment(segment: string, what: string): string {
  if (!SEGMENT.test(segment) || segment.length % 4 === 1) throw new AuthError("invalid_token", `The token's ${what} is not base64url`);
  return segment;
}

function decodeJsonObject(segment: string, what: string): Record<string, unknown> {
  if (segment === "") throw new AuthError("invalid_token", `The token's ${what} is empty`);
  checkSegment(segment, what);
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(Buffer.from(segment, "base64url")));
  } catch {
    throw new AuthError("invalid_token", `The token's ${what} is not JSON`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new AuthError("invalid_token", `The token's ${what} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}
