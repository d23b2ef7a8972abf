/**
 * What the load generator sends and how it reads answers: JSON-RPC bodies for the two payloads,
 * Streamable HTTP replies as JSON or as an SSE stream, and a check that each answer is the
 * tools/call result it should be. Pure functions, so they are tested on their own.
 */

export type Payload = "echo" | "pii";
export const PAYLOADS: readonly Payload[] = ["echo", "pii"];

export const PROTOCOL_VERSION = "2025-11-25";
export const ECHO_TEXT = "hello from the gateway benchmark: a small, clean echo";
/** How many distinct PII documents the upstream serves (pii-payload.ts DEFAULT_DOCUMENTS). */
export const PII_DOCUMENTS = 16;

export function initializeBody(id: number | string): string {
  return JSON.stringify({
    jsonrpc: "2.0",
    id,
    method: "initialize",
    params: { protocolVersion: PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: "bench-gateway-client", version: "1.0.0" } },
  });
}

export const INITIALIZED_BODY = JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" });

/** The tools/call for request number `n` of a payload (the PII document rotates with n). */
export function callBody(payload: Payload, id: number, n: number): string {
  const params = payload === "echo" ? { name: "echo", arguments: { text: ECHO_TEXT } } : { name: "pii_report", arguments: { doc: n % PII_DOCUMENTS } };
  return `{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":${JSON.stringify(params)}}`;
}

export const MODERN_VERSION = "2026-07-28";

/** The tool a payload calls. */
export const toolOf = (payload: Payload): string => (payload === "echo" ? "echo" : "pii_report");

/**
 * The same call as a stateless 2026-07-28 request: the per-request `_meta` envelope (protocol
 * version, client capabilities and info) instead of a session.
 */
export function modernCallBody(payload: Payload, id: number, n: number): string {
  const args = payload === "echo" ? { text: ECHO_TEXT } : { doc: n % PII_DOCUMENTS };
  const meta = {
    "io.modelcontextprotocol/protocolVersion": MODERN_VERSION,
    "io.modelcontextprotocol/clientCapabilities": {},
    "io.modelcontextprotocol/clientInfo": { name: "bench-gateway-client", version: "1.0.0" },
  };
  return `{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":${JSON.stringify({ name: toolOf(payload), arguments: args, _meta: meta })}}`;
}

/**
 * The JSON-RPC messages in a reply body: one JSON object, or the `data:` of each SSE event
 * (multi-line data joined with "\n", events with empty data skipped, as the SSE spec says).
 * Throws on a body that is neither.
 */
export function messagesOf(body: string, contentType: string | undefined): unknown[] {
  if (contentType !== undefined && contentType.toLowerCase().startsWith("text/event-stream")) {
    const out: unknown[] = [];
    for (const event of body.split(/\r?\n\r?\n/)) {
      const data: string[] = [];
      for (const line of event.split(/\r?\n/)) {
        if (line.startsWith("data:")) data.push(line.slice(line[5] === " " ? 6 : 5));
      }
      // An event with empty data is not dispatched (the SSE spec): servers send one to prime resumption.
      const text = data.join("\n");
      if (text !== "") out.push(JSON.parse(text));
    }
    return out;
  }
  return [JSON.parse(body)];
}

export interface CallOutcome {
  ok: boolean;
  /** The result's first text content (undefined when the answer is not a text result). */
  text?: string;
  /** Why it is not ok. */
  problem?: string;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** Finds the response to `id` among `messages` and checks it is a successful tools/call result with text. */
export function checkCallResult(messages: readonly unknown[], id: number | string): CallOutcome {
  const response = messages.find((m) => isObject(m) && m["id"] === id && ("result" in m || "error" in m));
  if (!isObject(response)) return { ok: false, problem: `no response with id ${id}` };
  if ("error" in response) {
    const error = response["error"];
    return { ok: false, problem: `error ${isObject(error) ? `${String(error["code"])} ${String(error["message"])}` : JSON.stringify(error)}` };
  }
  const result = response["result"];
  const content = isObject(result) ? result["content"] : undefined;
  const first = Array.isArray(content) ? content[0] : undefined;
  if (!isObject(first) || typeof first["text"] !== "string") return { ok: false, problem: "the result has no text content" };
  if (isObject(result) && result["isError"] === true) return { ok: false, problem: `tool error: ${first["text"].slice(0, 200)}` };
  return { ok: true, text: first["text"] };
}

/** What a reply to the PII payload shows: how much raw PII a model would see, and how much was masked. */
export interface PiiExposure {
  bytes: number;
  /** Email addresses still readable in the text. */
  emailsVisible: number;
  /** Placeholders such as <EMAIL_ADDRESS> the gateway put in. */
  maskTags: number;
}

export function piiExposure(text: string): PiiExposure {
  return {
    bytes: Buffer.byteLength(text),
    emailsVisible: (text.match(/[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g) ?? []).length,
    maskTags: (text.match(/<(?:EMAIL_ADDRESS|PHONE_NUMBER|US_SSN|CREDIT_CARD|IP_ADDRESS|STREET_ADDRESS|PASSPORT)(?:_\d+)?>/g) ?? []).length,
  };
}
