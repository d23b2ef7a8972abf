export { createMessageMasker } from "./message-masker.js";
export type { MessageMasker, MessageMaskerOptions, OutboundContext, InboundContext } from "./message-masker.js";
export { MessageMaskingError } from "./errors.js";
export { resolvePiiPolicy, BEFORE_LLM_HEADER, IN_LOGS_HEADER } from "./policy.js";
export type { PiiDefaults, PiiAccess, PiiPolicy, PiiPolicyRefusal, PiiPolicyDecision, HeaderSource } from "./policy.js";
export { relaxOutputSchema } from "./output-schema.js";
