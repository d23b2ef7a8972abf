import { openStreamableHttpConnection } from "./http.js";
import { resolveDeps } from "./options.js";
import type { UpstreamDeps } from "./options.js";
import { sseLinkOpener } from "./sse.js";
import { stdioLinkOpener } from "./stdio.js";
import { createToolHeaderDeclarations } from "./tool-headers.js";
import { openSupervisedConnection } from "./supervised.js";
import { SharedUpstream } from "./shared/shared-upstream.js";
import type { UpstreamConfig, UpstreamConnection, UpstreamFactory, UpstreamTenant } from "./types.js";

export type { UpstreamConfig, UpstreamConnection, UpstreamFactory, UpstreamInitiated, UpstreamTenant } from "./types.js";
export { SHARE_MODES, type ShareMode } from "./shared/share-mode.js";
export type { RestartPolicy, UpstreamDeps } from "./options.js";
export { DEFAULT_RESTART_POLICY } from "./options.js";
export { REQUEST_CANCELLED_CODE } from "./pending.js";

/**
 * Opens connections to one configured upstream server. Each open() is one logical MCP connection
 * for one downstream session: its own stdio child, its own Streamable HTTP session, or its own
 * legacy SSE stream; or, with `share` (principal / all) and a tenant, a member of the one connection
 * the sessions that mode groups together share (shared/shared-upstream.ts). closeAll() stops every
 * one of them (graceful shutdown) and refuses new ones.
 */
export function createUpstreamFactory(name: string, config: UpstreamConfig, deps: UpstreamDeps): UpstreamFactory {
  const resolved = resolveDeps(deps);
  const logger = resolved.logger.child({ server: name, transport: config.kind });
  const live = new Set<UpstreamConnection>();
  const opening = new Set<Promise<UpstreamConnection>>();
  let shuttingDown = false;
  const toolHeaders = createToolHeaderDeclarations();
  const share = config.share ?? "none";
  /** Shared connections by who shares them (principal or everyone) and protocol version. */
  const shared = new Map<string, SharedUpstream>();

  function openShared(tenant: UpstreamTenant, mode: "principal" | "all"): Promise<UpstreamConnection> {
    // JSON keeps the parts apart whatever characters a principal id holds.
    const key = JSON.stringify(mode === "all" ? ["all", tenant.protocolVersion] : ["principal", tenant.principal, tenant.protocolVersion]);
    let hub = shared.get(key);
    if (hub === undefined || hub.isGone) {
      const created: SharedUpstream = new SharedUpstream({
        serverName: name,
        mode,
        protocolVersion: tenant.protocolVersion,
        clientInfo: resolved.clientInfo,
        open: () => open(),
        idleCloseMs: config.shareIdleCloseMs ?? resolved.sharedIdleCloseMs,
        logger,
        onGone: () => {
          if (shared.get(key) === created) shared.delete(key);
        },
      });
      hub = created;
      shared.set(key, hub);
    }
    return hub.join();
  }

  function connect(): Promise<UpstreamConnection> {
    switch (config.kind) {
      case "stdio":
        return openSupervisedConnection({
          serverName: name,
          requestTimeoutMs: config.requestTimeoutMs,
          deps: resolved,
          logger,
          openLink: stdioLinkOpener({
            command: config.command,
            args: config.args,
            env: config.env,
            cwd: config.cwd,
            inheritedPath: resolved.inheritedPath,
            maxMessageBytes: resolved.maxMessageBytes,
            killGraceMs: resolved.killGraceMs,
            logger,
          }),
        });
      case "sse":
        return openSupervisedConnection({
          serverName: name,
          requestTimeoutMs: config.requestTimeoutMs,
          deps: resolved,
          logger,
          openLink: sseLinkOpener({
            url: config.url,
            headers: config.headers,
            connectTimeoutMs: config.requestTimeoutMs,
            maxMessageBytes: resolved.maxMessageBytes,
            logger,
          }),
        });
      case "http":
        return openStreamableHttpConnection({
          serverName: name,
          url: config.url,
          headers: config.headers,
          requestTimeoutMs: config.requestTimeoutMs,
          toolHeaders,
          deps: resolved,
          logger,
        });
    }
  }

  async function open(): Promise<UpstreamConnection> {
    if (shuttingDown) throw new Error(`upstream server "${name}": the gateway is shutting down`);
    const connection = await connect();
    if (shuttingDown) {
      await connection.close();
      throw new Error(`upstream server "${name}": the gateway is shutting down`);
    }
    live.add(connection);
    connection.onClosed(() => live.delete(connection));
    return connection;
  }

  return {
    serverName: name,
    config,
    open(tenant) {
      if (tenant !== undefined && share !== "none") {
        if (shuttingDown) return Promise.reject(new Error(`upstream server "${name}": the gateway is shutting down`));
        return openShared(tenant, share);
      }
      const attempt = open();
      opening.add(attempt);
      const forget = () => opening.delete(attempt);
      attempt.then(forget, forget);
      return attempt;
    },
    async closeAll() {
      shuttingDown = true;
      await Promise.allSettled([...shared.values()].map((hub) => hub.close("the gateway is shutting down")));
      // A connection still opening closes itself once it is up (see open), before this resolves.
      await Promise.allSettled([...opening]);
      await Promise.allSettled([...live].map((connection) => connection.close()));
    },
  };
}
