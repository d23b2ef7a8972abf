import { readFile } from "node:fs/promises";
import { extname } from "node:path";

/** A problem with what the user gave us: printed as one line, exit code 1, never a stack trace. */
export class InputError extends Error {
  readonly code = "CLI_INPUT";
}

export type InputFormat = "text" | "json" | "jsonl";

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Reads a file (or stdin for "-" or none) as UTF-8 text, refusing binary input. */
export async function readTextInput(file: string | undefined): Promise<string> {
  let bytes: Buffer;
  const source = file === undefined || file === "-" ? "standard input" : file;
  try {
    bytes = source === "standard input" ? await readStdin() : await readFile(file!);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new InputError(`cannot read ${source}: ${reason}`);
  }
  if (bytes.includes(0)) throw new InputError(`${source} looks binary (it contains NUL bytes); give text, JSON or JSONL`);
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new InputError(`${source} is not valid UTF-8 text`);
  }
}

/** The format asked for, or guessed from the file name (stdin defaults to text). */
export function resolveFormat(asked: string | undefined, file: string | undefined): InputFormat {
  if (asked !== undefined && asked !== "auto") {
    if (asked === "text" || asked === "json" || asked === "jsonl") return asked;
    throw new InputError(`unknown --format "${asked}" (expected text, json, jsonl or auto)`);
  }
  const ext = file ? extname(file).toLowerCase() : "";
  if (ext === ".json") return "json";
  if (ext === ".jsonl" || ext === ".ndjson") return "jsonl";
  return "text";
}

export function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new InputError(`invalid JSON in ${where}: ${(error as Error).message}`);
  }
}

/** Splits JSONL into parsed values, with 1-based line numbers; blank lines are skipped. */
export function parseJsonLines(text: string): Array<{ line: number; value: unknown }> {
  const out: Array<{ line: number; value: unknown }> = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    if (raw.trim() === "") return;
    out.push({ line: i + 1, value: parseJson(raw, `line ${i + 1}`) });
  });
  return out;
}
