import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { DEFAULT_DOCUMENTS, DEFAULT_SEED, piiDocuments } from "./pii-payload.js";

/**
 * The benchmark's upstream MCP server (official SDK 1.x, as most servers in the wild are):
 *   echo        { text }  -> the text back (a small result)
 *   pii_report  { doc }   -> one of 16 fixed ~2 KB documents full of PII (pii-payload.ts)
 *
 * Over stdio by default (what mcp-bastion, mcp-proxy and the raw stdio client start), or, with
 * `--http PORT`, exposed directly over Streamable HTTP by the SDK itself: stateful sessions, one
 * McpServer per session, JSON responses - the baseline an HTTP client has without any gateway.
 * Runs until stdin closes (stdio) or SIGTERM/SIGINT (HTTP).
 */

const documents = piiDocuments(DEFAULT_SEED, DEFAULT_DOCUMENTS);

export function createBenchServer(): McpServer {
  const server = new McpServer({ name: "bench-upstream", version: "1.0.0" });
  server.registerTool(
    "echo",
    { description: "Returns its text argument unchanged.", inputSchema: { text: z.string() } },
    async ({ text }) => ({ content: [{ type: "text", text }] }),
  );
  server.registerTool(
    "pii_report",
    { description: "Returns an account review export (about 2 KB of text full of personal data).", inputSchema: { doc: z.number().int().min(0) } },
    async ({ doc }) => ({ content: [{ type: "text", text: documents[doc % documents.length]! }] }),
  );
  return server;
}

async function serveStdio(): Promise<void> {
  await createBenchServer().connect(new StdioServerTransport());
  // The parent closing our stdin (or dying) ends us: nothing may outlive a benchmark run.
  process.stdin.once("end", () => process.exit(0));
  process.stdin.once("close", () => process.exit(0));
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      try {
        resolve(chunks.length === 0 ? undefined : JSON.parse(Buffer.concat(chunks).toString("utf8")));
      } catch (error) {
        reject(error);
      }
    });
    req.on("error", reject);
  });
}

function reply(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32000, message } }));
}

/** The SDK's own Streamable HTTP server, as its documentation shows it (stateful, JSON responses). */
async function serveHttp(host: string, port: number): Promise<void> {
  const transports = new Map<string, StreamableHTTPServerTransport>();
  const http = createServer((req, res) => {
    void (async () => {
      if (!req.url?.startsWith("/mcp")) return reply(res, 404, "not found");
      const header = req.headers["mcp-session-id"];
      const sessionId = typeof header === "string" ? header : undefined;
      if (req.method === "POST") {
        const body = await readJson(req);
        let transport = sessionId === undefined ? undefined : transports.get(sessionId);
        if (transport === undefined) {
          if (sessionId !== undefined) return reply(res, 404, "Session not found");
          if (!isInitializeRequest(body)) return reply(res, 400, "Bad Request: no session");
          const created = new StreamableHTTPServerTransport({
            sessionIdGenerator: () => randomUUID(),
            enableJsonResponse: true,
            onsessioninitialized: (id) => void transports.set(id, created),
          });
          created.onclose = () => {
            if (created.sessionId !== undefined) transports.delete(created.sessionId);
          };
          await createBenchServer().connect(created);
          transport = created;
        }
        return transport.handleRequest(req, res, body);
      }
      const transport = sessionId === undefined ? undefined : transports.get(sessionId);
      if (transport === undefined) return reply(res, 404, "Session not found");
      return transport.handleRequest(req, res);
    })().catch((error: unknown) => {
      if (!res.headersSent) reply(res, 500, (error as Error).message);
      else res.end();
    });
  });
  await new Promise<void>((resolve) => http.listen(port, host, resolve));
  process.stderr.write(`bench upstream (SDK Streamable HTTP) listening on http://${host}:${port}/mcp\n`);
  const stop = () => {
    for (const transport of transports.values()) void transport.close();
    http.close(() => process.exit(0));
    http.closeAllConnections();
    setTimeout(() => process.exit(0), 2_000).unref();
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  // An orphaned HTTP upstream must not live on: the runner keeps our stdin open while it lives.
  process.stdin.resume();
  process.stdin.once("end", stop);
}

const httpFlag = process.argv.indexOf("--http");
if (httpFlag >= 0) await serveHttp(process.env["BENCH_HOST"] ?? "127.0.0.1", Number(process.argv[httpFlag + 1]));
else await serveStdio();
