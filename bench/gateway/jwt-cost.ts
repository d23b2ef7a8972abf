/**
 * CPU cost of verifying one bearer JWT (src/auth/jwt verifier) as the gateway does per request:
 * ES256 and RS256 tokens, static key set, the same token each time (one client's token), with the
 * verified-token cache and without it (every call checks the signature). Interleaved in one process.
 * `node --import tsx bench/gateway/jwt-cost.ts [--calls N]`
 */
import { SignJWT, exportJWK, generateKeyPair } from "jose";
import { jwtIssuerSchema } from "../../src/auth/jwt/config.js";
import { createJwtVerifier } from "../../src/auth/jwt/verifier.js";

const calls = Number(process.argv[process.argv.indexOf("--calls") + 1]) || 5_000;
const resource = "http://127.0.0.1:8080/mcp";

for (const alg of ["ES256", "RS256"] as const) {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg };
  const issuer = jwtIssuerSchema.parse({ issuer: "https://issuer.example", jwks: { keys: [jwk] }, algorithms: [alg] });
  const verifiers = { cached: createJwtVerifier({ issuers: [issuer], resource }), uncached: createJwtVerifier({ issuers: [issuer], resource, verifiedCacheEntries: 0 }) };
  const token = await new SignJWT({ scope: "mcp" }).setProtectedHeader({ alg, kid: "k1" }).setIssuer(issuer.issuer).setSubject("u").setAudience(resource).setIssuedAt().setExpirationTime("1h").sign(privateKey);
  const totals = { cached: { cpu: 0, wall: 0 }, uncached: { cpu: 0, wall: 0 } };
  for (const verifier of Object.values(verifiers)) for (let i = 0; i < 300; i++) await verifier.verify(token, Date.now());
  const rounds = 6;
  for (let round = 0; round < rounds; round++) {
    for (const name of (round % 2 === 0 ? ["cached", "uncached"] : ["uncached", "cached"]) as Array<keyof typeof verifiers>) {
      const cpu = process.cpuUsage();
      const started = process.hrtime.bigint();
      for (let i = 0; i < calls / rounds; i++) await verifiers[name].verify(token, Date.now());
      const used = process.cpuUsage(cpu);
      totals[name].cpu += used.user + used.system;
      totals[name].wall += Number(process.hrtime.bigint() - started) / 1e3;
    }
  }
  for (const name of ["uncached", "cached"] as const) {
    process.stdout.write(`${alg} ${name.padEnd(8)}: ${(totals[name].cpu / calls).toFixed(1)} us CPU per verify (${(totals[name].wall / calls).toFixed(1)} us wall), ${calls} calls\n`);
  }
}
