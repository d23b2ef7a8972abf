/** Raised when an upstream's HTTP body is larger than the gateway accepts. */
export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`the upstream's response exceeded ${limit} bytes`);
    this.name = "BodyTooLargeError";
  }
}

/** Reads a body as UTF-8 text, refusing to hold more than `maxBytes` of it. */
export async function readBodyText(response: Response, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => {});
    throw new BodyTooLargeError(maxBytes);
  }
  if (!response.body) return "";
  const reader = response.body.getReader();
  const decoder = new TextDecoder("utf-8");
  let text = "";
  let bytes = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new BodyTooLargeError(maxBytes);
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}

/**
 * Discards a body we do not need. Reading a small body to its end lets the connection go back to
 * the keep-alive pool; a large one is cut off instead.
 */
export async function discardBody(response: Response): Promise<void> {
  await readBodyText(response, 64 * 1024).catch(() => {});
}

/** The media type of a Content-Type value, lower-cased, without parameters. */
export function mediaType(contentType: string | null): string {
  return (contentType ?? "").split(";", 1)[0]!.trim().toLowerCase();
}
