import { randomBytes } from "node:crypto";

/** 192 bits from the CSPRNG, base64url: 32 visible ASCII characters (MCP asks for 0x21-0x7E only). */
export function newSessionId(): string {
  return randomBytes(24).toString("base64url");
}

/** What a client may present as a session id: 1-128 visible ASCII characters. Anything else is unknown. */
export const isWellFormedSessionId = (value: string): boolean => /^[\x21-\x7e]{1,128}$/.test(value);
