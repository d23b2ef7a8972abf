import { createServer } from "node:net";

/** A TCP port on 127.0.0.1 that was free a moment ago (for servers whose URL must be known before they start). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
