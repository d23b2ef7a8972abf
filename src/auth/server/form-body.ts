import type { IncomingMessage } from "node:http";

export class FormBodyError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 413 | 415,
  ) {
    super(message);
    this.name = "FormBodyError";
  }
}

/**
 * Reads an `application/x-www-form-urlencoded` body of at most `maxBytes`. A field sent twice is
 * refused (which value would count is exactly what parameter-pollution attacks play on).
 */
export async function readFormBody(req: IncomingMessage, maxBytes = 16 * 1024): Promise<Record<string, string>> {
  const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded") throw new FormBodyError("Expected a form submission", 415);
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes) throw new FormBodyError("Form too large", 413);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxBytes) {
      req.resume();
      throw new FormBodyError("Form too large", 413);
    }
    chunks.push(buffer);
  }
  const fields: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [name, value] of new URLSearchParams(Buffer.concat(chunks).toString("utf8"))) {
    if (name in fields) throw new FormBodyError(`Field "${name.slice(0, 32)}" sent twice`, 400);
    fields[name] = value;
  }
  return fields;
}
