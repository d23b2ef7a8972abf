import { editAllFieldsExcept, editFields, isRecord, onArray, onRecord, type JsonRecord } from "./cow.js";
import { maskMessage, maskResourceContents, maskToolResultFields } from "./content.js";
import { maskPrompt, maskResource, maskResourceTemplate, maskTool, type MetadataOptions } from "./metadata.js";
import type { StringOps } from "./ops.js";
import { maskInputRequests } from "./server-requests.js";

export interface OutboundSettings extends MetadataOptions {
  /** Mask list metadata (tools/prompts/resources lists). */
  lists: boolean;
}

type RecordMasker = (record: JsonRecord, ops: StringOps, settings: OutboundSettings) => JsonRecord;

const keep: RecordMasker = (record) => record;

const statusMessage: RecordMasker = (record, ops) => editFields(record, ["statusMessage"], ops.field);

type ItemMasker = (item: unknown, ops: StringOps, settings: OutboundSettings) => unknown;

function listOf(field: string, maskItem: ItemMasker): RecordMasker {
  return (result, ops, settings) =>
    settings.lists
      ? editFields(result, [field], (items) => onArray(items, (item) => maskItem(item, ops, settings)))
      : result;
}

/** Results by the method of the request they answer. */
export const RESULT_MASKERS: ReadonlyMap<string, RecordMasker> = new Map<string, RecordMasker>([
  ["tools/call", (result, ops) => maskToolResultFields(result, ops)],
  [
    "prompts/get",
    (result, ops) =>
      editFields(result, ["description", "messages"], (value, field) =>
        field === "messages" ? onArray(value, (message) => maskMessage(message, ops)) : ops.field(value),
      ),
  ],
  [
    "resources/read",
    (result, ops) => editFields(result, ["contents"], (value) => onArray(value, (c) => maskResourceContents(c, ops))),
  ],
  [
    "completion/complete",
    // Completions may be the values themselves (addresses); in token mode the chosen token is
    // restored when it comes back as a prompt argument.
    (result, ops) =>
      editFields(result, ["completion"], (completion) =>
        onRecord(completion, (c) => editFields(c, ["values"], (values) => onArray(values, ops.field))),
      ),
  ],
  // Server instructions become part of the model's context.
  ["initialize", (result, ops) => editFields(result, ["instructions"], ops.field)],
  ["server/discover", (result, ops) => editFields(result, ["instructions"], ops.field)],
  ["tools/list", listOf("tools", maskTool)],
  ["prompts/list", listOf("prompts", (item, ops) => maskPrompt(item, ops))],
  ["resources/list", listOf("resources", (item, ops) => maskResource(item, ops))],
  ["resources/templates/list", listOf("resourceTemplates", (item, ops) => maskResourceTemplate(item, ops))],
  ["tasks/get", statusMessage],
  ["tasks/cancel", statusMessage],
  [
    "tasks/list",
    (result, ops, s) =>
      editFields(result, ["tasks"], (tasks) => onArray(tasks, (task) => onRecord(task, (t) => statusMessage(t, ops, s)))),
  ],
  // Results that carry no text for the model.
  ["ping", keep],
  ["logging/setLevel", keep],
  ["resources/subscribe", keep],
  ["resources/unsubscribe", keep],
  ["subscriptions/listen", keep],
]);

const LOG_KEEPS: ReadonlySet<string> = new Set(["level", "_meta"]);
const PROGRESS_KEEPS: ReadonlySet<string> = new Set(["progressToken", "progress", "total", "_meta"]);

/** Notifications the server sends, by method. */
export const NOTIFICATION_MASKERS: ReadonlyMap<string, RecordMasker> = new Map<string, RecordMasker>([
  // The logger's name and any field the spec does not define are masked too (fail closed).
  ["notifications/message", (params, ops) => editAllFieldsExcept(params, LOG_KEEPS, (value, field) => (field === "data" ? ops.json(value) : ops.unknownShape(value)))],
  ["notifications/progress", (params, ops) => editAllFieldsExcept(params, PROGRESS_KEEPS, (value, field) => (field === "message" ? ops.field(value) : ops.unknownShape(value)))],
  ["notifications/cancelled", (params, ops) => editFields(params, ["reason"], ops.field)],
  // URIs are masked wherever the model may see them, so the one in an update matches the
  // (tokenized) URI the client subscribed with.
  ["notifications/resources/updated", (params, ops) => editFields(params, ["uri"], ops.named)],
  [
    "notifications/subscriptions/acknowledged",
    (params, ops) =>
      editFields(params, ["notifications"], (filter) =>
        onRecord(filter, (f) => editFields(f, ["resourceSubscriptions"], (uris) => onArray(uris, ops.field))),
      ),
  ],
  ["notifications/tasks/status", statusMessage],
  ["notifications/elicitation/complete", keep],
  ["notifications/resources/list_changed", keep],
  ["notifications/tools/list_changed", keep],
  ["notifications/prompts/list_changed", keep],
]);

/** Left alone in results of unknown methods (inputRequests are masked as the requests they are). */
const RESULT_PROTOCOL_FIELDS: ReadonlySet<string> = new Set([
  "_meta",
  "resultType",
  "requestState",
  "nextCursor",
  "inputRequests",
]);

/** A result of any method; unknown methods are masked as unknown JSON (fail closed). */
export function maskResult(
  method: string | undefined,
  result: JsonRecord,
  ops: StringOps,
  settings: OutboundSettings,
): JsonRecord {
  const masker = method === undefined ? undefined : RESULT_MASKERS.get(method);
  const out = masker
    ? masker(result, ops, settings)
    : editAllFieldsExcept(result, RESULT_PROTOCOL_FIELDS, ops.unknownShape);
  // 2026-07-28: tools/call, prompts/get and resources/read may answer `input_required`.
  return editFields(out, ["inputRequests"], (requests) => maskInputRequests(requests, ops, settings));
}

export function maskNotificationParams(
  method: string,
  params: JsonRecord,
  ops: StringOps,
  settings: OutboundSettings,
): JsonRecord {
  const masker = NOTIFICATION_MASKERS.get(method);
  if (masker) return masker(params, ops, settings);
  const masked = ops.unknownShape(params);
  return isRecord(masked) ? masked : params;
}

/** A JSON-RPC error's message and data can quote the data that failed ("no user bob@x.org"). */
export function maskErrorObject(error: JsonRecord, ops: StringOps): JsonRecord {
  return editFields(error, ["message", "data"], (value, field) =>
    field === "message" ? ops.field(value) : ops.json(value),
  );
}

