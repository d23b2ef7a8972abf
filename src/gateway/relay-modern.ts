import { header, outboundFor, stillAllowedFor, type GatewayCore, type RequestContext } from "./core.js";
import { sendEmpty } from "./http/reply.js";
import { JsonRpcErrorCode, errorResponse, isRequest, type JsonRpcMessage, type JsonRpcResponse } from "./jsonrpc.js";
import { splitName } from "./aggregate/names.js";
import { checkStandardHeaders, checkSupportedRevision, type StandardHeaders } from "./modern/classify.js";
import { isPlainObject } from "./modern/envelope.js";
import { checkParamHeaders } from "./modern/param-headers.js";
import { PostExchange } from "./relay/channel.js";

/**
 * The 2026-07-28 revision: stateless. Each request carries its own envelope, is relayed on the
 * server's shared channel (or the aggregated view), and its reply goes back on its own HTTP response.
 */

export function standardHeadersOf(ctx: RequestContext): StandardHeaders {
  return {
    protocolVersion: header(ctx.req, "mcp-protocol-version"),
    mcpMethod: header(ctx.req, "mcp-method"),
    mcpName: header(ctx.req, "mcp-name"),
  };
}

/**
 * The HTTP status of a modern reply: the SDK's ladder maps protocol-level refusals to 4xx (method
 * not found is 404), while errors a tool or handler returns stay in-band with 200.
 */
const LADDER_STATUS: Readonly<Record<number, number>> = { [-32700]: 400, [-32600]: 400, [-32601]: 404, [-32020]: 400, [-32021]: 400, [-32022]: 400 };

export function modernStatus(response: JsonRpcResponse): number {
  return "error" in response ? (LADDER_STATUS[response.error.code] ?? 200) : 200;
}

/**
 * Methods 2026-07-28 removed from the protocol: answered method-not-found here, whatever the
 * upstream, so no server sees a 2025 session operation dressed in a 2026 envelope.
 */
const REMOVED_METHODS: ReadonlySet<string> = new Set(["initialize", "ping", "logging/setLevel", "resources/subscribe", "resources/unsubscribe"]);

/** The vault scope of a stateless caller: tokens are restored only for the caller they were issued to. */
export const callerScope = (principalId: string): string => `principal:${principalId}`;

/** SEP-2243: the tool's Mcp-Param headers must mirror its arguments (the upstream may never see headers). */
async function checkToolParamHeaders(core: GatewayCore, ctx: RequestContext, params: Record<string, unknown> | undefined, id: string | number): Promise<void> {
  const name = params?.["name"];
  if (typeof name !== "string") return;
  let server: string | undefined;
  let tool = name;
  if (ctx.route.kind === "server") {
    server = ctx.route.server;
  } else {
    const split = splitName(name);
    server = split?.server;
    tool = split?.name ?? name;
  }
  const port = server === undefined ? undefined : core.modernPorts.get(server);
  if (port === undefined) return; // an unknown tool: the route answers that
  const declarations = await port.paramHeaders(tool);
  if (declarations.length === 0) return;
  checkParamHeaders(declarations, isPlainObject(params) ? params["arguments"] : undefined, (headerName) => header(ctx.req, headerName), id);
}

export async function relayModern(core: GatewayCore, ctx: RequestContext, message: JsonRpcMessage, revision: string): Promise<void> {
  const id = "id" in message && message.id !== undefined ? message.id : null;
  checkSupportedRevision(revision, id);
  checkStandardHeaders(message, standardHeadersOf(ctx));
  if (!isRequest(message)) {
    // No session to deliver a notification to: accepted and dropped, as a stateless server does.
    sendEmpty(ctx.res, 202, ctx.corsHeaders);
    return;
  }
  if (message.method === "tools/call") await checkToolParamHeaders(core, ctx, message.params, message.id);
  const scope = callerScope(ctx.principal.id);
  if (REMOVED_METHODS.has(message.method)) {
    const refusal = errorResponse(message.id, JsonRpcErrorCode.MethodNotFound, `Method not found: ${message.method} (removed in protocol revision 2026-07-28)`);
    new PostExchange(ctx.res, { ...ctx.corsHeaders }, outboundFor(core, ctx, scope)).finish(refusal, message.method, modernStatus(refusal));
    return;
  }
  const request = core.masking.inbound(message, scope);
  // A listen stream stays open for long: each message on it re-checks the credential (relay/channel.ts).
  const stillAllowed = request.method === "subscriptions/listen" ? stillAllowedFor(core, ctx) : undefined;
  const exchange = new PostExchange(ctx.res, { ...ctx.corsHeaders }, outboundFor(core, ctx, scope), stillAllowed);
  // A stateless client cancels by going away: the upstream call is cancelled with it.
  const controller = new AbortController();
  const onClose = () => controller.abort("the client closed the connection");
  ctx.res.once("close", onClose);
  try {
    const response =
      ctx.route.kind === "server"
        ? await core.modernPorts.get(ctx.route.server)!.call(request, exchange, controller.signal)
        : await core.modernAggregator.request(request, exchange, controller.signal);
    exchange.finish(response, request.method, modernStatus(response));
  } finally {
    ctx.res.off("close", onClose);
  }
}
