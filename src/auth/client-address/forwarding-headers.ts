import { parseIp, type IpAddress } from "./ip.js";

/**
 * The hop lists of the two forwarding headers, left (first client) to right (last proxy), or
 * undefined when the header cannot be read with certainty: every hop must be an IP address
 * (optionally with a port), so `unknown`, obfuscated identifiers (`_hidden`), host names and
 * anything else malformed make the whole header unusable. The caller then falls back to the
 * socket's peer (fail closed).
 */

/** More hops than this is not a real proxy chain. */
export const MAX_HOPS = 32;

/** A node: `1.2.3.4`, `1.2.3.4:80`, `[2001:db8::1]`, `[2001:db8::1]:80`, or a bare IPv6 address. */
function parseNode(text: string): IpAddress | undefined {
  if (text.startsWith("[")) {
    const end = text.indexOf("]");
    if (end < 0) return undefined;
    const rest = text.slice(end + 1);
    if (rest !== "" && !/^:\d{1,5}$/.test(rest)) return undefined;
    const inner = text.slice(1, end);
    return inner.includes(":") ? parseIp(inner) : undefined;
  }
  const colon = text.indexOf(":");
  if (colon >= 0 && colon === text.lastIndexOf(":")) {
    // IPv4 with a port.
    if (!/^\d{1,5}$/.test(text.slice(colon + 1))) return undefined;
    return parseIp(text.slice(0, colon));
  }
  return parseIp(text);
}

/** `X-Forwarded-For: client, proxy1, proxy2` (repeated header lines arrive joined with ", "). */
export function parseXForwardedFor(value: string): IpAddress[] | undefined {
  const parts = value.split(",");
  if (parts.length > MAX_HOPS) return undefined;
  const hops: IpAddress[] = [];
  for (const part of parts) {
    const hop = parseNode(part.trim());
    if (hop === undefined) return undefined;
    hops.push(hop);
  }
  return hops;
}

/** RFC 7230 tchar: what an unquoted parameter value may hold. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Splits on `separator` outside quoted strings; undefined if a quote is left open. */
function splitOutsideQuotes(value: string, separator: string): string[] | undefined {
  const parts: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < value.length; i += 1) {
    const c = value[i];
    if (quoted && c === "\\") i += 1;
    else if (c === '"') quoted = !quoted;
    else if (!quoted && c === separator) {
      parts.push(value.slice(start, i));
      start = i + 1;
    }
  }
  if (quoted) return undefined;
  parts.push(value.slice(start));
  return parts;
}

/** A parameter value: a token, or a quoted string (its backslash escapes undone). */
function unquote(value: string): string | undefined {
  if (TOKEN.test(value)) return value;
  if (value.length < 2 || !value.startsWith('"') || !value.endsWith('"')) return undefined;
  return value.slice(1, -1).replace(/\\(.)/g, "$1");
}

/** RFC 7239 `Forwarded: for=192.0.2.60;proto=https, for="[2001:db8::17]:4711"`: each element's `for`. */
export function parseForwarded(value: string): IpAddress[] | undefined {
  const elements = splitOutsideQuotes(value, ",");
  if (elements === undefined || elements.length > MAX_HOPS) return undefined;
  const hops: IpAddress[] = [];
  for (const element of elements) {
    const pairs = splitOutsideQuotes(element, ";");
    if (pairs === undefined) return undefined;
    let hop: IpAddress | undefined;
    let seen = false;
    for (const pair of pairs) {
      const eq = pair.indexOf("=");
      if (eq <= 0) return undefined;
      if (pair.slice(0, eq).trim().toLowerCase() !== "for") continue;
      if (seen) return undefined;
      seen = true;
      const node = unquote(pair.slice(eq + 1).trim());
      hop = node === undefined ? undefined : parseNode(node);
      if (hop === undefined) return undefined;
    }
    if (hop === undefined) return undefined;
    hops.push(hop);
  }
  return hops;
}
