import type { IncomingMessage, ServerResponse } from "node:http";
import type { Grant, Interaction, Provider } from "oidc-provider";
import type { AuthorizationServerConfig } from "./config.js";
import { csrfToken, csrfTokenMatches, isSameOriginPost } from "./csrf.js";
import { FormBodyError, readFormBody } from "./form-body.js";
import { loginThrottleKeys, type LoginThrottle } from "./login-throttle.js";
import { PAGE_HEADERS, renderConsentPage, renderErrorPage, renderLoginPage } from "./pages.js";
import { normalizeUsername, type UserDirectory } from "./users.js";

/**
 * The login and consent pages (oidc-provider's "interactions"), at `<prefix>/interaction/<uid>`:
 *
 *   GET  .../interaction/<uid>          the page the pending prompt needs (login or consent)
 *   POST .../interaction/<uid>/login    user name + password
 *   POST .../interaction/<uid>/confirm  consent given
 *   POST .../interaction/<uid>/abort    consent refused (the client gets access_denied)
 *
 * Every POST must carry the CSRF token and come from our own origin (csrf.ts). Failed logins are
 * counted per user name and per client address (login-throttle.ts); the reply never says whether
 * the user exists. No password, token or cookie value is ever logged.
 */

export interface InteractionLogger {
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
}

export interface InteractionDeps {
  provider: () => Provider;
  config: AuthorizationServerConfig;
  users: UserDirectory;
  throttle: LoginThrottle;
  csrfKey: Buffer;
  now: () => number;
  logger: InteractionLogger;
  clientAddressOf: (req: IncomingMessage) => string;
  prefix: string;
}

/**
 * Password checks in flight at once. scrypt runs on libuv's thread pool (4 threads by default) with
 * 32 MiB each; beyond this many waiting, a login is turned away (503) instead of queueing without
 * bound.
 */
const MAX_PENDING_PASSWORD_CHECKS = 64;

const INTERACTION_PATH = /^\/interaction\/([A-Za-z0-9_-]{1,64})(?:\/(login|confirm|abort))?$/;

/** The interaction route a path (already stripped of the prefix) names, if any. */
export function matchInteractionPath(path: string): { uid: string; action: "show" | "login" | "confirm" | "abort" } | undefined {
  const match = INTERACTION_PATH.exec(path);
  if (!match) return undefined;
  return { uid: match[1]!, action: (match[2] as "login" | "confirm" | "abort" | undefined) ?? "show" };
}

function sendPage(res: ServerResponse, status: number, html: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...PAGE_HEADERS, ...extra, "content-length": Buffer.byteLength(html) });
  res.end(html);
}

const stringList = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : typeof value === "string" ? [value] : []);

export function createInteractionHandler(deps: InteractionDeps) {
  const { config, users, throttle, csrfKey, logger, prefix } = deps;
  const issuerOrigin = new URL(config.issuer).origin;
  const staticClientIds = new Set(config.clients.map((c) => c.clientId));
  let pendingPasswordChecks = 0;

  const interactionFor = async (req: IncomingMessage, res: ServerResponse, uid: string): Promise<Interaction | undefined> => {
    try {
      const interaction = await deps.provider().interactionDetails(req, res);
      return interaction.uid === uid ? interaction : undefined;
    } catch {
      return undefined;
    }
  };

  const clientLabel = async (clientId: string): Promise<{ name?: string; unverified: boolean }> => {
    const client = await deps.provider().Client.find(clientId).catch(() => undefined);
    return { ...(client?.clientName ? { name: client.clientName } : {}), unverified: !staticClientIds.has(clientId) };
  };

  const showLogin = async (res: ServerResponse, interaction: Interaction, status = 200, error?: string, username?: string, extra: Record<string, string> = {}) => {
    const clientId = String(interaction.params.client_id ?? "");
    const label = await clientLabel(clientId);
    sendPage(
      res,
      status,
      renderLoginPage({
        action: `${prefix}/interaction/${interaction.uid}/login`,
        csrf: csrfToken(csrfKey, interaction.uid),
        clientName: label.name ?? clientId,
        ...(username !== undefined ? { username } : {}),
        ...(error !== undefined ? { error } : {}),
      }),
      extra,
    );
  };

  const showConsent = async (res: ServerResponse, interaction: Interaction) => {
    const clientId = String(interaction.params.client_id ?? "");
    const label = await clientLabel(clientId);
    const accountId = interaction.session?.accountId;
    const user = accountId !== undefined ? await users.findById(accountId) : undefined;
    if (!user) return sendPage(res, 400, renderErrorPage("Sign-in error", "The sign-in session has ended. Start again from the application."));
    const scopes = String(interaction.params.scope ?? "").split(" ").filter(Boolean);
    const requested = stringList(interaction.params.resource);
    const resources = requested.length ? requested : config.resources.length === 1 ? [config.resources[0]!.uri] : [];
    sendPage(
      res,
      200,
      renderConsentPage({
        action: `${prefix}/interaction/${interaction.uid}/confirm`,
        abortAction: `${prefix}/interaction/${interaction.uid}/abort`,
        csrf: csrfToken(csrfKey, interaction.uid),
        clientId,
        ...(label.name !== undefined ? { clientName: label.name } : {}),
        redirectTo: String(interaction.params.redirect_uri ?? ""),
        username: user.username,
        scopes,
        resources,
        unverified: label.unverified,
      }),
    );
  };

  const expired = (res: ServerResponse) =>
    sendPage(res, 400, renderErrorPage("Sign-in error", "This sign-in request has expired or was already used. Start again from the application."));

  const login = async (req: IncomingMessage, res: ServerResponse, interaction: Interaction, form: Record<string, string>) => {
    if (interaction.prompt.name !== "login") return expired(res);
    const typed = form.username ?? "";
    const username = normalizeUsername(typed) ?? typed.slice(0, 64).toLowerCase();
    const address = deps.clientAddressOf(req);
    const keys = loginThrottleKeys(username, address);
    const lockedFor = await throttle.lockedFor(keys);
    if (lockedFor !== undefined) {
      logger.warn({ event: "login.locked", clientAddress: address }, "login refused: too many failed attempts");
      return showLogin(res, interaction, 429, "Too many failed attempts. Try again later.", typed, { "retry-after": String(Math.ceil(lockedFor / 1000)) });
    }
    if (pendingPasswordChecks >= MAX_PENDING_PASSWORD_CHECKS) {
      logger.warn({ event: "login.busy", pending: pendingPasswordChecks }, "login refused: too many password checks in flight");
      return showLogin(res, interaction, 503, "The sign-in service is busy. Try again in a moment.", typed, { "retry-after": "5" });
    }
    pendingPasswordChecks++;
    let user;
    try {
      user = await users.verifyPassword(typed, form.password ?? "");
    } finally {
      pendingPasswordChecks--;
    }
    if (!user) {
      await throttle.recordFailure(keys);
      logger.warn({ event: "login.failed", clientAddress: address }, "login failed");
      return showLogin(res, interaction, 401, "Wrong user name or password.", typed);
    }
    await throttle.recordSuccess(keys);
    logger.info({ event: "login.succeeded", userId: user.id, clientAddress: address }, "user signed in");
    await deps.provider().interactionFinished(
      req,
      res,
      { login: { accountId: user.id, ts: Math.floor(deps.now() / 1000), amr: ["pwd"], remember: false } },
      { mergeWithLastSubmission: false },
    );
  };

  const confirm = async (req: IncomingMessage, res: ServerResponse, interaction: Interaction) => {
    if (interaction.prompt.name !== "consent" || !interaction.session?.accountId) return expired(res);
    const provider = deps.provider();
    const clientId = String(interaction.params.client_id ?? "");
    const details = interaction.prompt.details;
    let grant: Grant | undefined = interaction.grantId ? await provider.Grant.find(interaction.grantId) : undefined;
    const existing = grant !== undefined;
    grant ??= new provider.Grant({ accountId: interaction.session.accountId, clientId });
    const missingOidc = stringList(details.missingOIDCScope);
    if (missingOidc.length) grant.addOIDCScope(missingOidc.join(" "));
    const missingClaims = stringList(details.missingOIDCClaims);
    if (missingClaims.length) grant.addOIDCClaims(missingClaims);
    const missingResource = details.missingResourceScopes;
    if (missingResource && typeof missingResource === "object") {
      for (const [indicator, scopes] of Object.entries(missingResource as Record<string, unknown>)) grant.addResourceScope(indicator, stringList(scopes).join(" "));
    }
    const grantId = await grant.save();
    logger.info({ event: "consent.given", userId: interaction.session.accountId, clientId }, "consent given");
    await provider.interactionFinished(req, res, { consent: existing ? {} : { grantId } }, { mergeWithLastSubmission: true });
  };

  const abort = async (req: IncomingMessage, res: ServerResponse) => {
    await deps.provider().interactionFinished(req, res, { error: "access_denied", error_description: "The user refused access" }, { mergeWithLastSubmission: false });
  };

  /** Handles one interaction request (the route from `matchInteractionPath`). */
  return async function handleInteraction(req: IncomingMessage, res: ServerResponse, route: { uid: string; action: "show" | "login" | "confirm" | "abort" }): Promise<void> {
    if (route.action === "show") {
      if (req.method !== "GET" && req.method !== "HEAD") return sendPage(res, 405, renderErrorPage("Not allowed", "Use GET."), { allow: "GET, HEAD" });
      const interaction = await interactionFor(req, res, route.uid);
      if (!interaction) return expired(res);
      if (interaction.prompt.name === "login") return showLogin(res, interaction);
      if (interaction.prompt.name === "consent") return showConsent(res, interaction);
      return sendPage(res, 400, renderErrorPage("Sign-in error", "This request cannot be completed here."));
    }

    if (req.method !== "POST") return sendPage(res, 405, renderErrorPage("Not allowed", "Use POST."), { allow: "POST" });
    if (!isSameOriginPost(req.headers, issuerOrigin)) {
      logger.warn({ event: "interaction.cross_origin", action: route.action }, "cross-origin form post refused");
      return sendPage(res, 403, renderErrorPage("Forbidden", "This form was not sent from this site."));
    }
    let form: Record<string, string>;
    try {
      form = await readFormBody(req);
    } catch (error) {
      const status = error instanceof FormBodyError ? error.status : 400;
      return sendPage(res, status, renderErrorPage("Bad request", error instanceof FormBodyError ? error.message : "Unreadable form"));
    }
    const interaction = await interactionFor(req, res, route.uid);
    if (!interaction) return expired(res);
    if (!csrfTokenMatches(csrfKey, interaction.uid, form.csrf)) {
      logger.warn({ event: "interaction.csrf", action: route.action }, "form post without a valid CSRF token refused");
      return sendPage(res, 403, renderErrorPage("Forbidden", "This form has expired. Go back and try again."));
    }
    if (route.action === "login") return login(req, res, interaction, form);
    if (route.action === "confirm") return confirm(req, res, interaction);
    return abort(req, res);
  };
}
