import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";

/**
 * Password hashing with scrypt (node:crypto), a random 16-byte salt per password, stored in a
 * PHC-style string that carries its own cost parameters so they can be raised later:
 *
 *   $scrypt$ln=15,r=8,p=1$<salt, base64>$<hash, base64>
 *
 * Verification compares with timingSafeEqual. A stored string whose parameters are outside sane
 * bounds is refused rather than run (a tampered row must not make one login cost minutes).
 */

export interface ScryptCost {
  /** log2 of N, the CPU/memory cost. */
  readonly ln: number;
  readonly r: number;
  readonly p: number;
}

/** OWASP's scrypt recommendation (N=2^15, r=8, p=1): about 32 MiB and tens of ms per hash. */
export const DEFAULT_SCRYPT_COST: ScryptCost = { ln: 15, r: 8, p: 1 };

const SALT_BYTES = 16;
const HASH_BYTES = 32;
/** Longer passwords are refused: hashing megabytes per attempt would be a denial of service. */
export const MAX_PASSWORD_BYTES = 1024;
export const MIN_PASSWORD_LENGTH = 12;

const BOUNDS = { ln: [10, 20], r: [1, 32], p: [1, 16] } as const;
const PHC = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2})$/;

function derive(password: string, salt: Buffer, cost: ScryptCost, length: number): Promise<Buffer> {
  const N = 2 ** cost.ln;
  // scrypt needs 128 * N * r bytes; allow that plus headroom (node's default cap is 32 MiB).
  const options: ScryptOptions = { N, r: cost.r, p: cost.p, maxmem: 128 * N * cost.r + 16 * 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(Buffer.from(password, "utf8"), salt, length, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** Unicode-normalized (NFC) so the same password typed on two keyboards matches. */
function normalizePassword(password: string): string {
  return password.normalize("NFC");
}

export class PasswordPolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PasswordPolicyError";
  }
}

/** Throws PasswordPolicyError if a new password is too short or too long. */
export function checkPasswordPolicy(password: string): void {
  const normalized = normalizePassword(password);
  if ([...normalized].length < MIN_PASSWORD_LENGTH) throw new PasswordPolicyError(`A password needs at least ${MIN_PASSWORD_LENGTH} characters`);
  if (Buffer.byteLength(normalized, "utf8") > MAX_PASSWORD_BYTES) throw new PasswordPolicyError(`A password may have at most ${MAX_PASSWORD_BYTES} bytes`);
}

export async function hashPassword(password: string, cost: ScryptCost = DEFAULT_SCRYPT_COST): Promise<string> {
  checkPasswordPolicy(password);
  const salt = randomBytes(SALT_BYTES);
  const hash = await derive(normalizePassword(password), salt, cost, HASH_BYTES);
  return `$scrypt$ln=${cost.ln},r=${cost.r},p=${cost.p}$${salt.toString("base64")}$${hash.toString("base64")}`;
}

interface ParsedHash {
  cost: ScryptCost;
  salt: Buffer;
  hash: Buffer;
}

export function parsePasswordHash(stored: string): ParsedHash | undefined {
  const match = PHC.exec(stored);
  if (!match) return undefined;
  const [ln, r, p] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (ln < BOUNDS.ln[0] || ln > BOUNDS.ln[1] || r < BOUNDS.r[0] || r > BOUNDS.r[1] || p < BOUNDS.p[0] || p > BOUNDS.p[1]) return undefined;
  const salt = Buffer.from(match[4]!, "base64");
  const hash = Buffer.from(match[5]!, "base64");
  if (salt.length < 16 || hash.length < 16 || hash.length > 64) return undefined;
  return { cost: { ln, r, p }, salt, hash };
}

/**
 * Whether `password` matches `stored`. False (never an exception) for a malformed stored string or
 * an over-long password; the comparison is constant-time.
 */
export async function verifyPasswordHash(password: string, stored: string): Promise<boolean> {
  const parsed = parsePasswordHash(stored);
  if (!parsed) return false;
  const normalized = normalizePassword(password);
  if (Buffer.byteLength(normalized, "utf8") > MAX_PASSWORD_BYTES) return false;
  const candidate = await derive(normalized, parsed.salt, parsed.cost, parsed.hash.length);
  return timingSafeEqual(candidate, parsed.hash);
}

/** Whether a stored hash uses weaker parameters than `cost` (rehash on the next successful login). */
export function needsRehash(stored: string, cost: ScryptCost = DEFAULT_SCRYPT_COST): boolean {
  const parsed = parsePasswordHash(stored);
  return !parsed || parsed.cost.ln < cost.ln || parsed.cost.r < cost.r || parsed.cost.p < cost.p;
}
