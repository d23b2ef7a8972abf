import { readFileSync, readdirSync } from "node:fs";

/** A process as seen at one moment: its pid plus its start time, so a reused pid is not mistaken for it. */
export interface ProcessRef {
  pid: number;
  startTime: string;
}

interface ProcStat {
  ppid: number;
  state: string;
  startTime: string;
}

/** Reads /proc/PID/stat (Linux); undefined when the process is gone or there is no /proc. */
function readStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // The command name (field 2) may contain spaces and parentheses: fields resume after the last ")".
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  const state = fields[0];
  const ppid = Number(fields[1]);
  const startTime = fields[19]; // field 22 of the whole line
  if (state === undefined || startTime === undefined || !Number.isInteger(ppid)) return undefined;
  return { ppid, state, startTime };
}

/**
 * Every process below `root` right now (children, grandchildren, ...), from /proc. The gateway
 * does not give children their own session/process group (see stdio.ts), so this is how it finds
 * what a server started (npx runs the real server as a grandchild). Empty without /proc.
 */
export function descendantsOf(root: number): ProcessRef[] {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return [];
  }
  const children = new Map<number, Array<{ pid: number; startTime: string }>>();
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const stat = readStat(pid);
    if (!stat) continue;
    const list = children.get(stat.ppid) ?? [];
    list.push({ pid, startTime: stat.startTime });
    children.set(stat.ppid, list);
  }
  const found: ProcessRef[] = [];
  const queue = [root];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    for (const child of children.get(next) ?? []) {
      found.push(child);
      queue.push(child.pid);
    }
  }
  return found;
}

/** True while the very process `ref` names is alive (not exited, not a zombie, pid not reused). */
export function isAlive(ref: ProcessRef): boolean {
  const stat = readStat(ref.pid);
  return stat !== undefined && stat.startTime === ref.startTime && stat.state !== "Z" && stat.state !== "X";
}

/** Signals the process `ref` names if it is still that process; false when it is gone. */
export function signal(ref: ProcessRef, sig: NodeJS.Signals): boolean {
  if (!isAlive(ref)) return false;
  try {
    process.kill(ref.pid, sig);
    return true;
  } catch {
    return false;
  }
}
