/**
 * Mutual TLS: the HTTPS listener's options (createTlsOptions), reloading its files without a
 * restart (createTlsReloader), refused handshakes (onRefusedHandshake), and the authenticator
 * that turns a client certificate into a Principal (createMtlsAuthenticator).
 *
 *   const tls = createTlsOptions(config.tls);                   // throws TlsConfigError: do not start
 *   const server = https.createServer(tls.serverOptions, handler);
 *   const reloader = createTlsReloader(server, tls, { logger }); // reloader.reload() on SIGHUP
 *   onRefusedHandshake(server, ({ clientAddress, reason }) => ...); // log, count failures
 *   const mtls = createMtlsAuthenticator({ rules: config.auth.mtls.rules, revocation: tls.revocation });
 */
export { createMtlsAuthenticator, type MtlsAuthenticatorOptions } from "./authenticator.js";
export {
  CLIENT_CERTIFICATE_MODES,
  certificateMatchSchema,
  mappingRuleSchema,
  mtlsAuthConfigSchema,
  tlsConfigSchema,
  type ClientCertificateMode,
  type MappingRule,
  type MtlsAuthConfig,
  type MtlsAuthConfigInput,
  type TlsConfig,
  type TlsConfigInput,
} from "./config.js";
export { TlsConfigError } from "./errors.js";
export { onRefusedHandshake, type RefusedHandshake } from "./handshake-refusals.js";
export { RevocationIndex, type RevocationStatus, type RevocationView } from "./revocation.js";
export { createTlsOptions, type CreateTlsOptionsOptions, type TlsOptions } from "./tls-options.js";
export { createTlsReloader, type ReloadOutcome, type TlsLogger, type TlsReloader, type TlsReloaderOptions } from "./tls-reloader.js";
