/**
 * The conformance suite's `authorization` scenarios (authorization-server-metadata-endpoint,
 * authorization-code-grant) against the gateway's built-in authorization server, on the gateway's
 * own port (`<gateway>/oauth`). The suite prints an authorization URL and waits for a browser at
 * its callback; this module is that browser: it signs a local user in, consents, and follows the
 * redirect to the suite's callback server. Bounded by `timeoutMs`; the suite is killed past it.
 */
import { spawn } from "node:child_process";
import { mkdir, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

export interface AuthorizationTarget {
  issuer: string;
  resource: string;
  /** A pre-registered public client whose redirect URI is http://127.0.0.1:<callbackPort>/callback. */
  clientId: string;
  callbackPort: number;
  username: string;
  password: string;
}

export interface Check {
  id: string;
  status: string;
  errorMessage?: string;
}

export interface AuthorizationRun {
  exitCode: number | null;
  timedOut: boolean;
  browsed: boolean;
  checks: Check[];
  output: string;
  elapsedMs: number;
}

/** A cookie jar (name and path) and one request at a time, redirects not followed. */
class Browser {
  private readonly cookies = new Map<string, { value: string; path: string }>();

  async request(url: string, form?: Record<string, string>): Promise<{ status: number; body: string; location?: string }> {
    const headers: Record<string, string> = {};
    const path = new URL(url).pathname;
    const pairs = [...this.cookies].filter(([, c]) => path === c.path || path.startsWith(c.path.endsWith("/") ? c.path : `${c.path}/`)).map(([name, c]) => `${name}=${c.value}`);
    if (pairs.length) headers.cookie = pairs.join("; ");
    if (form) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      headers.origin = new URL(url).origin;
    }
    const response = await fetch(url, { method: form ? "POST" : "GET", headers, redirect: "manual", ...(form ? { body: new URLSearchParams(form).toString() } : {}), signal: AbortSignal.timeout(15_000) });
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(";").map((s) => s.trim());
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      const pathAttr = attributes.find((a) => a.toLowerCase().startsWith("path="));
      if (value === "") this.cookies.delete(name);
      else this.cookies.set(name, { value, path: pathAttr ? pathAttr.slice(5) : "/" });
    }
    const location = response.headers.get("location");
    return { status: response.status, body: await response.text(), ...(location ? { location: new URL(location, url).href } : {}) };
  }

  /** Follows redirects until a page, or a redirect to `stopAt`. */
  async follow(url: string, stopAt: string, form?: Record<string, string>) {
    let result = await this.request(url, form);
    for (let hops = 0; hops < 10 && result.location && !result.location.startsWith(stopAt); hops++) result = await this.request(result.location);
    return result;
  }
}

function formOf(html: string): { action: string; csrf: string } {
  const form = /<form method="post" action="([^"]+)"[^>]*>\s*<input type="hidden" name="csrf" value="([^"]+)">/.exec(html);
  if (!form) throw new Error(`no form on the page: ${html.slice(0, 200)}`);
  const unescape = (s: string) => s.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));
  return { action: unescape(form[1]!), csrf: unescape(form[2]!) };
}

/** Signs in and consents; returns the redirect to the client's callback. */
async function signIn(target: AuthorizationTarget, authorizationUrl: string, redirectUri: string): Promise<string> {
  const browser = new Browser();
  let page = await browser.follow(authorizationUrl, redirectUri);
  for (let step = 0; step < 3 && !page.location?.startsWith(redirectUri); step++) {
    if (page.status !== 200) throw new Error(`unexpected HTTP ${page.status} during sign-in: ${page.body.slice(0, 200)}`);
    const form = formOf(page.body);
    const fields: Record<string, string> = page.body.includes('name="password"') ? { csrf: form.csrf, username: target.username, password: target.password } : { csrf: form.csrf };
    page = await browser.follow(new URL(form.action, target.issuer).href, redirectUri, fields);
  }
  if (!page.location?.startsWith(redirectUri)) throw new Error(`sign-in did not reach the client: HTTP ${page.status}`);
  return page.location;
}

async function checksIn(dir: string): Promise<Check[]> {
  const found: Check[] = [];
  const walk = async (path: string): Promise<void> => {
    for (const entry of await readdir(path, { withFileTypes: true })) {
      const child = join(path, entry.name);
      if (entry.isDirectory()) await walk(child);
      else if (entry.name === "checks.json") found.push(...(JSON.parse(await readFile(child, "utf8")) as Check[]));
    }
  };
  await walk(dir).catch(() => undefined);
  return found;
}

export async function runAuthorizationScenarios(suite: { node: string; entry: string }, target: AuthorizationTarget, outputDir: string, timeoutMs: number): Promise<AuthorizationRun> {
  const began = Date.now();
  await mkdir(outputDir, { recursive: true });
  const redirectUri = `http://127.0.0.1:${target.callbackPort}/callback`;
  const child = spawn(
    suite.node,
    [suite.entry, "authorization", "--url", target.issuer, "--client-id", target.clientId, "--resource", target.resource, "--port", String(target.callbackPort), "--output-dir", outputDir],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGKILL");
  }, timeoutMs);
  let output = "";
  let browsed: Promise<void> | undefined;
  const onOutput = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-64 * 1024);
    const url = output.split("\n").find((line) => line.trim().startsWith(`${target.issuer}/auth?`));
    if (url && !browsed) {
      browsed = (async () => {
        const callback = await signIn(target, url.trim(), redirectUri);
        await (await fetch(callback, { signal: AbortSignal.timeout(15_000) })).text();
      })();
      browsed.catch((error: unknown) => {
        output += `\n[browser] ${error instanceof Error ? error.message : String(error)}\n`;
        child.kill("SIGKILL");
      });
    }
  };
  child.stdout.on("data", onOutput);
  child.stderr.on("data", onOutput);
  const exitCode = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  clearTimeout(timer);
  return { exitCode, timedOut, browsed: browsed !== undefined, checks: await checksIn(outputDir), output, elapsedMs: Date.now() - began };
}

/** What must pass: the metadata scenario's checks and the authorization code grant. */
export const REQUIRED_CHECKS = ["authorization-server-metadata", "authorization-server-metadata-cimd", "authorization-code-grant"] as const;

/** Problems with a run (empty when every required check and every other check passed). */
export function judgeAuthorization(run: AuthorizationRun): string[] {
  const problems: string[] = [];
  if (run.timedOut) problems.push("authorization scenarios: timed out");
  if (!run.browsed) problems.push("authorization scenarios: the suite never printed an authorization URL");
  const byId = new Map(run.checks.map((c) => [c.id, c]));
  for (const id of REQUIRED_CHECKS) if (byId.get(id)?.status !== "SUCCESS") problems.push(`authorization scenarios: ${id} is ${byId.get(id)?.status ?? "missing"}${byId.get(id)?.errorMessage ? ` (${byId.get(id)!.errorMessage})` : ""}`);
  for (const check of run.checks) if (check.status !== "SUCCESS" && !REQUIRED_CHECKS.includes(check.id as (typeof REQUIRED_CHECKS)[number])) problems.push(`authorization scenarios: ${check.id} is ${check.status}`);
  if (problems.length === 0 && run.exitCode !== 0) problems.push(`authorization scenarios: the suite exited ${run.exitCode}`);
  return problems;
}
