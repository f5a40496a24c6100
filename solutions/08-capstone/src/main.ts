#!/usr/bin/env node
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { ConfigError, loadConfig } from './config.js';
import { logger } from './log.js';
import { createServer } from './server.js';
import { ALL_SCOPES } from './status.js';
import { SqliteStore } from './store.js';

// Area R-STDIO: the entry point (stdio by default, Streamable HTTP with TASKBOARD_TRANSPORT=http)
// Only JSON-RPC goes to stdout; everything a person reads goes to stderr.
let config;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  logger.error(`taskboard: ${error.message}`);
  process.exit(2);
}

const store = new SqliteStore(config.dbPath);
let closing = false;
const closers: Array<() => Promise<void> | void> = [];

/** Stops taking work, closes what is open, closes the database (a WAL checkpoint), exits 0. */
async function shutdown(reason: string): Promise<void> {
  if (closing) return;
  closing = true;
  logger.info(`taskboard: shutting down (${reason})`);
  for (const close of closers) await close();
  store.close();
  process.stdout.write('', () => process.exit(0));
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

if (config.transport === 'stdio') {
  const server = createServer({ store, localCaller: { name: config.user, scopes: ALL_SCOPES } });
  await server.connect(new StdioServerTransport());
  // The SDK's stdio transport ignores the end of stdin: the host closing the pipe means "stop".
  process.stdin.once('end', () => void shutdown('stdin closed'));
  closers.push(() => server.close());
  logger.info(`taskboard: MCP server on stdio, data in ${config.dbPath}`);
} else {
  // Loaded here only: a stdio server never pays for the HTTP stack (Express, the SDK's transport).
  const { createHttpApp } = await import('./http.js');
  const http = createHttpServer();
  const { host, port } = config;
  http.listen(port, host, () => {
    const actual = (http.address() as AddressInfo).port;
    const url = new URL(`http://${host.includes(':') ? `[${host}]` : host}:${actual}/mcp`);
    const { app, closeSessions } = createHttpApp({ store, url, apiKeys: config.apiKeys, oauth: config.oauth });
    http.on('request', app);
    closers.push(closeSessions, () => new Promise<void>((resolve) => http.close(() => resolve())));
    // The checks (and an operator) read the URL from this line: with TASKBOARD_PORT=0 the system picks the port.
    logger.info(`taskboard: MCP server on ${url.href} (${[config.apiKeys ? `${config.apiKeys.length} API keys` : '', config.oauth ? `OAuth tokens from ${config.oauth.issuer}` : ''].filter(Boolean).join(', ') || 'open, loopback only'}), data in ${config.dbPath}`);
  });
}
