/**
 * The stdio link's send on a real child (a line echo): a lone message is written at once and the
 * others of a turn are batched, and whatever the mix, the child reads every message once, in the
 * order sent. The usual send returns the shared SENT (the supervisor attaches no handler to it);
 * a message that cannot be written rejects and never throws.
 */
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import fc from "fast-check";
import pino from "pino";
import type { JsonRpcMessage } from "../../src/gateway/jsonrpc.js";
import { SENT, type Link } from "../../src/gateway/upstream/link.js";
import { stdioLinkOpener } from "../../src/gateway/upstream/stdio.js";

/** Echoes every line of stdin to stdout. */
const ECHO = `const rl = require("node:readline").createInterface({ input: process.stdin }); rl.on("line", (line) => process.stdout.write(line + "\\n")); rl.on("close", () => process.exit(0));`;

const links: Link[] = [];
after(async () => {
  await Promise.all(links.map((link) => link.close()));
});

async function openEcho(): Promise<{ link: Link; received: JsonRpcMessage[]; downs: string[] }> {
  const received: JsonRpcMessage[] = [];
  const downs: string[] = [];
  const open = stdioLinkOpener({
    command: process.execPath,
    args: ["-e", ECHO],
    env: {},
    inheritedPath: process.env["PATH"],
    maxMessageBytes: 1 << 20,
    killGraceMs: 2_000,
    logger: pino({ level: "silent" }),
  });
  const link = await open({ onMessage: (message) => received.push(message), onDown: (down) => downs.push(down.reason) });
  links.push(link);
  return { link, received, downs };
}

/** Waits (bounded) until `count` messages came back. */
async function until(received: readonly unknown[], count: number, limitMs = 10_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (received.length < count) {
    if (Date.now() > deadline) throw new Error(`only ${received.length} of ${count} messages came back`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const note = (seq: number): JsonRpcMessage => ({ jsonrpc: "2.0", method: "notifications/message", params: { seq } });
const seqOf = (message: JsonRpcMessage): unknown => ("params" in message ? message.params?.["seq"] : undefined);

describe("stdio link: send", () => {
  test("property: lone and batched messages, in one turn or across turns, reach the child once each, in order", async () => {
    const { link, received, downs } = await openEcho();
    let next = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ alone: fc.boolean(), newTurn: fc.boolean() }), { minLength: 1, maxLength: 16 }), async (plan) => {
        const start = received.length;
        const first = next;
        for (const step of plan) {
          if (step.newTurn) await new Promise((resolve) => setImmediate(resolve));
          assert.equal(link.send(note(next++), step.alone), SENT);
        }
        await until(received, start + plan.length);
        assert.deepEqual(
          received.slice(start).map(seqOf),
          plan.map((_, i) => first + i),
        );
      }),
      { numRuns: 25 },
    );
    assert.deepEqual(downs, []);
  });

  test("a message that cannot be serialized rejects (it does not throw), and the link carries on", async () => {
    const { link, received } = await openEcho();
    let sending: Promise<void> | undefined;
    assert.doesNotThrow(() => {
      sending = link.send({ jsonrpc: "2.0", method: "x", params: { n: 1n } } as unknown as JsonRpcMessage, true);
    });
    await assert.rejects(sending!, TypeError);
    assert.equal(link.send(note(1), true), SENT);
    await until(received, 1);
    assert.equal(seqOf(received[0]!), 1);
  });

  test("after close, send rejects and nothing is written", async () => {
    const { link } = await openEcho();
    await link.close();
    await assert.rejects(link.send(note(2), true), /not running/);
    await assert.rejects(link.send(note(3), false), /not running/);
  });
});
