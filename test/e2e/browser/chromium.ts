/**
 * The real browser for page tests: Debian's Chromium driven by playwright-core (never a downloaded
 * browser: `npx playwright install` is not used). CI installs it (.ci/run); when it is missing the
 * tests fail with a message saying so, they do not skip.
 */
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

/** Where Debian's `chromium` package puts the browser; CHROMIUM_PATH overrides it. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * On a closed network Chromium's own background traffic (component updates, sync, QUIC probes)
 * hangs or gets refused; these flags keep it to the pages under test.
 */
const ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Every wait in the browser tests is bounded by this (ms). */
export const BROWSER_TIMEOUT_MS = 5_000;

/**
 * Launches headless Chromium. Playwright gives it a fresh temporary --user-data-dir (removed on
 * close), so no profile, cookie or cache carries over between runs.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM_PATH}: the login and consent pages are tested in a real browser. ` +
        "Install Debian's package (apt-get install chromium), as .ci/run does, or set CHROMIUM_PATH.",
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ARGS, timeout: 20_000 });
}
