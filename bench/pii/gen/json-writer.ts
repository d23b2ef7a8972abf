import type { EntityType } from "../../../src/index.js";
import type { DocBuilder, Generated, NegativeKind } from "./builder.js";
import type { Rng } from "./prng.js";

/** A labelled leaf inside a JSON value: written as a string (or a bare number) and labelled. */
export class Labelled {
  constructor(
    readonly target: { entity: EntityType } | { negative: NegativeKind },
    readonly generated: Generated,
    /** Write without quotes (a JSON number such as an epoch). */
    readonly bare = false,
  ) {}
}

/** Prose inside a JSON string: written piece by piece so labels inside it stay exact. */
export class ProseString {
  constructor(readonly write: (b: DocBuilder) => void) {}
}

export type JsonNode =
  | string
  | number
  | boolean
  | null
  | Labelled
  | ProseString
  | JsonNode[]
  | { [key: string]: JsonNode };

export const entity = (type: EntityType, generated: Generated): Labelled => new Labelled({ entity: type }, generated);
export const negative = (kind: NegativeKind, generated: Generated, bare = false): Labelled =>
  new Labelled({ negative: kind }, generated, bare);

function assertVerbatim(value: string): void {
  if (JSON.stringify(value) !== `"${value}"`) throw new Error(`labelled JSON value needs escaping: ${value}`);
}

/**
 * Wraps a builder so plain text written into a JSON string is escaped, while labelled values
 * (which never need escaping) are written verbatim and keep exact offsets.
 */
function escapingBuilder(b: DocBuilder): DocBuilder {
  return new Proxy(b, {
    get(target, property, receiver) {
      if (property === "text") {
        return (chunk: string) => {
          target.text(JSON.stringify(chunk).slice(1, -1));
          return receiver;
        };
      }
      if (property === "entity" || property === "negative") {
        const method = Reflect.get(target, property, target) as (k: never, g: Generated) => DocBuilder;
        return (k: never, g: Generated) => {
          assertVerbatim(g.value);
          method.call(target, k, g);
          return receiver;
        };
      }
      return Reflect.get(target, property, target);
    },
  });
}

/** Writes `node` as JSON text, compact or indented. */
export function writeJson(b: DocBuilder, node: JsonNode, indent: number, level = 0): void {
  const pad = (n: number): string => (indent > 0 ? "\n" + " ".repeat(indent * n) : "");
  if (node instanceof Labelled) {
    if (!node.bare) assertVerbatim(node.generated.value);
    if (!node.bare) b.text('"');
    if ("entity" in node.target) b.entity(node.target.entity, node.generated);
    else b.negative(node.target.negative, node.generated);
    if (!node.bare) b.text('"');
  } else if (node instanceof ProseString) {
    b.text('"');
    node.write(escapingBuilder(b));
    b.text('"');
  } else if (Array.isArray(node)) {
    if (node.length === 0) {
      b.text("[]");
      return;
    }
    b.text("[");
    node.forEach((item, i) => {
      if (i > 0) b.text(",");
      b.text(pad(level + 1));
      writeJson(b, item, indent, level + 1);
    });
    b.text(pad(level) + "]");
  } else if (node !== null && typeof node === "object") {
    const entries = Object.entries(node);
    if (entries.length === 0) {
      b.text("{}");
      return;
    }
    b.text("{");
    entries.forEach(([key, value], i) => {
      if (i > 0) b.text(",");
      b.text(pad(level + 1) + JSON.stringify(key) + (indent > 0 ? ": " : ":"));
      writeJson(b, value, indent, level + 1);
    });
    b.text(pad(level) + "}");
  } else {
    b.text(JSON.stringify(node));
  }
}

export function pickIndent(rng: Rng): number {
  return rng.weighted([[0, 3], [2, 2], [4, 1]] as const);
}
