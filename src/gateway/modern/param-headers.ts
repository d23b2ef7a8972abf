import { GatewayError } from "../errors.js";
import { decodeHeaderValue } from "./classify.js";
import { isPlainObject } from "./envelope.js";

/**
 * SEP-2243 custom headers (2026-07-28): a tool's inputSchema may mark a primitive argument with
 * `x-mcp-header: NAME`; a client then mirrors that argument in an `Mcp-Param-NAME` header, and the
 * server must refuse a request whose header is missing, malformed or different from the body.
 * A stdio upstream never sees HTTP headers, so the gateway checks them, against the tool's schema.
 */

export interface ParamHeaderDeclaration {
  /** Property names from the arguments object down to the marked value. */
  path: string[];
  headerName: string;
  type: "string" | "integer" | "boolean" | "number";
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const PRIMITIVE = new Set(["string", "integer", "boolean", "number"]);
const MAX_DEPTH = 16;

/** The x-mcp-header declarations of an inputSchema, reachable through `properties` only. */
export function scanParamHeaders(inputSchema: unknown): ParamHeaderDeclaration[] {
  const found: ParamHeaderDeclaration[] = [];
  const visit = (node: unknown, path: string[]) => {
    if (!isPlainObject(node) || path.length > MAX_DEPTH) return;
    const name = node["x-mcp-header"];
    const type = node["type"];
    if (path.length > 0 && typeof name === "string" && TOKEN.test(name) && typeof type === "string" && PRIMITIVE.has(type)) {
      found.push({ path, headerName: name, type: type as ParamHeaderDeclaration["type"] });
    }
    const properties = node["properties"];
    if (isPlainObject(properties)) for (const [key, child] of Object.entries(properties)) visit(child, [...path, key]);
  };
  visit(inputSchema, []);
  return found;
}

function valueAt(root: unknown, path: readonly string[]): unknown {
  let node = root;
  for (const key of path) {
    if (!isPlainObject(node) || !Object.hasOwn(node, key)) return undefined;
    node = node[key];
  }
  return node;
}

const CANONICAL_DECIMAL = /^-?\d+(\.\d+)?$/;

function matches(decoded: string, value: unknown, type: ParamHeaderDeclaration["type"]): boolean {
  if (typeof value === "number" && (type === "integer" || type === "number")) return CANONICAL_DECIMAL.test(decoded) && Number(decoded) === value;
  if (typeof value === "boolean") return decoded === (value ? "true" : "false");
  return typeof value === "string" ? decoded === value : decoded === String(value);
}

const stripOws = (value: string): string => value.replace(/^[ \t]+|[ \t]+$/g, "");

function mismatch(id: string | number, header: string, body: string): GatewayError {
  return new GatewayError("HEADER_MISMATCH", `Bad Request: the request headers and body disagree: ${body}`, { id, data: { mismatch: { header, body } } });
}

/**
 * Refuses (400 / -32020) a tools/call whose Mcp-Param headers do not mirror its arguments.
 * `header` reads a request header by lower-case name. Arguments that are absent or null need no header.
 */
export function checkParamHeaders(
  declarations: readonly ParamHeaderDeclaration[],
  args: unknown,
  header: (name: string) => string | undefined,
  id: string | number,
): void {
  for (const declaration of declarations) {
    const value = valueAt(args, declaration.path);
    if (value === undefined || value === null) continue;
    const name = `Mcp-Param-${declaration.headerName}`;
    const raw = header(name.toLowerCase());
    const where = declaration.path.join(".");
    if (raw === undefined) throw mismatch(id, "(missing)", `the body carries ${where}=${JSON.stringify(value)} but the ${name} header is absent`);
    const decoded = decodeHeaderValue(stripOws(raw));
    if (decoded === undefined) throw mismatch(id, raw, `the ${name} header carries an invalid Base64 sentinel value`);
    if (!matches(decoded, value, declaration.type)) {
      throw mismatch(id, raw, `the ${name} header decodes to ${JSON.stringify(decoded)} but the body carries ${where}=${JSON.stringify(value)}`);
    }
  }
}
