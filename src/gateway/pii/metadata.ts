import { editFields, onArray, onRecord } from "./cow.js";
import type { StringOps } from "./ops.js";
import { relaxOutputSchema } from "./output-schema.js";

/*
 * Lists (tools, prompts, resources, templates) are metadata written by the server's author, but
 * they are read by the model too, and a description can carry an address. Free text is masked;
 * names the client calls back with (tool and prompt names, URI templates, input schemas) are
 * not, or calls would break. Resource URIs and names are data (a mailbox server lists one
 * resource per correspondent), so they are masked like every other URI the model sees.
 */

export interface MetadataOptions {
  /** Loosen outputSchema so masked structuredContent still validates (see output-schema.ts). */
  relaxOutputSchemas: boolean;
  /** Numbers may be masked into strings (numeric output fields then admit strings). */
  numbers: boolean;
}

export function maskTool(value: unknown, ops: StringOps, options: MetadataOptions): unknown {
  return onRecord(value, (tool) =>
    editFields(tool, ["title", "description", "annotations", "outputSchema"], (field, name) => {
      if (name === "annotations") return onRecord(field, (a) => editFields(a, ["title"], ops.field));
      if (name === "outputSchema") {
        return options.relaxOutputSchemas ? relaxOutputSchema(field, { numbers: options.numbers }) : field;
      }
      return ops.field(field);
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
