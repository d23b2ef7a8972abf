/**
 * Real MCP servers over HTTP, hosted in the test process on 127.0.0.1 with an ephemeral port:
 * the official SDK's Streamable HTTP (v1, sessions), its 2026-07-28 handler (v2, stateless), its
 * legacy SSE transport (v1), and a raw server for the answers real servers rarely give. Each
 * records the requests it saw (method, path, headers) so tests can assert what went on the wire.
 */
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { SSEServerTransport } from "@modelcontextprotocol/sdk/server/sse.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import type { EventStore } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { McpServer as McpServerV2, createMcpHandler } from "@modelcontextprotocol/server";
import { createServer as createEverythingServer } from "@modelcontextprotocol/server-everything/dist/server/index.js";
import { z } from "zod";
import { createFixtureServer } from "./fixtures/fixture-server.js";

export interface SeenRequest {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
}

export interface TestServer {
  url: string;
  origin: string;
  seen: SeenRequest[];
  close(): Promise<void>;
}

async function listen(handler: (req: IncomingMessage, res: ServerResponse, seen: SeenRequest[]) => Promise<void> | void): Promise<TestServer & { server: Server }> {
  const seen: SeenRequest[] = [];
  const server = createServer((req, res) => {
    seen.push({ method: req.method ?? "", path: req.url ?? "", headers: { ...req.headers } });
    Promise.resolve(handler(req, res, seen)).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(error));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    server,
    url: `${origin}/mcp`,
    origin,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

class MemoryEventStore implements EventStore {
  private readonly events: Array<{ id: string; streamId: string; message: unknown }> = [];
  async storeEvent(streamId: string, message: Parameters<EventStore["storeEvent"]>[1]): Promise<string> {
    const id = `${streamId}_${this.events.length}`;
    this.events.push({ id, streamId, message });
    return id;
  }
  async replayEventsAfter(lastEventId: string, { send }: Parameters<EventStore["replayEventsAfter"]>[1]): Promise<string> {
    const index = this.events.findIndex((e) => e.id === lastEventId);
    const streamId = this.events[index]?.streamId ?? "";
    for (const event of this.events.slice(index + 1)) {
      if (event.streamId === streamId) await send(event.id, event.message as Parameters<typeof send>[1]);
    }
    return streamId;
  }
}

/**
 * The SDK v1 Streamable HTTP server with sessions, one MCP server per session: the fixture's tools,
 * or server-everything's. `forgetSessions()` makes it answer 404 to every known session id, as a
 * restarted server would.
 */
export async function startStreamableServer(options: { json?: boolean; server?: "fixture" | "everything" } = {}) {
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const base = await listen(async (req, res) => {
    const sessionId = req.headers["mcp-session-id"];
    if (typeof sessionId === "string") {
      const transport = sessions.get(sessionId);
      if (!transport) {
        res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32001, message: "Session not found" } }));
        return;
      }
      await transport.handleRequest(req, res);
      return;
    }
    if (req.method !== "POST") {
      res.writeHead(400).end();
      return;
    }
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      enableJsonResponse: options.json ?? false,
      eventStore: new MemoryEventStore(),
      onsessioninitialized: (id) => void sessions.set(id, transport),
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    const mcp = options.server === "everything" ? createEverythingServer().server : createFixtureServer({ crash: () => void transport.close() });
    await mcp.connect(transport);
    await transport.handleRequest(req, res);
  });
  return {
    ...base,
    sessions,
    forgetSessions: () => sessions.clear(),
  };
}

/** The SDK v2 handler for the stateless 2026-07-28 revision (2025 traffic served statelessly). */
export async function startModernServer() {
  const handler = createMcpHandler(() => {
    const server = new McpServerV2({ name: "modern-fixture", version: "1.0.0" });
    server.registerTool("echo", { inputSchema: z.object({ text: z.string() }) }, async ({ text }) => ({ content: [{ type: "text", text }] }));
    // Asks (2026-07-28, SEP-2243) that `region` also travels as the Mcp-Param-Region header.
    server.registerTool("regional", { inputSchema: z.object({ region: z.string().meta({ "x-mcp-header": "Region" }) }) }, async ({ region }) => ({
      content: [{ type: "text", text: `region ${region}` }],
    }));
    server.registerTool("slow", { inputSchema: z.object({ ms: z.number() }) }, async ({ ms }) => {
      await new Promise((resolve) => setTimeout(resolve, ms));
      return { content: [{ type: "text", text: `slept ${ms}` }] };
    });
    return server;
  });
  const base = await listen(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === "string") headers.set(name, value);
    }
    const request = new Request(`http://127.0.0.1${req.url ?? "/"}`, {
      method: req.method,
      headers,
      body: req.method === "POST" ? Buffer.concat(chunks) : undefined,
    });
    const response = await handler.fetch(request);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    if (response.body) for await (const chunk of response.body) res.write(chunk);
    res.end();
  });
  return { ...base, close: async () => (await handler.close(), await base.close()) };
}

/** The SDK v1 legacy HTTP+SSE server (GET /sse, POST /messages) in front of server-everything or the fixture. */
export async function startLegacySseServer(options: { server?: "fixture" | "everything"; endpoint?: string } = {}) {
  const transports = new Map<string, SSEServerTransport>();
  const base = await listen(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (req.method === "GET" && url.pathname === "/sse") {
      const transport = new SSEServerTransport(options.endpoint ?? "/messages", res);
      transports.set(transport.sessionId, transport);
      transport.onclose = () => void transports.delete(transport.sessionId);
      const mcp = options.server === "fixture" ? createFixtureServer({ crash: () => void transport.close() }) : createEverythingServer().server;
      await mcp.connect(transport);
      return;
    }
    if (req.method === "POST" && url.pathname === "/messages") {
      const transport = transports.get(url.searchParams.get("sessionId") ?? "");
      if (!transport) {
        res.writeHead(404).end("unknown session");
        return;
      }
      await transport.handlePostMessage(req, res);
      return;
    }
    res.writeHead(404).end();
  });
  return {
    ...base,
    url: `${base.origin}/sse`,
    transports,
    /** Ends every open event stream, as a server restart would. */
    dropStreams: async () => {
      for (const transport of [...transports.values()]) await transport.close();
    },
  };
}

/** A server whose every answer the test writes by hand. */
export async function startRawServer(handler: (req: IncomingMessage, res: ServerResponse, body: string) => void | Promise<void>) {
  return listen(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    await handler(req, res, Buffer.concat(chunks).toString("utf8"));
  });
}
