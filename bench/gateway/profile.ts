import { readFileSync } from "node:fs";

/**
 * Reads a V8 .cpuprofile (node --cpu-prof) and says where the time went: self time by function,
 * inclusive time by function (recursion counted once), and self time by area (the PII engine,
 * the gateway, Node's HTTP stack, GC, idle...). Used by `run.ts --profile`; also runnable alone:
 *   node --import tsx bench/gateway/profile.ts FILE.cpuprofile [root]
 */

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface FunctionTime {
  key: string;
  selfMs: number;
  totalMs: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Time not idle (what the process spent working). */
  busyMs: number;
  functions: FunctionTime[];
  areas: Array<{ area: string; selfMs: number }>;
}

function shortUrl(url: string, root: string): string {
  let u = url.startsWith("file://") ? url.slice(7) : url;
  if (root !== "" && u.startsWith(root)) u = u.slice(root.length + 1);
  const nm = u.lastIndexOf("node_modules/");
  return nm >= 0 ? u.slice(nm) : u;
}

export function areaOf(url: string, functionName: string): string {
  if (url === "") {
    if (functionName === "(idle)") return "idle";
    if (functionName === "(garbage collector)") return "GC";
    if (functionName === "(program)") return "V8/native (program)";
    return `native: ${functionName || "(anonymous)"}`;
  }
  if (/\/dist\/pii\//.test(url)) return "mcp-bastion src/pii (PII engine)";
  if (/\/dist\/gateway\/pii\//.test(url)) return "mcp-bastion src/gateway/pii (message masker)";
  if (/\/dist\/gateway\/upstream\//.test(url)) return "mcp-bastion src/gateway/upstream (stdio link)";
  if (/\/dist\/gateway\//.test(url)) return "mcp-bastion src/gateway (pipeline, relay, sessions)";
  if (/\/dist\//.test(url)) return "mcp-bastion other";
  if (/node_modules\/pino|node_modules\/sonic-boom/.test(url)) return "pino (logging)";
  if (/node_modules\//.test(url)) return `dependency ${url.replace(/^.*node_modules\/((?:@[^/]+\/)?[^/]+).*$/, "$1")}`;
  if (url.startsWith("node:internal/http") || url.startsWith("node:_http") || url.includes("_http_")) return "node http";
  if (url.startsWith("node:internal/child_process") || url.includes("child_process")) return "node child_process / pipes";
  if (url.startsWith("node:internal/streams") || url.startsWith("node:stream")) return "node streams";
  if (url.startsWith("node:net") || url.includes("stream_base") || url.startsWith("node:internal/net")) return "node net";
  if (url.startsWith("node:")) return "node other";
  return "other";
}

export function summarizeProfile(profile: CpuProfile, root = ""): ProfileSummary {
  const byId = new Map<number, ProfileNode>();
  for (const node of profile.nodes) byId.set(node.id, node);
  const selfUs = new Map<number, number>();
  let totalUs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i] ?? 0;
    totalUs += delta;
    selfUs.set(profile.samples[i]!, (selfUs.get(profile.samples[i]!) ?? 0) + delta);
  }
  const keyOf = (node: ProfileNode) => {
    const { functionName, url, lineNumber } = node.callFrame;
    return url === "" ? functionName || "(anonymous)" : `${functionName || "(anonymous)"} ${shortUrl(url, root)}:${lineNumber + 1}`;
  };
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const areas = new Map<string, number>();
  let idleUs = 0;

  // Inclusive time: walk from the root, carrying the set of functions already on the stack.
  const rootNode = profile.nodes[0]!;
  const subtotal = new Map<number, number>();
  const computeSubtotal = (id: number): number => {
    const node = byId.get(id)!;
    let sum = selfUs.get(id) ?? 0;
    for (const child of node.children ?? []) sum += computeSubtotal(child);
    subtotal.set(id, sum);
    return sum;
  };
  computeSubtotal(rootNode.id);
  const walk = (id: number, onStack: Set<string>) => {
    const node = byId.get(id)!;
    const key = keyOf(node);
    const mine = selfUs.get(id) ?? 0;
    self.set(key, (self.get(key) ?? 0) + mine);
    const area = areaOf(node.callFrame.url, node.callFrame.functionName);
    areas.set(area, (areas.get(area) ?? 0) + mine);
    if (area === "idle") idleUs += mine;
    const fresh = !onStack.has(key);
    if (fresh) {
      total.set(key, (total.get(key) ?? 0) + subtotal.get(id)!);
      onStack.add(key);
    }
    for (const child of node.children ?? []) walk(child, onStack);
    if (fresh) onStack.delete(key);
  };
  walk(rootNode.id, new Set());

  const functions = [...self.keys()].map((key) => ({ key, selfMs: (self.get(key) ?? 0) / 1000, totalMs: (total.get(key) ?? 0) / 1000 }));
  return {
    totalMs: totalUs / 1000,
    busyMs: (totalUs - idleUs) / 1000,
    functions,
    areas: [...areas.entries()].map(([area, us]) => ({ area, selfMs: us / 1000 })).sort((a, b) => b.selfMs - a.selfMs),
  };
}

export function formatProfile(summary: ProfileSummary, top = 25): string {
  const pct = (ms: number) => `${((100 * ms) / summary.busyMs).toFixed(1).padStart(5)}%`;
  const lines = [`profile: ${summary.totalMs.toFixed(0)} ms sampled, ${summary.busyMs.toFixed(0)} ms busy (percentages are of busy time)`, "", "self time by area:"];
  for (const a of summary.areas.filter((x) => x.area !== "idle")) lines.push(`  ${pct(a.selfMs)}  ${a.selfMs.toFixed(0).padStart(7)} ms  ${a.area}`);
  lines.push("", `top ${top} functions by self time:`);
  for (const f of [...summary.functions].filter((x) => x.key !== "(idle)").sort((a, b) => b.selfMs - a.selfMs).slice(0, top)) {
    lines.push(`  ${pct(f.selfMs)}  ${f.selfMs.toFixed(0).padStart(7)} ms  ${f.key}`);
  }
  lines.push("", `top ${top} mcp-bastion functions by inclusive time:`);
  for (const f of [...summary.functions].filter((x) => x.key.includes(" dist/")).sort((a, b) => b.totalMs - a.totalMs).slice(0, top)) {
    lines.push(`  ${pct(f.totalMs)}  ${f.totalMs.toFixed(0).padStart(7)} ms  ${f.key}`);
  }
  return lines.join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2];
  if (file === undefined) {
    process.stderr.write("usage: node --import tsx bench/gateway/profile.ts FILE.cpuprofile [root]\n");
    process.exit(2);
  }
  const summary = summarizeProfile(JSON.parse(readFileSync(file, "utf8")) as CpuProfile, process.argv[3] ?? process.cwd());
  process.stdout.write(`${formatProfile(summary)}\n`);
}
