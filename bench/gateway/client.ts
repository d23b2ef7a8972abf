import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { Agent, request } from "node:http";
import { treeCpu, type TreeCpu } from "./proc-cpu.js";
import { summarize, type LatencySummary } from "./stats.js";
import { ECHO_TEXT, INITIALIZED_BODY, MODERN_VERSION, callBody, checkCallResult, initializeBody, messagesOf, modernCallBody, piiExposure, toolOf, type Payload, type PiiExposure } from "./wire.js";

/**
 * The load generator: a process of its own (the runner forks it), so its CPU is never the
 * servers'. For one system and one concurrency it opens the clients' connections, then for each
 * payload runs a warm-up and a measured burst, closed loop: each of `concurrency` clients sends
 * its next tools/call as soon as the previous answer has been read and parsed. Every latency is
 * taken with hrtime around one call (request written -> whole answer parsed).
 *
 * Targets:
 *  - http:  a Streamable HTTP endpoint, as a real 2025-11-25 client uses it: one session per
 *           client (initialize, notifications/initialized), keep-alive sockets (one per client),
 *           JSON or SSE answers, whichever the server sends.
 *  - http-stateless: the same endpoint as a 2026-07-28 client uses it: no session, every request
 *           carries its `_meta` envelope and the mirrored Mcp-Method/Mcp-Name headers.
 *  - stdio: the upstream itself, started by this process and spoken to over its stdin/stdout with
 *           raw newline-delimited JSON-RPC: no HTTP at all. The clients share the one child, as
 *           they would share any one connection, each with its own call in flight - or, with
 *           processPerClient, each client has a child of its own (as each gateway session does).
 */

export type Target =
  | { kind: "http"; url: string; headers?: Record<string, string> }
  | { kind: "http-stateless"; url: string; headers?: Record<string, string> }
  | { kind: "stdio"; command: string; args: string[]; processPerClient?: boolean };

export interface GroupSpec {
  target: Target;
  concurrency: number;
  payloads: readonly Payload[];
  /** Calls before measuring, per payload (discarded). */
  warmup: number;
  /** Measured calls per payload. */
  requests: number;
  /** One call taking longer than this fails (and counts as an error). */
  callTimeoutMs: number;
  /** A whole payload burst stops issuing calls after this long, finished or not. */
  burstDeadlineMs: number;
  /** The server process (HTTP targets), whose CPU time - and its children's - is read from /proc around each burst. */
  serverPid?: number;
  /** The server process is the upstream itself (the SDK's own HTTP server): its CPU counts as upstream, not front. */
  serverIsUpstream?: boolean;
}

export interface CellMeasurement {
  payload: Payload;
  /** Calls completed in the measured burst (ok or not). */
  completed: number;
  errors: number;
  firstError?: string;
  /** Wall time of the measured burst, first send to last answer. */
  seconds: number;
  /** Successful calls per second over the burst. */
  rps: number;
  latencyMs: LatencySummary;
  /** What the first measured answer showed (for the PII payload: raw PII vs masks). */
  sample: PiiExposure;
  /** Whether the first measured echo came back unchanged. */
  echoIntact?: boolean;
  /**
   * CPU microseconds per completed call during the measured burst: the load generator, the
   * server process ("front": the gateway, or the SDK server itself) and the processes it started
   * (the stdio upstreams; for the raw stdio target, the upstream is the only server process).
   * From /proc ticks of 10 ms, so a short burst is coarse.
   */
  cpuUsPerCall?: { client: number; front: number; upstream: number };
}

export interface GroupResult {
  setupSeconds: number;
  cells: CellMeasurement[];
}

/**
 * One client's way to make call number `n` of a payload: it picks the JSON-RPC id and resolves
 * with the answer's messages and that id (never rejects).
 */
type Caller = (payload: Payload, n: number) => Promise<{ messages: unknown[]; id: number } | { failure: string }>;

interface Connection {
  callers: Caller[];
  /** The server side is this process's own children (the stdio upstreams it started). */
  ownChildrenAreServer?: boolean;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Streamable HTTP

interface HttpReply {
  status: number;
  contentType: string | undefined;
  sessionId: string | undefined;
  body: string;
}

function httpExchange(agent: Agent, url: URL, method: string, headers: Record<string, string>, body: string | undefined, timeoutMs: number): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method,
        agent,
        headers: body === undefined ? headers : { ...headers, "content-length": String(Buffer.byteLength(body)) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const sessionHeader = res.headers["mcp-session-id"];
          resolve({
            status: res.statusCode ?? 0,
            contentType: res.headers["content-type"],
            sessionId: typeof sessionHeader === "string" ? sessionHeader : undefined,
            body: chunks.length === 1 ? chunks[0]!.toString("utf8") : Buffer.concat(chunks).toString("utf8"),
          });
        });
        res.on("error", reject);
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end(body);
  });
}

const BASE_HEADERS = { "content-type": "application/json", accept: "application/json, text/event-stream" } as const;

async function openHttpSession(agent: Agent, url: URL, timeoutMs: number, extra: Record<string, string>): Promise<{ caller: Caller; sessionId: string; protocolVersion: string }> {
  const init = await httpExchange(agent, url, "POST", { ...BASE_HEADERS, ...extra }, initializeBody(0), timeoutMs);
  if (init.status !== 200 || init.sessionId === undefined) throw new Error(`initialize: HTTP ${init.status} ${init.body.slice(0, 300)}`);
  const answer = messagesOf(init.body, init.contentType).find((m) => typeof m === "object" && m !== null && "result" in m) as { result: { protocolVersion?: string } } | undefined;
  const protocolVersion = answer?.result.protocolVersion;
  if (typeof protocolVersion !== "string") throw new Error(`initialize: no protocolVersion in ${init.body.slice(0, 300)}`);
  const headers = { ...BASE_HEADERS, ...extra, "mcp-session-id": init.sessionId, "mcp-protocol-version": protocolVersion };
  const initialized = await httpExchange(agent, url, "POST", headers, INITIALIZED_BODY, timeoutMs);
  if (initialized.status !== 202 && initialized.status !== 200) throw new Error(`notifications/initialized: HTTP ${initialized.status} ${initialized.body.slice(0, 300)}`);
  let nextId = 1;
  const caller: Caller = async (payload, n) => {
    const id = nextId++;
    try {
      const reply = await httpExchange(agent, url, "POST", headers, callBody(payload, id, n), timeoutMs);
      if (reply.status !== 200) return { failure: `HTTP ${reply.status} ${reply.body.slice(0, 200)}` };
      return { messages: messagesOf(reply.body, reply.contentType), id };
    } catch (error) {
      return { failure: (error as Error).message };
    }
  };
  return { caller, sessionId: init.sessionId, protocolVersion };
}

/** Opens `count` sessions, a few at a time (a gateway may start an upstream process for each). */
async function openHttp(urlText: string, count: number, timeoutMs: number, extra: Record<string, string> = {}): Promise<Connection> {
  const url = new URL(urlText);
  const agent = new Agent({ keepAlive: true, maxSockets: count, maxFreeSockets: count, keepAliveMsecs: 1_000 });
  const sessions: Array<{ caller: Caller; sessionId: string; protocolVersion: string }> = [];
  const parallel = 8;
  try {
    for (let i = 0; i < count; i += parallel) {
      const batch = Math.min(parallel, count - i);
      sessions.push(...(await Promise.all(Array.from({ length: batch }, () => openHttpSession(agent, url, timeoutMs, extra)))));
    }
  } catch (error) {
    agent.destroy();
    throw error;
  }
  return {
    callers: sessions.map((s) => s.caller),
    async close() {
      await Promise.all(
        sessions.map((s) =>
          httpExchange(agent, url, "DELETE", { ...extra, accept: BASE_HEADERS.accept, "mcp-session-id": s.sessionId, "mcp-protocol-version": s.protocolVersion }, undefined, timeoutMs).catch(() => undefined),
        ),
      );
      agent.destroy();
    },
  };
}

/** 2026-07-28 clients: no session to open; each keeps its own keep-alive socket and id sequence. */
function openHttpStateless(urlText: string, count: number, timeoutMs: number, extra: Record<string, string> = {}): Connection {
  const url = new URL(urlText);
  const agent = new Agent({ keepAlive: true, maxSockets: count, maxFreeSockets: count, keepAliveMsecs: 1_000 });
  const callers = Array.from({ length: count }, (): Caller => {
    let nextId = 1;
    return async (payload, n) => {
      const id = nextId++;
      const headers = { ...BASE_HEADERS, ...extra, "mcp-protocol-version": MODERN_VERSION, "mcp-method": "tools/call", "mcp-name": toolOf(payload) };
      try {
        const reply = await httpExchange(agent, url, "POST", headers, modernCallBody(payload, id, n), timeoutMs);
        if (reply.status !== 200) return { failure: `HTTP ${reply.status} ${reply.body.slice(0, 200)}` };
        return { messages: messagesOf(reply.body, reply.contentType), id };
      } catch (error) {
        return { failure: (error as Error).message };
      }
    };
  });
  return { callers, close: async () => agent.destroy() };
}

// ---------------------------------------------------------------------------------------------
// Raw stdio

interface StdioPipe {
  /** Sends call `n` of a payload on this pipe; answers are matched by id (the pipe's own sequence). */
  call: Caller;
  close(): Promise<void>;
}

/** Starts one upstream process and completes its initialize handshake over raw JSON-RPC. */
async function openStdioPipe(command: string, args: readonly string[], timeoutMs: number): Promise<StdioPipe> {
  const child: ChildProcessWithoutNullStreams = spawn(command, [...args], { stdio: ["pipe", "pipe", "pipe"] });
  const waiting = new Map<number, (messages: unknown[]) => void>();
  let exited: string | undefined;
  let held = "";
  child.stderr.resume();
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    held += chunk;
    let nl = held.indexOf("\n");
    while (nl >= 0) {
      const line = held.slice(0, nl);
      held = held.slice(nl + 1);
      nl = held.indexOf("\n");
      if (line.trim() === "") continue;
      const message = JSON.parse(line) as { id?: unknown };
      if (typeof message.id !== "number") continue;
      const resolve = waiting.get(message.id);
      if (resolve) {
        waiting.delete(message.id);
        resolve([message]);
      }
    }
  });
  child.once("exit", (code, signal) => {
    exited = `the upstream exited (${signal ?? code})`;
    for (const resolve of waiting.values()) resolve([]);
    waiting.clear();
  });
  await new Promise<void>((resolve, reject) => {
    child.once("spawn", resolve);
    child.once("error", reject);
  });

  const send = (body: string, id: number): Promise<{ messages: unknown[]; id: number } | { failure: string }> =>
    new Promise((resolve) => {
      if (exited) return resolve({ failure: exited });
      const timer = setTimeout(() => {
        waiting.delete(id);
        resolve({ failure: `no answer within ${timeoutMs} ms` });
      }, timeoutMs);
      waiting.set(id, (messages) => {
        clearTimeout(timer);
        resolve(messages.length > 0 ? { messages, id } : { failure: exited ?? "no answer" });
      });
      child.stdin.write(`${body}\n`);
    });

  const init = await send(initializeBody(0), 0);
  if ("failure" in init) {
    child.kill("SIGKILL");
    throw new Error(`stdio initialize: ${init.failure}`);
  }
  child.stdin.write(`${INITIALIZED_BODY}\n`);

  let nextId = 1; // one sequence per pipe: the clients sharing it must not collide
  return {
    call: (payload, n) => {
      const id = nextId++;
      return send(callBody(payload, id, n), id);
    },
    async close() {
      child.stdin.end();
      const gone = new Promise<void>((resolve) => (exited !== undefined ? resolve() : child.once("exit", () => resolve())));
      const timer = setTimeout(() => child.kill("SIGKILL"), 2_000);
      await gone;
      clearTimeout(timer);
    },
  };
}

/** The upstream over raw stdio: one process shared by all clients, or (`perClient`) one process each. */
async function openStdio(command: string, args: readonly string[], count: number, perClient: boolean, timeoutMs: number): Promise<Connection> {
  const pipes: StdioPipe[] = [];
  try {
    for (let i = 0; i < (perClient ? count : 1); i += 8) {
      const batch = Math.min(8, (perClient ? count : 1) - i);
      pipes.push(...(await Promise.all(Array.from({ length: batch }, () => openStdioPipe(command, args, timeoutMs)))));
    }
  } catch (error) {
    await Promise.all(pipes.map((pipe) => pipe.close()));
    throw error;
  }
  return {
    callers: Array.from({ length: count }, (_, i) => pipes[perClient ? i : 0]!.call),
    ownChildrenAreServer: true,
    close: async () => void (await Promise.all(pipes.map((pipe) => pipe.close()))),
  };
}

// ---------------------------------------------------------------------------------------------
// The closed loop

async function burst(callers: readonly Caller[], payload: Payload, total: number, deadlineMs: number, record: Float64Array | undefined) {
  let issued = 0;
  let completed = 0;
  let errors = 0;
  let firstError: string | undefined;
  let firstText: string | undefined;
  const deadline = Date.now() + deadlineMs;
  const started = process.hrtime.bigint();
  let lastDone = started;
  await Promise.all(
    callers.map(async (call, client) => {
      while (issued < total && Date.now() < deadline) {
        const n = issued++;
        const t0 = process.hrtime.bigint();
        const answer = await call(payload, n);
        const t1 = process.hrtime.bigint();
        lastDone = t1;
        if (record) record[completed] = Number(t1 - t0) / 1e6;
        completed++;
        const outcome = "failure" in answer ? { ok: false, problem: answer.failure } : checkCallResult(answer.messages, answer.id);
        if (!outcome.ok) {
          errors++;
          firstError ??= `client ${client}: ${outcome.problem}`;
        } else if (firstText === undefined) firstText = outcome.text;
      }
    }),
  );
  return { completed, errors, firstError, firstText, seconds: Number(lastDone - started) / 1e9 };
}

/** Our own tree: the load generator's CPU is counted apart (process.cpuUsage), so only the children count. */
const zeroSelf = (tree: TreeCpu | undefined): TreeCpu | undefined => (tree === undefined ? undefined : { selfMs: 0, descendantsMs: tree.descendantsMs });

function cpuPerCall(calls: number, client: NodeJS.CpuUsage, before: TreeCpu | undefined, after: TreeCpu | undefined, serverIsUpstream: boolean) {
  if (calls === 0 || before === undefined || after === undefined) return undefined;
  const perCall = (ms: number) => (ms * 1000) / calls;
  const self = perCall(after.selfMs - before.selfMs);
  // Descendants that ended during the burst take their CPU with them; never report less than 0.
  const children = Math.max(0, perCall(after.descendantsMs - before.descendantsMs));
  return {
    client: (client.user + client.system) / calls,
    front: serverIsUpstream ? 0 : self,
    upstream: serverIsUpstream ? self + children : children,
  };
}

export async function runGroup(spec: GroupSpec): Promise<GroupResult> {
  const setupStarted = process.hrtime.bigint();
  const target = spec.target;
  const connection =
    target.kind === "http"
      ? await openHttp(target.url, spec.concurrency, spec.callTimeoutMs, target.headers)
      : target.kind === "http-stateless"
        ? openHttpStateless(target.url, spec.concurrency, spec.callTimeoutMs, target.headers)
        : await openStdio(target.command, target.args, spec.concurrency, target.processPerClient === true, spec.callTimeoutMs);
  const setupSeconds = Number(process.hrtime.bigint() - setupStarted) / 1e9;
  const cells: CellMeasurement[] = [];
  try {
    for (const payload of spec.payloads) {
      await burst(connection.callers, payload, spec.warmup, spec.burstDeadlineMs, undefined);
      const latencies = new Float64Array(spec.requests);
      // The stdio upstreams are our own children: our tree's descendants, counted as upstream.
      const serverPid = connection.ownChildrenAreServer ? process.pid : spec.serverPid;
      const serverBefore = serverPid === undefined ? undefined : treeCpu(serverPid);
      const clientBefore = process.cpuUsage();
      const run = await burst(connection.callers, payload, spec.requests, spec.burstDeadlineMs, latencies);
      const clientUsed = process.cpuUsage(clientBefore);
      const serverAfter = serverPid === undefined ? undefined : treeCpu(serverPid);
      const cpu = connection.ownChildrenAreServer
        ? cpuPerCall(run.completed, clientUsed, zeroSelf(serverBefore), zeroSelf(serverAfter), false)
        : cpuPerCall(run.completed, clientUsed, serverBefore, serverAfter, spec.serverIsUpstream === true);
      const ok = run.completed - run.errors;
      const text = run.firstText ?? "";
      cells.push({
        payload,
        completed: run.completed,
        errors: run.errors,
        ...(run.firstError !== undefined ? { firstError: run.firstError } : {}),
        seconds: run.seconds,
        rps: run.seconds > 0 ? ok / run.seconds : 0,
        latencyMs: summarize(latencies.subarray(0, run.completed)),
        sample: piiExposure(text),
        ...(payload === "echo" ? { echoIntact: text === ECHO_TEXT } : {}),
        ...(cpu !== undefined ? { cpuUsPerCall: cpu } : {}),
      });
    }
  } finally {
    await connection.close();
  }
  return { setupSeconds, cells };
}

// Forked by the runner: one group per message, answered in order.
if (process.send !== undefined) {
  let queue = Promise.resolve();
  process.on("message", (message: { type: "group"; spec: GroupSpec; seq: number } | { type: "exit" }) => {
    if (message.type === "exit") {
      process.exit(0);
    }
    queue = queue.then(async () => {
      try {
        process.send!({ type: "result", seq: message.seq, result: await runGroup(message.spec) });
      } catch (error) {
        process.send!({ type: "error", seq: message.seq, error: (error as Error).stack ?? String(error) });
      }
    });
  });
  // The runner going away ends us too.
  process.on("disconnect", () => process.exit(0));
  process.send({ type: "ready" });
}
