import { AuthError } from "../errors.js";
import { ASYMMETRIC_ALGORITHMS } from "./config.js";

const ASYMMETRIC: ReadonlySet<string> = new Set(ASYMMETRIC_ALGORITHMS);

/**
 * The `alg` header must be one the issuer is configured for, and asymmetric: never `none`, never
 * an HMAC algorithm (which would let a public key be used as the shared secret), whatever the
 * configuration says.
 */
export function checkAlgorithm(header: Readonly<Record<string, unknown>>, allowed: ReadonlySet<string>): string {
  const alg = header.alg;
  if (typeof alg !== "string" || alg === "") throw new AuthError("invalid_token", 'The token has no "alg" header');
  if (!ASYMMETRIC.has(alg) || !allowed.has(alg)) throw new AuthError("invalid_token", 'The token\'s "alg" is not allowed');
  return alg;
}
