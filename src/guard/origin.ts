/**
 * DNS-rebinding defence: the Host and Origin headers are checked against allow-lists built from
 * config. A page on evil.example whose name now resolves to 127.0.0.1 still sends
 * `Host: evil.example` and `Origin: http://evil.example`, so both must name us.
 *
 * - Host: entries are host names or IP literals (`localhost`, `[::1]`), matching any port, or
 *   `name:port`, matching that port only. `*` accepts any Host. A missing Host is refused.
 * - Origin: entries are full origins (`https://app.example.com:8443`) or host names (any http/https
 *   origin on that host). `*` accepts any. No Origin passes (non-browser clients send none); the
 *   opaque origin `null` and anything unparseable are refused.
 */

export type OriginCheck =
  | { ok: true }
  | { ok: false; status: 403 | 421; reason: "host" | "origin"; message: string };

export interface OriginGuardOptions {
  allowedHosts: readonly string[];
  allowedOrigins: readonly string[];
}

export type OriginGuard = (host: string | undefined, origin: string | undefined) => OriginCheck;

const OK: OriginCheck = { ok: true };

/** Splits `name:port`, `[v6]:port`, `name` or `[v6]` into a lower-case host and an optional port. */
export function splitHostPort(value: string): { host: string; port?: string } | undefined {
  const text = value.trim().toLowerCase();
  if (text === "") return undefined;
  if (text.startsWith("[")) {
    const close = text.indexOf("]");
    if (close < 0) return undefined;
    const host = text.slice(0, close + 1);
    const rest = text.slice(close + 1);
    if (rest === "") return { host };
    return /^:\d{1,5}$/.test(rest) ? { host, port: rest.slice(1) } : undefined;
  }
  const colon = text.indexOf(":");
  if (colon < 0) return /^[a-z0-9.\-_]+$/.test(text) ? { host: text } : undefined;
  const host = text.slice(0, colon);
  const port = text.slice(colon + 1);
  return /^[a-z0-9.\-_]+$/.test(host) && /^\d{1,5}$/.test(port) ? { host, port } : undefined;
}

export function createOriginGuard(options: OriginGuardOptions): OriginGuard {
  const anyHost = options.allowedHosts.includes("*");
  const hostsAnyPort = new Set<string>();
  const hostsWithPort = new Set<string>();
  for (const entry of options.allowedHosts) {
    if (entry === "*") continue;
    const parsed = splitHostPort(entry);
    if (!parsed) continue; // config validation keeps these sane; an unparseable entry allows nothing
    if (parsed.port === undefined) hostsAnyPort.add(parsed.host);
    else hostsWithPort.add(`${parsed.host}:${parsed.port}`);
  }

  const anyOrigin = options.allowedOrigins.includes("*");
  const exactOrigins = new Set<string>();
  const originHosts = new Set<string>();
  for (const entry of options.allowedOrigins) {
    if (entry === "*") continue;
    if (entry.includes("://")) {
      try {
        exactOrigins.add(new URL(entry).origin);
      } catch {
        // an unparseable entry allows nothing
      }
    } else {
      const parsed = splitHostPort(entry);
      if (parsed) originHosts.add(parsed.host);
    }
  }

  function checkHost(host: string | undefined): OriginCheck {
    if (anyHost) return OK;
    const parsed = host === undefined ? undefined : splitHostPort(host);
    if (!parsed) return { ok: false, status: 421, reason: "host", message: "Misdirected Request: missing or malformed Host header" };
    if (hostsAnyPort.has(parsed.host)) return OK;
    if (parsed.port !== undefined && hostsWithPort.has(`${parsed.host}:${parsed.port}`)) return OK;
    return { ok: false, status: 421, reason: "host", message: `Misdirected Request: Host ${parsed.host} is not served here` };
  }

  function checkOrigin(origin: string | undefined): OriginCheck {
    if (origin === undefined || anyOrigin) return OK;
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return { ok: false, status: 403, reason: "origin", message: "Forbidden: malformed Origin header" };
    }
    // `null` (opaque origins: sandboxed frames, file: pages) parses to origin "null": refused.
    if (url.origin === "null") return { ok: false, status: 403, reason: "origin", message: "Forbidden: opaque Origin is not allowed" };
    if (exactOrigins.has(url.origin)) return OK;
    const isWeb = url.protocol === "http:" || url.protocol === "https:";
    if (isWeb && originHosts.has(url.hostname.toLowerCase())) return OK;
    return { ok: false, status: 403, reason: "origin", message: `Forbidden: Origin ${url.origin} is not allowed` };
  }

  return (host, origin) => {
    const hostCheck = checkHost(host);
    return hostCheck.ok ? checkOrigin(origin) : hostCheck;
  };
}
