/** The gateway as a library: what src/index.ts re-exports for people embedding mcp-bastion. */
export { createGateway } from "./server.js";
export type { Gateway, GatewayOptions, CreateUpstreamFactory } from "./server.js";
export { createUpstreamFactory } from "./upstream/index.js";
export { ANONYMOUS, PASS_THROUGH_STEPS } from "./principal.js";
export type { Principal, PipelineSteps, Route } from "./principal.js";
export { GatewayError, GATEWAY_ERRORS } from "./errors.js";
export type { GatewayErrorCode } from "./errors.js";
export { createMemorySessionStore, isExpired } from "./session/store.js";
export type { SessionRecord, SessionStore, SessionTimeouts } from "./session/store.js";
export { createMessageMasking } from "./masking.js";
export type { MessageMasking, PiiSettings } from "./masking.js";
export type { GatewayLogger } from "./logger.js";
