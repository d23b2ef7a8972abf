import { createHash } from "node:crypto";

/**
 * The authorization server's HTML pages: server-rendered, no scripts, no external assets (one
 * inline style, allowed by its hash in the Content-Security-Policy). Every value from a request or
 * a client's metadata goes through `escapeHtml`.
 */

export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"'`=/]/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE =
  "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;background:#f4f5f7;color:#1d1f23;margin:0;padding:0 1rem;line-height:1.45}" +
  "main{max-width:26rem;margin:3rem auto;background:#fff;border-radius:8px;box-shadow:0 1px 4px rgba(0,0,0,.15);padding:1.5rem 2rem}" +
  ".brand{margin:0 0 .75rem;color:#5a606b;font-size:.8rem;font-weight:600;letter-spacing:.06em;text-transform:uppercase}" +
  "h1{font-size:1.4rem;margin:0 0 1rem}label{display:block;margin:.75rem 0 .25rem;font-weight:600}" +
  "input[type=text],input[type=password]{width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem;border:1px solid #8c929c;border-radius:4px}" +
  "button{padding:.55rem 1.1rem;font-size:1rem;font-family:inherit;border:1px solid #1f5fd1;border-radius:4px;background:#1f5fd1;color:#fff;cursor:pointer}" +
  "button:hover{background:#184fae}button.secondary{background:#fff;color:#1d1f23;border-color:#8c929c}button.secondary:hover{background:#eceef1}" +
  "input:focus-visible,button:focus-visible{outline:3px solid #7aa7f0;outline-offset:2px}" +
  "form{margin:0}.wide{width:100%;margin-top:1.25rem}.actions{display:flex;flex-wrap:wrap;gap:.75rem;margin-top:1.25rem}" +
  ".error{color:#a40e26;font-weight:600}p.error{background:#fdeef0;border:1px solid #f1b6bf;border-radius:4px;padding:.5rem .75rem}" +
  "ul{padding-left:1.2rem}code{overflow-wrap:anywhere}.note{color:#5a606b;font-size:.9rem}";

const STYLE_HASH = `sha256-${createHash("sha256").update(STYLE).digest("base64")}`;

/** Headers for every page: no caching, no framing (clickjacking on the consent page), no referrer to other sites. */
export const PAGE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  "content-type": "text/html; charset=utf-8",
  "cache-control": "no-store",
  pragma: "no-cache",
  "content-security-policy": `default-src 'none'; style-src '${STYLE_HASH}'; frame-ancestors 'none'; base-uri 'none'`,
  "x-frame-options": "DENY",
  "x-content-type-options": "nosniff",
  // same-origin, not no-referrer: with no-referrer browsers send `Origin: null` on our own form posts.
  "referrer-policy": "same-origin",
});

function layout(title: string, body: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main><p class="brand">mcp-bastion</p>${body}</main></body></html>`;
}

export interface LoginPage {
  action: string;
  csrf: string;
  clientName: string;
  username?: string;
  error?: string;
}

export function renderLoginPage(page: LoginPage): string {
  // After a failed attempt the user name is kept, so the cursor goes to the password; screen readers
  // read the error with the fields it concerns.
  const retry = page.username !== undefined && page.username !== "";
  const described = page.error ? ' aria-describedby="login-error"' : "";
  return layout(
    "Sign in",
    `<h1>Sign in</h1><p>to continue to <strong>${escapeHtml(page.clientName)}</strong></p>` +
      (page.error ? `<p class="error" id="login-error" role="alert">${escapeHtml(page.error)}</p>` : "") +
      `<form method="post" action="${escapeHtml(page.action)}" autocomplete="on">` +
      `<input type="hidden" name="csrf" value="${escapeHtml(page.csrf)}">` +
      `<label for="username">User name</label><input type="text" id="username" name="username" autocomplete="username" required${retry ? "" : " autofocus"}${described} value="${escapeHtml(page.username ?? "")}">` +
      `<label for="password">Password</label><input type="password" id="password" name="password" autocomplete="current-password" required${retry ? " autofocus" : ""}${described}>` +
      `<button type="submit" class="wide">Sign in</button></form>`,
  );
}

export interface ConsentPage {
  action: string;
  abortAction: string;
  csrf: string;
  clientId: string;
  clientName?: string;
  /** Where the browser will be sent: shown so a user can spot a client pretending to be another. */
  redirectTo: string;
  username: string;
  scopes: readonly string[];
  resources: readonly string[];
  /** A client we did not configure (dynamic registration or a metadata document): its name is unverified. */
  unverified: boolean;
}

export function renderConsentPage(page: ConsentPage): string {
  const name = page.clientName ? `<strong>${escapeHtml(page.clientName)}</strong>` : `<code>${escapeHtml(page.clientId)}</code>`;
  const scopes = page.scopes.length ? `<ul>${page.scopes.map((s) => `<li><code>${escapeHtml(s)}</code></li>`).join("")}</ul>` : "<p>No specific permissions.</p>";
  const resources = page.resources.length ? `<p>For: ${page.resources.map((r) => `<code>${escapeHtml(r)}</code>`).join(", ")}</p>` : "";
  return layout(
    "Authorize access",
    `<h1>Authorize access</h1><p>${name} asks to act as <strong>${escapeHtml(page.username)}</strong> with these permissions:</p>${scopes}${resources}` +
      `<p class="note">After you allow it, your browser goes to <code>${escapeHtml(page.redirectTo)}</code>.` +
      (page.unverified ? " This application registered itself; its name has not been verified." : "") +
      `</p><div class="actions"><form method="post" action="${escapeHtml(page.action)}"><input type="hidden" name="csrf" value="${escapeHtml(page.csrf)}">` +
      `<button type="submit">Allow</button></form>` +
      `<form method="post" action="${escapeHtml(page.abortAction)}"><input type="hidden" name="csrf" value="${escapeHtml(page.csrf)}">` +
      `<button type="submit" class="secondary">Deny</button></form></div>`,
  );
}

export function renderErrorPage(title: string, message: string): string {
  return layout(title, `<h1>${escapeHtml(title)}</h1><p class="error">${escapeHtml(message)}</p>`);
}

/** oidc-provider's logout confirmation: `form` is its own form (with its xsrf field), which the buttons submit. */
export function renderLogoutPage(form: string): string {
  return layout(
    "Sign out",
    `<h1>Sign out?</h1>${form}<div class="actions"><button type="submit" form="op.logoutForm" name="logout" value="yes">Yes, sign me out</button>` +
      `<button type="submit" form="op.logoutForm" class="secondary">No, stay signed in</button></div>`,
  );
}

export function renderLoggedOutPage(): string {
  return layout("Signed out", "<h1>Signed out</h1><p>You have been signed out.</p>");
}
