/**
 * What a client we did not configure ourselves (registered dynamically, RFC 7591, or described by a
 * client ID metadata document) may declare. Such clients are untrusted: anyone can make one. So:
 *
 *  - only the authorization code grant (and refresh tokens): a client that could use
 *    client_credentials would get tokens without any user ever consenting;
 *  - response type `code` only; authentication `none`, `client_secret_basic` or `client_secret_post`;
 *  - redirect URIs: https, or http on a loopback host (native apps, RFC 8252), or a private-use
 *    scheme with a dot (`com.example.app:/cb`); never javascript:, data:, file: and the like, never
 *    credentials in the URI, never a fragment;
 *  - no URL the server would fetch (`jwks_uri`, `sector_identifier_uri`, `request_uris`): each is
 *    a request we would make to an address the client chose.
 *
 * Returns the reason a metadata document is refused, or undefined if it is acceptable.
 */

const ALLOWED_GRANTS = new Set(["authorization_code", "refresh_token"]);
const ALLOWED_AUTH_METHODS = new Set(["none", "client_secret_basic", "client_secret_post"]);
const LOOPBACK_HOSTS = new Set(["127.0.0.1", "[::1]", "localhost"]);
const FORBIDDEN_SCHEMES = new Set(["javascript:", "data:", "file:", "vbscript:", "blob:", "about:", "ws:", "wss:", "ftp:", "filesystem:", "mailto:", "tel:", "sms:"]);
const FETCHED_BY_SERVER = ["jwks_uri", "sector_identifier_uri", "request_uris", "backchannel_logout_uri", "initiate_login_uri"];
const DISPLAY_URIS = ["logo_uri", "client_uri", "policy_uri", "tos_uri"];
const MAX_REDIRECT_URIS = 16;

function parse(value: unknown): URL | undefined {
  if (typeof value !== "string" || value.length > 2048) return undefined;
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/** Why a redirect (or post-logout redirect) URI is refused for an untrusted client, if it is. */
export function redirectUriProblem(value: unknown): string | undefined {
  const url = parse(value);
  if (!url) return "is not an absolute URI";
  if ((value as string).includes("#")) return "must not have a fragment";
  if (url.username || url.password) return "must not carry credentials";
  if (url.protocol === "https:") return undefined;
  if (url.protocol === "http:") return LOOPBACK_HOSTS.has(url.hostname) ? undefined : "may use http only on a loopback host (127.0.0.1, [::1], localhost)";
  if (FORBIDDEN_SCHEMES.has(url.protocol)) return `must not use the ${url.protocol} scheme`;
  // Private-use schemes for native apps (RFC 8252 §7.1) are reverse domain names: they contain a dot.
  if (!url.protocol.slice(0, -1).includes(".")) return "must be https, loopback http, or a private-use scheme such as com.example.app:";
  return undefined;
}

/** Why this metadata is refused for an untrusted client, or undefined if it is acceptable. */
export function untrustedClientProblem(metadata: Record<string, unknown>): string | undefined {
  const grantTypes = metadata.grant_types ?? ["authorization_code"];
  if (!Array.isArray(grantTypes) || grantTypes.length === 0) return "grant_types must be a non-empty list";
  for (const grant of grantTypes) {
    if (typeof grant !== "string" || !ALLOWED_GRANTS.has(grant)) return `grant_types: only authorization_code and refresh_token may be registered (got ${JSON.stringify(grant)})`;
  }
  if (!grantTypes.includes("authorization_code")) return "grant_types must include authorization_code";

  const responseTypes = metadata.response_types ?? ["code"];
  if (!Array.isArray(responseTypes) || responseTypes.some((t) => t !== "code")) return 'response_types: only "code" is supported';

  const method = metadata.token_endpoint_auth_method ?? "client_secret_basic";
  if (typeof method !== "string" || !ALLOWED_AUTH_METHODS.has(method)) return "token_endpoint_auth_method must be none, client_secret_basic or client_secret_post";

  for (const name of FETCHED_BY_SERVER) {
    if (metadata[name] !== undefined) return `${name} is not accepted`;
  }
  if (metadata.jwks !== undefined) return "jwks is not accepted";

  const redirectUris = metadata.redirect_uris;
  if (!Array.isArray(redirectUris) || redirectUris.length === 0) return "redirect_uris must be a non-empty list";
  if (redirectUris.length > MAX_REDIRECT_URIS) return `redirect_uris: at most ${MAX_REDIRECT_URIS}`;
  for (const uri of redirectUris) {
    const problem = redirectUriProblem(uri);
    if (problem) return `redirect_uris: ${JSON.stringify(String(uri).slice(0, 200))} ${problem}`;
  }
  const postLogout = metadata.post_logout_redirect_uris;
  if (postLogout !== undefined) {
    if (!Array.isArray(postLogout) || postLogout.length > MAX_REDIRECT_URIS) return "post_logout_redirect_uris must be a list of at most 16 URIs";
    for (const uri of postLogout) {
      const problem = redirectUriProblem(uri);
      if (problem) return `post_logout_redirect_uris: ${problem}`;
    }
  }
  for (const name of DISPLAY_URIS) {
    if (metadata[name] !== undefined && parse(metadata[name])?.protocol !== "https:") return `${name} must be an https URL`;
  }
  const clientName = metadata.client_name;
  if (clientName !== undefined && (typeof clientName !== "string" || clientName.length > 128)) return "client_name must be a string of at most 128 characters";
  return undefined;
}
