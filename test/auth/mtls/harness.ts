/**
 * A real HTTPS server on 127.0.0.1:0 built from createTlsOptions, with the reloader, the refused-
 * handshake hook and the mTLS authenticator behind A2's credential extraction; and a real TLS
 * client. The handler answers 200 with the principal, or the AuthError's status with its code.
 */
import { Agent, createServer, request, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { connect, type TLSSocket } from "node:tls";
import { extractCredential } from "../../../src/auth/credentials.js";
import { AuthError } from "../../../src/auth/errors.js";
import type { Principal } from "../../../src/auth/principal.js";
import { createMtlsAuthenticator } from "../../../src/auth/mtls/authenticator.js";
import { mtlsAuthConfigSchema, tlsConfigSchema, type MtlsAuthConfigInput, type TlsConfigInput } from "../../../src/auth/mtls/config.js";
import { onRefusedHandshake, type RefusedHandshake } from "../../../src/auth/mtls/handshake-refusals.js";
import { createTlsOptions, type TlsOptions } from "../../../src/auth/mtls/tls-options.js";
import { createTlsReloader, type ReloadOutcome, type StaleCrl, type TlsReloader } from "../../../src/auth/mtls/tls-reloader.js";
import type { IssuedCertificate, StandardPki } from "./pki.js";

/** Rules used by most tests: SPIFFE agents, ops people by OU, Acme's DNS names. */
export const RULES: MtlsAuthConfigInput = {
  rules: [
    { id: "prod-agents", match: { o: "Acme", uri: "spiffe://acme.test/ns/prod/*" }, name: "{uri}", roles: ["editor"], attributes: { tenant: "acme" } },
    { id: "ops", match: { ou: "ops", email: "*@acme.test" }, name: "{email}", roles: ["admin", "viewer"] },
  ],
};

/** A stand-in for the other authenticators: one bearer token is good. */
export const GOOD_BEARER = "good-bearer-token";
const BEARER_PRINCIPAL: Principal = { id: "jwt:https://issuer.test#bob", method: "jwt", roles: ["viewer"], scopes: [], attributes: {}, authenticatedAt: 0 };

export interface MtlsServer {
  readonly port: number;
  readonly server: Server;
  readonly tls: TlsOptions;
  readonly reloader: TlsReloader;
  readonly refusals: RefusedHandshake[];
  close(): Promise<void>;
}

export interface StartOptions {
  mode: "optional" | "required";
  rules?: MtlsAuthConfigInput;
  crl?: string[];
  ca?: string[];
  minVersion?: "TLSv1.2" | "TLSv1.3";
  watch?: boolean;
  interval?: number;
  now?: () => number;
  onReload?: (outcome: ReloadOutcome) => void;
  onCrlStale?: (stale: StaleCrl) => void;
}

export function tlsConfig(pki: StandardPki, options: Pick<StartOptions, "mode" | "crl" | "ca" | "minVersion" | "watch" | "interval">) {
  const input: TlsConfigInput = {
    cert: pki.server.certPath,
    key: pki.server.keyPath,
    ...(options.minVersion ? { minVersion: options.minVersion } : {}),
    clientCertificates: {
      mode: options.mode,
      ca: options.ca ?? [pki.caBundlePath],
      crl: options.crl ?? [pki.rootCrlPath, pki.intermediateCrlPath],
    },
    reload: { watch: options.watch ?? false, interval: options.interval ?? 1_000 },
  };
  return tlsConfigSchema.parse(input);
}

export async function startMtlsServer(pki: StandardPki, options: StartOptions): Promise<MtlsServer> {
  const now = options.now ?? Date.now;
  const tls = createTlsOptions(tlsConfig(pki, options), { now });
  const mtls = createMtlsAuthenticator({ rules: mtlsAuthConfigSchema.parse(options.rules ?? RULES).rules, revocation: tls.revocation });
  const server = createServer(tls.serverOptions, (req, res) => {
    void (async () => {
      try {
        const credential = extractCredential(req);
        let principal: Principal;
        if (credential.kind === "client-certificate") principal = await mtls.authenticate(credential, { now: now(), clientAddress: req.socket.remoteAddress ?? "" });
        else if (credential.kind === "bearer" && credential.token === GOOD_BEARER) principal = BEARER_PRINCIPAL;
        else throw new AuthError("unknown_credentials", "not accepted");
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ principal }));
      } catch (error) {
        const status = error instanceof AuthError ? error.status : 500;
        const code = error instanceof AuthError ? error.code : "internal";
        const message = error instanceof Error ? error.message : "";
        res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify({ code, message }));
      }
    })();
  });
  const refusals: RefusedHandshake[] = [];
  onRefusedHandshake(server, (refusal) => refusals.push(refusal));
  const reloader = createTlsReloader(server, tls, {
    now,
    ...(options.watch !== undefined ? { watch: options.watch } : {}),
    ...(options.interval !== undefined ? { interval: options.interval } : {}),
    ...(options.onReload ? { onReload: options.onReload } : {}),
    ...(options.onCrlStale ? { onCrlStale: options.onCrlStale } : {}),
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    server,
    tls,
    reloader,
    refusals,
    close: () =>
      new Promise<void>((resolve) => {
        reloader.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export type Reply = { status: number; json: Record<string, unknown> } | { error: string };

export interface ClientOptions {
  cert?: IssuedCertificate;
  headers?: Record<string, string>;
  /** Reuse connections (keep-alive); a fresh connection per request by default. */
  agent?: Agent;
  /** TLS versions the client offers. */
  maxVersion?: "TLSv1.2" | "TLSv1.3";
}

/** One GET over real TLS; a refused handshake or reset is `{ error: code }`. Bounded to 10 s. */
export function get(port: number, pki: StandardPki, options: ClientOptions = {}): Promise<Reply> {
  return new Promise((resolve) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        path: "/mcp",
        method: "GET",
        servername: "localhost",
        headers: options.headers ?? {},
        agent: options.agent ?? false,
        timeout: 10_000,
        ...(options.maxVersion ? { maxVersion: options.maxVersion } : {}),
        ...pki.clientOptions(options.cert),
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(body) as Record<string, unknown> }));
        res.on("error", (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
      },
    );
    req.on("timeout", () => req.destroy(new Error("client timeout")));
    req.on("error", (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    req.end();
  });
}

export function principalOf(reply: Reply): Record<string, unknown> {
  if ("error" in reply) throw new Error(`request failed: ${reply.error}`);
  if (reply.status !== 200) throw new Error(`status ${reply.status}: ${JSON.stringify(reply.json)}`);
  return reply.json.principal as Record<string, unknown>;
}

/**
 * A raw TLS connection sending one HTTP/1.1 request, so a test can offer a saved TLS session
 * and see whether it was resumed. Resolves with the status line (or the error) and the session
 * the server handed out, if any.
 */
export function rawGet(
  port: number,
  pki: StandardPki,
  cert: IssuedCertificate,
  session?: Buffer,
): Promise<{ status?: number; error?: string; reused: boolean; session?: Buffer }> {
  return new Promise((resolve) => {
    let reused = false;
    let saved: Buffer | undefined;
    let data = "";
    const socket: TLSSocket = connect({
      host: "127.0.0.1",
      port,
      servername: "localhost",
      ...pki.clientOptions(cert),
      ...(session ? { session } : {}),
    });
    const timer = setTimeout(() => socket.destroy(new Error("client timeout")), 10_000);
    socket.on("session", (s: Buffer) => (saved ??= s));
    socket.on("secureConnect", () => {
      reused = socket.isSessionReused();
      socket.write("GET /mcp HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    });
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => (data += chunk));
    const finish = (error?: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const match = /^HTTP\/1\.1 (\d{3})/.exec(data);
      resolve({
        ...(match ? { status: Number(match[1]) } : { error: error?.code ?? error?.message ?? "closed without a response" }),
        reused,
        ...(saved ? { session: saved } : {}),
      });
    };
    socket.on("error", finish);
    socket.on("close", () => finish());
  });
}

/** Resolves on the next reload outcome the server reports (bounded). */
export function nextReload(register: (listener: (outcome: ReloadOutcome) => void) => void, timeoutMs = 15_000): Promise<ReloadOutcome> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no reload within the bound")), timeoutMs);
    register((outcome) => {
      clearTimeout(timer);
      resolve(outcome);
    });
  });
}
