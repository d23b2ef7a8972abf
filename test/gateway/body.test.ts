import assert from "node:assert/strict";
import { createServer, request, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, test } from "node:test";
import { GatewayError } from "../../src/gateway/errors.js";
import { readBody, takeBody } from "../../src/gateway/http/body.js";

/**
 * readBody and takeBody on real requests: a body that arrived with its headers (taken at once),
 * and one still arriving when it is asked for (read as it comes), each within and over the limit.
 */
type Outcome = Record<string, unknown>;

/** One request to a server whose handler runs `read` (catching a GatewayError as its code); what `read` returned. */
async function exchange(read: (req: IncomingMessage) => Promise<Outcome>, send: (write: (chunk: string) => void, end: () => void) => Promise<void>): Promise<Outcome> {
  let outcome: Promise<Outcome> | undefined;
  const server = createServer((req: IncomingMessage, res) => {
    outcome = (async () => {
      try {
        return await read(req);
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

const turns = async (count: number) => {
  for (let i = 0; i < count; i++) await new Promise((resolve) => setImmediate(resolve));
};

/** readBody after `afterTurns` turns (as in the pipeline: the body is asked for after some asynchronous steps). */
const serveOnce = (maxBytes: number, send: (write: (chunk: string) => void, end: () => void) => Promise<void>, afterTurns = 0) =>
  exchange(async (req) => {
    await turns(afterTurns);
    const body = await readBody(req, maxBytes);
    // Which way it was read: taken at once leaves the stream paused (null), read as it came sets it flowing.
    return { body: body.toString("utf8"), flowing: req.readableFlowing };
  }, send);

/** takeBody first (after a turn, as the pipeline asks), then readBody when it took nothing. */
const takeOrRead = (maxBytes: number, send: (write: (chunk: string) => void, end: () => void) => Promise<void>) =>
  exchange(async (req) => {
    await turns(1);
    const taken = takeBody(req, maxBytes);
    if (taken !== undefined) return { taken: taken.toString("utf8") };
    return { later: (await readBody(req, maxBytes)).toString("utf8") };
  }, send);

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

const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "echo", arguments: { text: "hello" } } });

describe("takeBody", () => {
  test("a body sent with its headers is taken at once, whole", async () => {
    const outcome = await takeOrRead(1024, async (write, end) => {
      write(body);
      end();
    });
    assert.deepEqual(outcome, { taken: body });
  });

  test("a body over the limit that already arrived is refused at once (413's code), not taken", async () => {
    const outcome = await takeOrRead(body.length - 1, async (write, end) => {
      write(body);
      end();
    });
    assert.deepEqual(outcome, { code: "BODY_TOO_LARGE" });
  });

  test("a body still arriving is not taken: readBody reads the rest", async () => {
    const outcome = await takeOrRead(1024, async (write, end) => {
      write(body.slice(0, 10));
      await new Promise((resolve) => setTimeout(resolve, 100));
      write(body.slice(10));
      end();
    });
    assert.deepEqual(outcome, { later: body });
  });
});
