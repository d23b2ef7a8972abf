import { AuthError } from "../errors.js";
import type { AuthContext, Authenticator, Credential } from "../credentials.js";
import type { Principal } from "../principal.js";
import { looksLikeApiKey } from "./format.js";
import type { ApiKeyService } from "./service.js";

/**
 * The API-key authenticator: `X-API-Key: KEY` arrives as an "api-key" credential. A bearer token
 * with the `bst_` prefix is an API key too (`Authorization: Bearer bst_...`); the composer routes
 * such tokens here (see `looksLikeApiKey`), and a bearer credential handed here directly is
 * accepted only if it has that prefix. Anything else is refused: fail closed.
 */
export function createApiKeyAuthenticator(service: ApiKeyService): Authenticator {
  return {
    kinds: ["api-key"],
    async authenticate(credential: Credential, context: AuthContext): Promise<Principal> {
      if (credential.kind === "api-key") return service.authenticate(credential.key, context.now);
      if (credential.kind === "bearer" && looksLikeApiKey(credential.token)) return service.authenticate(credential.token, context.now);
      throw new AuthError("malformed_credentials", "not an API key");
    },
  };
}
