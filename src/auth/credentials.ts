import type { IncomingMessage } from "node:http";
import type { PeerCertificate, TLSSocket } from "node:tls";
import { AuthError } from "./errors.js";
import type { Principal } from "./principal.js";

/** One credential, as presented by the caller: exactly one per request. */
export type Credential =
  | { kind: "bearer"; token: string }
  | { kind: "api-key"; key: string }
  | { kind: "client-certificate"; certificate: PeerCertificate; authorized: boolean; authorizationError?: string };

export type CredentialKind = Credential["kind"];

/** What an authenticator may know about the request besides the credential. */
export interface AuthContext {
  /** Now, in ms since the epoch (injected so tests can move clocks). */
  now: number;
  /** The client's address (the socket's remote address, or the one a trusted proxy forwarded). */
  clientAddress: string;
}

/** Turns one kind of credential into a Principal, or throws AuthError. */
export interface Authenticator {
  readonly kinds: readonly CredentialKind[];
  /**
   * Optional finer dispatch among authenticators of the same kind (a JWT verifier takes bearer
   * tokens shaped like a compact JWS; an introspection client takes any). Absent means "all of my kinds".
   */
  accepts?(credential: Credential): boolean;
  /**
   * Optional: the public identifier a failed attempt is counted against besides the client address
   * (an API key's public id, a user name), for lockout. Never a secret.
   */
  lockoutSubject?(credential: Credential): string | undefined;
  authenticate(credential: Credential, context: AuthContext): Promise<Principal>;
}

export interface ExtractOptions {
  /**
   * Bearer tokens starting with this prefix are API keys (`Authorization: Bearer bst_...`) and go
   * to the API-key authenticator, not to the token verifiers. Default "bst_".
   */
  apiKeyPrefix?: string;
  /** Longest credential accepted, in characters (default 8192). Longer is malformed. */
  maxLength?: number;
}

export const DEFAULT_API_KEY_PREFIX = "bst_";
export const DEFAULT_MAX_CREDENTIAL_LENGTH = 8192;

/** RFC 6750 §2.1 b64token: the only characters a bearer token may have. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
/** `Bearer` (any case), one space, one b64token, nothing else. */
const BEARER = /^([Bb][Ee][Aa][Rr][Ee][Rr]) ([^ ]*)$/;
/** An API key in X-API-Key: visible ASCII without separators (a comma would be Node's join of duplicates). */
const API_KEY = /^[A-Za-z0-9\-._~+/=]+$/;

/** Query parameters that carry a credential: refused wherever they appear (RFC 9700 §2.4, MCP auth spec). */
const QUERY_CREDENTIAL_NAMES = new Set(["access_token", "api_key", "apikey", "api-key", "x-api-key", "token", "bearer", "id_token"]);

/**
 * Finds exactly one credential in a request: `Authorization: Bearer <token>`, `X-API-Key: <key>`,
 * or the TLS client certificate. Refuses (AuthError) a missing, empty, malformed or duplicated
 * credential, two different credentials, and any credential in the query string. The body is never
 * read, so a token in a form body is never seen.
 *
 * A bearer token starting with the API-key prefix is an API key. The same API key in both
 * Authorization and X-API-Key is one credential; anything else in both is `multiple_credentials`.
 * A client certificate beside a header credential: the header credential is the one authenticated
 * (the listener has already verified the certificate when it requires one), unless the certificate
 * failed verification, which refuses the request.
 */
export function extractCredential(req: IncomingMessage, options: ExtractOptions = {}): Credential {
  const apiKeyPrefix = options.apiKeyPrefix ?? DEFAULT_API_KEY_PREFIX;
  const maxLength = options.maxLength ?? DEFAULT_MAX_CREDENTIAL_LENGTH;

  refuseQueryCredentials(req.url);

  const authorization = singleHeader(req, "authorization");
  const apiKeyHeader = singleHeader(req, "x-api-key");
  const fromAuthorization = authorization === undefined ? undefined : parseAuthorization(authorization, apiKeyPrefix, maxLength);
  const fromApiKeyHeader = apiKeyHeader === undefined ? undefined : parseApiKeyHeader(apiKeyHeader, maxLength);

  let fromHeaders: Credential | undefined;
  if (fromAuthorization && fromApiKeyHeader) {
    if (fromAuthorization.kind !== "api-key" || fromAuthorization.key !== fromApiKeyHeader.key) {
      throw new AuthError("multiple_credentials", "Send one credential: Authorization and X-API-Key carry different ones");
    }
    fromHeaders = fromApiKeyHeader;
  } else {
    fromHeaders = fromAuthorization ?? fromApiKeyHeader;
  }

  const certificate = clientCertificateOf(req);
  if (fromHeaders) {
    if (certificate && !certificate.authorized) {
      throw new AuthError("invalid_client_certificate", "The client certificate was not verified");
    }
    return fromHeaders;
  }
  if (certificate) return certificate;
  throw new AuthError("missing_credentials", "Authentication required");
}

/** The one value of a header, refusing repeats: Node keeps only the first Authorization, and joins X-API-Key with ", ". */
function singleHeader(req: IncomingMessage, name: string): string | undefined {
  const raw = req.rawHeaders;
  let count = 0;
  let value: string | undefined;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (raw[i]!.length === name.length && raw[i]!.toLowerCase() === name) {
      count += 1;
      value = raw[i + 1]!;
    }
  }
  if (count > 1) throw new AuthError("multiple_credentials", `Send one credential: the ${name} header appears ${count} times`);
  if (count === 0) return undefined;
  return trimOptionalWhitespace(value!);
}

const isOptionalWhitespace = (code: number): boolean => code === 32 || code === 9;

/**
 * Optional whitespace around a field value (SP / HTAB, RFC 9110 §5.5) is not part of it. (A loop
 * rather than /^[ \t]+|[ \t]+$/g, which tries its second branch at every position of a long token.)
 */
export function trimOptionalWhitespace(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && isOptionalWhitespace(value.charCodeAt(start))) start++;
  while (end > start && isOptionalWhitespace(value.charCodeAt(end - 1))) end--;
  return start === 0 && end === value.length ? value : value.slice(start, end);
}

function parseAuthorization(value: string, apiKeyPrefix: string, maxLength: number): Credential {
  if (value === "") throw new AuthError("malformed_credentials", "The Authorization header is empty");
  const match = BEARER.exec(value);
  if (!match) {
    if (!/^[Bb][Ee][Aa][Rr][Ee][Rr](\s|$)/.test(value)) {
      throw new AuthError("malformed_credentials", "Only the Bearer authorization scheme is accepted");
    }
    throw new AuthError("malformed_credentials", "The Authorization header must be 'Bearer' and one token, separated by one space");
  }
  const token = match[2]!;
  if (token === "") throw new AuthError("malformed_credentials", "The bearer token is empty");
  if (token.length > maxLength) throw new AuthError("malformed_credentials", "The bearer token is too long");
  if (!B64TOKEN.test(token)) throw new AuthError("malformed_credentials", "The bearer token has characters a bearer token cannot have");
  if (apiKeyPrefix !== "" && token.startsWith(apiKeyPrefix)) return { kind: "api-key", key: token };
  return { kind: "bearer", token };
}

function parseApiKeyHeader(value: string, maxLength: number): { kind: "api-key"; key: string } {
  if (value === "") throw new AuthError("malformed_credentials", "The X-API-Key header is empty");
  if (value.length > maxLength) throw new AuthError("malformed_credentials", "The API key is too long");
  if (!API_KEY.test(value)) throw new AuthError("malformed_credentials", "The API key has characters an API key cannot have");
  return { kind: "api-key", key: value };
}

function refuseQueryCredentials(url: string | undefined): void {
  if (url === undefined) return;
  const start = url.indexOf("?");
  if (start < 0) return;
  const end = url.indexOf("#", start);
  const query = url.slice(start + 1, end < 0 ? undefined : end);
  if (query === "") return;
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(query);
  } catch {
    throw new AuthError("malformed_credentials", "The query string cannot be read");
  }
  for (const name of params.keys()) {
    if (QUERY_CREDENTIAL_NAMES.has(name.trim().toLowerCase())) {
      throw new AuthError("token_in_query", "Credentials are not accepted in the query string; send them in the Authorization header");
    }
  }
}

function isTlsSocket(socket: unknown): socket is TLSSocket {
  return typeof socket === "object" && socket !== null && (socket as { encrypted?: unknown }).encrypted === true
    && typeof (socket as { getPeerCertificate?: unknown }).getPeerCertificate === "function";
}

function clientCertificateOf(req: IncomingMessage): Extract<Credential, { kind: "client-certificate" }> | undefined {
  const socket: unknown = req.socket;
  if (!isTlsSocket(socket)) return undefined;
  const certificate = socket.getPeerCertificate(true);
  // No certificate: Node returns an empty object (or null on a socket that has closed).
  if (!certificate || typeof certificate !== "object" || !certificate.raw || certificate.raw.length === 0) return undefined;
  const authorizationError = socket.authorizationError;
  const credential: Extract<Credential, { kind: "client-certificate" }> = {
    kind: "client-certificate",
    certificate,
    authorized: socket.authorized === true,
  };
  if (authorizationError !== undefined && authorizationError !== null) credential.authorizationError = String(authorizationError);
  return credential;
}
