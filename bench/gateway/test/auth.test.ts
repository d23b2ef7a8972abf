import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import pino from "pino";
import { jwtIssuerSchema } from "../../../src/auth/jwt/config.js";
import { loadConfig } from "../../../src/config/index.js";
import { createGateway, type Gateway } from "../../../src/gateway/server.js";
import { createUpstreamFactory } from "../../../src/gateway/upstream/index.js";
import { runGroup, type GroupSpec, type Target } from "../client.js";
import { startBenchIssuer, type BenchIssuer } from "../jwt-issuer.js";
import { freePort } from "../systems.js";

/**
 * The benchmark's authenticated mode end to end, in one process: a gateway that requires a bearer
 * JWT from the benchmark's issuer (JWKS on 127.0.0.1), the bench upstream shared per principal,
 * and the load generator sending the token. Without the token, or with one for another audience,
 * every call is refused.
 */
const upstream = join(import.meta.dirname, "..", "upstream.ts");
const quiet = pino({ level: "silent" });

const spec = (target: Target): GroupSpec => ({ target, concurrency: 3, payloads: ["echo", "pii"], warmup: 2, requests: 20, callTimeoutMs: 10_000, burstDeadlineMs: 20_000 });

describe("bench: mcp-bastion with JWT authentication", { timeout: 90_000 }, () => {
  let issuer: BenchIssuer;
  let gateway: Gateway;
  let url: string;
  let resource: string;

  before(async () => {
    issuer = await startBenchIssuer();
    const port = await freePort();
    resource = `http://127.0.0.1:${port}/mcp`;
    const base = loadConfig({ env: {} });
    gateway = createGateway({
      config: {
        ...base,
        listen: { host: "127.0.0.1", port },
        servers: { bench: { kind: "stdio", command: process.execPath, args: ["--import", "tsx", upstream], env: {}, requestTimeoutMs: 10_000, share: "principal" } },
        store: { path: ":memory:" },
        auth: {
          ...base.auth,
          required: true,
          resource,
          jwt: { issuers: [jwtIssuerSchema.parse({ issuer: issuer.issuer, jwksUri: issuer.jwksUri, algorithms: ["ES256"], requireAtJwt: true })] },
        },
      },
      logger: quiet,
      createUpstreamFactory: (name, server) => createUpstreamFactory(name, server, { logger: quiet }),
      sweepIntervalMs: 0,
    });
    url = `${(await gateway.listen()).url}/servers/bench/mcp`;
  });
  after(async () => {
    await gateway?.close();
    await issuer?.close();
  });

  test("with the issuer's token every call is answered, and PII is masked", async () => {
    const token = await issuer.token(url, 600); // the route's own resource (src/auth/route-resources.ts)
    const { cells } = await runGroup(spec({ kind: "http", url, headers: { authorization: `Bearer ${token}` } }));
    for (const cell of cells) {
      assert.equal(cell.completed, 20);
      assert.equal(cell.errors, 0, cell.firstError);
    }
    assert.equal(cells[0]!.echoIntact, true);
    assert.equal(cells[1]!.sample.emailsVisible, 0);
  });

  test("without a token, or with a token for another resource, sessions are refused (401)", async () => {
    await assert.rejects(runGroup(spec({ kind: "http", url })), /initialize: HTTP 401/);
    const wrong = await issuer.token("http://127.0.0.1:1/mcp", 600);
    await assert.rejects(runGroup(spec({ kind: "http", url, headers: { authorization: `Bearer ${wrong}` } })), /initialize: HTTP 401/);
  });
});
