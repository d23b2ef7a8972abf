/**
 * The part of oidc-provider 9 (which ships no types) that the built-in authorization server uses.
 * Declared narrowly: only what src/auth/server calls, with the shapes read from
 * node_modules/oidc-provider/lib. If @types/oidc-provider is ever installed, delete this file.
 */
declare module "oidc-provider" {
  import type { IncomingMessage, ServerResponse } from "node:http";

  /** A stored model's payload as oidc-provider hands it to the adapter. */
  export interface AdapterPayload {
    [key: string]: unknown;
    jti?: string;
    kind?: string;
    exp?: number;
    iat?: number;
    grantId?: string;
    uid?: string;
    userCode?: string;
    consumed?: number;
    accountId?: string;
  }

  /** One adapter per model name ("Session", "AccessToken", "Client", ...). */
  export interface Adapter {
    upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void>;
    find(id: string): Promise<AdapterPayload | undefined>;
    findByUid(uid: string): Promise<AdapterPayload | undefined>;
    findByUserCode(userCode: string): Promise<AdapterPayload | undefined>;
    consume(id: string): Promise<void>;
    destroy(id: string): Promise<void>;
    revokeByGrantId(grantId: string): Promise<void>;
  }

  export interface Client {
    readonly clientId: string;
    readonly clientName?: string;
    readonly clientUri?: string;
    readonly redirectUris: readonly string[];
    readonly applicationType?: string;
    readonly clientAuthMethod: string;
    readonly scope?: string;
    grantTypeAllowed(type: string): boolean;
    metadata(): Record<string, unknown>;
  }

  export interface Session {
    readonly uid: string;
    readonly jti: string;
    accountId?: string;
    loginTs?: number;
    exp?: number;
    grantIdFor(clientId: string): string | undefined;
  }

  export interface ResourceServer {
    identifier(): string;
    readonly scope?: string;
  }

  export interface BaseToken {
    readonly jti: string;
    readonly kind: string;
    readonly clientId?: string;
    readonly accountId?: string;
    readonly grantId?: string;
    readonly scope?: string;
    readonly iat?: number;
    readonly iiat?: number;
    readonly resourceServer?: ResourceServer;
    readonly client?: Client;
  }

  export interface OidcContext {
    readonly route: string;
    readonly issuer: string;
    readonly client?: Client;
    readonly session?: Session;
    readonly params?: Record<string, unknown>;
    readonly entities: Record<string, unknown>;
    readonly result?: Record<string, unknown>;
    urlFor(name: string, options?: Record<string, unknown>): string;
  }

  /** The Koa context oidc-provider passes to configuration callbacks and middleware. */
  export interface KoaContextWithOIDC {
    readonly oidc: OidcContext;
    readonly method: string;
    readonly path: string;
    readonly req: IncomingMessage;
    readonly res: ServerResponse;
    query: Record<string, string | string[] | undefined>;
    type: string;
    body: unknown;
    status: number;
    set(field: string, value: string | string[]): void;
    get(field: string): string;
  }

  export type Middleware = (ctx: KoaContextWithOIDC, next: () => Promise<void>) => Promise<void> | void;

  export interface InteractionPrompt {
    readonly name: string;
    readonly reasons: readonly string[];
    readonly details: Record<string, unknown>;
  }

  export interface Interaction {
    readonly uid: string;
    readonly jti: string;
    readonly prompt: InteractionPrompt;
    readonly params: Record<string, unknown>;
    readonly session?: { readonly accountId?: string; readonly uid?: string };
    readonly grantId?: string;
    readonly lastSubmission?: Record<string, unknown>;
    readonly returnTo: string;
    readonly exp: number;
  }

  export interface Grant {
    readonly jti: string;
    readonly accountId?: string;
    readonly clientId?: string;
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: readonly string[]): void;
    addResourceScope(resource: string, scope: string): void;
    save(): Promise<string>;
    destroy(): Promise<void>;
  }

  export interface GrantConstructor {
    new (init: { accountId: string; clientId: string }): Grant;
    find(id: string): Promise<Grant | undefined>;
  }

  export interface Account {
    readonly accountId: string;
    claims(use: string, scope: string, claims: unknown, rejected: readonly string[]): Promise<Record<string, unknown>> | Record<string, unknown>;
  }

  export type FetchFunction = (url: string | URL, init: RequestInit & { dispatcher?: unknown }) => Promise<Response>;

  /** The configuration object; the keys used are typed by the caller (provider-config.ts). */
  export type Configuration = Record<string, unknown>;

  export class Provider {
    constructor(issuer: string, configuration: Configuration);
    readonly issuer: string;
    /** Koa's: trust X-Forwarded-* headers (set by our mount from the configured issuer only). */
    proxy: boolean;
    callback(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
    use(middleware: Middleware): this;
    on(event: string, listener: (...args: unknown[]) => void): this;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<Interaction>;
    interactionResult(req: IncomingMessage, res: ServerResponse, result: Record<string, unknown>, options?: { mergeWithLastSubmission?: boolean }): Promise<string>;
    interactionFinished(req: IncomingMessage, res: ServerResponse, result: Record<string, unknown>, options?: { mergeWithLastSubmission?: boolean }): Promise<void>;
    pathFor(name: string, options?: Record<string, unknown>): string;
    urlFor(name: string, options?: Record<string, unknown>): string;
    readonly Grant: GrantConstructor;
    readonly Client: { find(id: string): Promise<Client | undefined> };
  }

  export namespace errors {
    class OIDCProviderError extends Error {
      readonly error: string;
      readonly error_description?: string;
      readonly status: number;
      readonly statusCode: number;
    }
    class InvalidClientMetadata extends OIDCProviderError {
      constructor(description: string);
    }
    class InvalidRedirectUri extends OIDCProviderError {
      constructor(description?: string);
    }
    class InvalidTarget extends OIDCProviderError {
      constructor(description?: string);
    }
    class InvalidRequest extends OIDCProviderError {
      constructor(description?: string);
    }
    class InvalidClient extends OIDCProviderError {
      constructor(description?: string);
    }
    class AccessDenied extends OIDCProviderError {
      constructor(description?: string);
    }
    class SessionNotFound extends InvalidRequest {}
  }

  export namespace interactionPolicy {
    type CheckResult = boolean | Promise<boolean>;
    class Check {
      constructor(reason: string, description: string, check: (ctx: KoaContextWithOIDC) => CheckResult, details?: (ctx: KoaContextWithOIDC) => unknown);
      constructor(reason: string, description: string, error: string, check: (ctx: KoaContextWithOIDC) => CheckResult, details?: (ctx: KoaContextWithOIDC) => unknown);
      static readonly REQUEST_PROMPT: true;
      static readonly NO_NEED_TO_PROMPT: false;
      readonly reason: string;
    }
    interface Checks extends Array<Check> {
      get(reason: string): Check | undefined;
      remove(reason: string): void;
      add(check: Check, index?: number): void;
    }
    class Prompt {
      readonly name: string;
      readonly requestable: boolean;
      readonly checks: Checks;
    }
    interface Policy extends Array<Prompt> {
      get(name: string): Prompt | undefined;
      remove(name: string): void;
      add(prompt: Prompt, index?: number): void;
    }
    function base(): Policy;
  }

  export default Provider;
}
