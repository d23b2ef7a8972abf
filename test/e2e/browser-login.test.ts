/**
 * The built-in authorization server's login and consent pages in a real browser (issue 4): headless
 * Chromium (Debian's package, driven by playwright-core) against the real gateway with its SQLite
 * store and a local user. The full authorization code flow with PKCE S256 to a loopback redirect
 * URI, the code exchanged and the token used for a tool call through the gateway; beside it the
 * attacks the pages must stop: a wrong password, a tampered or missing CSRF token, a refused
 * consent, password guessing (lockout), a redirect URI not registered exactly, cookies readable by
 * scripts or sent cross-site, and a session that outlives sign-out. Behind an https issuer the
 * cookies are Secure and the session cookie is __Host- (the browser itself enforces the prefix).
 *
 * Chromium missing is a failure, not a skip (see browser/chromium.ts). With
 * BROWSER_SCREENSHOTS=/some/prefix- the pages are also saved as PNGs for a look.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { startCallbackServer, type CallbackServer } from "./browser/callback-server.js";
import { BROWSER_TIMEOUT_MS, launchChromium } from "./browser/chromium.js";
import { startOAuthTestGateway, type OAuthTestGateway } from "./oauth-gateway.js";
import { authorizationRequest, registerPublicClient, tokenRequest, type PublicClient } from "./browser/oauth-client.js";
import { alertText, computedStyle, CONSENT_HEADING, expectHeading, LOGIN_HEADING, postReply, reachedClient, submitLogin } from "./browser/page-steps.js";

const PASSWORD = "correct horse battery staple";
const MAX_FAILURES = 2;
const WRONG = "Wrong user name or password.";
const LOCKED = "Too many failed attempts. Try again later.";
const SCREENSHOTS = process.env.BROWSER_SCREENSHOTS;

let browser: Browser | undefined;
const contexts: BrowserContext[] = [];

/** A fresh browser profile's worth of state (cookies, storage): one per test, closed in `after`. */
async function freshPage(options: { ignoreHTTPSErrors?: boolean } = {}): Promise<{ context: BrowserContext; page: Page }> {
  if (!browser) throw new Error("the browser did not start");
  const context = await browser.newContext(options);
  contexts.push(context);
  context.setDefaultTimeout(BROWSER_TIMEOUT_MS);
  context.setDefaultNavigationTimeout(BROWSER_TIMEOUT_MS);
  return { context, page: await context.newPage() };
}

async function screenshot(page: Page, name: string): Promise<void> {
  if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true });
}

before(async () => {
  browser = await launchChromium();
});

after(async () => {
  for (const context of contexts.splice(0)) await context.close().catch(() => undefined);
  await browser?.close();
});

const texts = (result: unknown): string =>
  (result as { content: Array<{ type: string; text?: string }> }).content
    .filter((c) => c.type === "text")
    .map((c) => c.text)
    .join("\n");

describe("the login and consent pages in Chromium (http issuer on loopback)", () => {
  let gw: OAuthTestGateway;
  let callback: CallbackServer;
  /** Another loopback server: an attacker's redirect URI that must never receive anything. */
  let attacker: CallbackServer;
  let client: PublicClient;

  before(async () => {
    gw = await startOAuthTestGateway({
      users: [
        { username: "alice", password: PASSWORD, roles: ["editor"] },
        { username: "bob", password: PASSWORD, roles: ["editor"] },
        { username: "carol", password: PASSWORD, roles: ["editor"] },
      ],
      login: { maxFailures: MAX_FAILURES, maxFailuresPerAddress: 1000, failureWindow: "15m", lockoutDuration: "15m" },
    });
    callback = await startCallbackServer();
    attacker = await startCallbackServer({
      "/prize": '<!DOCTYPE html><title>Prize</title><form method="post"><input name="csrf"><input name="username"><input name="password"><button type="submit">Claim your prize</button></form>',
    });
    client = await registerPublicClient(gw.issuer, callback.redirectUri, "Browser test client");
  });

  after(async () => {
    await attacker?.close();
    await callback?.close();
    await gw?.close();
  });

  /** Opens an authorization request and waits for the login page. */
  async function openLogin(page: Page, redirectUri?: string) {
    const request = authorizationRequest(gw.issuer, client, gw.resource, redirectUri);
    const reply = await page.goto(request.url);
    assert.equal(reply?.status(), 200);
    await expectHeading(page, LOGIN_HEADING);
    return request;
  }

  /** Signs alice in on the login page and waits for the consent page. */
  async function signInToConsent(page: Page, username = "alice") {
    const request = await openLogin(page);
    const reply = await submitLogin(page, username, PASSWORD);
    assert.equal(reply.status(), 303);
    await expectHeading(page, CONSENT_HEADING);
    return request;
  }

  test("authorization code + PKCE S256: sign in, allow, code and iss back at the loopback client; the token calls a tool through the gateway", async () => {
    const { page } = await freshPage();
    // Chromium reports what the Content-Security-Policy blocked on the console. (Other console errors,
    // such as a missing favicon, are not the pages' doing.)
    const cspViolations: string[] = [];
    page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    const request = await openLogin(page);
    assert.equal(await page.title(), "Sign in");
    assert.deepEqual(cspViolations, [], "the login page breaks no rule of its own Content-Security-Policy");
    // The inline style is allowed by its hash in the Content-Security-Policy: Chromium applied it.
    const signIn = page.getByRole("button", { name: "Sign in" });
    assert.equal(await computedStyle(signIn, "background-color"), "rgb(31, 95, 209)");
    assert.match((await page.locator("main").textContent()) ?? "", /to continue to Browser test client/);
    assert.equal(await page.evaluate("document.activeElement && document.activeElement.id"), "username", "the cursor starts in the user name field");
    await screenshot(page, "login");

    const login = await submitLogin(page, "alice", PASSWORD);
    assert.equal(login.status(), 303);
    await expectHeading(page, CONSENT_HEADING);
    const consent = (await page.locator("main").textContent()) ?? "";
    assert.match(consent, /Browser test client asks to act as alice/);
    assert.ok(consent.includes(callback.redirectUri), "the consent page says where the browser will go");
    assert.ok(consent.includes("mcp"), "and which permissions");
    await screenshot(page, "consent");

    const before = callback.received.length;
    await page.getByRole("button", { name: "Allow" }).click();
    const back = await reachedClient(page, callback.redirectUri);
    assert.equal(callback.received.length, before + 1, "the loopback client received the authorization response");
    assert.equal(back.searchParams.get("iss"), gw.issuer, "RFC 9207: iss is the issuer");
    assert.equal(back.searchParams.get("state"), request.state);
    assert.deepEqual(cspViolations, [], "nor does the consent page");
    const code = back.searchParams.get("code");
    assert.ok(code, back.href);

    const wrongVerifier = await tokenRequest(gw.issuer, { grant_type: "authorization_code", code, redirect_uri: callback.redirectUri, client_id: client.clientId });
    assert.equal(wrongVerifier.status, 400, "no code_verifier: refused");
    const token = await tokenRequest(gw.issuer, {
      grant_type: "authorization_code",
      code,
      redirect_uri: callback.redirectUri,
      client_id: client.clientId,
      code_verifier: request.verifier,
    });
    assert.equal(token.status, 200, JSON.stringify(token.body));
    const accessToken = token.body.access_token;
    assert.equal(typeof accessToken, "string");

    const mcp = new Client({ name: "browser-e2e", version: "1.0.0" });
    await mcp.connect(new StreamableHTTPClientTransport(new URL(gw.resource), { requestInit: { headers: { authorization: `Bearer ${String(accessToken)}` } } }));
    try {
      assert.equal(texts(await mcp.callTool({ name: "everything__echo", arguments: { message: "from the browser flow" } })), "Echo: from the browser flow");
    } finally {
      await mcp.close();
    }
  });

  test("the pages' cookies are HttpOnly (scripts cannot read them) and SameSite=Lax; not Secure on an http issuer", async () => {
    const { context, page } = await freshPage();
    await signInToConsent(page);
    // Every cookie of the host, whatever its path (the interaction cookies are bound to their page's path).
    const cookies = (await context.cookies()).filter((c) => c.domain === "127.0.0.1");
    const names = cookies.map((c) => c.name);
    assert.ok(names.includes("bastion_session"), names.join(","));
    assert.ok(names.includes("bastion_interaction"), names.join(","));
    for (const cookie of cookies) {
      assert.equal(cookie.httpOnly, true, `${cookie.name} is HttpOnly`);
      assert.equal(cookie.sameSite, "Lax", `${cookie.name} is SameSite=Lax`);
      // The code sets Secure exactly when the issuer is https (oidc-provider's ctx.secure, from the
      // issuer's scheme): plain http on loopback gets no Secure, the https case is tested below.
      assert.equal(cookie.secure, false, `${cookie.name}: an http issuer cannot set Secure cookies`);
      assert.ok(cookie.value.length >= 16, `${cookie.name} carries a random value`);
    }
    // Each sign-in's cookies go only to its own pages; the session cookie ends with the browser.
    for (const cookie of cookies.filter((c) => c.name.startsWith("bastion_interaction"))) assert.match(cookie.path, /^\/oauth\/interaction\/[A-Za-z0-9_-]+$/);
    for (const cookie of cookies.filter((c) => c.name.startsWith("bastion_resume"))) assert.match(cookie.path, /^\/oauth\/auth\/[A-Za-z0-9_-]+$/);
    const session = cookies.find((c) => c.name === "bastion_session")!;
    assert.equal(session.expires, -1, "the sign-in session cookie is not kept past the browser session");
    assert.equal(await page.evaluate("document.cookie"), "", "no cookie is visible to the page's scripts");
  });

  test("attack: a wrong password (or an unknown user) shows the same error on the page and issues no code", async () => {
    const { page } = await freshPage();
    const before = callback.received.length;
    await openLogin(page);
    const wrong = await submitLogin(page, "carol", "not the password");
    assert.equal(wrong.status(), 401);
    await expectHeading(page, LOGIN_HEADING);
    assert.equal(await alertText(page), WRONG);
    await screenshot(page, "login-error");
    assert.equal(await page.getByLabel("User name").inputValue(), "carol", "the user name is kept");
    assert.equal(await page.getByLabel("Password").inputValue(), "", "the password is not echoed back");
    assert.equal(await page.evaluate("document.activeElement && document.activeElement.id"), "password", "the cursor waits in the password field");
    assert.equal(await page.getByLabel("Password").getAttribute("aria-describedby"), "login-error", "the error is tied to the fields");

    const unknown = await submitLogin(page, "nobody-here", "not the password");
    assert.equal(unknown.status(), 401);
    assert.equal(await alertText(page), WRONG, "the same words: the page does not say whether the user exists");

    assert.equal(new URL(page.url()).origin, gw.url, "still on the authorization server");
    assert.equal(callback.received.length, before, "no authorization response was sent");
    // The same form still works with the right password.
    const right = await submitLogin(page, "carol", PASSWORD);
    assert.equal(right.status(), 303);
    await expectHeading(page, CONSENT_HEADING);
  });

  test("attack: a tampered or missing CSRF token in the login form is refused (403), even with the right password", async () => {
    const { page } = await freshPage();
    const before = callback.received.length;
    await openLogin(page);
    const original = await page.locator('input[name="csrf"]').inputValue();
    assert.ok(original.length >= 32);
    const tampered = `${original.slice(0, -1)}${original.endsWith("A") ? "B" : "A"}`;
    await page.locator('input[name="csrf"]').evaluate((input, value) => input.setAttribute("value", value), tampered);
    const refused = await submitLogin(page, "alice", PASSWORD);
    assert.equal(refused.status(), 403);
    await expectHeading(page, "Forbidden");
    await screenshot(page, "forbidden");

    await page.goBack();
    await page.reload();
    await expectHeading(page, LOGIN_HEADING);
    await page.locator('input[name="csrf"]').evaluate((input) => input.remove());
    const missing = await submitLogin(page, "alice", PASSWORD);
    assert.equal(missing.status(), 403);
    await expectHeading(page, "Forbidden");
    assert.equal(callback.received.length, before, "no authorization response was sent");
  });

  test("attack: the consent form without its CSRF token is refused; the interaction is not completed", async () => {
    const { page } = await freshPage();
    const before = callback.received.length;
    await signInToConsent(page);
    const allowForm = page.locator("form", { has: page.getByRole("button", { name: "Allow" }) });
    await allowForm.locator('input[name="csrf"]').evaluate((input) => input.remove());
    const refused = await postReply(page, "/confirm", () => page.getByRole("button", { name: "Allow" }).click());
    assert.equal(refused.status(), 403);
    await expectHeading(page, "Forbidden");
    assert.equal(callback.received.length, before);
  });

  test("attack: the login form posted from another site's page is refused (403), even with a valid CSRF token", async () => {
    const { page } = await freshPage();
    const before = callback.received.length;
    await openLogin(page);
    const loginForm = page.locator("form");
    const action = new URL((await loginForm.getAttribute("action")) ?? "", gw.url).href;
    const csrf = await loginForm.locator('input[name="csrf"]').inputValue();
    // Another port on the same host: the same site to the browser, so SameSite=Lax cookies go along;
    // the Origin check is what stops it. The attacker somehow knows the page's CSRF token.
    await page.goto(`${new URL(attacker.redirectUri).origin}/prize`);
    await page.locator("form").evaluate((form, values) => {
      form.setAttribute("action", values.action);
      for (const [name, value] of Object.entries(values.fields)) form.querySelector(`input[name="${name}"]`)?.setAttribute("value", value);
    }, { action, fields: { csrf, username: "alice", password: PASSWORD } });
    const refused = await postReply(page, "/login", () => page.getByRole("button", { name: "Claim your prize" }).click());
    assert.equal(refused.status(), 403);
    await expectHeading(page, "Forbidden");
    assert.match((await page.locator("main").textContent()) ?? "", /not sent from this site/);
    assert.equal(callback.received.length, before);
  });

  test("denying consent sends the browser back with error=access_denied, iss and state, and no code", async () => {
    const { page } = await freshPage();
    const request = await signInToConsent(page);
    await page.getByRole("button", { name: "Deny" }).click();
    const back = await reachedClient(page, callback.redirectUri);
    assert.equal(back.searchParams.get("error"), "access_denied");
    assert.equal(back.searchParams.get("iss"), gw.issuer);
    assert.equal(back.searchParams.get("state"), request.state);
    assert.equal(back.searchParams.get("code"), null);
  });

  test("attack: password guessing locks the user name for a while; the locked page reads the same for a real and an unknown user", async () => {
    const lockedReply = async (username: string) => {
      const { page } = await freshPage();
      await openLogin(page);
      for (let attempt = 1; attempt <= MAX_FAILURES; attempt++) {
        const reply = await submitLogin(page, username, `guess ${attempt}`);
        assert.equal(reply.status(), 401, `attempt ${attempt}`);
        assert.equal(await alertText(page), WRONG);
      }
      // Now even the right password is not checked.
      const reply = await submitLogin(page, username, PASSWORD);
      return { status: reply.status(), retryAfter: await reply.headerValue("retry-after"), alert: await alertText(page), heading: await page.locator("h1").textContent(), url: page.url() };
    };
    const before = callback.received.length;
    const real = await lockedReply("bob");
    assert.equal(real.status, 429);
    assert.equal(real.alert, LOCKED);
    assert.ok(Number(real.retryAfter) > 0, "Retry-After says when to come back");
    const ghost = await lockedReply("ghost-user");
    assert.deepEqual({ ...ghost, url: undefined }, { ...real, url: undefined }, "an unknown user's lockout looks exactly the same");
    assert.equal(callback.received.length, before, "no code while locked");

    // Another user from the same address is not locked out by bob's attacker.
    const { page } = await freshPage();
    await openLogin(page);
    assert.equal((await submitLogin(page, "carol", PASSWORD)).status(), 303);
  });

  test("attack: a redirect_uri not registered exactly is refused on the server's own page, without redirecting anywhere", async () => {
    const registered = new URL(callback.redirectUri);
    const variants = [
      attacker.redirectUri, // another port on the same loopback host
      `${callback.redirectUri}/`,
      `${callback.redirectUri}/x`,
      `${callback.redirectUri}?extra=1`,
      `http://localhost:${registered.port}/callback`,
      `http://127.0.0.1:${registered.port}/CALLBACK`,
    ];
    const { page } = await freshPage();
    const before = callback.received.length;
    for (const redirectUri of variants) {
      const request = authorizationRequest(gw.issuer, client, gw.resource, redirectUri);
      const reply = await page.goto(request.url);
      assert.equal(reply?.status(), 400, redirectUri);
      assert.equal(new URL(page.url()).origin, gw.url, `${redirectUri}: the browser stays on the authorization server`);
      await expectHeading(page, "Sign-in error");
      assert.match((await page.locator("main").textContent()) ?? "", /redirect_uri/);
    }
    await screenshot(page, "error");
    assert.equal(attacker.received.length, 0, "the attacker's loopback server got nothing");
    assert.equal(callback.received.length, before);
  });

  test("signing out ends the session at once: the next authorization asks for the password again, and the grant's refresh token dies", async () => {
    const { context, page } = await freshPage();
    const first = await signInToConsent(page);
    await page.getByRole("button", { name: "Allow" }).click();
    const code = (await reachedClient(page, callback.redirectUri)).searchParams.get("code");
    assert.ok(code);
    const tokens = await tokenRequest(gw.issuer, { grant_type: "authorization_code", code, redirect_uri: callback.redirectUri, client_id: client.clientId, code_verifier: first.verifier });
    assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
    const refreshToken = String(tokens.body.refresh_token);

    // Signed in and consented: a second request goes straight back to the client, no page shown.
    const again = authorizationRequest(gw.issuer, client, gw.resource);
    await page.goto(again.url);
    assert.ok((await reachedClient(page, callback.redirectUri)).searchParams.get("code"));

    await page.goto(`${gw.issuer}/session/end`);
    await expectHeading(page, "Sign out?");
    await screenshot(page, "logout");
    await page.getByRole("button", { name: "Yes, sign me out" }).click();
    await expectHeading(page, "Signed out");
    const left = (await context.cookies()).map((c) => c.name);
    assert.ok(!left.includes("bastion_session"), `session cookie gone: ${left.join(",")}`);

    const afterLogout = authorizationRequest(gw.issuer, client, gw.resource);
    await page.goto(afterLogout.url);
    await expectHeading(page, LOGIN_HEADING);
    const refresh = await tokenRequest(gw.issuer, { grant_type: "refresh_token", refresh_token: refreshToken, client_id: client.clientId });
    assert.equal(refresh.status, 400, `refresh after sign-out: ${JSON.stringify(refresh.body)}`);
    assert.equal(refresh.body.error, "invalid_grant");
  });
});

describe("the pages in Chromium behind an https issuer", () => {
  let gw: OAuthTestGateway;
  let callback: CallbackServer;
  let client: PublicClient;

  before(async () => {
    gw = await startOAuthTestGateway({ users: [{ username: "alice", password: PASSWORD, roles: ["editor"] }], https: true });
    assert.match(gw.issuer, /^https:\/\/127\.0\.0\.1:\d+\/oauth$/);
    callback = await startCallbackServer();
    client = await registerPublicClient(gw.issuer, callback.redirectUri, "Browser test client", gw.ca);
  });

  after(async () => {
    await callback?.close();
    await gw?.close();
  });

  test("cookies are Secure, HttpOnly and SameSite=Lax, the session cookie is __Host- (which Chromium accepts only so), and the flow completes", async () => {
    // The test CA is not in Chromium's trust store; the server's certificate is otherwise real.
    const { context, page } = await freshPage({ ignoreHTTPSErrors: true });
    const request = authorizationRequest(gw.issuer, client, gw.resource);
    await page.goto(request.url);
    await expectHeading(page, LOGIN_HEADING);
    assert.equal((await submitLogin(page, "alice", PASSWORD)).status(), 303);
    await expectHeading(page, CONSENT_HEADING);

    const cookies = (await context.cookies()).filter((c) => c.domain === "127.0.0.1");
    const names = cookies.map((c) => c.name);
    assert.ok(names.includes("__Host-bastion_session"), `the browser kept the __Host- session cookie: ${names.join(",")}`);
    for (const cookie of cookies) {
      assert.equal(cookie.secure, true, `${cookie.name} is Secure`);
      assert.equal(cookie.httpOnly, true, `${cookie.name} is HttpOnly`);
      assert.equal(cookie.sameSite, "Lax", `${cookie.name} is SameSite=Lax`);
    }

    await page.getByRole("button", { name: "Allow" }).click();
    const back = await reachedClient(page, callback.redirectUri);
    assert.equal(back.searchParams.get("iss"), gw.issuer);
    const code = back.searchParams.get("code");
    assert.ok(code);
    const token = await tokenRequest(gw.issuer, { grant_type: "authorization_code", code, redirect_uri: callback.redirectUri, client_id: client.clientId, code_verifier: request.verifier }, gw.ca);
    assert.equal(token.status, 200, JSON.stringify(token.body));
  });
});
