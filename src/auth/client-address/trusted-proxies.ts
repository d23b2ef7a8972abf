import ipaddr from "ipaddr.js";
import { z } from "zod";
import { parseIp, type IpAddress } from "./ip.js";

/** A trusted proxy: one address (`10.0.0.7`, `::1`) or a CIDR block (`10.0.0.0/8`, `fd00::/8`). */
export function parseProxyEntry(entry: string): [IpAddress, number] | undefined {
  const slash = entry.indexOf("/");
  const address = parseIp(slash < 0 ? entry : entry.slice(0, slash));
  if (address === undefined) return undefined;
  const max = address.kind() === "ipv4" ? 32 : 128;
  if (slash < 0) return [address, max];
  const bits = entry.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bits) || Number(bits) > max) return undefined;
  return [address, Number(bits)];
}

/** The config value: a list of addresses or CIDR blocks, empty by default (then no forwarding header is believed). */
export const trustedProxiesSchema = z
  .array(z.string().refine((entry) => parseProxyEntry(entry) !== undefined, { error: "an IP address or CIDR block (10.0.0.0/8, fd00::/8, 192.0.2.7)" }))
  .max(256)
  .default([]);

/** Whether an address (already parsed) is one of the trusted proxies. */
export type ProxyMatcher = (address: IpAddress) => boolean;

export function createProxyMatcher(entries: readonly string[]): ProxyMatcher {
  const blocks = entries.map((entry) => {
    const parsed = parseProxyEntry(entry);
    if (parsed === undefined) throw new TypeError(`not an IP address or CIDR block: ${entry}`);
    return parsed;
  });
  if (blocks.length === 0) return () => false;
  return (address) => blocks.some(([block, bits]) => block.kind() === address.kind() && (address as ipaddr.IPv4).match(block as ipaddr.IPv4, bits));
}
