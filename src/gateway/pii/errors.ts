/**
 * A message could not be masked (nested too deep, the token vault refused a value, ...). The
 * gateway must fail closed: answer the request with an error, drop the notification, or refuse
 * the server's request — never forward the message unmasked.
 */
export class MessageMaskingError extends Error {
  readonly code = "PII_MASKING_FAILED";
  constructor(reason: string, options?: { cause?: unknown }) {
    super(`message could not be masked: ${reason}`, options);
    this.name = "MessageMaskingError";
  }
}
