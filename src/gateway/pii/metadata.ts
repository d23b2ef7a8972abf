import { editAllFieldsExcept, editFields, isRecord, onArray, onRecord } from "./cow.js";
import type { StringOps } from "./ops.js";
import { relaxOutputSchema } from "./output-schema.js";
import { maskSchemaWords } from "./schema-words.js";

/*
 * Lists (tools, prompts, resources, templates) are metadata written by the server's author, but
 * they are read by the model too, and a description can carry an address. Free text is masked;
 * names the client calls back with (tool and prompt names, URI templates, the structure of input
 * schemas) are not, or calls would break; the words inside schemas are (schema-words.ts). Resource URIs and names are data (a mailbox server lists one
 * resource per correspondent), so they are masked like every other URI the model sees.
 */

export interface MetadataOptions {
  /** Loosen outputSchema so masked structuredContent still validates (see output-schema.ts). */
  relaxOutputSchemas: boolean;
  /** Numbers may be masked into strings (numeric output fields then admit strings). */
  numbers: boolean;
}

/** Tool fields that are protocol (the name the client calls back with, icons it fetches, _meta). */
const TOOL_KEEPS: ReadonlySet<string> = new Set(["name", "icons", "_meta", "execution"]);
/** Tool annotations the spec defines as hints (booleans); the title and any other field are masked. */
const TOOL_HINTS: ReadonlySet<string> = new Set(["readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"]);

export function maskTool(value: unknown, ops: StringOps, options: MetadataOptions): unknown {
  return onRecord(value, (tool) =>
    editAllFieldsExcept(tool, TOOL_KEEPS, (field, name) => {
      switch (name) {
        case "annotations":
          return isRecord(field) ? editAllFieldsExcept(field, TOOL_HINTS, ops.unknownShape) : ops.unknownShape(field);
        case "inputSchema":
          return maskSchemaWords(field, ops);
        case "outputSchema": {
          const relaxed = options.relaxOutputSchemas ? relaxOutputSchema(field, { numbers: options.numbers }) : field;
          return maskSchemaWords(relaxed, ops);
        }
        case "title":
        case "description":
          return ops.field(field);
        default: // a field the spec does not define: masked (fail closed)
          return ops.unknownShape(field);
      }
    }),
  );
}

export function maskPrompt(value: unknown, ops: StringOps): unknown {
  return onRecord(value, (prompt) =>
    editFields(prompt, ["title", "description", "arguments"], (field, name) =>
      name === "arguments"
        ? onArray(field, (argument) => onRecord(argument, (a) => editFields(a, ["title", "description"], ops.field)))
        : ops.field(field),
    ),
  );
}

export function maskResource(value: unknown, ops: StringOps): unknown {
  return onRecord(value, (resource) => editFields(resource, ["uri", "name", "title", "description"], ops.named));
}

export function maskResourceTemplate(value: unknown, ops: StringOps): unknown {
  return onRecord(value, (template) => editFields(template, ["title", "description"], ops.field));
}
