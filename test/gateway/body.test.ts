import assert from "node:assert/strict";
import { createServer, request, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, test } from "node:test";
import { GatewayError } from "../../src/gateway/errors.js";
import { readBody } from "../../src/gateway/http/body.js";

/**
 * readBody on real requests: a body that arrived with its headers (taken at once), and one still
 * arriving when it is asked for (read as it comes), each within and over the limit.
 */
async function serveOnce(maxBytes: number, send: (write: (chunk: string) => void, end: () => void) => Promise<void>, afterTurns = 0): Promise<{ body?: string; code?: string; flowing?: boolean | null }> {
  let outcome: Promise<{ body?: string; code?: string; flowing?: boolean | null }> | undefined;
  const server = createServer((req: IncomingMessage, res) => {
    outcome = (async () => {
      // As in the pipeline: the body is asked for after some asynchronous steps.
      for (let i = 0; i < afterTurns; i++) await new Promise((resolve) => setImmediate(resolve));
      try {
        const body = await readBody(req, maxBytes);
        // Which way it was read: taken at once leaves the stream paused (null), read as it came sets it flowing.
        return { body: body.toString("utf8"), flowing: req.readableFlowing };
      } catch (error) {
        assert.ok(error instanceof GatewayError);
        return { code: error.code };
      } finally {
        res.end();
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  try {
    await new Promise<void>((resolve, reject) => {
      const req = request({ host: "127.0.0.1", port, method: "POST", path: "/", headers: { "content-type": "application/json" } }, (res) => {
        res.resume();
        res.on("end", resolve);
      });
      req.on("error", (error: NodeJS.ErrnoException) => (error.code === "ECONNRESET" ? resolve() : reject(error)));
      void send((chunk) => req.write(chunk), () => req.end());
    });
    assert.ok(outcome !== undefined);
    return await outcome;
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("readBody", () => {
  test("a body that came with its headers is read whole", async () => {
    const sent = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "echo", arguments: { text: "héllo" } } });
    const got = await serveOnce(1024, async (write, end) => {
      write(sent);
      end();
    }, 3);
    assert.deepEqual(got, { body: sent, flowing: null });
  });

  test("a body still arriving is read as it comes, in order", async () => {
    const got = await serveOnce(1024, async (write, end) => {
      write('{"a":');
      await pause(30);
      write('"b"}');
      await pause(30);
      end();
    });
    assert.deepEqual(got, { body: '{"a":"b"}', flowing: true });
  });

  test("an empty body reads as empty", async () => {
    const got = await serveOnce(1024, async (_write, end) => end(), 3);
    assert.deepEqual(got, { body: "", flowing: null });
  });

  test("over the limit: refused whether it had all arrived or was still arriving", async () => {
    const whole = await serveOnce(16, async (write, end) => {
      write("x".repeat(64));
      end();
    }, 3);
    assert.deepEqual(whole, { code: "BODY_TOO_LARGE" });
    const arriving = await serveOnce(16, async (write, end) => {
      write("x".repeat(10));
      await pause(30);
      write("x".repeat(10));
      await pause(30);
      end();
    });
    assert.deepEqual(arriving, { code: "BODY_TOO_LARGE" });
  });
});
