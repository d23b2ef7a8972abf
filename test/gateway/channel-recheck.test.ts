/**
 * A long-lived reply (a 2026-07-28 listen stream) re-checks its credential before each message
 * and before its result, in order: nothing overtakes a message still being checked, and once the
 * credential fails nothing more is written. Real HTTP on 127.0.0.1; the check is a function.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { PostExchange, type StillAllowed } from "../../src/gateway/relay/channel.js";
import type { JsonRpcNotification } from "../../src/gateway/jsonrpc.js";

const note = (n: number): JsonRpcNotification => ({ jsonrpc: "2.0", method: "notifications/message", params: { level: "info", data: `n${n}` } });

/** Serves one request with `script`, returns the body the client read. */
async function exchangeBody(script: (exchange: PostExchange) => void, stillAllowed: StillAllowed): Promise<string> {
  const server: Server = createServer((_req, res) => script(new PostExchange(res, {}, (message) => JSON.stringify(message), stillAllowed)));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const { port } = server.address() as AddressInfo;
    return await new Promise<string>((resolve, reject) => {
      const req = request({ host: "127.0.0.1", port, method: "POST", path: "/", timeout: 5000 }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolve(body));
        res.on("error", reject);
      });
      req.on("timeout", () => req.destroy(new Error("timed out")));
      req.on("error", reject);
      req.end();
    });
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

/** A check that answers later than the code that asked (as a store read or a key fetch does). */
const slowly = (answer: () => boolean): StillAllowed => () => new Promise((resolve) => setTimeout(() => resolve(answer()), 5));

describe("a reply that re-checks its credential", () => {
  test("messages and the result keep their order while each waits for its check", async () => {
    const body = await exchangeBody((exchange) => {
      exchange.deliver(note(1));
      exchange.deliver(note(2));
      exchange.finish({ jsonrpc: "2.0", id: 7, result: {} }, "subscriptions/listen");
      exchange.deliver(note(3)); // after the result: never sent
    }, slowly(() => true));
    const order = [...body.matchAll(/"data":"(n\d)"|"id":7/g)].map((m) => m[1] ?? "result");
    assert.deepEqual(order, ["n1", "n2", "result"]);
  });

  test("once the credential fails, neither later messages nor the result are written", async () => {
    let checks = 0;
    const body = await exchangeBody((exchange) => {
      exchange.deliver(note(1));
      exchange.deliver(note(2));
      exchange.finish({ jsonrpc: "2.0", id: 7, result: { secret: "after revocation" } }, "subscriptions/listen");
    }, slowly(() => ++checks === 1)); // good for the first message only
    assert.match(body, /n1/);
    assert.doesNotMatch(body, /n2/);
    assert.doesNotMatch(body, /after revocation/);
  });

  test("refused before anything was written: a 401 error, no data", async () => {
    const body = await exchangeBody((exchange) => {
      exchange.deliver(note(1));
      exchange.finish({ jsonrpc: "2.0", id: 7, result: { secret: "x" } }, "subscriptions/listen");
    }, slowly(() => false));
    assert.match(body, /no longer valid/);
    assert.doesNotMatch(body, /n1|secret/);
  });
});
