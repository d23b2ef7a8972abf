/**
 * The OAuth client's side of the browser tests, outside the browser: dynamic registration, PKCE,
 * the authorization URL, and token requests. Plain node:http(s) so an https issuer with a test CA
 * works too (fetch has no per-request CA).
 */
import { createHash, randomBytes } from "node:crypto";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";

export interface HttpReply {
  status: number;
  body: Record<string, unknown>;
}

/** One request with a JSON reply, bounded in time. `ca` trusts a test CA for https. */
export function requestJson(url: string, init: { method: string; headers?: Record<string, string>; body?: string; ca?: string }): Promise<HttpReply> {
  const target = new URL(url);
  const send = target.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      target,
      { method: init.method, headers: { ...init.headers, ...(init.body !== undefined ? { "content-length": String(Buffer.byteLength(init.body)) } : {}) }, ...(init.ca ? { ca: init.ca } : {}), timeout: 5_000, agent: false },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => {
          let body: Record<string, unknown>;
          try {
            body = JSON.parse(text) as Record<string, unknown>;
          } catch {
            body = { raw: text };
          }
          resolve({ status: res.statusCode ?? 0, body });
        });
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`${init.method} ${url}: no reply within 5 s`)));
    req.on("error", reject);
    req.end(init.body);
  });
}

export interface PublicClient {
  clientId: string;
  redirectUri: string;
}

/** Registers a public client (RFC 7591) for the authorization code flow with one redirect URI. */
export async function registerPublicClient(issuer: string, redirectUri: string, name: string, ca?: string): Promise<PublicClient> {
  const reply = await requestJson(`${issuer}/reg`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      client_name: name,
      redirect_uris: [redirectUri],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
    }),
    ...(ca ? { ca } : {}),
  });
  if (reply.status !== 201 || typeof reply.body.client_id !== "string") throw new Error(`registration failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  return { clientId: reply.body.client_id, redirectUri };
}

export interface AuthorizationRequest {
  url: string;
  state: string;
  verifier: string;
}

/** An authorization code request with PKCE S256 and a fresh state. `redirectUri` defaults to the client's. */
export function authorizationRequest(issuer: string, client: PublicClient, resource: string, redirectUri = client.redirectUri): AuthorizationRequest {
  const verifier = randomBytes(32).toString("base64url");
  const state = randomBytes(12).toString("base64url");
  const url = new URL(`${issuer}/auth`);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("client_id", client.clientId);
  url.searchParams.set("redirect_uri", redirectUri);
  url.searchParams.set("code_challenge", createHash("sha256").update(verifier).digest("base64url"));
  url.searchParams.set("code_challenge_method", "S256");
  url.searchParams.set("scope", "mcp");
  url.searchParams.set("resource", resource);
  url.searchParams.set("state", state);
  return { url: url.href, state, verifier };
}

export function tokenRequest(issuer: string, params: Record<string, string>, ca?: string): Promise<HttpReply> {
  return requestJson(`${issuer}/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(params).toString(),
    ...(ca ? { ca } : {}),
  });
}
