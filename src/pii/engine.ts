import { randomBytes } from "node:crypto";
import { transformJson, type JsonWalkOptions } from "./json.js";
import { applyFindings, type Operator, type OperatorContext } from "./operators.js";
import { defaultRecognizers } from "./recognizers/index.js";
import { createScanner, type AllowList } from "./scanner.js";
import { createStreamMasker as createChunkedMasker, type StreamMasker } from "./stream.js";
import { ENTITY_TYPES, type EntityType, type Finding, type Recognizer } from "./types.js";
import { createMemoryVault, type TokenVault } from "./vault.js";

export type OperatorMap = Partial<Record<EntityType, Operator>>;

export interface PiiEngineOptions {
  /** The entity types to detect; all seven by default. */
  entities?: readonly EntityType[];
  /** Findings scoring below this are not reported (0..1, default 0.5). */
  threshold?: number;
  /** Values or patterns never reported. */
  allow?: AllowList;
  /** The operator for every type not named in `operators` (default: replace with a type tag). */
  defaultOperator?: Operator;
  /** Per-type operators. */
  operators?: OperatorMap;
  /** Key for the hash operator; a random per-engine key if not given (stable within the process). */
  hashKey?: string | Buffer;
  /** Where reversible tokens are kept; an in-memory vault by default. */
  vault?: TokenVault;
  /** Replace the built-in recognizers (advanced: custom or extra entity recognizers). */
  recognizers?: readonly Recognizer[];
  /**
   * Detect with the compiled kernel when it is built (default true). It finds exactly what the
   * TypeScript recognizers find; false runs those instead. Custom recognizers always run in
   * TypeScript.
   */
  kernel?: boolean;
}

export interface MaskOptions {
  /** Overrides the engine's operators for this call. */
  operators?: OperatorMap;
  defaultOperator?: Operator;
  /** Vault scope for reversible tokens (an MCP session id, a caller id). */
  scope?: string;
}

export type MaskJsonOptions = MaskOptions & JsonWalkOptions;

export interface PiiEngine {
  detect(text: string): Finding[];
  mask(text: string, options?: MaskOptions): string;
  maskJson<T = unknown>(value: T, options?: MaskJsonOptions): unknown;
  createStreamMasker(options?: MaskOptions): StreamMasker;
  /** Puts back the originals of tokens this scope issued; other tokens stay as they are. */
  restore(text: string, options: { scope: string }): string;
  restoreJson(value: unknown, options: { scope: string }): unknown;
  readonly entities: readonly EntityType[];
  /**
   * The longest span any enabled recognizer reports, in the characters it reads (invisible ones
   * inside a value, which canonical.ts drops, come on top): the most a stream masker holds back.
   */
  readonly maxEntityLength: number;
  /** Which detects: the compiled kernel (native.ts), or the TypeScript recognizers. */
  readonly detector: "kernel" | "typescript";
}

const DEFAULT_SCOPE = "default";
const TOKEN_PATTERN = /<([A-Z_]+)_(\d{1,9})>/g;

export function createPiiEngine(options: PiiEngineOptions = {}): PiiEngine {
  const entities = options.entities ?? ENTITY_TYPES;
  const enabled = new Set<EntityType>(entities);
  const recognizers = (options.recognizers ?? defaultRecognizers()).filter((r) => enabled.has(r.type));
  const threshold = options.threshold ?? 0.5;
  if (!(threshold >= 0 && threshold <= 1)) throw new RangeError("threshold must be between 0 and 1");
  const scanner = createScanner({
    recognizers,
    threshold,
    ...(options.allow ? { allow: options.allow } : {}),
    ...(options.kernel === false ? { kernel: false } : {}),
  });
  // (The scanner reads text as a reader sees it: invisible characters, fullwidth digits and
  // no-break spaces do not hide an entity; canonical.ts.)
  const detect = scanner.detect;
  const hashKey =
    options.hashKey === undefined
      ? randomBytes(32)
      : typeof options.hashKey === "string"
        ? Buffer.from(options.hashKey, "utf8")
        : options.hashKey;
  const vault = options.vault ?? createMemoryVault();
  const engineDefault: Operator = options.defaultOperator ?? { type: "replace" };
  const engineOperators: OperatorMap = options.operators ?? {};

  const engineOperatorFor = (type: EntityType): Operator => engineOperators[type] ?? engineDefault;

  function operatorsFor(call: MaskOptions | undefined): (type: EntityType) => Operator {
    const perCall = call?.operators;
    const callDefault = call?.defaultOperator;
    // Most calls (the gateway's: a scope only) choose no operator: no closure made per call.
    if (perCall === undefined && callDefault === undefined) return engineOperatorFor;
    const fallback = callDefault ?? engineDefault;
    return (type) => perCall?.[type] ?? engineOperators[type] ?? fallback;
  }

  // The context of the last scope, kept (it is read, never changed): calls of one session follow
  // one another, and the gateway masks every string of a message with its own call.
  let lastContext: OperatorContext = { hashKey, vault, scope: DEFAULT_SCOPE };
  function contextFor(call: MaskOptions | undefined): OperatorContext {
    const scope = call?.scope ?? DEFAULT_SCOPE;
    if (scope !== lastContext.scope) lastContext = { hashKey, vault, scope };
    return lastContext;
  }

  function mask(text: string, call?: MaskOptions): string {
    const findings = detect(text);
    if (findings.length === 0) return text;
    return applyFindings(text, findings, operatorsFor(call), contextFor(call));
  }

  function restore(text: string, call: { scope: string }): string {
    if (text.indexOf("<") < 0) return text;
    return text.replace(TOKEN_PATTERN, (token) => vault.originalOf(call.scope, token) ?? token);
  }

  return {
    entities: [...enabled],
    maxEntityLength: scanner.maxEntityLength,
    detector: scanner.detector,
    detect,
    mask,
    maskJson(value, call) {
      const operatorFor = operatorsFor(call);
      const context = contextFor(call);
      return transformJson(
        value,
        (text) => {
          const findings = detect(text);
          return findings.length === 0 ? text : applyFindings(text, findings, operatorFor, context);
        },
        call,
      );
    },
    createStreamMasker(call) {
      const operatorFor = operatorsFor(call);
      const context = contextFor(call);
      return createChunkedMasker({
        detect,
        maxEntityLength: scanner.maxEntityLength,
        lookbehind: scanner.lookbehind,
        render: (text, from, to, findings) =>
          applyFindings(
            text.slice(from, to),
            findings.map((f) => ({ ...f, start: f.start - from, end: f.end - from })),
            operatorFor,
            context,
          ),
      });
    },
    restore,
    restoreJson(value, call) {
      return transformJson(value, (text) => restore(text, call), { numbers: false });
    },
  };
}
