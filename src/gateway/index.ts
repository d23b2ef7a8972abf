/** The gateway as a library: what src/index.ts re-exports for people embedding mcp-bastion. */
export { createGateway } from "./server.js";
export type { Gateway, GatewayOptions, CreateUpstreamFactory } from "./server.js";
export { createUpstreamFactory } from "./upstream/index.js";
export { ANONYMOUS, PASS_THROUGH_STEPS, PII_UNMASK, mayUnmaskPii } from "./principal.js";
export type { AuthMethod, Principal, PipelineSteps, Route } from "./principal.js";
export { AuthenticationSetupError, createGatewayAuthentication } from "./authentication.js";
export type { GatewayAuthentication, GatewayAuthenticationOptions } from "./authentication.js";
export { GatewayError, GATEWAY_ERRORS, authFailure } from "./errors.js";
export type { GatewayErrorCode } from "./errors.js";
export { createMemorySessionStore, isExpired } from "./session/store.js";
export type { SessionRecord, SessionStore, SessionTimeouts } from "./session/store.js";
export { createMessageMasking } from "./masking.js";
export type { MessageMasking, PiiSettings } from "./masking.js";
export type { GatewayLogger } from "./logger.js";
