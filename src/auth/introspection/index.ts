export { createIntrospectionAuthenticator, type IntrospectionAuthenticatorOptions } from "./authenticator.js";
export { introspectionConfigSchema, type IntrospectionConfig } from "./config.js";
export { createMemoryIntrospectionCache, type IntrospectionCache, type IntrospectionOutcome } from "./cache.js";
export { createIntrospectionClient, IntrospectionUnavailableError } from "./client.js";
