import { format } from "node:util";
import pino, { type Bindings, type ChildLoggerOptions, type DestinationStream, type Logger } from "pino";
import { createCleanTextCache } from "../gateway/pii/clean-cache.js";
import { createPiiEngine, ENTITY_TYPES, type Operator, type OperatorMap, type PiiEngine } from "../pii/index.js";
import { sanitizeLogValue, type LogSanitizeOptions } from "./log-sanitizer.js";
import { REDACT_PATHS, REDACTED } from "./secrets.js";

/** How PII is written in logs: never as a reversible token (logs cannot restore, and it would fill the vault). */
export type LogPiiOperator = Exclude<Operator, { type: "token" }>;

export interface LoggerOptions {
  /** pino level name (default "info"). */
  level?: string;
  /** Mask PII in every line (`pii.inLogs`); a request logger may change it for its own lines. */
  maskPii: boolean;
  /** The engine to detect PII with; a default engine is made on first need otherwise. */
  engine?: PiiEngine;
  /** Where lines go (default: pino's stdout destination). */
  destination?: DestinationStream;
  /** How PII is written (default: a type tag, `<EMAIL_ADDRESS>`; `hash` keeps lines correlatable). */
  operator?: LogPiiOperator;
  /** Logged values nested deeper than this are cut (default 32). */
  maxDepth?: number;
  /**
   * Exact values never masked in lines, for a default engine: the gateway's own addresses (its
   * listen host, loopback), which are configuration, not anyone's personal data, and which an
   * operator needs to read ("listening on 10.0.0.5"). Any other value of the type is still masked.
   */
  ownAddresses?: readonly string[];
}

const MASK_PII = Symbol("mcp-bastion.log.maskPii");
const LOG_STATE = Symbol("mcp-bastion.log.state");

interface LogState {
  maskText(): (text: string) => string;
  sanitize(value: unknown, mask: boolean): unknown;
  baseChild: BaseChild;
}

type BaseChild = (this: Logger, bindings: Bindings, options?: ChildLoggerOptions) => Logger;

type Tagged = Logger & { [MASK_PII]?: boolean; [LOG_STATE]?: LogState };

const WITHHELD = "[log line withheld: it could not be made safe to write]";

function stateOf(logger: Logger): LogState {
  const state = (logger as Tagged)[LOG_STATE];
  if (!state) throw new TypeError("not a logger made by createLogger");
  return state;
}

/** Whether this logger (root, child or request logger) masks PII in its lines. */
export function isPiiMasked(logger: Logger): boolean {
  return (logger as Tagged)[MASK_PII] === true;
}

/** Whether `value` is a logger made by createLogger (or a child of one): one that can mask per request. */
export function isMaskingLogger(value: unknown): value is Logger {
  return typeof value === "object" && value !== null && (value as Tagged)[LOG_STATE] !== undefined;
}

/**
 * One text made safe the way this logger would write it: credentials cut, PII masked when the
 * logger masks. For callers that must shorten a text before logging it: mask first, then cut,
 * so a cut never leaves half of an entity the masker would no longer recognize.
 */
export function safeLogText(logger: Logger, text: string): string {
  return stateOf(logger).sanitize(text, isPiiMasked(logger)) as string;
}

/**
 * Rewrites the arguments of one log call into safe ones. A message with interpolation
 * arguments is formatted here, then scrubbed and masked as a whole, since PII or a credential
 * may only appear once the pieces are joined ("Bearer %s").
 */
function sanitizeArgs(args: unknown[], state: LogState, mask: boolean): unknown[] {
  const [first] = args;
  const out: unknown[] = [];
  let msgIndex = 0;
  if (first instanceof Error) {
    out.push({ err: state.sanitize(first, mask) });
    msgIndex = 1;
  } else if (typeof first === "object" && first !== null) {
    out.push(state.sanitize(first, mask));
    msgIndex = 1;
  }
  if (args.length > msgIndex) {
    const msg = args[msgIndex];
    const params = args.slice(msgIndex + 1).map((p) => state.sanitize(p, mask));
    const text = params.length > 0 && typeof msg === "string" ? format(msg, ...params) : msg;
    out.push(state.sanitize(text, mask));
  }
  return out;
}

/**
 * A pino logger whose every line is safe: secrets are always cut (pino redact paths for the
 * usual header and config shapes, plus any secret-named key at any depth and credentials inside
 * strings); PII is masked in messages, fields, nested objects, error messages and stacks, and
 * child bindings when `maskPii` is on. Masking is decided per logger: see `requestLogger`.
 */
export function createLogger(options: LoggerOptions): Logger {
  const maxDepth = options.maxDepth ?? 32;
  const operator: LogPiiOperator = options.operator ?? { type: "replace" };
  if ((operator as Operator).type === "token") throw new TypeError("reversible tokens cannot be used in logs");
  // Every type gets the log operator, whatever operators the shared engine uses for the model.
  const operators: OperatorMap = Object.fromEntries(ENTITY_TYPES.map((type) => [type, operator]));
  let engine = options.engine;
  let maskFn: ((text: string) => string) | undefined;
  const unmasked: LogSanitizeOptions = { maxDepth };
  let masked: LogSanitizeOptions | undefined;

  const state: LogState = {
    maskText() {
      if (maskFn === undefined) {
        engine ??= createPiiEngine(options.ownAddresses ? { allow: { values: options.ownAddresses } } : {});
        const e = engine;
        const scan = (text: string): string => e.mask(text, { operators });
        const cache = createCleanTextCache();
        maskFn = (text) => cache.mask(text, scan);
      }
      return maskFn;
    },
    sanitize(value, mask) {
      if (!mask) return sanitizeLogValue(value, unmasked);
      masked ??= { maxDepth, mask: state.maskText() };
      return sanitizeLogValue(value, masked);
    },
    baseChild: undefined as unknown as BaseChild, // set below, once pino made the logger
  };

  const pinoOptions: pino.LoggerOptions = {
    level: options.level ?? "info",
    redact: { paths: [...REDACT_PATHS], censor: REDACTED },
    // Errors reach pino already serialized and masked by the hook; pino's serializer would
    // re-serialize the plain copy and overwrite its type.
    serializers: { err: (value: unknown) => value },
    hooks: {
      logMethod(args, method) {
        const self = this as Tagged;
        let safe: unknown[];
        try {
          safe = sanitizeArgs(args, state, self[MASK_PII] === true);
        } catch {
          safe = [WITHHELD]; // fail closed: a line we cannot make safe is not written
        }
        method.apply(this, safe as Parameters<typeof method>);
      },
    },
  };
  const logger = (options.destination ? pino(pinoOptions, options.destination) : pino(pinoOptions)) as Tagged;
  state.baseChild = logger.child as unknown as BaseChild;
  logger[LOG_STATE] = state;
  logger[MASK_PII] = options.maskPii;

  // Bindings are written into every line of the child: sanitized once, when it is made.
  function child(this: Tagged, bindings: Bindings, childOptions?: ChildLoggerOptions): Logger {
    let safe: Bindings;
    try {
      safe = state.sanitize(bindings, this[MASK_PII] === true) as Bindings;
    } catch {
      safe = { bindings: WITHHELD };
    }
    return state.baseChild.call(this, safe, childOptions);
  }
  Object.defineProperty(logger, "child", { value: child, writable: true, configurable: true });
  return logger;
}

export interface RequestLoggerOptions {
  /** This request's in-logs setting (resolvePiiPolicy's `inLogs`). */
  maskPii: boolean;
  /** Fields written on each of its lines (request id, session, server). */
  bindings?: Bindings;
}

/**
 * A child logger for one request with its own in-logs setting; its own children inherit it.
 * Its bindings are sanitized with that setting.
 */
export function requestLogger(parent: Logger, options: RequestLoggerOptions): Logger {
  const state = stateOf(parent);
  const safe = state.sanitize(options.bindings ?? {}, options.maskPii) as Bindings;
  const child: Tagged = state.baseChild.call(parent, safe);
  child[MASK_PII] = options.maskPii;
  return child;
}
