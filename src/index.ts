/** mcp-bastion as a library: the pieces for embedding in your own MCP servers and tools. */
export * from "./pii/index.js";
