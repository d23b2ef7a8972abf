import type { Logger } from "pino";
import { JsonRpcErrorCode, errorResponse, type JsonRpcId, type JsonRpcNotification, type JsonRpcRequest, type JsonRpcResponse } from "../../jsonrpc.js";
import { isPlainObject, metaOf } from "../../modern/envelope.js";
import type { UpstreamConnection, UpstreamInitiated } from "../types.js";
import { LOG_LEVELS, isLogLevel, mostVerbose, passesLevel, type LogLevel } from "./log-levels.js";
import { SharedMember, type SharedCall, type SharedHub } from "./member.js";
import type { ShareMode } from "./share-mode.js";

export { SHARE_MODES, type ShareMode } from "./share-mode.js";

/**
 * What the gateway declares to a shared upstream, once for all its sessions. Sampling and
 * elicitation, so a tool that needs them works for a session that declared them (a request for a
 * session that did not is refused here). Not roots: roots are one client's folders, and a shared
 * upstream would apply one session's roots to all.
 */
export const SHARED_CLIENT_CAPABILITIES = { sampling: {}, elicitation: {} } as const;

/** The client capability a server request needs. */
const CAPABILITY_OF: Readonly<Record<string, string>> = {
  "sampling/createMessage": "sampling",
  "elicitation/create": "elicitation",
  "roots/list": "roots",
};

export interface SharedUpstreamOptions {
  serverName: string;
  mode: Exclude<ShareMode, "none">;
  /** The protocol version asked for at initialize (sessions asking for another get another upstream). */
  protocolVersion: string;
  clientInfo: { name: string; version: string };
  /** Opens the one real (supervised) connection. */
  open(): Promise<UpstreamConnection>;
  /** How long the upstream stays open after its last session left, in case another comes. */
  idleCloseMs: number;
  logger: Logger;
  /** Called once when the shared upstream is gone, so its owner forgets it. */
  onGone(): void;
}

/**
 * One upstream connection shared by several sessions. Requests go up under ids and progress
 * tokens of its own and come back to the member that sent them; what MCP keeps per session is
 * kept per member and merged for the one upstream: initialize happens once; log levels (the most
 * verbose goes up, each session's filters what it sees); resource subscriptions (reference
 * counted, updates only to subscribers); server requests go only to the session whose call they
 * belong to and that declared the capability, else the server gets an error (fail closed).
 * Crashes and restarts are the supervised connection's (initialize, level and subscriptions
 * replayed); its calls in flight fail at once, whichever member made them.
 */
export class SharedUpstream implements SharedHub {
  readonly serverName: string;
  private readonly options: SharedUpstreamOptions;
  private connection: UpstreamConnection | undefined;
  private starting: Promise<void> | undefined;
  private initResult: Record<string, unknown> = {};
  private readonly members = new Set<SharedMember>();
  private nextId = 0;
  private readonly calls = new Map<JsonRpcId, SharedCall>();
  private readonly tokens = new Map<string, SharedCall>();
  /** Server requests handed to a member, by the upstream's id. */
  private readonly serverRequests = new Map<JsonRpcId, SharedMember>();
  private readonly subscriptions = new Map<string, { members: Set<SharedMember>; answer: Promise<JsonRpcResponse> }>();
  private upstreamLevel: LogLevel | undefined;
  private levelChain: Promise<unknown> = Promise.resolve();
  private idleTimer: NodeJS.Timeout | undefined;
  private offs: Array<() => void> = [];
  private gone = false;

  constructor(options: SharedUpstreamOptions) {
    this.options = options;
    this.serverName = options.serverName;
  }

  get memberCount(): number {
    return this.members.size;
  }

  get isGone(): boolean {
    return this.gone;
  }

  /** A new session joins; resolves once the upstream is connected and initialized. */
  async join(): Promise<SharedMember> {
    if (this.gone) throw new Error(`upstream server "${this.serverName}": the shared connection is closed`);
    if (this.idleTimer !== undefined) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    const member = new SharedMember(this, this.options.logger);
    this.members.add(member); // before awaiting, so an idle close cannot run under it
    try {
      await (this.starting ??= this.start());
    } catch (error) {
      this.members.delete(member);
      await this.close((error as Error).message);
      throw error;
    }
    if (this.gone) throw new Error(`upstream server "${this.serverName}": the shared connection closed while starting`);
    return member;
  }

  private async start(): Promise<void> {
    const connection = await this.options.open();
    this.connection = connection;
    this.offs.push(
      connection.onInitiated((event) => this.route(event)),
      connection.onClosed((reason) => this.lost(reason)),
    );
    const { protocolVersion, clientInfo } = this.options;
    const answer = await connection.request({
      jsonrpc: "2.0",
      id: "bastion-shared-initialize",
      method: "initialize",
      params: { protocolVersion, capabilities: SHARED_CLIENT_CAPABILITIES, clientInfo },
    });
    if ("error" in answer) throw new Error(`initialize failed: ${answer.error.message}`);
    this.initResult = answer.result;
    await connection.notify({ jsonrpc: "2.0", method: "notifications/initialized" });
    this.options.logger.info({ event: "upstream.shared", mode: this.options.mode, protocolVersion }, "shared upstream connection ready");
  }

  initializeResult(): Record<string, unknown> {
    return this.initResult;
  }

  async forward(member: SharedMember, request: JsonRpcRequest, options: { timeoutMs?: number; signal?: AbortSignal } | undefined): Promise<JsonRpcResponse> {
    const connection = this.connection;
    if (connection === undefined || this.gone) return this.closedError(request.id);
    const id = ++this.nextId;
    // The session's own signal cancels the call (a session that ends aborts its calls before it
    // leaves); a caller without one gets a controller, so leaving still cancels its calls.
    const controller = options?.signal === undefined ? new AbortController() : undefined;
    const signal = options?.signal ?? controller!.signal;
    const call: SharedCall = controller === undefined ? { member, callerId: request.id } : { member, callerId: request.id, controller };
    let params = request.params;
    let token: string | undefined;
    const meta = metaOf(params);
    const callerToken = meta?.["progressToken"];
    if (typeof callerToken === "string" || typeof callerToken === "number") {
      token = `bastion-shared-${id}`;
      call.callerToken = callerToken;
      params = { ...params, _meta: { ...meta, progressToken: token } };
      this.tokens.set(token, call);
    }
    this.calls.set(id, call);
    member.calls.add(call);
    try {
      const upstream: JsonRpcRequest = params === undefined ? { jsonrpc: "2.0", id, method: request.method } : { jsonrpc: "2.0", id, method: request.method, params };
      // The caller's options already carry its signal (the usual case): pass them on as they are.
      const callOptions = options?.signal !== undefined ? options : options?.timeoutMs === undefined ? { signal } : { timeoutMs: options.timeoutMs, signal };
      const response = await connection.request(upstream, callOptions);
      return { ...response, id: request.id } as JsonRpcResponse;
    } finally {
      this.calls.delete(id);
      member.calls.delete(call);
      if (token !== undefined) this.tokens.delete(token);
    }
  }

  async setLevel(member: SharedMember, request: JsonRpcRequest): Promise<JsonRpcResponse> {
    const level = request.params?.["level"];
    if (!isLogLevel(level)) return errorResponse(request.id, JsonRpcErrorCode.InvalidParams, `Invalid params: level must be one of ${LOG_LEVELS.join(", ")}`);
    member.level = level;
    const failure = await this.syncLevel();
    return failure === undefined ? { jsonrpc: "2.0", id: request.id, result: {} } : { ...failure, id: request.id };
  }

  /** Sets the upstream to the most verbose level any member asked for (one change at a time). */
  private syncLevel(): Promise<JsonRpcResponse | undefined> {
    const next = this.levelChain.then(async () => {
      const wanted = mostVerbose([...this.members].map((m) => m.level));
      if (wanted === undefined || wanted === this.upstreamLevel || this.gone) return undefined;
      const answer = await this.upstreamCall("logging/setLevel", { level: wanted });
      if ("error" in answer) return answer;
      this.upstreamLevel = wanted;
      return undefined;
    });
    this.levelChain = next.catch(() => undefined);
    return next;
  }

  async subscribe(member: SharedMember, request: JsonRpcRequest): Promise<JsonRpcResponse> {
    const uri = request.params?.["uri"];
    if (typeof uri !== "string") return errorResponse(request.id, JsonRpcErrorCode.InvalidParams, "Invalid params: uri must be a string");
    let entry = this.subscriptions.get(uri);
    if (entry === undefined) {
      entry = { members: new Set(), answer: this.upstreamCall("resources/subscribe", { uri }) };
      this.subscriptions.set(uri, entry);
    }
    const answer = await entry.answer;
    if ("error" in answer) {
      if (this.subscriptions.get(uri) === entry && entry.members.size === 0) this.subscriptions.delete(uri);
      return { ...answer, id: request.id };
    }
    if (member.hasLeft) return this.closedError(request.id);
    if (this.subscriptions.get(uri) !== entry) return this.subscribe(member, request); // released meanwhile: subscribe afresh
    entry.members.add(member);
    member.subscriptions.add(uri);
    return { jsonrpc: "2.0", id: request.id, result: {} };
  }

  async unsubscribe(member: SharedMember, request: JsonRpcRequest): Promise<JsonRpcResponse> {
    const uri = request.params?.["uri"];
    if (typeof uri !== "string") return errorResponse(request.id, JsonRpcErrorCode.InvalidParams, "Invalid params: uri must be a string");
    // A session can only drop its own subscription; the upstream's ends with the last one.
    const sent = this.release(member, uri);
    const answer = sent === undefined ? undefined : await sent;
    return answer !== undefined && "error" in answer ? { ...answer, id: request.id } : { jsonrpc: "2.0", id: request.id, result: {} };
  }

  /** Drops `member`'s subscription to `uri`; the upstream's, when it was the last (the answer returned). */
  private release(member: SharedMember, uri: string): Promise<JsonRpcResponse> | undefined {
    const entry = this.subscriptions.get(uri);
    member.subscriptions.delete(uri);
    if (entry === undefined || !entry.members.delete(member) || entry.members.size > 0) return undefined;
    this.subscriptions.delete(uri);
    return this.upstreamCall("resources/unsubscribe", { uri });
  }

  async respond(member: SharedMember, response: JsonRpcResponse): Promise<void> {
    // Only the session a server request was given to may answer it.
    if (response.id === null || !member.serverRequests.delete(response.id) || this.serverRequests.get(response.id) !== member) {
      this.options.logger.warn({ event: "upstream.unsolicited_response", id: response.id }, "dropped an answer from a session that was not asked");
      return;
    }
    this.serverRequests.delete(response.id);
    await this.connection?.respond(response);
  }

  leave(member: SharedMember): void {
    if (!this.members.delete(member)) return;
    for (const call of member.calls) call.controller?.abort("the session ended");
    for (const id of member.serverRequests) {
      this.serverRequests.delete(id);
      void this.connection?.respond(errorResponse(id, JsonRpcErrorCode.InternalError, "the session this request was sent to has ended"));
    }
    member.serverRequests.clear();
    for (const uri of [...member.subscriptions]) void this.release(member, uri);
    void this.syncLevel();
    if (this.members.size === 0 && !this.gone) {
      if (this.options.idleCloseMs <= 0) void this.close("no session uses it");
      else {
        this.idleTimer = setTimeout(() => void this.close("no session used it for a while"), this.options.idleCloseMs);
        this.idleTimer.unref();
      }
    }
  }

  /** Closes the upstream connection; members still in it see it end. */
  async close(reason: string): Promise<void> {
    if (this.gone) return;
    this.gone = true;
    if (this.idleTimer !== undefined) clearTimeout(this.idleTimer);
    for (const off of this.offs) off();
    this.options.onGone();
    for (const member of this.members) member.lost(reason);
    this.members.clear();
    await this.connection?.close().catch(() => undefined);
  }

  /** The supervised connection gave up (it kept crashing): every member's session ends. */
  private lost(reason: string): void {
    void this.close(reason);
  }

  private upstreamCall(method: string, params: Record<string, unknown>): Promise<JsonRpcResponse> {
    const connection = this.connection;
    if (connection === undefined || this.gone) return Promise.resolve(this.closedError(0));
    return connection.request({ jsonrpc: "2.0", id: `bastion-shared-${++this.nextId}`, method, params });
  }

  private closedError(id: JsonRpcId): JsonRpcResponse {
    return errorResponse(id, JsonRpcErrorCode.UpstreamUnavailable, `upstream server "${this.serverName}" is closed`);
  }

  /** Messages the upstream sends on its own: each to the members entitled to it, and no other. */
  private route({ message, relatedRequestId }: UpstreamInitiated): void {
    const related = relatedRequestId === undefined ? undefined : this.calls.get(relatedRequestId);
    if ("id" in message) {
      this.routeServerRequest(message as JsonRpcRequest, related);
      return;
    }
    const params = message.params;
    switch (message.method) {
      case "notifications/progress": {
        const call = isPlainObject(params) ? this.tokens.get(String(params["progressToken"])) : undefined;
        if (call !== undefined) call.member.deliver({ ...message, params: { ...params, progressToken: call.callerToken } }, call.callerId);
        return;
      }
      case "notifications/cancelled": {
        // The server gave up on a request it sent: only the session it was sent to hears of it.
        const id = params?.["requestId"];
        const member = typeof id === "string" || typeof id === "number" ? this.serverRequests.get(id) : undefined;
        if (member === undefined) return;
        this.serverRequests.delete(id as JsonRpcId);
        member.serverRequests.delete(id as JsonRpcId);
        member.deliver(message, undefined);
        return;
      }
      case "notifications/resources/updated": {
        const uri = params?.["uri"];
        const entry = typeof uri === "string" ? this.subscriptions.get(uri) : undefined;
        for (const member of entry?.members ?? []) member.deliver(message, undefined);
        return;
      }
    }
    if (related !== undefined) {
      related.member.deliver(message, related.callerId);
      return;
    }
    if (message.method.endsWith("/list_changed") && message.method.startsWith("notifications/")) {
      for (const member of this.members) member.deliver(message, undefined);
      return;
    }
    // Anything else tied to no call (log lines above all) may carry one session's data: shared
    // with the sessions of the same principal, never across principals.
    if (this.options.mode !== "principal") {
      this.options.logger.debug({ event: "upstream.shared_dropped", method: message.method }, "a notification for no call was not relayed (share: all)");
      return;
    }
    for (const member of this.members) {
      if (message.method === "notifications/message" && !passesLevel(params?.["level"], member.level)) continue;
      member.deliver(message as JsonRpcNotification, undefined);
    }
  }

  private routeServerRequest(request: JsonRpcRequest, related: SharedCall | undefined): void {
    const connection = this.connection!;
    if (request.method === "ping") {
      void connection.respond({ jsonrpc: "2.0", id: request.id, result: {} });
      return;
    }
    let member = related?.member;
    let callerId = related?.callerId;
    // Over stdio nothing says which call a request belongs to; among one principal's sessions the
    // only one with calls in flight is taken to be the one. Across principals, never guessed.
    if (member === undefined && this.options.mode === "principal") {
      const busy = [...this.members].filter((candidate) => candidate.calls.size > 0);
      if (busy.length === 1) {
        member = busy[0]!;
        callerId = member.soleCall()?.callerId;
      }
    }
    const refuse = (code: number, why: string) => {
      this.options.logger.info({ event: "upstream.shared_request_refused", method: request.method, why }, "a server request was refused");
      void connection.respond(errorResponse(request.id, code, why));
    };
    if (member === undefined) return refuse(JsonRpcErrorCode.InternalError, `${request.method} belongs to no session's call on this shared upstream`);
    const capability = CAPABILITY_OF[request.method];
    if (capability === undefined) return refuse(JsonRpcErrorCode.MethodNotFound, `Method not found: ${request.method}`);
    if (!member.declares(capability)) return refuse(JsonRpcErrorCode.MethodNotFound, `the client did not declare the ${capability} capability`);
    this.serverRequests.set(request.id, member);
    member.serverRequests.add(request.id);
    member.deliver(request, callerId);
  }
}
