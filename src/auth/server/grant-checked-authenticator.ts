import type { Authenticator } from "../credentials.js";
import { AuthError } from "../errors.js";
import { decodeCompactJws } from "../jwt/compact.js";
import type { GrantRefusal, GrantStatus } from "./grant-status.js";

/**
 * The resource-server side of grant-status.ts: wraps the JWT authenticator that trusts the
 * built-in authorization server so that a token whose signature and claims verify is accepted
 * only while its grant still stands. The claims are read again after `inner` has verified them
 * (a few microseconds), so the JWT verifier stays untouched.
 *
 * `statusOf` resolving or `GrantStatus` throwing (the store cannot be read) is not an AuthError:
 * createAuthenticate then refuses with 401 and logs it as unavailable (fail closed).
 */
export function withGrantCheck(inner: Authenticator, statusOf: () => Promise<GrantStatus>): Authenticator {
  return {
    kinds: inner.kinds,
    ...(inner.accepts ? { accepts: (credential) => inner.accepts!(credential) } : {}),
    ...(inner.lockoutSubject ? { lockoutSubject: (credential) => inner.lockoutSubject!(credential) } : {}),
    async authenticate(credential, context) {
      const principal = await inner.authenticate(credential, context);
      if (credential.kind !== "bearer") throw new AuthError("invalid_token", "Not a bearer token");
      const refusal: GrantRefusal | undefined = await (await statusOf())(decodeCompactJws(credential.token).claims);
      if (refusal !== undefined) throw new AuthError("revoked_credentials", refusal === "user_unavailable" ? "The token's user is disabled or gone" : "The token's grant has been revoked");
      return principal;
    },
  };
}
