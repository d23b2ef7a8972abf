/**
 * Mutual TLS through the real gateway: an HTTPS listener from createTlsOptions (certificates, CA
 * and CRLs made at test time by test/auth/mtls/pki.ts), client certificates required and mapped
 * to principals by rules. A good certificate works; a revoked one, one from another CA, or none
 * at all is refused at the handshake; a good certificate no rule maps is a 401.
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
function listTools(pki: StandardPki, url: string, cert?: IssuedCertificate): Promise<Reply> {
  const body = JSON.stringify(modernRequest(1, "tools/list"));
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/servers/fixture/mcp`,
      { method: "POST", headers: { ...POST_HEADERS, ...modernHeaders("tools/list"), "content-length": Buffer.byteLength(body) }, ...pki.clientOptions(cert), agent: false, timeout: 15_000 },
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

describe("mutual TLS through the gateway (client certificates required)", () => {
  let pki: StandardPki;
  let running: RunningGateway;

  before(async () => {
    pki = createStandardPki("bastion-gateway-mtls-");
    const configPath = join(pki.dir, "bastion.json");
    writeFileSync(
      configPath,
      JSON.stringify({
        listen: { host: "127.0.0.1", port: 0 },
        servers: { fixture: { command: DUAL_ERA.kind === "stdio" ? DUAL_ERA.command : "", args: DUAL_ERA.kind === "stdio" ? DUAL_ERA.args : [], env: {} } },
        shutdownTimeout: "5s",
        auth: {
          apiKeys: { enabled: false },
          mtls: { rules: [{ id: "prod-agents", match: { o: "Acme", uri: "spiffe://acme.test/ns/prod/*" }, name: "{uri}", roles: ["editor"] }] },
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
    running = await startGateway({ config, tls: createTlsOptions(config.tls!) });
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
