/**
 * takeBody on real requests: a body that came with its headers is taken at once (no promise), one
 * over the limit is refused at once, and one still arriving is left to readBody (undefined).
 */
import assert from "node:assert/strict";
import { createServer, request, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, test } from "node:test";
import { GatewayError } from "../../src/gateway/errors.js";
import { readBody, takeBody } from "../../src/gateway/http/body.js";

type Outcome = { taken?: string; code?: string; later?: string };

/** One request to a server whose handler asks takeBody first (after a turn, as the pipeline does), then readBody. */
async function exchange(maxBytes: number, send: (write: (chunk: string) => void, end: () => void) => Promise<void>): Promise<Outcome> {
  let outcome: Promise<Outcome> | undefined;
  const server = createServer((req: IncomingMessage, res) => {
    outcome = (async () => {
      await new Promise((resolve) => setImmediate(resolve));
      try {
        const taken = takeBody(req, maxBytes);
        if (taken !== undefined) return { taken: taken.toString("utf8") };
        return { later: (await readBody(req, maxBytes)).toString("utf8") };
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
    return await outcome!;
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "echo", arguments: { text: "hello" } } });

describe("takeBody", () => {
  test("a body sent with its headers is taken at once, whole", async () => {
    const outcome = await exchange(1024, async (write, end) => {
      write(body);
      end();
    });
    assert.deepEqual(outcome, { taken: body });
  });

  test("a body over the limit that already arrived is refused at once (413's code), not taken", async () => {
    const outcome = await exchange(body.length - 1, async (write, end) => {
      write(body);
      end();
    });
    assert.deepEqual(outcome, { code: "BODY_TOO_LARGE" });
  });

  test("a body still arriving is not taken: readBody reads the rest", async () => {
    const outcome = await exchange(1024, async (write, end) => {
      write(body.slice(0, 10));
      await new Promise((resolve) => setTimeout(resolve, 100));
      write(body.slice(10));
      end();
    });
    assert.deepEqual(outcome, { later: body });
  });
});
