import type { IncomingMessage } from "node:http";
import type { Logger } from "pino";
import { extractCredential, type AuthContext, type Authenticator, type Credential, type ExtractOptions } from "./credentials.js";
import { AuthError } from "./errors.js";
import { parseApiKey } from "./api-keys/format.js";
import { IntrospectionUnavailableError } from "./introspection/client.js";
import { KeySetUnavailableError } from "./jwt/key-set.js";
import type { Lockout, LockoutTarget } from "./lockout/lockout.js";
import type { Principal } from "./principal.js";

export interface CreateAuthenticateOptions {
  /** Tried in order: the first whose `kinds` has the credential's kind and that `accepts` it decides. Put the JWT verifier before introspection. */
  authenticators: readonly Authenticator[];
  /** Failed-attempt limits; none when absent. */
  lockout?: Lockout;
  /** Failures are logged here with their code and client address, never the credential. */
  logger: Pick<Logger, "warn" | "error" | "debug">;
  /** Clock (ms since the epoch); default Date.now. */
  now?: () => number;
  /** The client's address; default the socket's. The gateway passes one that honours trusted proxies only. */
  clientAddressOf?: (req: IncomingMessage) => string;
  extract?: ExtractOptions;
  /**
   * The public subject a failure is counted against besides the address. Default: the
   * authenticator's `lockoutSubject`, else for an API key its public id ("key:<id>").
   */
  subjectOf?: (credential: Credential) => string | undefined;
}

export type Authenticate = (req: IncomingMessage) => Promise<Principal>;

function socketAddress(req: IncomingMessage): string {
  return req.socket?.remoteAddress ?? "unknown";
}

/** An API key's public id, which is not secret (`bst_<id>_<secret>`), or nothing for a malformed key. */
function apiKeySubject(credential: Credential): string | undefined {
  if (credential.kind !== "api-key") return undefined;
  try {
    return `key:${parseApiKey(credential.key).publicId}`;
  } catch {
    return undefined;
  }
}

/** What a failure is counted against besides the address: a public subject for the credential, never the secret. */
function subjectOf(options: CreateAuthenticateOptions, authenticator: Authenticator | undefined, credential: Credential): string | undefined {
  try {
    return options.subjectOf?.(credential) ?? authenticator?.lockoutSubject?.(credential) ?? apiKeySubject(credential);
  } catch {
    return undefined;
  }
}

/** Errors that mean an issuer could not be asked (their messages are ours and carry no credential). */
function isUnavailable(error: unknown): error is Error {
  return error instanceof KeySetUnavailableError || error instanceof IntrospectionUnavailableError;
}

/**
 * Step 2 of the path: one `authenticate(req)` for the gateway, composed of the authenticators.
 *
 *   1. the client address must not be locked out (429)
 *   2. exactly one credential is extracted (credentials.ts)
 *   3. the authenticator for its kind is chosen; its subject (key id, user) must not be locked out
 *   4. the authenticator verifies it -> Principal
 *
 * Every refusal is an AuthError (401, or 429 when locked out), logged with its code, the client
 * address and the credential kind, never the credential. A refused credential counts against the
 * address and subject (a request with no credential at all does not: clients first ask without
 * one to discover the metadata). A verifier that cannot reach its issuer (JWKS, introspection)
 * refuses with 401 too (fail closed) but is logged as an error and not counted against anyone.
 */
export function createAuthenticate(options: CreateAuthenticateOptions): Authenticate {
  const now = options.now ?? Date.now;
  const clientAddressOf = options.clientAddressOf ?? socketAddress;
  const { logger, lockout } = options;

  async function refuse(error: AuthError, target: LockoutTarget, kind: string | undefined, at: number): Promise<never> {
    const fields = { event: "auth.failure", code: error.code, clientAddress: target.address, credentialKind: kind, subject: target.subject };
    if (lockout && error.code !== "missing_credentials" && error.code !== "locked_out") {
      const { lockedUntil } = await lockout.recordFailure(target, at);
      if (lockedUntil !== undefined) logger.warn({ ...fields, event: "auth.lockout", lockedUntil }, "authentication locked out after repeated failures");
    }
    logger.warn(fields, "authentication failed");
    throw error;
  }

  return async (req) => {
    const at = now();
    const target: LockoutTarget = { address: clientAddressOf(req) };
    let kind: string | undefined;
    try {
      if (lockout) await lockout.check(target, at);
      const credential = extractCredential(req, options.extract);
      kind = credential.kind;
      const authenticator = options.authenticators.find((candidate) => candidate.kinds.includes(credential.kind) && (candidate.accepts?.(credential) ?? true));
      const subject = subjectOf(options, authenticator, credential);
      if (subject !== undefined) target.subject = subject;
      if (!authenticator) throw new AuthError("unknown_credentials", "This kind of credential is not accepted here");
      if (lockout && subject !== undefined) await lockout.check(target, at);

      const context: AuthContext = { now: at, clientAddress: target.address };
      const principal = await authenticator.authenticate(credential, context);
      if (principal.expiresAt !== undefined && principal.expiresAt <= at) throw new AuthError("expired_credentials", "The credential has expired");
      if (lockout) await lockout.recordSuccess(target, at);
      logger.debug({ event: "auth.success", principal: principal.id, method: principal.method, clientAddress: target.address }, "authenticated");
      return principal;
    } catch (error) {
      if (error instanceof AuthError) return refuse(error, target, kind, at);
      logger.error(
        // Only our own unavailability messages are logged: any other error's text could hold anything.
        { event: "auth.unavailable", clientAddress: target.address, credentialKind: kind, reason: error instanceof Error ? error.name : typeof error, ...(isUnavailable(error) ? { detail: error.message } : {}) },
        "authentication could not be completed",
      );
      throw new AuthError("invalid_token", "The credential could not be verified");
    }
  };
}
