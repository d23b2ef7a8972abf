import { createServer, type Server } from "node:http";
import { SignJWT, exportJWK, generateKeyPair } from "jose";

/**
 * The benchmark's own token issuer, so mcp-bastion runs with authentication required and every
 * call carries a real bearer JWT: an ES256 key made for the run, its JWKS served on 127.0.0.1
 * (the gateway fetches and caches it as it would an identity provider's), and one access token
 * for the load generator's clients (they are one principal, as one agent's connections are).
 */
export interface BenchIssuer {
  /** The `iss` of its tokens and the gateway's `auth.jwt.issuers[].issuer`. */
  issuer: string;
  jwksUri: string;
  /** A token for `audience` (the gateway's resource URI), valid for `lifetimeSeconds`. */
  token(audience: string, lifetimeSeconds: number): Promise<string>;
  close(): Promise<void>;
}

export async function startBenchIssuer(): Promise<BenchIssuer> {
  const { privateKey, publicKey } = await generateKeyPair("ES256");
  const jwk = { ...(await exportJWK(publicKey)), kid: "bench-1", alg: "ES256", use: "sig" };
  const body = JSON.stringify({ keys: [jwk] });
  const server: Server = createServer((req, res) => {
    if (req.method === "GET" && req.url === "/jwks.json") {
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) }).end(body);
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  const issuer = `http://127.0.0.1:${port}`;
  return {
    issuer,
    jwksUri: `${issuer}/jwks.json`,
    token: (audience, lifetimeSeconds) =>
      new SignJWT({ scope: "mcp" })
        .setProtectedHeader({ alg: "ES256", kid: "bench-1", typ: "at+jwt" })
        .setIssuer(issuer)
        .setSubject("bench-client")
        .setAudience(audience)
        .setIssuedAt()
        .setExpirationTime(`${lifetimeSeconds}s`)
        .sign(privateKey),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
