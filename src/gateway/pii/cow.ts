/**
 * Copy-on-write helpers for JSON values parsed from the wire. Every function returns its input
 * itself when nothing changed, so a message with nothing to mask costs a walk and no allocation,
 * and untouched subtrees are shared between the original and the masked message.
 */

export type JsonRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Sets an own property even when its name is `__proto__`, which plain assignment would not. */
export function setOwn(target: JsonRecord, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/** A shallow copy that keeps a `__proto__` own property as data (object spread does too). */
function shallowCopy(source: JsonRecord): JsonRecord {
  return { ...source };
}

/**
 * Applies `edit` to each of `fields` present in `record`; copies the record once, on the first
 * field that changes. Fields absent from the record are not created.
 */
export function editFields(
  record: JsonRecord,
  fields: readonly string[],
  edit: (value: unknown, field: string) => unknown,
): JsonRecord {
  let out: JsonRecord | undefined;
  for (const field of fields) {
    if (!Object.prototype.hasOwnProperty.call(record, field)) continue;
    const before = record[field];
    const after = edit(before, field);
    if (after === before) continue;
    out ??= shallowCopy(record);
    setOwn(out, field, after);
  }
  return out ?? record;
}

/** Applies `edit` to every own field except `skip`; copies once, on the first change. */
export function editAllFieldsExcept(
  record: JsonRecord,
  skip: ReadonlySet<string>,
  edit: (value: unknown, field: string) => unknown,
): JsonRecord {
  let out: JsonRecord | undefined;
  for (const field of Object.keys(record)) {
    if (skip.has(field)) continue;
    const before = record[field];
    const after = edit(before, field);
    if (after === before) continue;
    out ??= shallowCopy(record);
    setOwn(out, field, after);
  }
  return out ?? record;
}

/** Maps an array, copying it only when an element changes. */
export function mapArray(items: readonly unknown[], edit: (item: unknown) => unknown): unknown[] {
  let out: unknown[] | undefined;
  for (let i = 0; i < items.length; i++) {
    const before = items[i];
    const after = edit(before);
    if (after === before) continue;
    out ??= items.slice();
    out[i] = after;
  }
  return out ?? (items as unknown[]);
}

/** `edit` on a record, anything else unchanged: the masker never invents structure. */
export function onRecord(value: unknown, edit: (record: JsonRecord) => JsonRecord): unknown {
  return isRecord(value) ? edit(value) : value;
}

/** `edit` on every element of an array, anything else unchanged. */
export function onArray(value: unknown, edit: (item: unknown) => unknown): unknown {
  return Array.isArray(value) ? mapArray(value, edit) : value;
}

/** A map of records (`{ key: record }`), copied only when a value changes. */
export function onRecordValues(value: unknown, edit: (item: unknown) => unknown): unknown {
  return isRecord(value) ? editAllFieldsExcept(value, NO_FIELDS, (item) => edit(item)) : value;
}

const NO_FIELDS: ReadonlySet<string> = new Set();
