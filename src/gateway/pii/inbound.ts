import { editFields, onArray, onRecord, onRecordValues, type JsonRecord } from "./cow.js";
import type { StringOps } from "./ops.js";

/*
 * Where a reversible token the model was given may come back, and be turned into the original
 * before the message reaches the server: the model never sees the value, the tool gets it.
 * Only the fields listed here are restored; a token anywhere else stays as it is, as does any
 * token this scope never issued (the engine's restore only knows the scope's own tokens).
 */

type RecordRestorer = (record: JsonRecord, ops: StringOps) => JsonRecord;

/** 2026-07-28 retries carry the client's answers to embedded requests (sampling, elicitation). */
const restoreInputResponses = (value: unknown, ops: StringOps): unknown =>
  onRecordValues(value, (response) => onRecord(response, (r) => editFields(r, ["content"], ops.json)));

const uri: RecordRestorer = (params, ops) => editFields(params, ["uri"], ops.field);

/** Client requests, by method: restores within `params`. */
export const REQUEST_RESTORERS: ReadonlyMap<string, RecordRestorer> = new Map<string, RecordRestorer>([
  [
    "tools/call",
    (params, ops) =>
      editFields(params, ["arguments", "inputResponses"], (value, field) =>
        field === "arguments" ? ops.json(value) : restoreInputResponses(value, ops),
      ),
  ],
  [
    "prompts/get",
    (params, ops) =>
      editFields(params, ["arguments", "inputResponses"], (value, field) =>
        field === "arguments" ? ops.json(value) : restoreInputResponses(value, ops),
      ),
  ],
  [
    "resources/read",
    (params, ops) =>
      editFields(params, ["uri", "inputResponses"], (value, field) =>
        field === "uri" ? ops.field(value) : restoreInputResponses(value, ops),
      ),
  ],
  ["resources/subscribe", uri],
  ["resources/unsubscribe", uri],
  [
    "completion/complete",
    (params, ops) =>
      editFields(params, ["argument", "context"], (value, field) =>
        field === "argument"
          ? onRecord(value, (a) => editFields(a, ["value"], ops.field))
          : onRecord(value, (c) => editFields(c, ["arguments"], ops.json)),
      ),
  ],
  [
    "subscriptions/listen",
    (params, ops) =>
      editFields(params, ["notifications"], (filter) =>
        onRecord(filter, (f) => editFields(f, ["resourceSubscriptions"], (uris) => onArray(uris, ops.field))),
      ),
  ],
]);

/** The client's results to server requests, by the method of the server's request. */
export const RESPONSE_RESTORERS: ReadonlyMap<string, RecordRestorer> = new Map<string, RecordRestorer>([
  // The model's reply may quote tokens it was shown; a tool_use block's input may hold them.
  ["sampling/createMessage", (result, ops) => editFields(result, ["content"], ops.json)],
  // What the user typed into a form (tokens pasted back from the conversation).
  ["elicitation/create", (result, ops) => editFields(result, ["content"], ops.json)],
]);
