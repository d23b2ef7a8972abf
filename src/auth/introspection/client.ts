import { readLimited } from "../jwt/remote-key-set.js";

/** The introspection endpoint could not give an answer: not the caller's fault, not counted as a failed attempt. */
export class IntrospectionUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "IntrospectionUnavailableError";
  }
}

export interface IntrospectionClientOptions {
  endpoint: string;
  clientId: string;
  clientSecret: string;
  clientAuthMethod: "client_secret_basic" | "client_secret_post";
  timeout: number;
  /** Largest response accepted (default 64 KiB). */
  maxBytes?: number;
  fetch?: typeof fetch;
}

/** application/x-www-form-urlencoded encoding of a client id or secret for HTTP Basic (RFC 6749 §2.3.1). */
function formEncode(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, "+");
}

/**
 * Asks the introspection endpoint about one token (RFC 7662 §2.1): a POST with the gateway's own
 * client credentials. Returns the JSON object it answers; throws IntrospectionUnavailableError on
 * anything else (network, timeout, non-200 status, a redirect, not JSON, too large). The token
 * and the secret appear in no error message.
 */
export function createIntrospectionClient(options: IntrospectionClientOptions): (token: string) => Promise<Record<string, unknown>> {
  const doFetch = options.fetch ?? fetch;
  const maxBytes = options.maxBytes ?? 64 * 1024;
  const basic = `Basic ${Buffer.from(`${formEncode(options.clientId)}:${formEncode(options.clientSecret)}`).toString("base64")}`;

  return async (token) => {
    const form = new URLSearchParams({ token, token_type_hint: "access_token" });
    const headers: Record<string, string> = { accept: "application/json", "content-type": "application/x-www-form-urlencoded" };
    if (options.clientAuthMethod === "client_secret_basic") headers.authorization = basic;
    else {
      form.set("client_id", options.clientId);
      form.set("client_secret", options.clientSecret);
    }
    let response: Response;
    try {
      response = await doFetch(options.endpoint, {
        method: "POST",
        redirect: "manual",
        headers,
        body: form.toString(),
        signal: AbortSignal.timeout(options.timeout),
      });
    } catch (cause) {
      throw new IntrospectionUnavailableError("The introspection endpoint could not be reached", { cause });
    }
    if (response.status !== 200) {
      await response.body?.cancel().catch(() => undefined);
      throw new IntrospectionUnavailableError(`The introspection endpoint answered HTTP ${response.status}`);
    }
    let text: string;
    try {
      text = await readLimited(response, maxBytes);
    } catch (cause) {
      throw new IntrospectionUnavailableError("The introspection response could not be read", { cause });
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new IntrospectionUnavailableError("The introspection response is not JSON");
    }
    if (typeof body !== "object" || body === null || Array.isArray(body)) throw new IntrospectionUnavailableError("The introspection response is not a JSON object");
    return body as Record<string, unknown>;
  };
}
