import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { SseEventTooLargeError, createSseDecoder, readSseEvents } from "../../../src/gateway/upstream/sse-parser.js";

interface Sent {
  type?: string;
  data: string;
  id?: string;
}

const fieldText = fc.string({ unit: "grapheme", maxLength: 20 }).map((s) => s.replace(/[\r\n\0]/g, ""));

function encode(events: Sent[], eol: string): string {
  return events
    .map((e) => {
      let block = "";
      if (e.type !== undefined) block += `event: ${e.type}${eol}`;
      if (e.id !== undefined) block += `id: ${e.id}${eol}`;
      for (const line of e.data.split("\n")) block += `data: ${line}${eol}`;
      return `${block}${eol}`;
    })
    .join(`: keep-alive${eol}`);
}

function splitAt(text: string, points: number[]): string[] {
  const at = [...new Set(points.map((p) => p % (text.length + 1)))].sort((a, b) => a - b);
  const parts: string[] = [];
  let from = 0;
  for (const p of at) {
    parts.push(text.slice(from, p));
    from = p;
  }
  parts.push(text.slice(from));
  return parts;
}

describe("SSE decoder", () => {
  test("decodes what was encoded, for any line ending and any chunking", () => {
    const sent = fc.record(
      {
        type: fieldText.filter((t) => t.length > 0 && !t.startsWith(" ")),
        data: fc.array(fieldText, { minLength: 1, maxLength: 3 }).map((lines) => lines.join("\n")),
        id: fieldText.filter((t) => !t.startsWith(" ")),
      },
      { requiredKeys: ["data"] },
    );
    fc.assert(
      fc.property(fc.array(sent, { maxLength: 8 }), fc.constantFrom("\n", "\r\n", "\r"), fc.array(fc.nat(), { maxLength: 8 }), (events, eol, points) => {
        const decoder = createSseDecoder(1 << 20);
        const got = splitAt(encode(events, eol), points).flatMap((chunk) => decoder.push(chunk));
        let lastId: string | undefined;
        const expected = events.map((e) => {
          if (e.id !== undefined) lastId = e.id;
          return { type: e.type ?? "message", data: e.data, lastEventId: lastId, empty: false };
        });
        assert.deepEqual(got, expected);
      }),
    );
  });

  test("follows the field rules: comments, no-colon fields, one leading space, retry digits, NUL ids, BOM", () => {
    const decoder = createSseDecoder(1000);
    const events = decoder.push("\uFEFF: comment\nretry: 1500\nid: a\0b\ndata\ndata:  two spaces\n\nid: 7\n\nretry: x1\nevent: endpoint\ndata: /messages?sessionId=1\n\n");
    assert.deepEqual(events, [
      { type: "message", data: "\n two spaces", lastEventId: undefined, empty: false },
      { type: "message", data: "", lastEventId: "7", empty: true },
      { type: "endpoint", data: "/messages?sessionId=1", lastEventId: "7", empty: false },
    ]);
    assert.equal(decoder.retryMs, 1500);
    assert.equal(decoder.lastEventId, "7");
  });

  test("an unterminated event is not dispatched", () => {
    assert.deepEqual(createSseDecoder(100).push("data: half"), []);
  });

  test("refuses an event larger than the limit, in data lines or in one endless line", () => {
    assert.throws(() => createSseDecoder(10).push("data: 0123456789abc\n"), SseEventTooLargeError);
    const decoder = createSseDecoder(10);
    decoder.push("data: 0123");
    assert.throws(() => decoder.push("456789abcdef"), SseEventTooLargeError);
  });

  test("readSseEvents decodes a byte stream split inside a multi-byte character", async () => {
    const bytes = Buffer.from("data: h\u00e9llo \u{1F600}\n\n", "utf8");
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 3) controller.enqueue(bytes.subarray(i, i + 3));
        controller.close();
      },
    });
    const events = [];
    for await (const event of readSseEvents(body, createSseDecoder(100))) events.push(event.data);
    assert.deepEqual(events, ["h\u00e9llo \u{1F600}"]);
  });
});
