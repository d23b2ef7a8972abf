/**
 * An OAuth client's loopback redirect URI (RFC 8252 §7.3): a tiny HTTP server on 127.0.0.1 that
 * records every authorization response the browser is sent to and answers with a plain page. It
 * can serve other pages too (the tests play an attacker's site with one).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface CallbackServer {
  /** The redirect URI to register: http://127.0.0.1:<port>/callback */
  readonly redirectUri: string;
  /** Every request to the callback, as full URLs, in order. */
  readonly received: URL[];
  close(): Promise<void>;
}

/** `pages`: other paths this origin serves (path -> HTML), e.g. an attacker's page posting a form elsewhere. */
export async function startCallbackServer(pages: Readonly<Record<string, string>> = {}): Promise<CallbackServer> {
  const received: URL[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "127.0.0.1"}`);
    if (url.pathname === "/callback") received.push(url);
    const page = Object.hasOwn(pages, url.pathname) ? pages[url.pathname] : undefined;
    const body = page ?? "<!DOCTYPE html><title>Client</title><p>Back at the client.</p>";
    res.writeHead(url.pathname === "/callback" || page !== undefined ? 200 : 404, { "content-type": "text/html; charset=utf-8", "content-length": Buffer.byteLength(body) });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    redirectUri: `http://127.0.0.1:${port}/callback`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
