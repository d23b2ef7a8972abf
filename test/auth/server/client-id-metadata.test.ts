/**
 * Client ID metadata documents (the MCP authorization spec's CIMD): a client_id that is an https
 * URL whose document describes the client. The document is served by a real https server on
 * 127.0.0.1 with a CA made at test time; the authorization server is told to trust that CA and,
 * for this test only, to allow loopback.
 */
import assert from "node:assert/strict";
import type { ServerResponse } from "node:http";
import { after, before, describe, test } from "node:test";
import { authorizationUrl, authorize, Browser, pkce, PASSWORD, startServer, tokenRequest, verifyAccessToken, type RunningServer } from "./helpers.js";
import { makeCertificates, startDocumentServer, type DocumentServer, type TestCertificates } from "./tls.js";

const REDIRECT = "http://127.0.0.1:9/callback";
let certs: TestCertificates;
let docs: DocumentServer;
let server: RunningServer;
const documents = new Map<string, (res: ServerResponse) => void>();

const json = (body: unknown, headers: Record<string, string> = {}) => (res: ServerResponse) => {
  const text = JSON.stringify(body);
  res.writeHead(200, { "content-type": "application/json", ...headers }).end(text);
};

function publish(path: string, document: Record<string, unknown> | ((res: ServerResponse) => void)): string {
  const clientId = `${docs.origin}${path}`;
  documents.set(path, typeof document === "function" ? document : json({ client_id: clientId, ...document }));
  return clientId;
}

const good = { client_name: "Metadata client", redirect_uris: [REDIRECT], grant_types: ["authorization_code", "refresh_token"], response_types: ["code"], token_endpoint_auth_method: "none" };

before(async () => {
  certs = makeCertificates();
  docs = await startDocumentServer(certs, (req, res) => {
    const handler = documents.get(req.url ?? "");
    if (handler) return handler(res);
    res.writeHead(404).end();
  });
  server = await startServer({
    config: () => ({ clientIdMetadataDocuments: { maxBytes: 2048, fetchTimeout: "1s" } }),
    deps: { metadataDocumentFetch: { allowLoopback: true, ca: certs.ca } },
  });
  await server.as.users.createUser({ username: "alice", password: PASSWORD });
});
after(async () => {
  await server.close();
  await docs.close();
});

/** The status and text of the first page of an authorization request by this client_id. */
async function firstPage(clientId: string, redirectUri = REDIRECT) {
  const url = authorizationUrl(server, { response_type: "code", client_id: clientId, redirect_uri: redirectUri, code_challenge: pkce().challenge, code_challenge_method: "S256", state: "s", resource: server.resource });
  return new Browser().follow(url, redirectUri);
}

describe("client ID metadata documents", () => {
  test("an https client_id whose document describes the client completes the whole flow", async () => {
    const clientId = publish("/clients/good.json", good);
    const { verifier, challenge } = pkce();
    const browser = new Browser();
    const callback = await authorize(server, browser, { clientId, redirectUri: REDIRECT, challenge });
    const tokens = await tokenRequest(server, { grant_type: "authorization_code", code: callback.searchParams.get("code")!, redirect_uri: REDIRECT, code_verifier: verifier, client_id: clientId });
    assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
    const { payload } = await verifyAccessToken(server, tokens.body.access_token as string);
    assert.equal(payload.client_id, clientId);
  });

  test("the consent page shows the document's name as unverified", async () => {
    const clientId = publish("/clients/named.json", { ...good, client_name: "Named by itself" });
    const browser = new Browser();
    const login = await browser.follow(authorizationUrl(server, { response_type: "code", client_id: clientId, redirect_uri: REDIRECT, code_challenge: pkce().challenge, code_challenge_method: "S256", state: "s" }), REDIRECT);
    assert.match(login.body, /Named by itself/);
  });

  for (const [name, path, document] of [
    ["a document naming another client_id", "/clients/other-id.json", json({ ...good, client_id: "https://elsewhere.example/client.json" })],
    ["a document asking for client_credentials", "/clients/cc.json", { ...good, grant_types: ["client_credentials"] }],
    ["a document with an http redirect URI to a non-loopback host", "/clients/http.json", { ...good, redirect_uris: ["http://evil.example/cb"] }],
    ["a document with a shared-secret method", "/clients/secret.json", { ...good, token_endpoint_auth_method: "client_secret_basic" }],
    ["a document carrying a client_secret", "/clients/with-secret.json", { ...good, client_secret: "s3cr3t-s3cr3t-s3cr3t-s3cr3t-s3cr3t" }],
    ["a document asking us to fetch a jwks_uri", "/clients/jwks.json", { ...good, jwks_uri: "https://169.254.169.254/keys" }],
    ["a document larger than the limit", "/clients/big.json", { ...good, padding: "x".repeat(4096) }],
    ["a document that is not JSON", "/clients/not-json.json", (res: ServerResponse) => res.writeHead(200, { "content-type": "application/json" }).end("<html>")],
    ["a document that redirects", "/clients/redirect.json", (res: ServerResponse) => res.writeHead(302, { location: "https://169.254.169.254/" }).end()],
    ["a document that never arrives", "/clients/slow.json", () => undefined],
    ["a document that is not there", "/clients/missing.json", (res: ServerResponse) => res.writeHead(404).end()],
  ] as const) {
    test(`attack: ${name} is refused`, async () => {
      const clientId = publish(path, document as Record<string, unknown>);
      const page = await firstPage(clientId);
      assert.equal(page.status, 400, page.body.slice(0, 200));
      assert.match(page.body, /invalid_(client|redirect_uri)/);
      assert.equal(page.location, undefined, "the browser is sent nowhere");
    });
  }

  test("attack: a redirect_uri not in the document is refused", async () => {
    const clientId = publish("/clients/exact.json", good);
    const page = await firstPage(clientId, "http://127.0.0.1:9/other");
    assert.equal(page.status, 400);
    assert.equal(page.location, undefined);
  });

  test("attack: an http client_id is not a metadata document (and is not a client)", async () => {
    const page = await firstPage(`http://127.0.0.1:${docs.port}/clients/good.json`);
    assert.equal(page.status, 400);
    assert.match(page.body, /invalid_client/);
  });
});

describe("client ID metadata documents, fenced", () => {
  test("attack: without the test-only loopback allowance, a loopback client_id is never fetched", async () => {
    const strict = await startServer({ deps: { metadataDocumentFetch: { ca: certs.ca } } });
    try {
      const before = docs.hits.length;
      const clientId = publish("/clients/strict.json", good);
      const url = authorizationUrl(strict, { response_type: "code", client_id: clientId, redirect_uri: REDIRECT, code_challenge: pkce().challenge, code_challenge_method: "S256", state: "s" });
      const page = await new Browser().request(url);
      assert.equal(page.status, 400);
      assert.equal(docs.hits.length, before, "no request reached the document server");
    } finally {
      await strict.close();
    }
  });

  test("attack: a host outside allowedHosts is never fetched", async () => {
    const listed = await startServer({ config: () => ({ clientIdMetadataDocuments: { allowedHosts: ["clients.example.com"] } }), deps: { metadataDocumentFetch: { allowLoopback: true, ca: certs.ca } } });
    try {
      const before = docs.hits.length;
      const clientId = publish("/clients/listed.json", good);
      const url = authorizationUrl(listed, { response_type: "code", client_id: clientId, redirect_uri: REDIRECT, code_challenge: pkce().challenge, code_challenge_method: "S256", state: "s" });
      assert.equal((await new Browser().request(url)).status, 400);
      assert.equal(docs.hits.length, before);
    } finally {
      await listed.close();
    }
  });

  test("switched off: no fetch, no client, and metadata no longer advertises it", async () => {
    const off = await startServer({ config: () => ({ clientIdMetadataDocuments: { enabled: false } }), deps: { metadataDocumentFetch: { allowLoopback: true, ca: certs.ca } } });
    try {
      const metadata = (await (await fetch(`${off.issuer}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
      assert.equal(metadata.client_id_metadata_document_supported, undefined);
      const before = docs.hits.length;
      const clientId = publish("/clients/off.json", good);
      const url = authorizationUrl(off, { response_type: "code", client_id: clientId, redirect_uri: REDIRECT, code_challenge: pkce().challenge, code_challenge_method: "S256", state: "s" });
      assert.equal((await new Browser().request(url)).status, 400);
      assert.equal(docs.hits.length, before);
    } finally {
      await off.close();
    }
  });
});
