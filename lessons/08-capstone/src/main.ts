#!/usr/bin/env node
import { loadConfig } from './config.js';

// The entry point: `node --import tsx src/main.ts`, configured by the environment (SPEC.md).
try {
  const config = loadConfig(process.env);

  // TODO 8: R-STDIO (SPEC.md). Open the store; with config.transport 'stdio', connect a server to
  // a StdioServerTransport; with 'http', listen and print `MCP server on <url>` on stderr.

  // TODO 10: R-SHUT (SPEC.md). SIGTERM, SIGINT and (stdio) the end of stdin: close everything,
  // close the database, exit 0.
  void config;
  throw new Error('TODO 8: start the server (SPEC.md, R-STDIO and R-HTTP-1)');
} catch (error) {
  // Only JSON-RPC belongs on stdout: what a person reads goes to stderr.
  console.error(`taskboard: ${(error as Error).message}`);
  process.exit(1);
}
