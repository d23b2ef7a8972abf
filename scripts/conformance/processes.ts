/**
 * Child processes of a conformance run: each one leads its own process group, so stopping it
 * also stops what it started (the gateway's stdio upstreams). Every child is registered, and
 * `stopAll` ends them on the way out, whatever way out that is.
 */
import { type ChildProcess, spawn, type SpawnOptions } from "node:child_process";
import { createWriteStream } from "node:fs";
import { createServer } from "node:net";

const running = new Set<ChildProcess>();

export interface Started {
  child: ChildProcess;
  /** Everything the child wrote so far (stdout and stderr), for error messages. */
  output(): string;
}

/**
 * `stdin: "pipe"` hands the child a pipe that closes when this process dies, however it dies
 * (even SIGKILL): a child that exits on stdin end cannot outlive the run.
 */
export function start(
  command: string,
  args: string[],
  options: SpawnOptions & { stdin?: "pipe" | "ignore"; logFile?: string } = {},
): Started {
  const { stdin = "ignore", logFile, ...spawnOptions } = options;
  const child = spawn(command, args, { ...spawnOptions, detached: true, stdio: [stdin, "pipe", "pipe"] });
  running.add(child);
  child.once("exit", () => running.delete(child));
  let output = "";
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString("utf8")).slice(-64 * 1024);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  if (logFile !== undefined) {
    const log = createWriteStream(logFile);
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    child.once("close", () => log.end());
  }
  return { child, output: () => output };
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal); // the child's own process group: it and what it spawned
  } catch {
    // already gone
  }
}

/** SIGTERM the child's group, then SIGKILL it if it is still there after `graceMs`. */
export async function stop(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    signalGroup(child, "SIGKILL"); // the leader is gone; its group may not be
    return;
  }
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  signalGroup(child, "SIGTERM");
  const timer = setTimeout(() => signalGroup(child, "SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
  signalGroup(child, "SIGKILL");
}

export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((child) => stop(child)));
}

/** Synchronous last resort for process exit handlers, where nothing can be awaited. */
export function killAllNow(): void {
  for (const child of running) signalGroup(child, "SIGKILL");
}

/** Resolves with the first match of `pattern` in the child's stdout; rejects on exit or timeout. */
export function waitForLine(started: Started, pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  const { child } = started;
  return new Promise((resolve, reject) => {
    let buffer = "";
    const timer = setTimeout(() => finish(new Error(`no line matching ${pattern} within ${timeoutMs} ms`)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      buffer += chunk.toString("utf8");
      const match = buffer.match(pattern);
      if (match) finish(undefined, match);
    };
    const onExit = (code: number | null): void => finish(new Error(`exited (code ${code}) before printing ${pattern}`));
    function finish(error?: Error, match?: RegExpMatchArray): void {
      clearTimeout(timer);
      child.stdout?.off("data", onData);
      child.off("exit", onExit);
      if (error) reject(new Error(`${error.message}\n--- output ---\n${started.output()}`));
      else resolve(match as RegExpMatchArray);
    }
    child.stdout?.on("data", onData);
    child.once("exit", onExit);
  });
}

/** Polls `url` until the server answers at all (any HTTP status), the child dies, or time runs out. */
export async function waitForHttp(started: Started, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (started.child.exitCode !== null) throw new Error(`exited (code ${started.child.exitCode})\n${started.output()}`);
    try {
      await fetch(url, { method: "GET", signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms\n${started.output()}`);
}

/** A port that was free a moment ago (the OS picks it); the caller binds it right away. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (address !== null && typeof address === "object" ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}
