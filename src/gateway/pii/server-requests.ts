import { editFields, isRecord, onArray, onRecord, onRecordValues, type JsonRecord } from "./cow.js";
import { maskMessage } from "./content.js";
import { maskTool, type MetadataOptions } from "./metadata.js";
import type { StringOps } from "./ops.js";

/*
 * Requests a server sends to the client: sampling asks the client's model to read the messages,
 * elicitation shows a form to the user. Both carry the server's data.
 */

export type ParamsMasker = (params: JsonRecord, ops: StringOps, options: MetadataOptions) => JsonRecord;

const maskSamplingParams: ParamsMasker = (params, ops, options) =>
  editFields(params, ["messages", "systemPrompt", "tools", "metadata"], (value, field) => {
    switch (field) {
      case "messages":
        return onArray(value, (message) => maskMessage(message, ops));
      case "tools": // definitions the client's model reads; nothing validates output against them here
        return onArray(value, (tool) => maskTool(tool, ops, { ...options, relaxOutputSchemas: false }));
      case "metadata": // passed through to the model provider
        return ops.json(value);
      default:
        return ops.field(value);
    }
  });

const hasChoices = (schema: JsonRecord): boolean => "enum" in schema || "oneOf" in schema || "items" in schema;

/** Formats a masked default no longer meets; the client would reject its own prefilled answer. */
const FORMATS_A_MASK_BREAKS: ReadonlySet<unknown> = new Set(["email", "uri"]);

/**
 * One field of an elicitation form: the words shown are masked, the values chosen are not. A
 * masked default also drops an email/uri format, so that accepting it (a token, restored on the
 * way back) is not refused by the client's own validation.
 */
function maskFormField(value: unknown, ops: StringOps): unknown {
  return onRecord(value, (schema) => {
    const masked = maskFormFieldWords(schema, ops);
    if (masked.default === schema.default || !FORMATS_A_MASK_BREAKS.has(masked.format)) return masked;
    const { format: _dropped, ...rest } = masked;
    return rest;
  });
}

function maskFormFieldWords(schema: JsonRecord, ops: StringOps): JsonRecord {
  return editFields(schema, ["title", "description", "default", "enumNames", "oneOf", "items"], (field, name) => {
    switch (name) {
      case "default": // a free-text default is data; an enum default must stay one of the choices
        return typeof field === "string" && !hasChoices(schema) ? ops.text(field) : field;
      case "enumNames":
        return onArray(field, ops.field);
      case "oneOf":
        return onArray(field, (option) => onRecord(option, (o) => editFields(o, ["title"], ops.field)));
      case "items":
        return onRecord(field, (items) =>
          editFields(items, ["anyOf"], (anyOf) =>
            onArray(anyOf, (option) => onRecord(option, (o) => editFields(o, ["title"], ops.field))),
          ),
        );
      default:
        return ops.field(field);
    }
  });
}

const maskElicitationParams: ParamsMasker = (params, ops) =>
  // URL mode: the url is left alone, it is where the user's browser goes, not text for a model.
  editFields(params, ["message", "requestedSchema"], (value, field) =>
    field === "message"
      ? ops.field(value)
      : onRecord(value, (schema) =>
          editFields(schema, ["properties"], (properties) =>
            onRecordValues(properties, (property) => maskFormField(property, ops)),
          ),
        ),
  );

const keep: ParamsMasker = (params) => params;

/** Server-to-client requests by method; anything else is masked as unknown JSON (fail closed). */
export const SERVER_REQUEST_MASKERS: ReadonlyMap<string, ParamsMasker> = new Map([
  ["sampling/createMessage", maskSamplingParams],
  ["elicitation/create", maskElicitationParams],
  ["roots/list", keep],
  ["ping", keep],
]);

/** The params of a server request of any method (also embedded ones, 2026-07-28 inputRequests). */
export function maskServerRequestParams(
  method: unknown,
  params: JsonRecord,
  ops: StringOps,
  options: MetadataOptions,
): JsonRecord {
  const masker = typeof method === "string" ? SERVER_REQUEST_MASKERS.get(method) : undefined;
  if (masker) return masker(params, ops, options);
  const masked = ops.unknownShape(params);
  return isRecord(masked) ? masked : params;
}

/**
 * 2026-07-28 `input_required` results: `inputRequests` maps keys to embedded requests
 * (`{ method, params }`), masked as the requests they are. `requestState` is opaque to us and
 * possibly signed by the server: never touched.
 */
export function maskInputRequests(value: unknown, ops: StringOps, options: MetadataOptions): unknown {
  if (!isRecord(value)) return ops.unknownShape(value);
  return onRecordValues(value, (request) =>
    isRecord(request)
      ? editFields(request, ["params"], (params) =>
          isRecord(params) ? maskServerRequestParams(request.method, params, ops, options) : ops.unknownShape(params),
        )
      : ops.unknownShape(request),
  );
}
