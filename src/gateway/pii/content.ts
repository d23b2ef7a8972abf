import { editAllFieldsExcept, editFields, isRecord, onArray, type JsonRecord } from "./cow.js";
import type { StringOps } from "./ops.js";

/*
 * The MCP shapes that carry text toward the model, each masked where it carries data and left
 * alone where it carries protocol (types, MIME types, ids, annotations, _meta) or binary
 * (image/audio `data`, resource `blob`: base64 is never scanned, it is not text and a digit run
 * inside it could be mistaken for a number and corrupt the payload).
 */

/** Fields of a content block of a type this gateway does not know: left alone when masking it. */
const UNKNOWN_BLOCK_KEEPS: ReadonlySet<string> = new Set(["type", "mimeType", "data", "blob", "annotations", "_meta"]);

/** Text or blob contents of a resource (resources/read, embedded resources). */
export function maskResourceContents(value: unknown, ops: StringOps): unknown {
  // Not an object: a malformed message, but its strings are still masked (fail closed).
  return isRecord(value) ? editFields(value, ["uri", "text"], ops.named) : ops.json(value);
}

/** A ContentBlock (tool results, prompt messages) or a sampling content block. */
export function maskContentBlock(value: unknown, ops: StringOps): unknown {
  if (!isRecord(value)) return ops.json(value); // malformed, still masked
  switch (value.type) {
    case "text":
      return editFields(value, ["text"], ops.field);
    case "image":
    case "audio":
      return value;
    case "resource":
      return editFields(value, ["resource"], (resource) => maskResourceContents(resource, ops));
    case "resource_link":
      // The link's URI, name and words about it all reach the model; in token mode a later
      // resources/read of the tokenized URI is restored on the way in.
      return editFields(value, ["uri", "name", "title", "description"], ops.named);
    case "tool_use": // sampling: a tool call the model asked for
      return editFields(value, ["input"], ops.json);
    case "tool_result": // sampling: a tool's answer fed to the model
      return maskToolResultFields(value, ops);
    default:
      return editAllFieldsExcept(value, UNKNOWN_BLOCK_KEEPS, ops.unknownShape);
  }
}

/** A content field that may be one block or an array of blocks (sampling messages). */
export function maskContent(value: unknown, ops: StringOps): unknown {
  return Array.isArray(value) ? onArray(value, (block) => maskContentBlock(block, ops)) : maskContentBlock(value, ops);
}

/** CallToolResult fields (also the `tool_result` sampling block). */
export function maskToolResultFields(result: JsonRecord, ops: StringOps): JsonRecord {
  return editFields(result, ["content", "structuredContent", "toolResult"], (value, field) =>
    field === "content" ? maskContent(value, ops) : ops.json(value),
  );
}

/** PromptMessage or SamplingMessage: the role stays, the content is masked. */
export function maskMessage(value: unknown, ops: StringOps): unknown {
  return isRecord(value) ? editFields(value, ["content"], (content) => maskContent(content, ops)) : ops.json(value);
}
