import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { createServer, SERVER_VERSION } from './server.js';
import type { StartOptions } from './stdio.js';

/** The path MCP is served on; /healthz is the health check. */
export const MCP_PATH = '/mcp';
export const HEALTH_PATH = '/healthz';

/**
 * Streamable HTTP, stateless: every POST to /mcp gets a fresh McpServer and transport over the
 * process's one board; progress and log messages stream back as server-sent events. No sessions and no authentication here: lesson 06 adds
 * both (sessions bound to their principal, bearer tokens, Host/Origin checks) on this same file.
 * Returns the URL it listens on (port 0 picks a free port).
 */
export async function startHttp({ config, store, logger, shutdown }: StartOptions): Promise<URL> {
  const http = createHttpServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      logger.error('request failed', { path: req.url, error: error instanceof Error ? error.message : String(error) });
      if (!res.headersSent) sendJson(res, 500, { jsonrpc: '2.0', id: null, error: { code: -32603, message: 'Internal error' } });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    // TODO 7: GET /healthz (HEALTH_PATH) answers 200 with JSON { status: 'ok', name, version }
    // while serving, and 503 { status: 'stopping' } once shutdown.stopping is true.
    if (path !== MCP_PATH) return sendJson(res, 404, { error: `Not found: MCP is served at ${MCP_PATH}` });
    // Stateless: no session to stream to (GET) or to end (DELETE).
    if (req.method !== 'POST') {
      return sendJson(res, 405, { jsonrpc: '2.0', id: null, error: { code: -32000, message: 'Method not allowed: this server is stateless, POST only.' } }, { Allow: 'POST' });
    }
    if (shutdown.stopping) {
      return sendJson(res, 503, { jsonrpc: '2.0', id: null, error: { code: -32000, message: 'The server is shutting down.' } }, { 'Retry-After': '1' });
    }
    const server = createServer({ store, logger, estimateDelayMs: config.estimateDelayMs });
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    shutdown.track(transport);
    await transport.handleRequest(req, res);
  }

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.port, config.host, () => resolve());
  });
  const { port } = http.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = new URL(`http://${host}:${port}${MCP_PATH}`);

  shutdown.onClose(
    () =>
      new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeIdleConnections();
      }),
  );
  logger.info('listening', { transport: 'http', url: url.href, health: new URL(HEALTH_PATH, url).href, version: SERVER_VERSION });
  return url;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(JSON.stringify(body));
}
