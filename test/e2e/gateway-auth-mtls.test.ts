/**
 * Mutual TLS through the real gateway: an HTTPS listener from createTlsOptions (certificates, CA
 * and CRLs made at test time by test/auth/mtls/pki.ts), client certificates required and mapped
 * to principals by rules. A good certificate works; a revoked one, one from another CA, or none
 * at all is refused at the handshake; a good certificate no rule maps is a 401. Refused handshakes
 * count against the client address, and a locked-out address is refused before its handshake.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { request } from "node:https";
import { join } from "node:path";
import { createTlsOptions } from "../../src/auth/mtls/index.js";
import { loadConfig } from "../../src/config/index.js";
import { createStandardPki, type IssuedCertificate, type StandardPki } from "../auth/mtls/pki.js";
import { DUAL_ERA, modernHeaders, modernRequest, POST_HEADERS, startGateway, type RunningGateway } from "../gateway/helpers.js";

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** One stateless tools/list over HTTPS presenting `cert` (or none). Rejects when the handshake is refused. */
function listTools(pki: StandardPki, url: string, cert?: IssuedCertificate, localAddress?: string): Promise<Reply> {
  const body = JSON.stringify(modernRequest(1, "tools/list"));
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/servers/fixture/mcp`,
      { method: "POST", headers: { ...POST_HEADERS, ...modernHeaders("tools/list"), "content-length": Buffer.byteLength(body) }, ...pki.clientOptions(cert), agent: false, timeout: 15_000, ...(localAddress ? { localAddress } : {}) },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error("timed out")));
    req.on("error", reject);
    req.end(body);
  });
}

/** A gateway on HTTPS requiring client certificates, with `auth` merged into its auth section. */
async function startMtlsGateway(pki: StandardPki, name: string, auth: Record<string, unknown> = {}, trustedProxies: string[] = []): Promise<RunningGateway> {
  const configPath = join(pki.dir, `${name}.json`);
  writeFileSync(
    configPath,
    JSON.stringify({
      listen: { host: "127.0.0.1", port: 0, trustedProxies },
      servers: { fixture: { command: DUAL_ERA.kind === "stdio" ? DUAL_ERA.command : "", args: DUAL_ERA.kind === "stdio" ? DUAL_ERA.args : [], env: {} } },
      shutdownTimeout: "5s",
      auth: {
        apiKeys: { enabled: false },
        mtls: { rules: [{ id: "prod-agents", match: { o: "Acme", uri: "spiffe://acme.test/ns/prod/*" }, name: "{uri}", roles: ["editor"] }] },
        ...auth,
      },
      tls: {
        cert: pki.server.certPath,
        key: pki.server.keyPath,
        clientCertificates: { mode: "required", ca: [pki.caBundlePath], crl: [pki.rootCrlPath, pki.intermediateCrlPath] },
        reload: { watch: false },
      },
    }),
  );
  const config = loadConfig({ file: configPath, env: {} });
  assert.equal(config.tls?.clientCertificates.mode, "required");
  return startGateway({ config, tls: createTlsOptions(config.tls!) });
}

describe("mutual TLS through the gateway (client certificates required)", () => {
  let pki: StandardPki;
  let running: RunningGateway;

  before(async () => {
    pki = createStandardPki("bastion-gateway-mtls-");
    running = await startMtlsGateway(pki, "bastion");
    assert.match(running.url, /^https:\/\/127\.0\.0\.1:\d+$/);
  });
  after(async () => {
    await running?.close();
    pki?.remove();
  });

  test("a good certificate a rule maps: tools/list works", async () => {
    const reply = await listTools(pki, running.url, pki.alice);
    assert.equal(reply.status, 200, reply.text);
    assert.match(reply.text, /"tools"/);
    assert.equal(running.gateway.authentication?.resource, `${running.url}/mcp`, "https:// resource from the TLS listener");
  });

  test("a revoked certificate, one from another CA, and none at all are refused at the handshake", async () => {
    for (const cert of [pki.revoked, pki.stranger, undefined]) {
      await assert.rejects(listTools(pki, running.url, cert), (error: Error & { code?: string }) => {
        assert.ok(error instanceof Error, String(error));
        return true;
      }, cert?.name ?? "no certificate");
    }
    assert.equal((await listTools(pki, running.url, pki.alice)).status, 200, "good clients are unaffected");
  });

  test("a valid certificate that no rule maps: 401 with a challenge", async () => {
    const reply = await listTools(pki, running.url, pki.unmapped);
    assert.equal(reply.status, 401, reply.text);
    assert.match(String(reply.headers["www-authenticate"]), /^Bearer error="invalid_token"/);
  });
});

describe("refused handshakes and the lockout per client address (real TLS)", () => {
  let pki: StandardPki;
  let running: RunningGateway;

  before(async () => {
    pki = createStandardPki("bastion-gateway-mtls-lockout-");
    running = await startMtlsGateway(pki, "lockout", { lockout: { address: { maxFailures: 3, window: "1m", duration: "1m" } } });
  });
  after(async () => {
    await running?.close();
    pki?.remove();
  });

  test("refused handshakes count as failed authentications: the address is then refused before its handshake, even with a good certificate; another address is not", async () => {
    assert.equal((await listTools(pki, running.url, pki.alice)).status, 200, "before: a good certificate works");
    for (const cert of [pki.revoked, pki.stranger, undefined]) await assert.rejects(listTools(pki, running.url, cert), Error, cert?.name ?? "no certificate");
    // The third refusal locks 127.0.0.1 (counted asynchronously after the refusal: one more refused handshake
    // at most before it shows). A locked-out address's connection is closed before the handshake.
    const locked = await listTools(pki, running.url, pki.alice).then(
      () => false,
      () => true,
    );
    assert.ok(locked || (await listTools(pki, running.url, pki.alice).then(() => false, () => true)), "the locked-out address is refused, good certificate or not");
    await assert.rejects(listTools(pki, running.url, pki.alice), (error: Error & { code?: string }) => {
      assert.match(String(error.code ?? error.message), /ECONNRESET|socket hang up|disconnected|EPIPE/);
      return true;
    });
    const elsewhere = await listTools(pki, running.url, pki.alice, "127.0.0.2");
    assert.equal(elsewhere.status, 200, "a client at another address is unaffected");
  });

  test("a trusted proxy's refused handshakes do not lock it out (it carries many clients): its connections are not closed", async () => {
    const proxied = await startMtlsGateway(pki, "proxied", { lockout: { address: { maxFailures: 3, window: "1m", duration: "1m" } } }, ["127.0.0.3"]);
    try {
      for (let i = 0; i < 4; i++) await assert.rejects(listTools(pki, proxied.url, pki.revoked, "127.0.0.3"), Error);
      assert.equal((await listTools(pki, proxied.url, pki.alice, "127.0.0.3")).status, 200, "the proxy's next connection is served");
    } finally {
      await proxied.close();
    }
  });
});
