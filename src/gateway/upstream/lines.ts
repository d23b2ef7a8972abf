/** Raised when one line grows past the limit: the peer is broken or hostile, not slow. */
export class LineTooLongError extends Error {
  constructor(readonly limit: number) {
    super(`a message exceeded ${limit} bytes`);
    this.name = "LineTooLongError";
  }
}

export interface LineDecoder {
  /** Takes the next chunk; returns the complete lines it finished (without "\n" or "\r\n"). */
  push(chunk: Buffer): string[];
  /** Bytes held for a line not yet finished. */
  readonly buffered: number;
}

/**
 * Splits a byte stream into UTF-8 lines (stdio MCP: one JSON-RPC message per line). Splitting on
 * the byte 0x0A before decoding is safe because UTF-8 never uses it inside a multi-byte character;
 * chunks are joined only once a line is complete, so a large message costs one copy.
 */
export function createLineDecoder(maxLineBytes: number): LineDecoder {
  let parts: Buffer[] = [];
  let held = 0;

  /** The line that ends at `chunk[end]` (a "\n"), joined with what was held for it. */
  function finish(chunk: Buffer, start: number, end: number): string {
    if (parts.length === 0) {
      // The usual case, a line within one chunk: decoded straight from it, no slice or copy.
      const stop = end > start && chunk[end - 1] === 0x0d ? end - 1 : end;
      return chunk.toString("utf8", start, stop);
    }
    const tail = chunk.subarray(start, end);
    const bytes = Buffer.concat([...parts, tail], held + tail.length);
    parts = [];
    held = 0;
    const stop = bytes.length > 0 && bytes[bytes.length - 1] === 0x0d ? bytes.length - 1 : bytes.length;
    return bytes.toString("utf8", 0, stop);
  }

  return {
    push(chunk) {
      const lines: string[] = [];
      let start = 0;
      for (let nl = chunk.indexOf(0x0a); nl !== -1; nl = chunk.indexOf(0x0a, start)) {
        if (held + nl - start > maxLineBytes) throw new LineTooLongError(maxLineBytes);
        lines.push(finish(chunk, start, nl));
        start = nl + 1;
      }
      if (start < chunk.length) {
        const rest = chunk.subarray(start);
        held += rest.length;
        if (held > maxLineBytes) throw new LineTooLongError(maxLineBytes);
        parts.push(rest);
      }
      return lines;
    },
    get buffered() {
      return held;
    },
  };
}
