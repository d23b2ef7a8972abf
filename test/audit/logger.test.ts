import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createLogger, isPiiMasked, requestLogger, type LoggerOptions } from "../../src/audit/logger.js";
import { createPiiEngine } from "../../src/pii/index.js";

const ALICE = "alice@example.com";
const BOB = "bob@example.org";

type Line = Record<string, unknown>;

/** A logger writing into memory; every line must be one valid JSON object. */
function capture(options: Omit<LoggerOptions, "destination">) {
  const raw: string[] = [];
  const logger = createLogger({ engine: createPiiEngine({ entities: ["EMAIL_ADDRESS"] }), ...options, destination: { write: (s: string) => void raw.push(s) } });
  const lines = (): Line[] => raw.map((s) => JSON.parse(s) as Line);
  const text = (): string => raw.join("");
  return { logger, lines, text };
}

describe("createLogger with maskPii on", () => {
  test("messages, fields, nested objects and keys are masked", () => {
    const { logger, lines, text } = capture({ maskPii: true });
    const fields = { user: { email: ALICE, friends: [BOB, "n/a"], [BOB]: 1 }, count: 2 };
    const before = structuredClone(fields);
    logger.info(fields, `login by ${ALICE}`);
    assert.deepEqual(fields, before, "the logged object is not modified");
    const [line] = lines();
    assert.equal(line!.msg, "login by <EMAIL_ADDRESS>");
    assert.deepEqual(line!.user, { email: "<EMAIL_ADDRESS>", friends: ["<EMAIL_ADDRESS>", "n/a"], "<EMAIL_ADDRESS>": 1 });
    assert.equal(line!.count, 2);
    assert.equal(line!.level, 30);
    assert.ok(!text().includes("@example"));
  });

  test("interpolation is masked after formatting (an address split across arguments)", () => {
    const { logger, lines } = capture({ maskPii: true });
    logger.info("mail %s@%s sent, meta %j", "alice", "example.com", { to: BOB });
    assert.equal(lines()[0]!.msg, 'mail <EMAIL_ADDRESS> sent, meta {"to":"<EMAIL_ADDRESS>"}');
  });

  test("errors: message, stack, causes and own fields are masked; the type is kept", () => {
    const { logger, lines, text } = capture({ maskPii: true });
    const error = new TypeError(`no mailbox for ${ALICE}`, { cause: new Error(`upstream said ${BOB}`) });
    Object.assign(error, { code: "E_MAILBOX", owner: ALICE });
    logger.error(error);
    logger.warn({ err: error, attempt: 2 }, "retrying");
    logger.info({ context: { failure: error } }, "nested");
    const [first, second, third] = lines();
    const err = first!.err as Record<string, unknown>;
    assert.equal(err.type, "TypeError");
    assert.equal(err.message, "no mailbox for <EMAIL_ADDRESS>: upstream said <EMAIL_ADDRESS>");
    assert.match(err.stack as string, /^TypeError: no mailbox for <EMAIL_ADDRESS>\n/);
    assert.match(err.stack as string, /caused by: Error: upstream said <EMAIL_ADDRESS>/);
    assert.equal(err.code, "E_MAILBOX");
    assert.equal(err.owner, "<EMAIL_ADDRESS>");
    assert.equal(first!.msg, "no mailbox for <EMAIL_ADDRESS>: upstream said <EMAIL_ADDRESS>");
    assert.equal(second!.msg, "retrying");
    assert.equal((second!.err as Record<string, unknown>).type, "TypeError");
    assert.equal(((third!.context as Record<string, unknown>).failure as Record<string, unknown>).type, "TypeError");
    assert.ok(!text().includes("@example"), text());
  });

  test("child bindings are masked", () => {
    const { logger, lines } = capture({ maskPii: true });
    logger.child({ user: ALICE }).child({ peer: BOB }).info("hi");
    const [line] = lines();
    assert.equal(line!.user, "<EMAIL_ADDRESS>");
    assert.equal(line!.peer, "<EMAIL_ADDRESS>");
  });

  test("logs use type tags even when the shared engine issues reversible tokens (no vault use)", () => {
    const { logger, lines } = capture({ maskPii: true, engine: createPiiEngine({ entities: ["EMAIL_ADDRESS"], defaultOperator: { type: "token" } }) });
    logger.info(ALICE);
    assert.equal(lines()[0]!.msg, "<EMAIL_ADDRESS>");
  });

  test("a hash operator keeps lines correlatable without the value; tokens are refused", () => {
    const { logger, lines } = capture({ maskPii: true, operator: { type: "hash" } });
    logger.info(ALICE);
    logger.info(ALICE);
    const [a, b] = lines();
    assert.match(a!.msg as string, /^<EMAIL_ADDRESS:[a-p]{12}>$/);
    assert.equal(a!.msg, b!.msg);
    assert.throws(() => createLogger({ maskPii: true, operator: { type: "token" } as never }), TypeError);
  });

  test("without an engine, one is made on first need", () => {
    const raw: string[] = [];
    const logger = createLogger({ maskPii: true, destination: { write: (s: string) => void raw.push(s) } });
    logger.info(`to ${ALICE}`);
    assert.equal((JSON.parse(raw[0]!) as Line).msg, "to <EMAIL_ADDRESS>");
  });

  test("the gateway's own addresses stay readable; every other address, and other PII, is still masked", () => {
    const raw: string[] = [];
    const logger = createLogger({ maskPii: true, ownAddresses: ["10.0.0.5", "127.0.0.1", "::1"], destination: { write: (s: string) => void raw.push(s) } });
    logger.info({ issuer: "http://10.0.0.5:8080/oauth", host: "10.0.0.5", client: "10.0.0.55", peer: "::1" }, "listening on 127.0.0.1");
    logger.info({ client: "10.0.0.6", also: "127.0.0.2", mail: ALICE }, "from 192.168.1.20");
    const [own, others] = raw.map((line) => JSON.parse(line) as Line);
    assert.deepEqual(
      { issuer: own!.issuer, host: own!.host, client: own!.client, peer: own!.peer, msg: own!.msg },
      { issuer: "http://10.0.0.5:8080/oauth", host: "10.0.0.5", client: "<IP_ADDRESS>", peer: "::1", msg: "listening on 127.0.0.1" },
    );
    assert.deepEqual(
      { client: others!.client, also: others!.also, mail: others!.mail, msg: others!.msg },
      { client: "<IP_ADDRESS>", also: "<IP_ADDRESS>", mail: "<EMAIL_ADDRESS>", msg: "from <IP_ADDRESS>" },
    );
  });
});

describe("createLogger with maskPii off", () => {
  test("PII is written as is, secrets are still cut", () => {
    const { logger, lines } = capture({ maskPii: false });
    logger.info({ user: ALICE, headers: { authorization: "Bearer abc.def.ghi" } }, `by ${BOB}`);
    const [line] = lines();
    assert.equal(line!.user, ALICE);
    assert.equal(line!.msg, `by ${BOB}`);
    assert.deepEqual(line!.headers, { authorization: "[REDACTED]" });
  });
});

describe("requestLogger: the per-request in-logs setting", () => {
  test("a request may turn masking on under a root that does not mask", () => {
    const { logger, lines } = capture({ maskPii: false });
    const request = requestLogger(logger, { maskPii: true, bindings: { requestId: "r1", caller: ALICE } });
    request.info(`hello ${ALICE}`);
    request.child({ step: BOB }).info({ to: BOB }, "sub-step");
    logger.info(`root ${ALICE}`);
    const [first, second, third] = lines();
    assert.deepEqual([first!.requestId, first!.caller, first!.msg], ["r1", "<EMAIL_ADDRESS>", "hello <EMAIL_ADDRESS>"]);
    assert.deepEqual([second!.step, second!.to, second!.caller], ["<EMAIL_ADDRESS>", "<EMAIL_ADDRESS>", "<EMAIL_ADDRESS>"]);
    assert.equal(third!.msg, `root ${ALICE}`, "the root keeps its own setting");
    assert.equal(isPiiMasked(request), true);
    assert.equal(isPiiMasked(logger), false);
  });

  test("an allowed opt-out turns masking off for that request only", () => {
    const { logger, lines } = capture({ maskPii: true });
    const request = requestLogger(logger, { maskPii: false, bindings: { caller: ALICE } });
    request.info(`hello ${ALICE}`);
    logger.info(`root ${ALICE}`);
    const [first, second] = lines();
    assert.deepEqual([first!.caller, first!.msg], [ALICE, `hello ${ALICE}`]);
    assert.equal(second!.msg, "root <EMAIL_ADDRESS>");
  });

  test("refuses loggers it did not make", () => {
    assert.throws(() => requestLogger({} as never, { maskPii: true }), TypeError);
  });
});

describe("secrets never reach a line", () => {
  test("headers, API keys, cookies and passwords are redacted at any depth, masking on or off", () => {
    for (const maskPii of [true, false]) {
      const { logger, text, lines } = capture({ maskPii });
      logger.info(
        {
          req: { headers: { authorization: "Bearer sk-live-123456789", cookie: "sid=abcdef", "x-api-key": "key-123456789", host: "gw" } },
          res: { headers: { "set-cookie": ["sid=abcdef; HttpOnly"] } },
          upstream: { config: { headers: { Authorization: "Basic dXNlcjpwYXNzd29yZA==" }, env: { OPENAI_API_KEY: "sk-env-987654321" } } },
          deep: { a: { b: { c: { password: "hunter2-hunter2", clientSecret: "cs-123456789", apiKey: "ak-123456789" } } } },
          progressToken: "p-1",
          env: "production",
        },
        "request",
      );
      const out = text();
      for (const secret of ["sk-live-123456789", "sid=abcdef", "key-123456789", "dXNlcjpwYXNzd29yZA", "sk-env-987654321", "hunter2", "cs-123456789", "ak-123456789"]) {
        assert.ok(!out.includes(secret), `${secret} leaked (maskPii ${maskPii}): ${out}`);
      }
      const [line] = lines();
      assert.equal((line!.req as { headers: { host: string } }).headers.host, "gw", "other headers stay");
      assert.equal(line!.progressToken, "p-1", "protocol bookkeeping named like a secret stays");
      assert.equal(line!.env, "production", "only env maps are secret containers");
    }
  });

  test("credentials inside strings: messages, error messages, URLs", () => {
    const { logger, text } = capture({ maskPii: false });
    logger.warn("upstream rejected Authorization: Bearer eyJhbGciOi.eyJzdWIi.sig");
    logger.error(new Error("fetch failed for https://admin:s3cr3t-pw@upstream.internal/mcp with x-api-key=k-123456789"));
    logger.info("token is %s", "Bearer abcdefghijklmnop");
    const out = text();
    for (const secret of ["eyJhbGciOi", "s3cr3t-pw", "k-123456789", "abcdefghijklmnop"]) assert.ok(!out.includes(secret), `${secret}: ${out}`);
    assert.ok(out.includes("https://admin:[REDACTED]@upstream.internal/mcp"));
  });
});

describe("robustness", () => {
  test("circular and very deep values become markers; the line is still written", () => {
    const { logger, lines } = capture({ maskPii: true, maxDepth: 5 });
    const loop: Record<string, unknown> = { name: ALICE };
    loop.self = loop;
    let deep: unknown = ALICE;
    for (let i = 0; i < 10; i++) deep = { d: deep };
    logger.info({ loop, deep }, "odd values");
    const [line] = lines();
    assert.deepEqual(line!.loop, { name: "<EMAIL_ADDRESS>", self: "[Circular]" });
    assert.match(JSON.stringify(line!.deep), /\[Too deep\]/);
  });

  test("a value that cannot be made safe withholds the line instead of writing it raw", () => {
    const { logger, lines, text } = capture({ maskPii: true });
    const hostile = {
      toJSON() {
        throw new Error(`cannot serialize ${ALICE}`);
      },
    };
    logger.info({ hostile, user: ALICE }, "hostile");
    assert.equal(lines().length, 1);
    assert.match(lines()[0]!.msg as string, /withheld/);
    assert.ok(!text().includes("@example"));
  });

  test("binary buffers are summarized, not dumped", () => {
    const { logger, lines } = capture({ maskPii: true });
    logger.info({ body: Buffer.from(`to ${ALICE}`) }, "buffer");
    assert.equal(lines()[0]!.body, "[binary 20 bytes]");
  });
});
