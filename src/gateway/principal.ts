import type { IncomingMessage } from "node:http";
import { ANONYMOUS_PRINCIPAL, type Principal } from "../auth/principal.js";
import type { JsonRpcMessage } from "./jsonrpc.js";

/**
 * Who is calling: src/auth's Principal (id, method, roles, scopes, attributes, when), produced by
 * step 2 (src/gateway/authentication.ts). Sessions are bound to `id` and compared on every request.
 */
export type { AuthMethod, Principal } from "../auth/principal.js";

/** A request without credentials when `auth.required` is false: no roles, no scopes. */
export const ANONYMOUS: Principal = ANONYMOUS_PRINCIPAL;

/** The permission to turn PII masking off per request (X-Mask-PII-*: 0): a scope, or the admin role. */
export const PII_UNMASK = "pii:unmask";

/** Whether this principal may opt out of PII masking: scope `pii:unmask` (API key or token), or role `admin`. */
export function mayUnmaskPii(principal: Principal): boolean {
  return principal.scopes.includes(PII_UNMASK) || principal.roles.includes("admin");
}

/** Which part of the gateway a request is for. */
export type Route = { kind: "server"; server: string } | { kind: "aggregate" };

/**
 * The pipeline's pluggable steps (DESIGN.md, "The path of one message", steps 2, 3 and 5). Each
 * throws a GatewayError to refuse. createGateway builds `authenticate` from the config; rate
 * limits and authorization pass through until they exist.
 */
export interface PipelineSteps {
  /** 2. Who is calling (401 with WWW-Authenticate on failure). */
  authenticate(req: IncomingMessage): Promise<Principal>;
  /**
   * 3. Per principal / per client limits (429 with Retry-After). A step with nothing to wait for
   * may return undefined: the pipeline then does not await it (no promise and tick per request).
   */
  rateLimit(principal: Principal, req: IncomingMessage): Promise<void> | undefined;
  /** 5. May this principal send this message on this route (default deny, in issue 4). Sync allowed as above. */
  authorize(principal: Principal, message: JsonRpcMessage, route: Route): Promise<void> | undefined;
}

/** Every step passes: anonymous callers, no limits, no authorization (tests and embedding only). */
export const PASS_THROUGH_STEPS: PipelineSteps = {
  authenticate: async () => ANONYMOUS,
  rateLimit: () => undefined,
  authorize: () => undefined,
};
