/** Plain-text tables (Markdown pipes, so they paste into issue notes as they are). */
export function table(headers: readonly string[], rows: readonly (readonly string[])[], rightAlignFrom = 1): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const cell = (text: string, i: number): string => (i >= rightAlignFrom ? text.padStart(widths[i]!) : text.padEnd(widths[i]!));
  const line = (cells: readonly string[]): string => `| ${cells.map((c, i) => cell(c, i)).join(" | ")} |`;
  const rule = `|${widths.map((w, i) => (i >= rightAlignFrom ? "-".repeat(w + 1) + ":" : "-".repeat(w + 2))).join("|")}|`;
  return [line(headers), rule, ...rows.map(line)].join("\n");
}

export const fixed = (n: number, digits = 3): string => (Number.isFinite(n) ? n.toFixed(digits) : "-");
export const percent = (n: number, digits = 1): string => `${(n * 100).toFixed(digits)}%`;

export function mib(bytes: number): string {
  return `${(bytes / 1048576).toFixed(2)} MiB`;
}

export function humanSize(bytes: number): string {
  if (bytes >= 1048576) return `${(bytes / 1048576).toFixed(bytes % 1048576 === 0 ? 0 : 2)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(bytes % 1024 === 0 ? 0 : 1)} KiB`;
  return `${bytes} B`;
}

export function humanTime(seconds: number): string {
  if (seconds >= 1) return `${seconds.toFixed(2)} s`;
  if (seconds >= 1e-3) return `${(seconds * 1e3).toFixed(2)} ms`;
  return `${(seconds * 1e6).toFixed(1)} µs`;
}
