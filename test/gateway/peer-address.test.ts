import assert from "node:assert/strict";
import { createServer, request, Agent, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, test } from "node:test";
import { createClientAddressOf } from "../../src/auth/client-address/index.js";
import { perConnection } from "../../src/gateway/http/peer-address.js";

/** Serves `requests` GETs over `agent`, answering each with the client address `addressOf` gives. */
async function addressesSeen(addressOf: (req: IncomingMessage) => string, agents: Agent[]): Promise<string[]> {
  const server = createServer((req, res) => res.end(addressOf(req)));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  try {
    const seen: string[] = [];
    for (const agent of agents) {
      const body = await new Promise<string>((resolve, reject) => {
        const req = request({ host: "127.0.0.1", port, path: "/", agent }, (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => (text += chunk));
          res.on("end", () => resolve(text));
        });
        req.on("error", reject);
        req.end();
      });
      seen.push(body);
    }
    return seen;
  } finally {
    for (const agent of agents) agent.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

describe("perConnection: the client address once per connection", () => {
  test("a keep-alive connection's address is worked out once; a new connection is asked again", async () => {
    const inner = createClientAddressOf([]);
    const sockets: unknown[] = [];
    const counted = (req: IncomingMessage) => {
      sockets.push(req.socket);
      return inner(req);
    };
    const keepAlive = new Agent({ keepAlive: true, maxSockets: 1 });
    const other = new Agent({ keepAlive: true, maxSockets: 1 });
    const seen = await addressesSeen(perConnection(counted), [keepAlive, keepAlive, keepAlive, other, other]);
    assert.deepEqual(seen, ["127.0.0.1", "127.0.0.1", "127.0.0.1", "127.0.0.1", "127.0.0.1"]);
    // Two connections, two computations: the cache is keyed by the socket, not shared between them.
    assert.equal(sockets.length, 2);
    assert.notEqual(sockets[0], sockets[1]);
  });

  test("gives the same answers as the uncached function", async () => {
    const inner = createClientAddressOf([]);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const cached = await addressesSeen(perConnection(inner), [agent, agent]);
    const plain = await addressesSeen(inner, [new Agent(), new Agent()]);
    assert.deepEqual(cached, plain);
  });

  test("a request without a known peer is not cached (\"unknown\" never sticks)", () => {
    let calls = 0;
    const addressOf = perConnection(() => {
      calls += 1;
      return "unknown";
    });
    const socket = { remoteAddress: undefined };
    const req = { socket } as unknown as IncomingMessage;
    assert.equal(addressOf(req), "unknown");
    assert.equal(addressOf(req), "unknown");
    assert.equal(calls, 2);
  });
});
