/**
 * Handshakes the server refused (in `required` mode: no certificate, an unknown CA, a revoked or
 * expired certificate), reported so they can be logged and counted as failed authentications per
 * client address. Node destroys such a socket with a bare ECONNRESET; OpenSSL's verdict is on the
 * socket's `authorizationError`.
 */
import type { Server as TlsServer, TLSSocket } from "node:tls";

export interface RefusedHandshake {
  readonly clientAddress: string;
  /** OpenSSL's verification code (CERT_REVOKED, CERT_HAS_EXPIRED, UNABLE_TO_GET_ISSUER_CERT, ...) or the error's code. */
  readonly reason: string;
}

/** Calls `listener` for each refused handshake; returns a function that stops listening. */
export function onRefusedHandshake(server: TlsServer, listener: (refusal: RefusedHandshake) => void): () => void {
  const handler = (error: Error & { code?: string }, socket: TLSSocket): void => {
    const reason = socket.authorizationError ? String(socket.authorizationError) : (error.code ?? "TLS_HANDSHAKE_FAILED");
    listener({ clientAddress: socket.remoteAddress ?? "unknown", reason });
  };
  server.on("tlsClientError", handler);
  return () => server.off("tlsClientError", handler);
}
