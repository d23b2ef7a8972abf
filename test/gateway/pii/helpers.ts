import { createPiiEngine, defaultRecognizers, type PiiEngine, type Recognizer } from "../../../src/pii/index.js";
import type { JsonRpcId, JsonRpcNotification, JsonRpcRequest, JsonRpcSuccess } from "../../../src/gateway/jsonrpc.js";

/** Only EMAIL_ADDRESS is complete in the engine today, so gateway tests speak in addresses. */
export const ALICE = "alice@example.com";
export const BOB = "bob.smith+news@example.co.uk";

/** A 1x1 PNG: binary content the masker must pass through byte for byte. */
export const TINY_PNG =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

export function emailEngine(options: Parameters<typeof createPiiEngine>[0] = {}): PiiEngine {
  return createPiiEngine({ entities: ["EMAIL_ADDRESS"], ...options });
}

/** A card number as a tool might send it, as a JSON number. */
export const CARD_NUMBER = 4111111111111111;

/**
 * The e-mail recognizer plus a stand-in that reports CARD_NUMBER's digits as CREDIT_CARD, so
 * number masking is tested without leaning on recognizers still being written.
 */
export function emailAndCardEngine(): PiiEngine {
  const digits = String(CARD_NUMBER);
  const card: Recognizer = {
    type: "CREDIT_CARD",
    maxLength: digits.length,
    context: [],
    find(text) {
      const out = [];
      for (let at = text.indexOf(digits); at >= 0; at = text.indexOf(digits, at + digits.length)) {
        out.push({ start: at, end: at + digits.length, score: 1 });
      }
      return out;
    },
  };
  const email = defaultRecognizers().filter((r) => r.type === "EMAIL_ADDRESS");
  return createPiiEngine({ entities: ["EMAIL_ADDRESS", "CREDIT_CARD"], recognizers: [...email, card] });
}

export function success(result: Record<string, unknown>, id: JsonRpcId = 7): JsonRpcSuccess {
  return { jsonrpc: "2.0", id, result };
}

export function request(method: string, params: Record<string, unknown>, id: JsonRpcId = 9): JsonRpcRequest {
  return { jsonrpc: "2.0", id, method, params };
}

export function notification(method: string, params: Record<string, unknown>): JsonRpcNotification {
  return { jsonrpc: "2.0", method, params };
}

/** Every string anywhere in a value (keys too), for "no address left anywhere" assertions. */
export function allStrings(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const item of value) allStrings(item, out);
  else if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      out.push(key);
      allStrings(item, out);
    }
  }
  return out;
}

export function containsAddress(value: unknown, engine: PiiEngine): boolean {
  return allStrings(value).some((s) => engine.detect(s).some((f) => f.type === "EMAIL_ADDRESS"));
}
