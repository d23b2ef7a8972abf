/** What the gateway needs of a logger: pino's call shape (fields first, then the message). */
export interface GatewayLogger {
  debug(fields: object, message?: string): void;
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
}

const noop = (): void => undefined;

export const silentLogger: GatewayLogger = { debug: noop, info: noop, warn: noop, error: noop };
