/**
 * Handshakes the server refused (in `required` mode: no certificate, an unknown CA, a revoked or
 * expired certificate), reported so they can be logged and counted as failed authentications per
 * client address. Node destroys such a socket with a bare ECONNRESET; OpenSSL's verdict is on the
 * socket's `authorizationError`.
 */
import type { Socket } from "node:net";
import type { Server as TlsServer, TLSSocket } from "node:tls";

export interface RefusedHandshake {
  readonly clientAddress: string;
  /** OpenSSL's verification code (CERT_REVOKED, CERT_HAS_EXPIRED, UNABLE_TO_GET_ISSUER_CERT, ...) or the error's code. */
  readonly reason: string;
  /** The raw connection (the `connection` event's socket), so a listener can tell connections it closed itself. */
  readonly connection: object | undefined;
}

/** Calls `listener` for each refused handshake; returns a function that stops listening. */
export function onRefusedHandshake(server: TlsServer, listener: (refusal: RefusedHandshake) => void): () => void {
  // A refused socket may be closed by the time the error is reported, and a closed socket no longer
  // knows its peer: the address is noted when the connection arrives, by the raw socket the TLS
  // socket wraps (`_parent`).
  const peers = new WeakMap<object, string>();
  const remember = (raw: Socket): void => {
    const address = raw.remoteAddress;
    if (address !== undefined) peers.set(raw, address);
  };
  const handler = (error: Error & { code?: string }, socket: TLSSocket): void => {
    const reason = socket.authorizationError ? String(socket.authorizationError) : (error.code ?? "TLS_HANDSHAKE_FAILED");
    const parent = (socket as TLSSocket & { _parent?: object })._parent;
    const clientAddress = (parent !== undefined ? peers.get(parent) : undefined) ?? peers.get(socket) ?? socket.remoteAddress ?? "unknown";
    listener({ clientAddress, reason, connection: parent });
  };
  server.prependListener("connection", remember);
  server.on("tlsClientError", handler);
  return () => {
    server.off("connection", remember);
    server.off("tlsClientError", handler);
  };
}
