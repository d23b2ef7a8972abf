/**
 * Secrets never reach a log line: values under secret-looking keys are censored at any depth,
 * and credentials written inside strings (an Authorization header quoted in an error message, a
 * password in a URL) are cut out. pino's own `redact` paths cover the usual shapes as a second net.
 */

export const REDACTED = "[REDACTED]";

/** Key names (lower case, without - and _) that hold secrets wherever they appear. */
const SECRET_KEY_SUFFIXES = [
  "authorization", // authorization, proxy-authorization
  "cookie", // cookie, set-cookie
  "cookies",
  "password",
  "passwd",
  "passphrase",
  "secret", // secret, client_secret
  "credential",
  "credentials",
  "token", // token, access_token, refreshToken, x-upstream-token (but see NOT_SECRET)
  "apikey", // apiKey, x-api-key, OPENAI_API_KEY
  "privatekey",
  "secretkey",
  "accesskey",
  "signingkey",
  "encryptionkey",
  "hashkey",
] as const;
const SECRET_KEYS_EXACT: ReadonlySet<string> = new Set(["auth", "pwd", "jwt", "bearer"]);
/** Ends like a secret but is protocol bookkeeping worth keeping in logs. */
const NOT_SECRET: ReadonlySet<string> = new Set(["progresstoken", "pagetoken", "nextpagetoken"]);

// A memo of a pure function (the same key always gets the same answer), not shared state.
const verdicts = new Map<string, boolean>();
const MAX_VERDICTS = 4096;

function judgeKey(key: string): boolean {
  if (key.length < 3) return false;
  const k = key.toLowerCase().replace(/[-_]/g, "");
  if (SECRET_KEYS_EXACT.has(k)) return true;
  if (NOT_SECRET.has(k)) return false;
  for (const suffix of SECRET_KEY_SUFFIXES) if (k.endsWith(suffix)) return true;
  return false;
}

/** Whether values under this key are secrets. Keys repeat from line to line: answers are cached. */
export function isSecretKey(key: string): boolean {
  let verdict = verdicts.get(key);
  if (verdict === undefined) {
    verdict = judgeKey(key);
    if (verdicts.size >= MAX_VERDICTS) verdicts.clear();
    verdicts.set(key, verdict);
  }
  return verdict;
}

/** `env` maps of a stdio server's variables hold that server's credentials. */
export function isSecretContainer(key: string, value: unknown): boolean {
  return key === "env" && typeof value === "object" && value !== null;
}

/**
 * A credential is not a plain word: "Basic information" stays, "Basic dXNlcjpwYXNz" does not.
 * Words of 16 letters or more are rare enough that such a run after "Bearer" is taken as a token.
 */
const looksLikeCredential = (value: string): boolean => value.length >= 16 || /[0-9+/=_~.-]|.[A-Z]/.test(value);

const CREDENTIAL_PATTERNS: readonly [RegExp, (match: string, ...groups: string[]) => string][] = [
  // Authorization header values: "Bearer eyJ...", "Basic dXNlcjpwYXNz"
  [
    /\b([Bb]earer|Basic)(\s+)([A-Za-z0-9\-._~+/]{8,}=*)/g,
    (match, scheme, space, value) => (looksLikeCredential(value) ? `${scheme}${space}${REDACTED}` : match),
  ],
  // key=value or key: value for the usual credential names ("x-api-key: abc", "password=hunter2")
  [
    new RegExp(
      `\\b((?:x-)?api[-_]?key|access[-_]?token|refresh[-_]?token|client[-_]?secret|password|passwd|secret)` +
        `(["']?\\s*[:=]\\s*["']?)[^\\s"',;&]+`,
      "gi",
    ),
    (_match, name, separator) => `${name}${separator}${REDACTED}`,
  ],
  // userinfo in URLs: https://user:secret@host
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+):[^\s/@]+@/gi, (_match, prefix) => `${prefix}:${REDACTED}@`],
];
/** Cheap pre-check: every pattern above needs one of these (most log strings have none). */
function mayHoldCredential(text: string): boolean {
  return text.indexOf(":") >= 0 || text.indexOf("=") >= 0 || text.indexOf("earer") >= 0 || text.indexOf("asic") >= 0;
}

export function scrubCredentials(text: string): string {
  if (!mayHoldCredential(text)) return text;
  let out = text;
  for (const [pattern, replace] of CREDENTIAL_PATTERNS) out = out.replace(pattern, replace);
  return out;
}

/**
 * pino `redact` paths for the shapes secrets usually come in (request/response headers, configs).
 * Explicit paths only: leading-wildcard paths (`*.password`) made every line 10-20x slower in
 * our measurement, and the key check above already covers every depth.
 */
export const REDACT_PATHS: readonly string[] = [
  "authorization",
  "cookie",
  "password",
  "apiKey",
  "token",
  "secret",
  "headers.authorization",
  "headers.cookie",
  'headers["set-cookie"]',
  'headers["x-api-key"]',
  'headers["proxy-authorization"]',
  "req.headers.authorization",
  "req.headers.cookie",
  'req.headers["x-api-key"]',
  'req.headers["proxy-authorization"]',
  'res.headers["set-cookie"]',
  "upstream.headers.authorization",
  'upstream.headers["x-api-key"]',
];
