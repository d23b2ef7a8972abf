import type { JsonRpcRequest } from "../jsonrpc.js";
import { encodeHeaderValue } from "./http-headers.js";

/** RFC 9110 token: what an `x-mcp-header` name must be (so it cannot smuggle a header line). */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const MAX_TOOLS = 10_000;
const MAX_DEPTH = 16;

interface Declaration {
  path: string[];
  header: string;
}

/**
 * The `x-mcp-header` declarations of an upstream's tools (2026-07-28, SEP-2243): a tool may ask
 * that some arguments also travel as `Mcp-Param-{Name}` headers, and the upstream rejects a call
 * without them. The client's own headers never reach the upstream, so the gateway emits them
 * itself, from the tool definitions it saw pass by in tools/list answers (shared by every
 * connection to the same server). A call for a tool it has not seen goes without them, exactly
 * as from a client that did not list the tools.
 */
export interface ToolHeaderDeclarations {
  /** Learns from one tools/list result (one page). */
  learn(result: Record<string, unknown>): void;
  /** Adds the `Mcp-Param-*` headers a tools/call needs, if its tool declared any. */
  apply(headers: Headers, request: JsonRpcRequest): void;
}

export function createToolHeaderDeclarations(): ToolHeaderDeclarations {
  const byTool = new Map<string, Declaration[]>();

  return {
    learn(result) {
      const tools = result.tools;
      if (!Array.isArray(tools)) return;
      for (const tool of tools) {
        if (!isObject(tool) || typeof tool.name !== "string") continue;
        const found: Declaration[] = [];
        collect(tool.inputSchema, [], found);
        if (found.length === 0) byTool.delete(tool.name);
        else if (byTool.has(tool.name) || byTool.size < MAX_TOOLS) byTool.set(tool.name, found);
      }
    },
    apply(headers, request) {
      if (request.method !== "tools/call") return;
      const name = request.params?.name;
      const declarations = typeof name === "string" ? byTool.get(name) : undefined;
      if (!declarations) return;
      const args = request.params?.arguments;
      for (const { path, header } of declarations) {
        const value = primitiveText(valueAt(args, path));
        if (value !== undefined) headers.set(`Mcp-Param-${header}`, encodeHeaderValue(value));
      }
    },
  };
}

/** Walks `properties` chains only: the one place the spec lets `x-mcp-header` appear. */
function collect(schema: unknown, path: string[], out: Declaration[]): void {
  if (!isObject(schema) || path.length > MAX_DEPTH) return;
  const header = schema["x-mcp-header"];
  if (path.length > 0 && typeof header === "string" && TOKEN.test(header)) out.push({ path, header });
  const properties = schema.properties;
  if (!isObject(properties)) return;
  for (const [key, child] of Object.entries(properties)) collect(child, [...path, key], out);
}

function valueAt(root: unknown, path: string[]): unknown {
  let node = root;
  for (const key of path) {
    if (!isObject(node) || !Object.hasOwn(node, key)) return undefined;
    node = node[key];
  }
  return node;
}

/** The spec's conversions: strings as they are, booleans lower-case, finite safe numbers in decimal. */
function primitiveText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number" && Number.isFinite(value) && (!Number.isInteger(value) || Number.isSafeInteger(value))) return String(value);
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
