/**
 * The user's steps on the authorization server's pages, as a person does them: find the fields by
 * their labels and the buttons by their names (so the pages must be labelled properly), type,
 * click, and wait (bounded) for the next page.
 */
import type { Locator, Page, Response } from "playwright-core";
import { BROWSER_TIMEOUT_MS } from "./chromium.js";

export const LOGIN_HEADING = "Sign in";
export const CONSENT_HEADING = "Authorize access";

/** Waits until the page shows a level-1 heading with this exact text. */
export async function expectHeading(page: Page, name: string): Promise<void> {
  await page.getByRole("heading", { level: 1, name, exact: true }).waitFor({ state: "visible", timeout: BROWSER_TIMEOUT_MS });
}

/** The reply to the next form POST whose path ends with `pathEnd`, started before `act` so none is missed. */
export async function postReply(page: Page, pathEnd: string, act: () => Promise<void>): Promise<Response> {
  const reply = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname.endsWith(pathEnd), { timeout: BROWSER_TIMEOUT_MS });
  await act();
  return reply;
}

/** Fills the login form and submits it; resolves with the reply to the POST (303 on success). */
export async function submitLogin(page: Page, username: string, password: string): Promise<Response> {
  await page.getByLabel("User name").fill(username);
  await page.getByLabel("Password").fill(password);
  const reply = await postReply(page, "/login", () => page.getByRole("button", { name: "Sign in" }).click());
  await page.waitForLoadState("load", { timeout: BROWSER_TIMEOUT_MS });
  return reply;
}

/** The text of the page's alert (the login error), or "" if there is none. */
export async function alertText(page: Page): Promise<string> {
  const alert = page.getByRole("alert");
  return (await alert.count()) ? ((await alert.textContent()) ?? "").trim() : "";
}

/** Waits until the browser has been sent to the client's redirect URI and returns where exactly. */
export async function reachedClient(page: Page, redirectUri: string): Promise<URL> {
  await page.waitForURL((url) => url.href.startsWith(`${redirectUri}?`), { timeout: BROWSER_TIMEOUT_MS });
  return new URL(page.url());
}

/** A CSS property as the browser computed it for the element (the project's type-check has no DOM library). */
export async function computedStyle(locator: Locator, property: string): Promise<string> {
  return locator.evaluate((element, name) => {
    const view = globalThis as unknown as { getComputedStyle(e: unknown): { getPropertyValue(p: string): string } };
    return view.getComputedStyle(element).getPropertyValue(name);
  }, property);
}
