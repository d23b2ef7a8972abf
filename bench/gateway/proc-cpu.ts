import { readdirSync, readFileSync } from "node:fs";

/**
 * CPU time of a process tree from /proc (Linux): the process itself and, apart, everything it
 * started (a gateway's stdio upstreams). On a shared, noisy machine latency and throughput move
 * with the neighbours; CPU time per call moves much less, so the benchmark reports it too.
 */

/** USER_HZ: /proc reports utime and stime in these ticks (100 on Linux everywhere in practice). */
const TICKS_PER_SECOND = 100;

interface ProcStat {
  pid: number;
  ppid: number;
  /** utime + stime, in ticks. */
  ticks: number;
}

/** Parses one /proc/PID/stat line (the command name may hold spaces and parentheses). */
export function parseStat(line: string): ProcStat | undefined {
  const open = line.indexOf("(");
  const close = line.lastIndexOf(")");
  if (open < 0 || close < open) return undefined;
  const pid = Number(line.slice(0, open).trim());
  const rest = line.slice(close + 2).split(" "); // rest[0] is field 3 (state)
  const ppid = Number(rest[1]);
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  if (![pid, ppid, utime, stime].every(Number.isFinite)) return undefined;
  return { pid, ppid, ticks: utime + stime };
}

function allStats(): ProcStat[] {
  const out: ProcStat[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = parseStat(readFileSync(`/proc/${entry}/stat`, "utf8"));
      if (stat) out.push(stat);
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

export interface TreeCpu {
  /** CPU milliseconds of the process itself. */
  selfMs: number;
  /** CPU milliseconds of its descendants now alive. */
  descendantsMs: number;
}

/** CPU used so far by `pid` and by its live descendants; undefined when /proc is unavailable or pid is gone. */
export function treeCpu(pid: number): TreeCpu | undefined {
  let stats: ProcStat[];
  try {
    stats = allStats();
  } catch {
    return undefined;
  }
  const self = stats.find((s) => s.pid === pid);
  if (self === undefined) return undefined;
  const children = new Map<number, ProcStat[]>();
  for (const s of stats) {
    const list = children.get(s.ppid);
    if (list) list.push(s);
    else children.set(s.ppid, [s]);
  }
  let descendants = 0;
  const stack = [...(children.get(pid) ?? [])];
  while (stack.length > 0) {
    const s = stack.pop()!;
    descendants += s.ticks;
    stack.push(...(children.get(s.pid) ?? []));
  }
  const ms = (ticks: number) => (ticks * 1000) / TICKS_PER_SECOND;
  return { selfMs: ms(self.ticks), descendantsMs: ms(descendants) };
}
