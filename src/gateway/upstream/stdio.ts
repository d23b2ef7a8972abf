import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import type { Logger } from "pino";
import type { JsonRpcMessage } from "../jsonrpc.js";
import { childEnvironment } from "./child-env.js";
import { createLineDecoder } from "./lines.js";
import { descendantsOf, isAlive, signal as signalProcess } from "./process-tree.js";
import { SENT, type Link, type LinkHandlers, type LinkOpener } from "./link.js";
import { toJsonRpcMessage } from "./message.js";

export interface StdioLinkOptions {
  command: string;
  args: readonly string[];
  env: Readonly<Record<string, string>>;
  cwd?: string;
  inheritedPath: string | undefined;
  maxMessageBytes: number;
  killGraceMs: number;
  logger: Logger;
}

/** How many stderr lines (and characters of each) a crash report carries. */
const STDERR_TAIL_LINES = 20;
const STDERR_LINE_CHARS = 500;
const STDERR_MAX_LINE_BYTES = 64 * 1024;
/** After the child exits, how long to wait for its last stdout bytes before declaring it down. */
const DRAIN_AFTER_EXIT_MS = 200;

/**
 * Starts an MCP server as a child process speaking newline-delimited JSON-RPC on stdin/stdout.
 * Stopping it stops what it started too (npx runs the real server as a grandchild): SIGTERM to the
 * child and to its descendants as found in /proc, SIGKILL to whatever is left after the grace.
 *
 * The child deliberately stays in the gateway's session and process group (no `detached`): with
 * the Linux scheduler's autogroups (on by default in most distributions), a child in a session of
 * its own gave about half the tools/call throughput at concurrency 16 on a loaded machine, and
 * the upstream link is the gateway's hot path.
 */
export function stdioLinkOpener(options: StdioLinkOptions): LinkOpener {
  return (handlers) => openStdioLink(options, handlers);
}

function openStdioLink(options: StdioLinkOptions, handlers: LinkHandlers): Promise<Link> {
  const child = spawn(options.command, [...options.args], {
    env: childEnvironment(options.env, options.inheritedPath),
    cwd: options.cwd,
    stdio: ["pipe", "pipe", "pipe"],
    shell: false,
    windowsHide: true,
  });

  return new Promise<Link>((resolve, reject) => {
    child.once("error", (error) => reject(new Error(`could not start "${options.command}": ${error.message}`)));
    child.once("spawn", () => resolve(attach(child, options, handlers)));
  });
}

function attach(child: ChildProcess, options: StdioLinkOptions, handlers: LinkHandlers): Link {
  const { logger } = options;
  const pid = child.pid as number;
  const stdin = child.stdin!;
  const stdout = child.stdout!;
  const stderr = child.stderr!;
  const log = logger.child({ pid });
  let stopping = false;
  let closing: Promise<void> | undefined;
  let down = false;
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exitedPromise = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stderrTail: string[] = [];

  function reportDown(reason: string, details: Record<string, unknown>): void {
    if (down || stopping) return;
    down = true;
    if (!exited) child.kill("SIGKILL"); // a protocol violation: it does not get to carry on
    releasePipes();
    handlers.onDown({ reason, details: { pid, ...details, stderrTail: [...stderrTail] } });
  }

  // Anything the child left behind still holds these pipes; closing our ends gives it EOF/EPIPE.
  function releasePipes(): void {
    stdin.destroy();
    stdout.destroy();
    stderr.destroy();
  }

  const decoder = createLineDecoder(options.maxMessageBytes);
  stdout.on("data", (chunk: Buffer) => {
    let lines: string[];
    try {
      lines = decoder.push(chunk);
    } catch (error) {
      log.error({ event: "upstream.oversized_message", limit: options.maxMessageBytes }, "upstream sent an oversized message; stopping it");
      reportDown((error as Error).message, {});
      return;
    }
    for (const line of lines) {
      if (line.trim() === "") continue;
      let message: JsonRpcMessage | undefined;
      try {
        message = toJsonRpcMessage(JSON.parse(line));
      } catch {
        message = undefined;
      }
      if (message) handlers.onMessage(message);
      else log.warn({ event: "upstream.invalid_output", sample: line.slice(0, 200) }, "upstream wrote something that is not JSON-RPC to stdout; ignored");
    }
  });

  let stderrDecoder = createLineDecoder(STDERR_MAX_LINE_BYTES);
  stderr.on("data", (chunk: Buffer) => {
    let lines: string[];
    try {
      lines = stderrDecoder.push(chunk);
    } catch {
      // Diagnostics only: an endless line is dropped rather than held in memory.
      stderrDecoder = createLineDecoder(STDERR_MAX_LINE_BYTES);
      lines = ["[an over-long stderr line was dropped]"];
    }
    for (const line of lines) {
      const short = line.length > STDERR_LINE_CHARS ? `${line.slice(0, STDERR_LINE_CHARS)}…` : line;
      stderrTail.push(short);
      if (stderrTail.length > STDERR_TAIL_LINES) stderrTail.shift();
      log.debug({ event: "upstream.stderr", line: short }, "upstream stderr");
    }
  });

  // A dying child makes writes fail with EPIPE; the exit handler reports it, so only log here.
  stdin.on("error", (error) => log.debug({ err: error }, "upstream stdin error"));
  stdout.on("error", (error) => log.debug({ err: error }, "upstream stdout error"));
  stderr.on("error", (error) => log.debug({ err: error }, "upstream stderr error"));

  child.once("exit", (code, signal) => {
    exited = { code, signal };
    const report = () => reportDown(describeExit(code, signal), { exitCode: code, signal });
    // Let the last answers the child wrote reach us before its calls are failed.
    if (stdout.readableEnded) report();
    else {
      const timer = setTimeout(report, DRAIN_AFTER_EXIT_MS);
      stdout.once("end", () => {
        clearTimeout(timer);
        report();
      });
    }
  });

  let corked = false;
  const uncork = () => {
    corked = false;
    stdin.uncork();
  };

  return {
    describe: { pid },
    send(message, alone) {
      if (down || stopping || !stdin.writable) return Promise.reject(new Error("the process is not running"));
      // No write callback: a failed write surfaces as the child's exit, which fails the calls.
      // The usual case (no backpressure) allocates no promise or closure per call.
      let written: boolean;
      try {
        const line = `${JSON.stringify(message)}\n`;
        if (!corked && !alone) {
          // Messages sent in one turn of the event loop (many sessions' calls arriving together
          // under load) go to the child in one write when the turn ends: fewer syscalls here,
          // fewer wake-ups there.
          corked = true;
          stdin.cork();
          setImmediate(uncork);
        }
        // A lone call (the usual case at low load) goes out at once: there is nothing to batch it
        // with, and the child starts on it without waiting for the turn to end.
        written = stdin.write(line);
      } catch (error) {
        return Promise.reject(error); // as before: a message that cannot be written rejects, never throws
      }
      if (written) return SENT;
      // Backpressure: wait until the child reads; a child that dies instead releases us too.
      return new Promise<void>((resolve) => {
        const done = () => {
          stdin.off("drain", done);
          stdin.off("close", done);
          resolve();
        };
        stdin.once("drain", done);
        stdin.once("close", done);
      });
    },
    close() {
      closing ??= stop();
      return closing;
    },
  };

  /** SIGTERM to the child and its descendants; SIGKILL to what is left after the grace period. */
  async function stop(): Promise<void> {
    stopping = true;
    const deadline = Date.now() + options.killGraceMs;
    // Taken before the child can exit: once it has, its children are orphans nobody can trace.
    const descendants = exited ? [] : descendantsOf(pid);
    if (!exited) {
      stdin.end();
      child.kill("SIGTERM");
    }
    for (const ref of descendants) signalProcess(ref, "SIGTERM");
    let graceTimer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<void>((resolve) => (graceTimer = setTimeout(resolve, options.killGraceMs)));
    await Promise.race([exitedPromise, graceOver]);
    clearTimeout(graceTimer);
    if (!exited) {
      log.warn({ event: "upstream.kill", graceMs: options.killGraceMs }, "upstream ignored SIGTERM; sending SIGKILL");
      child.kill("SIGKILL");
      await exitedPromise;
    }
    // Descendants get what remains of the same grace period, then SIGKILL.
    while (descendants.some(isAlive) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    for (const ref of descendants) {
      if (signalProcess(ref, "SIGKILL")) log.warn({ event: "upstream.kill", pid: ref.pid, graceMs: options.killGraceMs }, "a process the upstream started ignored SIGTERM; sent SIGKILL");
    }
    releasePipes();
  }
}

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal) return `was killed by ${signal}`;
  return `exited with code ${code ?? "unknown"}`;
}
