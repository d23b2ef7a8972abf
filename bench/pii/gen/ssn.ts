import type { Generated } from "./builder.js";
import type { Rng } from "./prng.js";

/** Numbers that are shaped right but never issued: advertising and well-known sample numbers. */
export const NEVER_ISSUED_SSNS = ["078-05-1120", "219-09-9999", "123-45-6789"] as const;

type SsnFormat = "dashes" | "spaces" | "none";

function render(area: string, group: string, serial: string, format: SsnFormat): string {
  if (format === "dashes") return `${area}-${group}-${serial}`;
  if (format === "spaces") return `${area} ${group} ${serial}`;
  return `${area}${group}${serial}`;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

/** True when an SSN (any separators) lies in the ranges the SSA issues. */
export function isValidSsn(value: string): boolean {
  const digits = value.replace(/[ -]/g, "");
  if (!/^\d{9}$/.test(digits)) return false;
  const area = Number(digits.slice(0, 3));
  const group = Number(digits.slice(3, 5));
  const serial = Number(digits.slice(5));
  if (area === 0 || area === 666 || area >= 900 || group === 0 || serial === 0) return false;
  const dashed = `${digits.slice(0, 3)}-${digits.slice(3, 5)}-${digits.slice(5)}`;
  return !(NEVER_ISSUED_SSNS as readonly string[]).includes(dashed);
}

function pickFormat(rng: Rng): SsnFormat {
  return rng.weighted([["dashes", 6], ["spaces", 2], ["none", 2]] as const);
}

/** A valid SSN. `format` "none" must be written after a context word, as real text has it. */
export function generateSsn(rng: Rng): Generated & { format: SsnFormat } {
  for (;;) {
    let area = rng.int(1, 899);
    if (area === 666) area = 665;
    const value = render(pad(area, 3), pad(rng.int(1, 99), 2), pad(rng.int(1, 9999), 4), pickFormat(rng));
    if (!isValidSsn(value)) continue;
    const format = /-/.test(value) ? "dashes" : / /.test(value) ? "spaces" : "none";
    return { value, variant: format, format };
  }
}

/** An SSN-shaped number the SSA never issues (a hard negative). */
export function generateInvalidSsn(rng: Rng): Generated & { format: SsnFormat } {
  const reason = rng.weighted([["area-000", 2], ["area-666", 2], ["area-9xx", 3], ["group-00", 2], ["serial-0000", 2], ["advertising", 2]] as const);
  const format = pickFormat(rng);
  let area = pad(rng.int(1, 665), 3);
  let group = pad(rng.int(1, 99), 2);
  let serial = pad(rng.int(1, 9999), 4);
  if (reason === "area-000") area = "000";
  else if (reason === "area-666") area = "666";
  else if (reason === "area-9xx") area = String(rng.int(900, 999));
  else if (reason === "group-00") group = "00";
  else if (reason === "serial-0000") serial = "0000";
  else [area, group, serial] = rng.pick(NEVER_ISSUED_SSNS).split("-") as [string, string, string];
  return { value: render(area, group, serial, format), variant: `${reason}:${format}`, format };
}
