/**
 * `createTlsOptions(config)`: everything `https.createServer(options, handler)` needs for the
 * gateway's HTTPS listener, checked before the server starts.
 *
 * Client certificate modes:
 * - off:       no CertificateRequest is sent; certificates play no part.
 * - optional:  the server asks for a certificate (requestCert) but lets the handshake finish
 *              without one or with one that fails verification (rejectUnauthorized false).
 *              OpenSSL's verdict is on the socket (`authorized`, `authorizationError`, e.g.
 *              "CERT_REVOKED"); the mTLS authenticator refuses any presented certificate that is
 *              not authorized (401), and a request without one goes to the other authenticators.
 * - required:  the handshake itself fails without a valid, unrevoked certificate
 *              (rejectUnauthorized true). Nothing of an unauthenticated peer reaches HTTP parsing,
 *              and "required" cannot be weakened by how the HTTP layer picks credentials. The
 *              cost: the client sees a reset (or a TLS alert) rather than a 401, so refusals are
 *              reported through `onRefusedHandshake` for logs and failed-auth limits. The
 *              authenticator still checks `authorized` and revocation on every request.
 *
 * Always: TLS 1.2 or newer, Node's default cipher list, one CRL per CA checked on every
 * certificate in the chain (Node sets X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL).
 */
import type { ServerOptions } from "node:https";
import type { TlsConfig } from "./config.js";
import { loadTlsMaterial, type TlsMaterial } from "./tls-material.js";
import { LiveRevocation, type RevocationView } from "./revocation.js";

export interface TlsOptions {
  readonly config: TlsConfig;
  /** Pass to https.createServer (or tls.createServer). */
  readonly serverOptions: ServerOptions;
  /** The CRLs in force, kept current by the reloader; give it to the mTLS authenticator. */
  readonly revocation: RevocationView;
  /** Non-fatal findings to log at start-up (an expiring server certificate, a stale CRL in optional mode). */
  readonly warnings: readonly string[];
  /** What the reloader swaps; not for other callers. */
  readonly state: TlsState;
}

export interface TlsState {
  material: TlsMaterial;
  readonly revocation: LiveRevocation;
}

export interface CreateTlsOptionsOptions {
  /** The clock for CRL and certificate validity checks (ms since the epoch). */
  now?: () => number;
  /** Reads a file (tests inject failures); readFileSync by default. */
  readFile?: (path: string) => Buffer;
}

/** Reads and checks the TLS files; throws TlsConfigError (the gateway must not start) on any problem. */
export function createTlsOptions(config: TlsConfig, options: CreateTlsOptionsOptions = {}): TlsOptions {
  const now = options.now ?? Date.now;
  const material = loadTlsMaterial(config, { now: now(), ...(options.readFile ? { readFile: options.readFile } : {}) });
  const mode = config.clientCertificates.mode;
  const serverOptions: ServerOptions = {
    ...material.secureContext,
    requestCert: mode !== "off",
    rejectUnauthorized: mode === "required",
  };
  const state: TlsState = { material, revocation: new LiveRevocation(material.revocation) };
  return { config, serverOptions, revocation: state.revocation, warnings: material.warnings, state };
}
