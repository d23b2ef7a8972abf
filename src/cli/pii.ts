import type { Command } from "commander";
import { createPiiEngine, isEntityType, OPERATOR_NAMES, type EntityType, type Operator, type OperatorName, type PiiEngine } from "../pii/index.js";
import { forEachJsonString } from "../pii/json.js";
import { InputError, parseJson, parseJsonLines, readTextInput, resolveFormat, type InputFormat } from "./input.js";

interface PiiFlags {
  format?: string;
  entities?: string;
  threshold?: string;
  operator?: string;
  operatorFor?: string[];
  keys?: boolean;
  allow?: string[];
  hashKeyEnv?: string;
  showValues?: boolean;
}

function parseEntities(list: string | undefined): EntityType[] | undefined {
  if (list === undefined) return undefined;
  return list.split(",").map((name) => {
    const trimmed = name.trim().toUpperCase();
    if (!isEntityType(trimmed)) throw new InputError(`unknown entity type "${name}"`);
    return trimmed;
  });
}

function parseOperator(name: string): Operator {
  if (!(OPERATOR_NAMES as readonly string[]).includes(name)) {
    throw new InputError(`unknown operator "${name}" (expected ${OPERATOR_NAMES.join(", ")})`);
  }
  return { type: name as OperatorName } as Operator;
}

function engineFrom(flags: PiiFlags): PiiEngine {
  const threshold = flags.threshold === undefined ? undefined : Number(flags.threshold);
  if (threshold !== undefined && !(threshold >= 0 && threshold <= 1)) {
    throw new InputError(`--threshold must be a number between 0 and 1, got "${flags.threshold}"`);
  }
  const operators: Partial<Record<EntityType, Operator>> = {};
  for (const pair of flags.operatorFor ?? []) {
    const [type, op] = pair.split("=");
    const name = (type ?? "").toUpperCase();
    if (!isEntityType(name) || op === undefined) throw new InputError(`--operator-for expects TYPE=OPERATOR, got "${pair}"`);
    operators[name] = parseOperator(op);
  }
  let hashKey: string | undefined;
  if (flags.hashKeyEnv !== undefined) {
    hashKey = process.env[flags.hashKeyEnv];
    if (!hashKey) throw new InputError(`--hash-key-env: variable ${flags.hashKeyEnv} is not set`);
  }
  const entities = parseEntities(flags.entities);
  return createPiiEngine({
    ...(entities ? { entities } : {}),
    ...(threshold !== undefined ? { threshold } : {}),
    ...(flags.operator ? { defaultOperator: parseOperator(flags.operator) } : {}),
    operators,
    ...(hashKey ? { hashKey } : {}),
    ...(flags.allow ? { allow: { values: flags.allow } } : {}),
  });
}

function writeLine(value: unknown): void {
  process.stdout.write(JSON.stringify(value) + "\n");
}

function detectCommand(engine: PiiEngine, format: InputFormat, text: string, showValues: boolean): void {
  const report = (extra: Record<string, unknown>, source: string) => {
    for (const f of engine.detect(source)) {
      writeLine({ ...extra, type: f.type, start: f.start, end: f.end, score: Number(f.score.toFixed(3)), ...(showValues ? { value: source.slice(f.start, f.end) } : {}) });
    }
  };
  const reportJson = (value: unknown, extra: Record<string, unknown>) =>
    forEachJsonString(value, (path, s, isKey) => report({ ...extra, path, ...(isKey ? { key: true } : {}) }, s));
  if (format === "text") report({}, text);
  else if (format === "json") reportJson(parseJson(text, "input"), {});
  else for (const { line, value } of parseJsonLines(text)) reportJson(value, { line });
}

function maskCommand(engine: PiiEngine, format: InputFormat, text: string, keys: boolean): void {
  if (format === "text") {
    process.stdout.write(engine.mask(text));
  } else if (format === "json") {
    process.stdout.write(JSON.stringify(engine.maskJson(parseJson(text, "input"), { keys }), null, 2) + "\n");
  } else {
    for (const { value } of parseJsonLines(text)) writeLine(engine.maskJson(value, { keys }));
  }
}

async function run(action: "detect" | "mask", file: string | undefined, flags: PiiFlags): Promise<void> {
  try {
    const engine = engineFrom(flags);
    const format = resolveFormat(flags.format, file);
    const text = await readTextInput(file);
    if (action === "detect") detectCommand(engine, format, text, flags.showValues ?? false);
    else maskCommand(engine, format, text, flags.keys ?? false);
  } catch (error) {
    const known = error instanceof InputError || (error as { code?: string }).code?.startsWith("PII_");
    process.stderr.write(`bastion pii ${action}: ${known ? (error as Error).message : `unexpected error: ${(error as Error).message}`}\n`);
    process.exitCode = 1;
  }
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerPiiCommands(program: Command): void {
  const pii = program.command("pii").description("detect or mask PII in text, JSON or JSONL (a file, or stdin)");
  const common = (cmd: Command) =>
    cmd
      .argument("[file]", "input file; stdin when omitted or -")
      .option("-f, --format <format>", "text, json, jsonl or auto (from the file extension)", "auto")
      .option("-e, --entities <list>", "comma-separated entity types (default: all)")
      .option("-t, --threshold <score>", "minimum score, 0..1 (default 0.5)")
      .option("--allow <value>", "a value never reported (repeatable)", collect);

  common(pii.command("detect").description("write one JSON line per finding: {type,start,end,score[,path,line]}"))
    .option("--show-values", "include the matched text in each line (it is PII: careful where it goes)")
    .action((file: string | undefined, flags: PiiFlags) => run("detect", file, flags));

  common(pii.command("mask").description("write the input with PII masked, in the same format"))
    .option("-o, --operator <name>", `default operator: ${OPERATOR_NAMES.join(", ")}`, "replace")
    .option("--operator-for <TYPE=op>", "operator for one entity type (repeatable)", collect)
    .option("--keys", "mask JSON object keys too")
    .option("--hash-key-env <VAR>", "environment variable holding the key for the hash operator")
    .action((file: string | undefined, flags: PiiFlags) => run("mask", file, flags));
}
