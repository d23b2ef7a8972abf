/**
 * The TLS files cannot be used as configured: the gateway refuses to start (or a reload keeps the
 * files in force). One line per problem, naming files, never their contents.
 */
export class TlsConfigError extends Error {
  readonly code = "TLS_CONFIG_INVALID";

  constructor(readonly problems: readonly string[]) {
    super(`TLS configuration cannot be used:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "TlsConfigError";
  }
}
