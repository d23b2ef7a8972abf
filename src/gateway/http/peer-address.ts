import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import type { ClientAddressOf } from "../../auth/client-address/index.js";

/**
 * The client address once per connection instead of once per request. Only for an address that
 * depends on the socket's peer alone (no trusted proxies, so no forwarding header is read): a
 * keep-alive connection's peer never changes, and parsing it (ipaddr) cost ~6 us per request.
 */
export function perConnection(addressOf: ClientAddressOf): ClientAddressOf {
  const known = new WeakMap<Socket, string>();
  return (req: IncomingMessage) => {
    const socket = req.socket;
    // No socket or no peer yet: nothing to key on, and "unknown" must not stick to a connection.
    if (socket === undefined || socket === null || socket.remoteAddress === undefined) return addressOf(req);
    const cached = known.get(socket);
    if (cached !== undefined) return cached;
    const address = addressOf(req);
    known.set(socket, address);
    return address;
  };
}
