/**
 * Why an administrative operation on API keys (create, revoke, rotate) was refused. Authentication
 * failures are AuthError (../errors.ts); these are for the operator, with a stable `code`.
 */
export type ApiKeyAdminFailureCode = "invalid_name" | "invalid_role" | "invalid_scopes" | "invalid_duration" | "invalid_id" | "not_found" | "not_rotatable";

export class ApiKeyAdminError extends Error {
  constructor(
    readonly code: ApiKeyAdminFailureCode,
    message: string,
  ) {
    super(message);
    this.name = "ApiKeyAdminError";
  }

  /** Whether the operator's input was wrong (a usage error), as opposed to the state of the store. */
  get isUsageError(): boolean {
    return this.code.startsWith("invalid_");
  }
}
