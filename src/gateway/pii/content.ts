import { editAllFieldsExcept, editFields, isRecord, onArray, type JsonRecord } from "./cow.js";
import type { StringOps } from "./ops.js";

/*
 * The MCP shapes that carry text toward the model, each masked where it carries data and left
 * alone where it carries protocol (types, MIME types, ids, the spec's annotations, _meta) or binary
 * (image/audio `data`, resource `blob`: base64 is never scanned, it is not text and a digit run
 * inside it could be mistaken for a number and corrupt the payload).
 */

/** Fields of a content block of a type this gateway does not know: left alone when masking it. */
const UNKNOWN_BLOCK_KEEPS: ReadonlySet<string> = new Set(["type", "mimeType", "data", "blob", "annotations", "_meta"]);
/** The same without a MIME type: then `data` is not known to be binary, and is masked (as unknownShape does). */
const UNKNOWN_BLOCK_KEEPS_NO_MIME: ReadonlySet<string> = new Set(["type", "blob", "annotations", "_meta"]);

/*
 * In a known shape, the fields named below are protocol or binary and stay as they are; every
 * other field is masked, the ones the spec defines as text by their shape and any field the spec
 * does not define as unknown JSON (fail closed: a hostile server could put an address in an extra
 * field, and a client that passes unknown fields on would hand it to the model).
 */
const TEXT_BLOCK_KEEPS: ReadonlySet<string> = new Set(["type", "_meta"]);
const BINARY_BLOCK_KEEPS: ReadonlySet<string> = new Set(["type", "data", "mimeType", "_meta"]);
const RESOURCE_CONTENTS_KEEPS: ReadonlySet<string> = new Set(["mimeType", "blob", "_meta"]);
const RESOURCE_LINK_KEEPS: ReadonlySet<string> = new Set(["type", "mimeType", "size", "icons", "_meta"]);
/** Annotations the spec defines (roles, a number, a timestamp); any other field in them is masked. */
const ANNOTATION_KEEPS: ReadonlySet<string> = new Set(["audience", "priority", "lastModified"]);

const maskAnnotations = (value: unknown, ops: StringOps): unknown =>
  isRecord(value) ? editAllFieldsExcept(value, ANNOTATION_KEEPS, ops.unknownShape) : ops.unknownShape(value);

/** A field of a known block beside its own text fields: annotations as such, anything else as unknown JSON. */
const otherField = (value: unknown, name: string, ops: StringOps): unknown => (name === "annotations" ? maskAnnotations(value, ops) : ops.unknownShape(value));
/** CallToolResult (and sampling `tool_result`) fields that are protocol; 2026-07-28 result fields included. */
const TOOL_RESULT_KEEPS: ReadonlySet<string> = new Set(["type", "toolUseId", "isError", "_meta", "resultType", "requestState", "inputRequests", "nextCursor"]);

/** Text or blob contents of a resource (resources/read, embedded resources). */
export function maskResourceContents(value: unknown, ops: StringOps): unknown {
  // Not an object: a malformed message, but its strings are still masked (fail closed).
  return isRecord(value)
    ? editAllFieldsExcept(value, RESOURCE_CONTENTS_KEEPS, (field, name) => (name === "uri" || name === "text" ? ops.named(field, name) : ops.unknownShape(field)))
    : ops.json(value);
}

/** A ContentBlock (tool results, prompt messages) or a sampling content block. */
export function maskContentBlock(value: unknown, ops: StringOps): unknown {
  if (!isRecord(value)) return ops.json(value); // malformed, still masked
  switch (value.type) {
    case "text":
      return editAllFieldsExcept(value, TEXT_BLOCK_KEEPS, (field, name) => (name === "text" ? ops.field(field) : otherField(field, name, ops)));
    case "image":
    case "audio":
      return editAllFieldsExcept(value, BINARY_BLOCK_KEEPS, (field, name) => otherField(field, name, ops));
    case "resource":
      return editAllFieldsExcept(value, TEXT_BLOCK_KEEPS, (field, name) => (name === "resource" ? maskResourceContents(field, ops) : otherField(field, name, ops)));
    case "resource_link":
      // The link's URI, name and words about it all reach the model; in token mode a later
      // resources/read of the tokenized URI is restored on the way in.
      return editAllFieldsExcept(value, RESOURCE_LINK_KEEPS, (field, name) => (name === "annotations" ? maskAnnotations(field, ops) : ops.named(field, name)));
    case "tool_use": // sampling: a tool call the model asked for
      return editFields(value, ["input"], ops.json);
    case "tool_result": // sampling: a tool's answer fed to the model
      return maskToolResultFields(value, ops);
    default:
      return editAllFieldsExcept(value, typeof value.mimeType === "string" ? UNKNOWN_BLOCK_KEEPS : UNKNOWN_BLOCK_KEEPS_NO_MIME, ops.unknownShape);
  }
}

/** A content field that may be one block or an array of blocks (sampling messages). */
export function maskContent(value: unknown, ops: StringOps): unknown {
  return Array.isArray(value) ? onArray(value, (block) => maskContentBlock(block, ops)) : maskContentBlock(value, ops);
}

/** CallToolResult fields (also the `tool_result` sampling block). */
export function maskToolResultFields(result: JsonRecord, ops: StringOps): JsonRecord {
  return editAllFieldsExcept(result, TOOL_RESULT_KEEPS, (value, field) => {
    if (field === "content") return maskContent(value, ops);
    return field === "structuredContent" || field === "toolResult" ? ops.json(value) : ops.unknownShape(value);
  });
}

/** PromptMessage or SamplingMessage: the role stays, the content is masked. */
export function maskMessage(value: unknown, ops: StringOps): unknown {
  return isRecord(value) ? editFields(value, ["content"], (content) => maskContent(content, ops)) : ops.json(value);
}
