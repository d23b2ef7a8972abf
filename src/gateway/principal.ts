import type { IncomingMessage } from "node:http";
import type { JsonRpcMessage } from "./jsonrpc.js";

/**
 * Who is calling. Authentication (issue 4) fills in who; until then every caller is the anonymous
 * principal. Sessions are bound to `id` and compared on every request already, so issue 4 only
 * has to produce real principals.
 */
export interface Principal {
  readonly id: string;
  /** How the caller was authenticated ("none" until issue 4). */
  readonly method: string;
}

export const ANONYMOUS: Principal = Object.freeze({ id: "anonymous", method: "none" });

/** Which part of the gateway a request is for. */
export type Route = { kind: "server"; server: string } | { kind: "aggregate" };

/**
 * The pipeline's pluggable steps (DESIGN.md, "The path of one message", steps 2, 3 and 5). Each
 * throws a GatewayError to refuse. Today they pass everything through.
 */
export interface PipelineSteps {
  /** 2. Who is calling (401 with WWW-Authenticate on failure, in issue 4). */
  authenticate(req: IncomingMessage): Promise<Principal>;
  /** 3. Per principal / per client limits (429 with Retry-After). */
  rateLimit(principal: Principal, req: IncomingMessage): Promise<void>;
  /** 5. May this principal send this message on this route (default deny, in issue 4). */
  authorize(principal: Principal, message: JsonRpcMessage, route: Route): Promise<void>;
}

export const PASS_THROUGH_STEPS: PipelineSteps = {
  authenticate: async () => ANONYMOUS,
  rateLimit: async () => undefined,
  authorize: async () => undefined,
};
