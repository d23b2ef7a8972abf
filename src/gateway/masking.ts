import type { IncomingHttpHeaders } from "node:http";
import type { PiiMode } from "../config/types.js";
import { createMemoryVault, createPiiEngine, type Operator, type PiiEngine, type TokenVault } from "../pii/index.js";
import { GatewayError } from "./errors.js";
import { JsonRpcErrorCode, errorResponse, type JsonRpcMessage, type JsonRpcRequest, type JsonRpcResponse } from "./jsonrpc.js";
import { createMessageMasker, resolvePiiPolicy } from "./pii/index.js";
import { mayUnmaskPii, type Principal } from "./principal.js";

/**
 * The pipeline's PII steps, over src/gateway/pii (which parts of which messages are masked, and
 * the X-Mask-PII-* header policy): per-request settings, masking what goes to the client, and
 * restoring reversible tokens in what comes back.
 */

export interface PiiSettings {
  /** Mask what flows toward the model. */
  beforeLlm: boolean;
  /** Mask the gateway's log lines. */
  inLogs: boolean;
}

export interface MessageMasking {
  /**
   * The settings for one HTTP request: config defaults changed by X-Mask-PII-* headers (400 bad
   * value, 403 refused opt-out). Turning masking off needs `pii.allowOptOut` and the caller's
   * permission `pii:unmask` (a scope, or the admin role: principal.ts `mayUnmaskPii`).
   */
  settingsFor(headers: IncomingHttpHeaders, principal: Principal): PiiSettings;
  /**
   * A message bound for the client (and so the model). `answering` is the method a response
   * answers. Fails closed: a response that cannot be masked becomes an error response; any other
   * message that cannot be masked is dropped (undefined).
   */
  outbound(message: JsonRpcMessage, settings: PiiSettings, scope: string, answering?: string): JsonRpcMessage | undefined;
  /** A client message bound for a server: reversible tokens issued to `scope` are restored. `answering`: see outbound. */
  inbound<M extends JsonRpcRequest | JsonRpcResponse>(message: M, scope: string, answering?: string): M;
  /** The scope (a session) ended: its tokens are forgotten. */
  endScope(scope: string): void;
}

export interface MaskingConfig {
  beforeLlm: boolean;
  inLogs: boolean;
  mode: PiiMode;
  allowOptOut: boolean;
}

export const MODE_OPERATORS: Readonly<Record<PiiMode, Operator>> = {
  replace: { type: "replace" },
  tokens: { type: "token" },
  hash: { type: "hash" },
  partial: { type: "partial" },
  remove: { type: "remove" },
};

export interface MaskingDeps {
  /** The engine; one made with the mode's operator and `vault` if not given. */
  engine?: PiiEngine;
  vault?: TokenVault;
}

export function createMessageMasking(config: MaskingConfig, deps: MaskingDeps = {}): MessageMasking {
  const vault = deps.vault ?? createMemoryVault();
  // Until this masking hands out a reversible token (in every mode but tokens: never), no client
  // string can hold one to restore, so requests go up as they are without being searched (~2 us and
  // ~1 KB per request). Known only when the engine and its vault start here, empty: given ones may
  // already hold tokens, and then every request is searched.
  let issued = deps.engine !== undefined || deps.vault !== undefined;
  const watched: TokenVault = issued
    ? vault
    : {
        tokenFor(scope, type, value) {
          issued = true;
          return vault.tokenFor(scope, type, value);
        },
        originalOf: (scope, token) => vault.originalOf(scope, token),
        dropScope: (scope) => vault.dropScope(scope),
      };
  const engine = deps.engine ?? createPiiEngine({ defaultOperator: MODE_OPERATORS[config.mode], vault: watched });
  const masker = createMessageMasker(engine);
  const defaults = { beforeLlm: config.beforeLlm, inLogs: config.inLogs, allowOptOut: config.allowOptOut };
  const plain: PiiSettings = { beforeLlm: config.beforeLlm, inLogs: config.inLogs };

  return {
    settingsFor(headers, principal) {
      if (headers["x-mask-pii-before-llm"] === undefined && headers["x-mask-pii-in-logs"] === undefined) return plain;
      const decision = resolvePiiPolicy(defaults, headers, { mayOptOut: mayUnmaskPii(principal) });
      if ("refused" in decision) {
        throw new GatewayError(decision.refused.status === 403 ? "PII_OPT_OUT_FORBIDDEN" : "INVALID_REQUEST", decision.refused.message);
      }
      return decision;
    },
    outbound(message, settings, scope, answering) {
      if (!settings.beforeLlm) return message;
      try {
        return masker.maskOutbound(message, answering === undefined ? { scope } : { scope, method: answering });
      } catch {
        if ("result" in message || "error" in message) {
          return errorResponse(message.id, JsonRpcErrorCode.InternalError, "the gateway could not mask this result for PII, so it was withheld");
        }
        return undefined;
      }
    },
    inbound(message, scope, answering) {
      if (!issued && typeof scope === "string" && scope !== "") return message;
      return masker.restoreInbound(message, answering === undefined ? { scope } : { scope, method: answering });
    },
    endScope(scope) {
      vault.dropScope(scope);
    },
  };
}
