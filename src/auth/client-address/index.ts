import type { IncomingMessage } from "node:http";
import { parseForwarded, parseXForwardedFor } from "./forwarding-headers.js";
import { parseIp } from "./ip.js";
import { createProxyMatcher } from "./trusted-proxies.js";

export { trustedProxiesSchema, createProxyMatcher, parseProxyEntry, type ProxyMatcher } from "./trusted-proxies.js";
export { parseForwarded, parseXForwardedFor, MAX_HOPS } from "./forwarding-headers.js";
export { parseIp } from "./ip.js";

/** The client's address for a request: what lockout, the login throttle and the logs count and record. */
export type ClientAddressOf = (req: IncomingMessage) => string;

/** Whether a socket's peer (as node gives it) is one of the trusted proxies. */
export function createTrustedPeerCheck(trustedProxies: readonly string[]): (address: string) => boolean {
  const trusted = createProxyMatcher(trustedProxies);
  return (address) => {
    const parsed = parseIp(address);
    return parsed !== undefined && trusted(parsed);
  };
}

/**
 * The client address, believing forwarding headers only from trusted proxies (DESIGN.md step 3).
 *
 * The socket's peer is the client unless the peer is in `trustedProxies`. Then the hops of
 * X-Forwarded-For (or, without it, RFC 7239 Forwarded `for=`) are read from the right: the first
 * hop that is not itself a trusted proxy is the client (anything left of it was written by the
 * client and proves nothing); if every hop is a trusted proxy, the leftmost. A header that cannot
 * be read with certainty (malformed, `unknown`, too many hops) or both headers at once (which one
 * did our proxy write?) give the peer: a client cannot choose its address by sending a header.
 */
export function createClientAddressOf(trustedProxies: readonly string[]): ClientAddressOf {
  const trusted = createProxyMatcher(trustedProxies);
  const none = trustedProxies.length === 0;
  return (req) => {
    const raw = req.socket?.remoteAddress;
    if (raw === undefined) return "unknown";
    const peer = parseIp(raw);
    if (peer === undefined) return raw;
    const peerText = peer.toString();
    if (none || !trusted(peer)) return peerText;
    const xff = req.headers["x-forwarded-for"];
    const forwarded = req.headers.forwarded;
    if (xff !== undefined && forwarded !== undefined) return peerText;
    const value = xff ?? forwarded;
    if (value === undefined) return peerText;
    const joined = Array.isArray(value) ? value.join(", ") : value;
    const hops = xff !== undefined ? parseXForwardedFor(joined) : parseForwarded(joined);
    if (hops === undefined || hops.length === 0) return peerText;
    for (let i = hops.length - 1; i >= 0; i -= 1) {
      if (!trusted(hops[i]!)) return hops[i]!.toString();
    }
    return hops[0]!.toString();
  };
}
