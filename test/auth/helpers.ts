/** Shared set-up for the token-authentication tests: keys, tokens, and real servers on 127.0.0.1. */
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { constants, KeyObject, sign as cryptoSign } from "node:crypto";
import { connect, type AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTHeaderParameters, type JWTPayload } from "jose";

export const RESOURCE = "https://gw.example/mcp";
export const ISSUER = "https://issuer.example";

export type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;

export interface TestKey {
  alg: string;
  kid: string;
  pair: KeyPair;
  /** The public key as a JWK (with kid, alg, use). */
  jwk: JWK;
}

/** A fresh extractable key pair and its public JWK. */
export async function makeKey(alg = "RS256", kid = `${alg.toLowerCase()}-${Math.random().toString(36).slice(2, 10)}`): Promise<TestKey> {
  const pair = await generateKeyPair(alg, { extractable: true });
  const jwk = { ...(await exportJWK(pair.publicKey)), kid, alg, use: "sig" };
  return { alg, kid, pair, jwk };
}

/** Standard valid claims for a token at `nowMs`. */
export function claimsAt(nowMs: number, overrides: JWTPayload = {}): JWTPayload {
  const now = Math.floor(nowMs / 1000);
  return { iss: ISSUER, aud: RESOURCE, sub: "alice", iat: now, exp: now + 300, jti: "jti-1", scope: "tools:read tools:call", ...overrides };
}

/** A real JWT signed with `key`; header parameters may be added or overridden. */
export async function sign(key: TestKey, claims: JWTPayload, header: Partial<JWTHeaderParameters> & Record<string, unknown> = {}): Promise<string> {
  const fullHeader = { alg: key.alg, kid: key.kid, typ: "at+jwt", ...header } as JWTHeaderParameters;
  return new SignJWT(claims).setProtectedHeader(fullHeader).sign(key.pair.privateKey);
}

export function b64url(value: unknown): string {
  return Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");
}

/** A token assembled by hand (for alg none, HMAC confusion, tampering). */
export function rawToken(header: Record<string, unknown>, claims: Record<string, unknown>, signature = ""): string {
  return `${b64url(header)}.${b64url(claims)}.${signature}`;
}

/**
 * Signs a token with node:crypto directly, for headers jose refuses to produce (crit, a PS256
 * signature with an RS256 key). RSA keys only: `pss` picks RSASSA-PSS over PKCS#1 v1.5.
 */
export function signRaw(key: TestKey, header: Record<string, unknown>, claims: Record<string, unknown>, pss = false): string {
  const input = `${b64url(header)}.${b64url(claims)}`;
  const privateKey = KeyObject.from(key.pair.privateKey as Parameters<typeof KeyObject.from>[0]);
  const signature = cryptoSign("sha256", Buffer.from(input), pss ? { key: privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } : privateKey);
  return `${input}.${signature.toString("base64url")}`;
}

export interface TestServer {
  url: string;
  port: number;
  /** Requests seen, newest last. */
  requests: Array<{ method: string; url: string; headers: IncomingMessage["headers"]; body: string }>;
  close(): Promise<void>;
}

/** A node:http server on 127.0.0.1 with a handler; records every request with its body. */
export async function startServer(handle: (req: IncomingMessage, res: ServerResponse, body: string) => void): Promise<TestServer> {
  const requests: TestServer["requests"] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      handle(req, res, body);
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
}

/** A JWKS endpoint whose key set the test can change (key rotation). */
export async function startJwksServer(initial: JWK[]): Promise<TestServer & { setKeys(keys: JWK[]): void; setStatus(status: number): void }> {
  let keys = initial;
  let status = 200;
  const server = await startServer((_req, res) => {
    if (status !== 200) {
      res.writeHead(status).end();
      return;
    }
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys }));
  });
  return Object.assign(server, {
    setKeys: (next: JWK[]) => {
      keys = next;
    },
    setStatus: (next: number) => {
      status = next;
    },
  });
}

/** A controllable clock (ms). */
export function clock(start = Date.UTC(2026, 0, 15, 12, 0, 0)): { now: () => number; set(ms: number): void; advance(ms: number): void } {
  let value = start;
  return {
    now: () => value,
    set: (ms) => {
      value = ms;
    },
    advance: (ms) => {
      value += ms;
    },
  };
}

/**
 * Sends a request over a raw socket, with header lines exactly as given (duplicates, odd spacing),
 * and returns the status line and body. Bounded by a 5 s timeout.
 */
export function rawRequest(port: number, path: string, headerLines: string[], body = ""): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error("raw request timed out"));
    }, 5_000);
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on("close", () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString("utf8");
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      const split = text.indexOf("\r\n\r\n");
      resolve({ status, body: split < 0 ? "" : text.slice(split + 4) });
    });
    const lines = [`POST ${path} HTTP/1.1`, "Host: 127.0.0.1", "Connection: close", ...headerLines, `Content-Length: ${Buffer.byteLength(body)}`, "", body];
    socket.write(lines.join("\r\n"));
  });
}

/** A logger that records lines, for asserting what is (and is not) logged. */
export function recordingLogger(): { logger: { warn: (o: object, m?: string) => void; error: (o: object, m?: string) => void; debug: (o: object, m?: string) => void }; lines: Array<{ level: string; fields: Record<string, unknown>; message?: string }> } {
  const lines: Array<{ level: string; fields: Record<string, unknown>; message?: string }> = [];
  const at = (level: string) => (fields: object, message?: string) => {
    lines.push({ level, fields: fields as Record<string, unknown>, ...(message !== undefined ? { message } : {}) });
  };
  return { logger: { warn: at("warn"), error: at("error"), debug: at("debug") }, lines };
}
