export { createJwtAuthenticator, type JwtAuthenticatorOptions } from "./authenticator.js";
export { createJwtVerifier, type JwtVerifier, type JwtVerifierOptions, type VerifiedJwt } from "./verifier.js";
export { jwtConfigSchema, jwtIssuerSchema, claimMappingSchema, ASYMMETRIC_ALGORITHMS, type JwtConfig, type JwtIssuerConfig, type ClaimMapping } from "./config.js";
export { KeySetUnavailableError, createStaticKeySet, type KeySet } from "./key-set.js";
export { createRemoteKeySet, type RemoteKeySet, type RemoteKeySetOptions } from "./remote-key-set.js";
export { looksLikeCompactJws } from "./compact.js";
export { mapClaims, scopesOf, type MappedClaims } from "./claim-mapping.js";
