/**
 * API keys: `bst_<publicId>_<secret>`, stored as a SHA-256 hash, found by public id, compared in
 * constant time. One module per check (check-*.ts), as in panva/jose.
 */
export { createApiKeyService, type ApiKeyService, type ApiKeyServiceOptions, type CreateApiKeyInput, type IssuedApiKey, type RotateApiKeyInput } from "./service.js";
export { createApiKeyAuthenticator } from "./authenticator.js";
export { ensureBootstrapAdminKey, BOOTSTRAP_KEY_NAME, type BootstrapOptions, type BootstrapResult } from "./bootstrap.js";
export { apiKeysConfigSchema, API_KEY_DEFAULTS, type ApiKeysConfig, type ApiKeysConfigInput } from "./config.js";
export { API_KEY_PREFIX, API_KEY_LENGTH, generateApiKey, isPublicId, looksLikeApiKey, parseApiKey, type ParsedApiKey, type RandomBytes } from "./format.js";
export { API_KEY_ROLES, isApiKeyRole, parseRole, type ApiKeyRole } from "./roles.js";
export { parseScopes } from "./scopes.js";
export { parseKeyName } from "./name.js";
export { parseKeyLifetime, parseRotationOverlap, MAX_KEY_LIFETIME_MS, MAX_ROTATION_OVERLAP_MS } from "./duration.js";
export { ApiKeyAdminError, type ApiKeyAdminFailureCode } from "./errors.js";
export { apiKeyStatus, apiKeyValidUntil, type ApiKeyStatus } from "./status.js";
export { HASH_SCHEME, hashApiKey } from "./hash.js";
