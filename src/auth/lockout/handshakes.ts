import type { Socket } from "node:net";
import type { Server as TlsServer } from "node:tls";
import { onRefusedHandshake } from "../mtls/handshake-refusals.js";
import { LockedOutError, type Lockout } from "./lockout.js";

export interface HandshakeGuardOptions {
  /** The failed-authentication lockout; undefined while it is not known yet (or off): then only logging. */
  lockout: () => Lockout | undefined;
  now: () => number;
  /**
   * Connections from a trusted proxy carry many clients: they are neither counted nor closed here
   * (the HTTP layer counts the forwarded client instead).
   */
  isTrustedPeer: (address: string) => boolean;
  logger: { warn(fields: object, message?: string): void; debug(fields: object, message?: string): void };
}

/**
 * The failed-authentication lockout at the TLS layer of an HTTPS listener:
 *
 *   - a refused handshake (in `required` mode: no certificate, another CA, a revoked or expired
 *     one) is a failed authentication of the peer's address, counted with the HTTP failures (the
 *     same address key, so ten bad certificates and ten bad tokens add up);
 *   - a connection from a locked-out address is closed before its handshake: no TLS work is spent
 *     on it and no certificate can be tried. A store that cannot answer closes it too (fail closed).
 *
 * Returns a function that stops both.
 */
export function guardTlsHandshakes(server: TlsServer, options: HandshakeGuardOptions): () => void {
  const { logger, now } = options;
  // Connections closed here (locked out) end in a handshake error too: not another failure.
  const closedHere = new WeakSet<object>();
  const stopRefusals = onRefusedHandshake(server, ({ clientAddress, reason, connection }) => {
    if (connection !== undefined && closedHere.has(connection)) return;
    logger.warn({ event: "auth.failure", code: "tls_handshake_refused", clientAddress, reason }, "TLS handshake refused");
    const lockout = options.lockout();
    if (lockout === undefined || options.isTrustedPeer(clientAddress)) return;
    lockout.recordFailure({ address: clientAddress }, now()).then(
      ({ lockedUntil }) => {
        if (lockedUntil !== undefined) logger.warn({ event: "auth.lockout", code: "tls_handshake_refused", clientAddress, lockedUntil }, "authentication locked out after repeated failures");
      },
      (error: unknown) => logger.warn({ event: "auth.unavailable", clientAddress, reason: error instanceof Error ? error.name : typeof error }, "a refused handshake could not be counted"),
    );
  });

  const onConnection = (socket: Socket): void => {
    const address = socket.remoteAddress;
    const lockout = options.lockout();
    if (lockout === undefined || address === undefined || options.isTrustedPeer(address)) return;
    // Resolves before any of the socket's data is read (a microtask), so nothing of the handshake is processed.
    lockout.check({ address }, now()).catch((error: unknown) => {
      const locked = error instanceof LockedOutError;
      logger.debug({ event: "auth.refused", code: locked ? "locked_out" : "lockout_unavailable", clientAddress: address }, "connection closed before the TLS handshake");
      closedHere.add(socket);
      socket.destroy();
    });
  };
  server.on("connection", onConnection);
  return () => {
    stopRefusals();
    server.off("connection", onConnection);
  };
}
