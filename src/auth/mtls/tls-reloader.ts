/**
 * Reloading the TLS files without a restart: on a change to any of them (polled with
 * fs.watchFile, which follows renames and symlink swaps such as Kubernetes secret updates) or on
 * `reload()` (wire SIGHUP to it), the files are read and checked exactly as at start-up. If they
 * pass, they go into force at once:
 *
 *   - new handshakes use them (server.setSecureContext);
 *   - the TLS session ticket keys change, so no session made under the old CRLs can be resumed
 *     (a resumed session skips certificate verification);
 *   - the authenticator's revocation view switches to the new CRLs (every request is checked);
 *   - open connections whose certificate chain the new CRLs revoke are closed.
 *
 * If they do not pass (a half-written file, a CRL older than the one in force, an expired CRL in
 * required mode), the files in force stay in force and the problem is logged and returned.
 */
import { randomBytes } from "node:crypto";
import { unwatchFile, watchFile, type Stats } from "node:fs";
import type { Server as TlsServer, TLSSocket } from "node:tls";
import { findRevocationProblem } from "./check-certificate-not-revoked.js";
import { TlsConfigError } from "./errors.js";
import { loadTlsMaterial } from "./tls-material.js";
import type { TlsOptions } from "./tls-options.js";

export interface TlsLogger {
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
}

export type ReloadOutcome =
  | { readonly ok: true; readonly warnings: readonly string[]; readonly closedConnections: number }
  | { readonly ok: false; readonly problems: readonly string[] };

export interface TlsReloaderOptions {
  now?: () => number;
  logger?: TlsLogger;
  /** Poll the files for changes (default: config.reload.watch). */
  watch?: boolean;
  /** Polling interval in ms (default: config.reload.interval). */
  interval?: number;
  readFile?: (path: string) => Buffer;
  /** Called after every reload attempt (tests wait on it). */
  onReload?: (outcome: ReloadOutcome) => void;
  /** Called (and logged as an error) when a CRL in force passes its nextUpdate. */
  onCrlStale?: (stale: StaleCrl) => void;
}

export interface StaleCrl {
  readonly path: string;
  readonly nextUpdate: number;
}

export interface TlsReloader {
  /** Reads and checks the files now and puts them in force if they pass. */
  reload(): ReloadOutcome;
  /** Stops watching; the server keeps the material in force. */
  close(): void;
  /** Connections with an authorized client certificate, open now. */
  readonly liveCertificateConnections: number;
}

const noop = (): void => undefined;
const silent: TlsLogger = { info: noop, warn: noop, error: noop };
/** A burst of writes (CA, then CRL) becomes one reload. */
const SETTLE_MS = 50;
/** setTimeout's longest delay. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export function createTlsReloader(server: TlsServer, tls: TlsOptions, options: TlsReloaderOptions = {}): TlsReloader {
  const now = options.now ?? Date.now;
  const logger = options.logger ?? silent;
  const watch = options.watch ?? tls.config.reload.watch;
  const interval = options.interval ?? tls.config.reload.interval;
  const live = new Set<TLSSocket>();

  const onSecureConnection = (socket: TLSSocket): void => {
    if (!socket.authorized) return;
    live.add(socket);
    socket.once("close", () => live.delete(socket));
  };
  if (tls.config.clientCertificates.mode !== "off") server.on("secureConnection", onSecureConnection);

  function closeRevoked(): number {
    let closed = 0;
    const index = tls.state.revocation.current();
    for (const socket of live) {
      const certificate = socket.getPeerCertificate(true);
      if (certificate === null || !Buffer.isBuffer(certificate.raw)) continue;
      let problem;
      try {
        problem = findRevocationProblem(certificate, index, now());
      } catch {
        problem = { status: "unreadable" };
      }
      if (problem !== undefined) {
        socket.destroy();
        live.delete(socket);
        closed += 1;
      }
    }
    return closed;
  }

  // When a CRL in force passes nextUpdate, OpenSSL refuses every certificate under its CA
  // (CRL_HAS_EXPIRED) and so does the authenticator: say so loudly, at that moment.
  let staleTimer: NodeJS.Timeout | undefined;
  const reported = new WeakSet<object>();
  function armStaleTimer(): void {
    if (staleTimer) clearTimeout(staleTimer);
    staleTimer = undefined;
    const at = now();
    for (const crl of tls.state.material.crls) {
      const next = crl.fields.nextUpdate;
      if (next !== undefined && next <= at && !reported.has(crl)) {
        reported.add(crl);
        logger.error({ crl: crl.path, nextUpdate: new Date(next).toISOString() }, "CRL is past nextUpdate: every client certificate under its CA is refused until a fresh CRL is loaded");
        options.onCrlStale?.({ path: crl.path, nextUpdate: next });
      }
    }
    const upcoming = tls.state.material.crls.map((crl) => crl.fields.nextUpdate ?? Infinity).filter((next) => next > at);
    if (upcoming.length === 0) return;
    staleTimer = setTimeout(armStaleTimer, Math.min(Math.min(...upcoming) - at + 1, MAX_TIMER_MS));
    staleTimer.unref();
  }

  function reload(): ReloadOutcome {
    let outcome: ReloadOutcome;
    try {
      const material = loadTlsMaterial(tls.config, {
        now: now(),
        previous: tls.state.material,
        ...(options.readFile ? { readFile: options.readFile } : {}),
      });
      server.setSecureContext(material.secureContext);
      // Node already starts fresh ticket keys with a new context unless ticketKeys were configured;
      // either way, no session made under the old CRLs may be resumed.
      server.setTicketKeys(randomBytes(48));
      tls.state.material = material;
      tls.state.revocation.replace(material.revocation);
      const closedConnections = closeRevoked();
      armStaleTimer();
      outcome = { ok: true, warnings: material.warnings, closedConnections };
      logger.info({ crls: material.crls.length, cas: material.cas.length, closedConnections }, "TLS files reloaded");
      for (const warning of material.warnings) logger.warn({}, warning);
    } catch (error) {
      const problems = error instanceof TlsConfigError ? error.problems : [`unexpected error: ${(error as Error).message}`];
      outcome = { ok: false, problems };
      logger.error({ problems }, "TLS files not reloaded; the files in force stay in force");
    }
    options.onReload?.(outcome);
    return outcome;
  }

  let pending: NodeJS.Timeout | undefined;
  const onChange = (current: Stats, previous: Stats): void => {
    if (current.mtimeMs === previous.mtimeMs && current.ino === previous.ino && current.size === previous.size) return;
    if (pending) clearTimeout(pending);
    pending = setTimeout(() => {
      pending = undefined;
      reload();
    }, SETTLE_MS);
    pending.unref();
  };
  if (tls.config.clientCertificates.mode !== "off") armStaleTimer();
  const watched = watch ? [...tls.state.material.files] : [];
  for (const file of watched) watchFile(file, { interval, persistent: false }, onChange);

  return {
    reload,
    close() {
      for (const file of watched) unwatchFile(file, onChange);
      if (pending) clearTimeout(pending);
      if (staleTimer) clearTimeout(staleTimer);
      server.off("secureConnection", onSecureConnection);
    },
    get liveCertificateConnections() {
      return live.size;
    },
  };
}
