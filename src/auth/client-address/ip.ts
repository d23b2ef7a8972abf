import ipaddr from "ipaddr.js";

export type IpAddress = ipaddr.IPv4 | ipaddr.IPv6;

/**
 * One IP address in its strict textual form, or undefined: IPv4 only as four decimal parts
 * (`010.1.2.3`, `0x7f.1` and `127.1` are refused: they read differently in different parsers),
 * IPv6 without a zone (`%eth0`). IPv4-mapped IPv6 becomes the IPv4 address, so one client has one
 * spelling.
 */
export function parseIp(text: string): IpAddress | undefined {
  if (text.length === 0 || text.length > 45) return undefined;
  if (text.includes(":")) {
    if (text.includes("%") || !ipaddr.IPv6.isValid(text)) return undefined;
  } else if (!ipaddr.IPv4.isValidFourPartDecimal(text)) {
    return undefined;
  }
  try {
    return ipaddr.process(text);
  } catch {
    return undefined;
  }
}
