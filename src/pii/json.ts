/** Walks a JSON value and rebuilds it with every string passed through `transform`. */

export interface JsonWalkOptions {
  /** Transform object keys as well as values (a key masked into one already present gets a suffix). */
  keys?: boolean;
  /** Numbers whose decimal form contains PII become masked strings (a card number sent as a number). */
  numbers?: boolean;
  /** Deeper nesting than this is refused rather than risk the stack. */
  maxDepth?: number;
}

export class JsonDepthError extends Error {
  readonly code = "PII_JSON_TOO_DEEP";
  constructor(maxDepth: number) {
    super(`JSON value nested deeper than ${maxDepth} levels`);
  }
}

export class NotJsonError extends Error {
  readonly code = "PII_NOT_JSON";
  constructor(what: string) {
    super(`not a JSON value: ${what}`);
  }
}

type Transform = (text: string) => string;

/** Sets a property even when its name is `__proto__`, which plain assignment would not. */
function defineKey(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

function uniqueKey(target: Record<string, unknown>, key: string): string {
  if (!Object.prototype.hasOwnProperty.call(target, key)) return key;
  for (let n = 2; ; n++) {
    const candidate = `${key}_${n}`;
    if (!Object.prototype.hasOwnProperty.call(target, candidate)) return candidate;
  }
}

export function transformJson(value: unknown, transform: Transform, options: JsonWalkOptions = {}): unknown {
  const maxDepth = options.maxDepth ?? 1000;
  const maskKeys = options.keys ?? false;
  const maskNumbers = options.numbers ?? true;

  function walk(node: unknown, depth: number): unknown {
    if (typeof node === "string") return transform(node);
    if (node === null || typeof node === "boolean") return node;
    if (typeof node === "number") {
      if (!Number.isFinite(node)) throw new NotJsonError(String(node));
      if (!maskNumbers || (node < 100_000 && node > -100_000)) return node; // too short to be any entity
      const asText = String(node);
      const masked = transform(asText);
      return masked === asText ? node : masked;
    }
    if (depth >= maxDepth) throw new JsonDepthError(maxDepth);
    if (Array.isArray(node)) {
      const out = new Array<unknown>(node.length);
      for (let i = 0; i < node.length; i++) out[i] = walk(node[i], depth + 1);
      return out;
    }
    if (typeof node === "object") {
      const proto = Object.getPrototypeOf(node);
      if (proto !== Object.prototype && proto !== null) {
        throw new NotJsonError(proto?.constructor?.name ?? "object");
      }
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(node)) {
        const child = walk((node as Record<string, unknown>)[key], depth + 1);
        if (child === undefined) continue;
        const outKey = maskKeys ? uniqueKey(out, transform(key)) : key;
        defineKey(out, outKey, child);
      }
      return out;
    }
    if (node === undefined) return undefined; // as JSON.stringify drops it inside objects
    throw new NotJsonError(typeof node);
  }

  return walk(value, 0);
}

/** Calls `visit` with every string in a JSON value and its JSONPath-like location ($.a[0].b). */
export function forEachJsonString(
  value: unknown,
  visit: (path: string, text: string, isKey: boolean) => void,
  path = "$",
): void {
  if (typeof value === "string") return visit(path, value, false);
  if (Array.isArray(value)) {
    value.forEach((item, i) => forEachJsonString(item, visit, `${path}[${i}]`));
    return;
  }
  if (value !== null && typeof value === "object") {
    for (const [key, child] of Object.entries(value)) {
      const childPath = /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
      visit(childPath, key, true);
      forEachJsonString(child, visit, childPath);
    }
  }
}
