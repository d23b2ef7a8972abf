/**
 * The login page and the sign-in session: wrong passwords, lockout, CSRF, cookie attributes,
 * idle and absolute timeouts, and sign-out taking effect at once. Clocks move with mocked Date
 * (oidc-provider reads Date.now()).
 */
import assert from "node:assert/strict";
import { after, before, describe, mock, test } from "node:test";
import { authorizationUrl, authorize, Browser, formOf, pkce, PASSWORD, registerPublicClient, startServer, tokenRequest, type RegisteredClient, type RunningServer } from "./helpers.js";

let server: RunningServer;
let client: RegisteredClient;

before(async () => {
  server = await startServer({ config: () => ({ sessionIdleTimeout: "30m", sessionAbsoluteTimeout: "2h", login: { maxFailures: 3, failureWindow: "15m", lockoutDuration: "10m" } }) });
  await server.as.users.createUser({ username: "alice", password: PASSWORD });
  client = await registerPublicClient(server);
});
after(() => server.close());

const redirectUri = () => client.redirect_uris[0]!;

/** Starts an authorization request and returns the page the browser lands on. */
async function start(browser: Browser) {
  const url = authorizationUrl(server, {
    response_type: "code",
    client_id: client.client_id,
    redirect_uri: redirectUri(),
    code_challenge: pkce().challenge,
    code_challenge_method: "S256",
    state: "st",
    resource: server.resource,
  });
  return browser.follow(url, redirectUri());
}

const isLoginPage = (html: string) => html.includes('name="password"');

async function submitLogin(browser: Browser, username: string, password: string) {
  const page = await start(browser);
  assert.ok(isLoginPage(page.body), `expected the login page, got ${page.status}`);
  const form = formOf(page.body);
  return browser.follow(new URL(form.action, server.issuer).href, redirectUri(), { form: { csrf: form.csrf, username, password } });
}

describe("passwords", () => {
  test("attack: a wrong password is refused with the login page again, and no redirect", async () => {
    const result = await submitLogin(new Browser(), "alice", "wrong password 123");
    assert.equal(result.status, 401);
    assert.ok(isLoginPage(result.body));
    assert.match(result.body, /Wrong user name or password/);
    assert.equal(result.location, undefined);
  });

  test("an unknown user gets exactly the same answer as a wrong password", async () => {
    const result = await submitLogin(new Browser(), "mallory", "wrong password 123");
    assert.equal(result.status, 401);
    assert.match(result.body, /Wrong user name or password/);
    assert.ok(!/unknown|no such/i.test(result.body));
  });

  test("the right password leads on to consent", async () => {
    const result = await submitLogin(new Browser(), "Alice", PASSWORD);
    assert.equal(result.status, 200);
    assert.match(result.body, /Authorize access/, "user names are case-insensitive");
  });

  test("attack: the password typed is never echoed back into the page", async () => {
    const result = await submitLogin(new Browser(), "alice", "secret-guess-<b>-42");
    assert.ok(!result.body.includes("secret-guess"));
  });
});

describe("lockout", () => {
  test("after 3 failures the user is locked out, even with the right password, until the lockout ends", async (t) => {
    await server.as.users.createUser({ username: "dave", password: PASSWORD });
    mock.timers.enable({ apis: ["Date"], now: Date.now() });
    t.after(() => mock.timers.reset());
    for (let i = 0; i < 3; i++) assert.equal((await submitLogin(new Browser(), "dave", `wrong password ${i}`)).status, 401);
    const locked = await submitLogin(new Browser(), "dave", PASSWORD);
    assert.equal(locked.status, 429);
    assert.match(locked.body, /Too many failed attempts/);
    assert.ok(Number(locked.headers.get("retry-after")) > 0);
    mock.timers.tick(10 * 60_000 + 1000);
    const afterwards = await submitLogin(new Browser(), "dave", PASSWORD);
    assert.equal(afterwards.status, 200, "the lockout has ended");
  });
});

describe("lockout per client address", () => {
  test("many failures from one address lock that address for every user name, not other addresses", async (t) => {
    const limited = await startServer({
      config: () => ({ login: { maxFailures: 100, maxFailuresPerAddress: 4, failureWindow: "15m", lockoutDuration: "10m" } }),
      deps: { clientAddressOf: (req) => String(req.headers["x-test-client"] ?? req.socket.remoteAddress) },
    });
    t.after(() => limited.close());
    await limited.as.users.createUser({ username: "alice", password: PASSWORD });
    const c = await registerPublicClient(limited);
    const attempt = async (address: string, username: string, password: string) => {
      const browser = new Browser(undefined, { "x-test-client": address });
      const url = authorizationUrl(limited, { response_type: "code", client_id: c.client_id, redirect_uri: c.redirect_uris[0], code_challenge: pkce().challenge, code_challenge_method: "S256", state: "s", resource: limited.resource });
      const page = await browser.follow(url, c.redirect_uris[0]!);
      const form = formOf(page.body);
      return browser.follow(new URL(form.action, limited.issuer).href, c.redirect_uris[0]!, { form: { csrf: form.csrf, username, password } });
    };
    for (let i = 0; i < 4; i++) assert.equal((await attempt("198.51.100.7", `user${i}`, "wrong password 1234")).status, 401);
    assert.equal((await attempt("198.51.100.7", "alice", PASSWORD)).status, 429, "the address is locked");
    assert.equal((await attempt("198.51.100.8", "alice", PASSWORD)).status, 200, "another address is not");
  });
});

describe("CSRF", () => {
  async function loginForm(browser: Browser) {
    const page = await start(browser);
    return formOf(page.body);
  }

  test("attack: a login post without the CSRF token is refused", async () => {
    const browser = new Browser();
    const form = await loginForm(browser);
    const result = await browser.request(new URL(form.action, server.issuer).href, { form: { username: "alice", password: PASSWORD } });
    assert.equal(result.status, 403);
    assert.equal(result.location, undefined);
  });

  test("attack: a login post with another interaction's CSRF token is refused", async () => {
    const browser = new Browser();
    const form = await loginForm(browser);
    const other = await loginForm(new Browser());
    const result = await browser.request(new URL(form.action, server.issuer).href, { form: { csrf: other.csrf, username: "alice", password: PASSWORD } });
    assert.equal(result.status, 403);
  });

  test("attack: a post from another origin is refused", async () => {
    const browser = new Browser();
    const form = await loginForm(browser);
    const result = await browser.request(new URL(form.action, server.issuer).href, { form: { csrf: form.csrf, username: "alice", password: PASSWORD }, headers: { origin: "https://evil.example" } });
    assert.equal(result.status, 403);
    const site = await browser.request(new URL(form.action, server.issuer).href, { form: { csrf: form.csrf, username: "alice", password: PASSWORD }, headers: { "sec-fetch-site": "cross-site" } });
    assert.equal(site.status, 403);
  });

  test("attack: another browser (without the interaction cookie) cannot complete someone's sign-in", async () => {
    const victim = new Browser();
    const form = await loginForm(victim);
    const result = await new Browser().request(new URL(form.action, server.issuer).href, { form: { csrf: form.csrf, username: "alice", password: PASSWORD } });
    assert.equal(result.status, 400);
    assert.match(result.body, /expired/);
  });

  test("attack: a consent post without the CSRF token is refused", async () => {
    const browser = new Browser();
    const consent = await submitLogin(browser, "alice", PASSWORD);
    const form = formOf(consent.body);
    const result = await browser.request(new URL(form.action, server.issuer).href, { form: { csrf: "x".repeat(43) } });
    assert.equal(result.status, 403);
  });

  test("attack: a GET cannot submit a form", async () => {
    const browser = new Browser();
    const form = await loginForm(browser);
    const result = await browser.request(`${new URL(form.action, server.issuer).href}?csrf=${form.csrf}&username=alice&password=x`);
    assert.equal(result.status, 405);
  });
});

describe("cookies", () => {
  test("behind an https issuer the cookies are Secure, HttpOnly, SameSite=Lax, and the session cookie is __Host-", async () => {
    const secure = await startServer({ httpsIssuer: true });
    try {
      await secure.as.users.createUser({ username: "alice", password: PASSWORD });
      const c = await registerPublicClient(secure);
      const browser = new Browser(secure.wire);
      await authorize(secure, browser, { clientId: c.client_id, redirectUri: c.redirect_uris[0]!, challenge: pkce().challenge });
      const lines = browser.setCookieLines.filter((l) => !l.includes("expires=Thu, 01 Jan 1970"));
      assert.ok(lines.length >= 3);
      for (const line of lines) {
        assert.match(line, /; secure/i, line);
        assert.match(line, /; httponly/i, line);
        assert.match(line, /; samesite=lax/i, line);
      }
      assert.ok(lines.some((l) => l.startsWith("__Host-bastion_session=")));
      const interaction = lines.find((l) => l.startsWith("bastion_interaction="))!;
      assert.match(interaction, /path=\/interaction\//, "the interaction cookie is bound to its own page");
    } finally {
      await secure.close();
    }
  });

  test("cookies are signed: a forged session cookie is ignored (login is asked again)", async () => {
    const browser = new Browser();
    await authorize(server, browser, { clientId: client.client_id, redirectUri: redirectUri(), challenge: pkce().challenge });
    const session = browser.cookies.get("bastion_session")!;
    browser.cookies.set("bastion_session", { ...session, value: `${session.value.slice(0, -2)}xx` });
    const page = await start(browser);
    assert.ok(isLoginPage(page.body));
  });
});

describe("sign-in session lifetime", () => {
  test("a session used within the idle timeout needs no new login", async (t) => {
    const browser = new Browser();
    await authorize(server, browser, { clientId: client.client_id, redirectUri: redirectUri(), challenge: pkce().challenge });
    mock.timers.enable({ apis: ["Date"], now: Date.now() });
    t.after(() => mock.timers.reset());
    mock.timers.tick(29 * 60_000);
    const page = await start(browser);
    assert.ok(page.location?.startsWith(redirectUri()), "signed in and consented: straight back to the client");
  });

  test("a session idle for longer than the idle timeout asks for the password again", async (t) => {
    const browser = new Browser();
    await authorize(server, browser, { clientId: client.client_id, redirectUri: redirectUri(), challenge: pkce().challenge });
    mock.timers.enable({ apis: ["Date"], now: Date.now() });
    t.after(() => mock.timers.reset());
    mock.timers.tick(31 * 60_000);
    const page = await start(browser);
    assert.equal(page.status, 200);
    assert.ok(isLoginPage(page.body));
  });

  test("a session kept busy ends anyway at the absolute timeout", async (t) => {
    const browser = new Browser();
    await authorize(server, browser, { clientId: client.client_id, redirectUri: redirectUri(), challenge: pkce().challenge });
    mock.timers.enable({ apis: ["Date"], now: Date.now() });
    t.after(() => mock.timers.reset());
    for (let i = 0; i < 4; i++) {
      mock.timers.tick(25 * 60_000);
      const page = await start(browser);
      assert.ok(page.location?.startsWith(redirectUri()), `still signed in after ${(i + 1) * 25} minutes`);
    }
    mock.timers.tick(25 * 60_000);
    const page = await start(browser);
    assert.ok(isLoginPage(page.body), "past 2 hours: sign in again");
  });

  test("a user deleted since signing in must sign in again", async () => {
    await server.as.users.createUser({ username: "erin", password: PASSWORD });
    const browser = new Browser();
    await authorize(server, browser, { clientId: client.client_id, redirectUri: redirectUri(), challenge: pkce().challenge }, { username: "erin", password: PASSWORD });
    await server.as.users.deleteUser("erin");
    const page = await start(browser);
    assert.ok(isLoginPage(page.body));
  });
});

describe("sign-out", () => {
  test("signing out takes effect at once: the session is gone and the grants made in it are revoked", async () => {
    const browser = new Browser();
    const { verifier, challenge } = pkce();
    const callback = await authorize(server, browser, { clientId: client.client_id, redirectUri: redirectUri(), challenge });
    const tokens = await tokenRequest(server, { grant_type: "authorization_code", code: callback.searchParams.get("code")!, redirect_uri: redirectUri(), client_id: client.client_id, code_verifier: verifier });
    assert.equal(tokens.status, 200);

    const confirm = await browser.request(`${server.issuer}/session/end`);
    assert.equal(confirm.status, 200);
    assert.match(confirm.body, /Sign out\?/);
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(confirm.body)![1]!;
    const done = await browser.request(`${server.issuer}/session/end/confirm`, { form: { xsrf, logout: "yes" } });
    assert.equal(done.status, 303);
    assert.ok(!browser.cookies.has("bastion_session"), "the session cookie is cleared");

    const page = await start(browser);
    assert.ok(isLoginPage(page.body), "the next authorization asks for the password");
    const refreshed = await tokenRequest(server, { grant_type: "refresh_token", refresh_token: tokens.body.refresh_token as string, client_id: client.client_id });
    assert.equal(refreshed.status, 400, "the grant made in the session is revoked");
  });

  test("attack: the old session cookie replayed after sign-out is worthless", async () => {
    const browser = new Browser();
    await authorize(server, browser, { clientId: client.client_id, redirectUri: redirectUri(), challenge: pkce().challenge });
    const saved = new Map(browser.cookies);
    const confirm = await browser.request(`${server.issuer}/session/end`);
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(confirm.body)![1]!;
    await browser.request(`${server.issuer}/session/end/confirm`, { form: { xsrf, logout: "yes" } });
    const replay = new Browser();
    for (const [name, cookie] of saved) replay.cookies.set(name, cookie);
    const page = await start(replay);
    assert.ok(isLoginPage(page.body));
  });

  test("attack: a sign-out confirmation without the xsrf value does nothing", async () => {
    const browser = new Browser();
    await authorize(server, browser, { clientId: client.client_id, redirectUri: redirectUri(), challenge: pkce().challenge });
    await browser.request(`${server.issuer}/session/end`);
    const forged = await browser.request(`${server.issuer}/session/end/confirm`, { form: { logout: "yes" } });
    assert.equal(forged.status, 400);
    const page = await start(browser);
    assert.ok(page.location?.startsWith(redirectUri()), "still signed in");
  });
});
