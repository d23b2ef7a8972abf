import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { request as httpsRequest } from "node:https";
import { isIP, type LookupFunction } from "node:net";
import ipaddr from "ipaddr.js";

/**
 * The only outgoing HTTP request the authorization server makes: fetching a client ID metadata
 * document (the client_id is an https URL chosen by whoever starts an authorization request), so
 * it is a server-side request forgery vector and is fenced in:
 *
 *  - https only, GET only, no credentials in the URL, optionally only listed host names;
 *  - the host name is resolved once, every address must be public unicast (no loopback, private,
 *    link-local, CGNAT, multicast, reserved, IPv4-mapped private, ...), and the connection goes to
 *    the address that was checked (no second lookup an attacker's DNS could answer differently);
 *  - redirects are never followed (the 3xx is returned as is, and oidc-provider refuses non-200);
 *  - a deadline for the whole exchange and a cap on the body size.
 *
 * `allowLoopback` and `ca` exist for tests (a document served on 127.0.0.1 with a test CA).
 */
export interface RestrictedFetchOptions {
  readonly maxBytes: number;
  readonly timeoutMs: number;
  /** Host names that may be fetched from (lower case); empty allows any public host. */
  readonly allowedHosts?: readonly string[];
  /** Tests only: loopback addresses are allowed too. */
  readonly allowLoopback?: boolean;
  /** Tests only: trust this CA instead of the system's. */
  readonly ca?: string | Buffer;
  /** Name resolution (node's dns.lookup by default); injectable to test resolution to private addresses. */
  readonly lookup?: (hostname: string) => Promise<LookupAddress[]>;
}

export class RestrictedFetchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RestrictedFetchError";
  }
}

/** Whether an address may be connected to: public unicast (or loopback, if allowed). */
export function isPublicAddress(address: string, allowLoopback = false): boolean {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.process(address.replace(/^\[|\]$/g, ""));
  } catch {
    return false;
  }
  const range = parsed.range();
  if (range === "unicast") return true;
  return allowLoopback && range === "loopback";
}

const systemLookup = (hostname: string): Promise<LookupAddress[]> =>
  new Promise((resolve, reject) => dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))));

const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);

export type RestrictedFetch = (input: string | URL, init?: { method?: string; headers?: ConstructorParameters<typeof Headers>[0]; signal?: AbortSignal | null }) => Promise<Response>;

export function createRestrictedFetch(options: RestrictedFetchOptions): RestrictedFetch {
  const resolve = options.lookup ?? systemLookup;
  const allowedHosts = new Set((options.allowedHosts ?? []).map((h) => h.toLowerCase()));

  return async (input, init = {}) => {
    const url = new URL(String(input));
    if (url.protocol !== "https:") throw new RestrictedFetchError("only https URLs are fetched");
    if (url.username || url.password) throw new RestrictedFetchError("URLs with credentials are not fetched");
    if ((init.method ?? "GET").toUpperCase() !== "GET") throw new RestrictedFetchError("only GET is allowed");
    const hostname = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
    if (allowedHosts.size > 0 && !allowedHosts.has(hostname)) throw new RestrictedFetchError("host is not in the allow-list");

    const addresses = isIP(hostname) ? [{ address: hostname, family: isIP(hostname) }] : await resolve(hostname);
    if (addresses.length === 0) throw new RestrictedFetchError("host name did not resolve");
    for (const { address } of addresses) {
      if (!isPublicAddress(address, options.allowLoopback)) throw new RestrictedFetchError("host resolves to a non-public address");
    }
    const pinned = addresses[0]!;
    const pinnedLookup: LookupFunction = (_host, lookupOptions, callback) => {
      if (lookupOptions.all) (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, [pinned]);
      else callback(null, pinned.address, pinned.family);
    };

    const headers = new Headers(init.headers);
    const outgoing: Record<string, string> = { accept: headers.get("accept") ?? "application/json", "user-agent": "mcp-bastion" };

    return new Promise<Response>((resolvePromise, rejectPromise) => {
      let settled = false;
      const fail = (error: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        init.signal?.removeEventListener("abort", onAbort);
        req.destroy();
        rejectPromise(error);
      };
      const onAbort = () => fail(new RestrictedFetchError("aborted"));
      const timer = setTimeout(() => fail(new RestrictedFetchError("timed out")), options.timeoutMs);

      const req = httpsRequest(
        {
          protocol: "https:",
          hostname: url.hostname.replace(/^\[|\]$/g, ""),
          servername: isIP(hostname) ? undefined : hostname,
          port: url.port || 443,
          path: `${url.pathname}${url.search}`,
          method: "GET",
          headers: outgoing,
          lookup: pinnedLookup,
          agent: false,
          ...(options.ca !== undefined ? { ca: options.ca } : {}),
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          const declared = Number(res.headers["content-length"]);
          if (Number.isFinite(declared) && declared > options.maxBytes) return fail(new RestrictedFetchError("response too large"));
          res.on("data", (chunk: Buffer) => {
            size += chunk.length;
            if (size > options.maxBytes) return fail(new RestrictedFetchError("response too large"));
            chunks.push(chunk);
          });
          res.on("error", (error) => fail(error));
          res.on("end", () => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            init.signal?.removeEventListener("abort", onAbort);
            const responseHeaders = new Headers();
            for (const [name, value] of Object.entries(res.headers)) {
              if (value === undefined) continue;
              for (const v of Array.isArray(value) ? value : [value]) responseHeaders.append(name, v);
            }
            const status = res.statusCode ?? 502;
            const body = NULL_BODY_STATUS.has(status) ? null : Buffer.concat(chunks);
            resolvePromise(new Response(body, { status: status < 200 || status > 599 ? 502 : status, headers: responseHeaders }));
          });
        },
      );
      req.on("error", (error) => fail(error));
      if (init.signal?.aborted) return onAbort();
      init.signal?.addEventListener("abort", onAbort, { once: true });
      req.end();
    });
  };
}
