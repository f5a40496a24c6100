import { randomUUID } from 'node:crypto';
import { createServer as createNodeServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { Express, Request, RequestHandler, Response } from 'express';
import { createDemoStore, type TaskboardStore } from '../../../taskboard/index.js';
import type { ApiKeyRecord } from './api-keys.js';
import { silentLogger, type Logger } from './logger.js';
import type { UpstreamOptions } from './notify.js';
import { createVerifier, protectedResourceMetadata, type Caller, type OAuthOptions } from './oauth.js';
import { READ_SCOPE, requireScopes, WRITE_SCOPE } from './scopes.js';
import { createServer, SERVER_VERSION } from './server.js';
import type { Shutdown } from './shutdown.js';
import type { StartOptions } from './stdio.js';

/** The path MCP is served on; /healthz is the health check. */
export const MCP_PATH = '/mcp';
export const HEALTH_PATH = '/healthz';

/**
 * Streamable HTTP: lesson 06's app (sessions bound to their principal, bearer tokens, Host and
 * Origin checks) on a node:http server, with this lesson's health check in front of it and its
 * sessions tracked by the graceful shutdown. Returns the URL it listens on (port 0 picks a free port).
 */
export async function startHttp({ config, store, logger, shutdown }: StartOptions): Promise<URL> {
  let app: Express | undefined;
  const http = createNodeServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    // TODO 7: GET /healthz (HEALTH_PATH) answers 200 with JSON { status: 'ok', name, version }
    // while serving, and 503 { status: 'stopping' } once shutdown.stopping is true. Answer it
    // here, before the Host/Origin and auth guards: a load balancer sends no credential.
    // Once shutting down, no new session: a request of an open session still reaches its
    // transport, where the shutdown answers it (and counts what is in flight).
    if (shutdown.stopping && req.headers['mcp-session-id'] === undefined) {
      return sendJson(res, 503, { jsonrpc: '2.0', id: null, error: { code: -32000, message: 'The server is shutting down.' } }, { 'Retry-After': '1' });
    }
    if (!app) return sendJson(res, 503, { error: 'starting' }, { 'Retry-After': '1' });
    app(req, res);
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.port, config.host, () => resolve());
  });
  // Listen first, so the URL (with the port the system chose when TASKBOARD_PORT=0) is known
  // before the app that needs it as its resource identifier is built.
  const { port } = http.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = new URL(`http://${host}:${port}${MCP_PATH}`);
  app = createHttpApp({
    url,
    store,
    apiKeys: config.apiKeys,
    oauth: config.oauth,
    upstream: config.upstream,
    allowedOrigins: config.allowedOrigins,
    logger,
    estimateDelayMs: config.estimateDelayMs,
    shutdown,
  });

  // Registered after createHttpApp's closer: the sessions close first, then the listener.
  shutdown.onClose(
    () =>
      new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeIdleConnections();
      }),
  );
  const auth = [config.apiKeys ? 'api-keys' : '', config.oauth ? `oauth:${config.oauth.issuer}` : ''].filter(Boolean);
  logger.info('listening', { transport: 'http', url: url.href, health: new URL(HEALTH_PATH, url).href, auth, version: SERVER_VERSION });
  return url;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(JSON.stringify(body));
}

export interface HttpAppOptions {
  /**
   * The URL clients use for the MCP endpoint, like http://127.0.0.1:3006/mcp: the endpoint is
   * served at its path, its host is allowed, and it is this server's OAuth resource identifier.
   */
  url: string | URL;
  /** The Taskboard to serve; a demo board when omitted. */
  store?: TaskboardStore;
  /** Host names a request may name in its Host header (default: the URL's, and localhost). */
  allowedHosts?: string[];
  /** Origins a browser may call from (default: the URL's own origin). */
  allowedOrigins?: string[];
  /** Step 2: API keys (hashes only). */
  apiKeys?: ApiKeyRecord[];
  /** Step 3: the authorization server whose JWT access tokens are accepted. */
  oauth?: OAuthOptions;
  /** Step 6: the webhook notify_team calls, with the server's credential. */
  upstream?: UpstreamOptions;
  /** Lesson 07: where the operator's log goes; nowhere when omitted. */
  logger?: Logger;
  /** Lesson 07: the stand-in estimation service's latency. */
  estimateDelayMs?: number;
  /**
   * Lesson 07: graceful shutdown. Each session's transport is tracked (its requests in flight
   * are awaited, new ones refused), and every session is closed once they are done.
   */
  shutdown?: Pick<Shutdown, 'track' | 'onClose'>;
}

interface Session {
  transport: StreamableHTTPServerTransport;
  /** Who opened it: only they may use it (step 5). */
  owner: string;
}

/** The Express app serving Taskboard over Streamable HTTP: listen on it with `app.listen` or `http.createServer(app)`. */
export function createHttpApp(options: HttpAppOptions): Express {
  const url = new URL(options.url);
  const store = options.store ?? createDemoStore();

  // Step 1: Streamable HTTP on loopback, with DNS-rebinding protection
  // A Host allow-list: a web page on evil.example whose name resolves to 127.0.0.1 sends
  // `Host: evil.example`, and is refused (403). createMcpExpressApp also parses JSON bodies with
  // express.json()'s 100 kB limit: a larger body is refused with 413 before anything reads it.
  const app = createMcpExpressApp({ host: url.hostname, allowedHosts: options.allowedHosts ?? [...new Set([url.hostname, 'localhost'])] });
  // An Origin allow-list: browsers send Origin on cross-site requests; other clients send none.
  const allowedOrigins = options.allowedOrigins ?? [url.origin];
  app.use((req, res, next) => {
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins.includes(origin)) {
      res.status(403).json(jsonRpcError(-32000, 'Forbidden: this Origin may not call the server.'));
      return;
    }
    next();
  });

  // Steps 2 and 3: who is calling. Without keys or an authorization server the app is open
  // (the checks of step 1 run it so); main.ts always configures one.
  const guards: RequestHandler[] = [];
  if (options.apiKeys || options.oauth) {
    let resourceMetadataUrl: string | undefined;
    if (options.oauth) {
      // RFC 9728: the metadata lives at /.well-known/oauth-protected-resource + the endpoint's path.
      const metadataPath = `/.well-known/oauth-protected-resource${url.pathname === '/' ? '' : url.pathname}`;
      resourceMetadataUrl = new URL(metadataPath, url).href;
      const metadata = protectedResourceMetadata(url, options.oauth, [READ_SCOPE, WRITE_SCOPE]);
      app.get(metadataPath, (_req, res) => {
        // Public metadata: a browser-based client (the Inspector) may read it from any origin.
        res.set('Access-Control-Allow-Origin', '*').json(metadata);
      });
    }
    const verifier = createVerifier({ resource: url, apiKeys: options.apiKeys, oauth: options.oauth });
    guards.push(requireBearerAuth({ verifier, resourceMetadataUrl }));
    // Step 4: per-tool scopes
    guards.push(requireScopes(resourceMetadataUrl));
  }

  // Step 1: one transport (and one McpServer) per session
  const sessions = new Map<string, Session>();
  // Lesson 07: at shutdown, once the requests in flight are answered, close every session: that
  // ends its open event stream (GET), which would otherwise keep the HTTP server from closing.
  options.shutdown?.onClose(async () => {
    await Promise.all([...sessions.values()].map(({ transport }) => transport.close()));
  });

  async function handle(req: Request, res: Response): Promise<void> {
    const owner = ownerOf((req as { auth?: AuthInfo }).auth);
    const sessionId = req.headers['mcp-session-id'];
    if (typeof sessionId === 'string') {
      const session = sessions.get(sessionId);
      // Step 5: a session answers only the principal that opened it. To anyone else it does
      // not exist (404): a stolen or guessed session id is worth nothing without its owner's
      // credential, and the answer does not even confirm that the id is real.
      if (!session || session.owner !== owner) {
        res.status(404).json(jsonRpcError(-32001, 'Session not found.'));
        return;
      }
      await session.transport.handleRequest(req, res, req.body);
      return;
    }
    if (req.method !== 'POST' || !isInitializeRequest(req.body)) {
      res.status(400).json(jsonRpcError(-32000, 'Bad Request: send initialize first, then the Mcp-Session-Id it returns.'));
      return;
    }
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      // 122 random bits: a session id cannot be guessed.
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        sessions.set(id, { transport, owner });
        // Lesson 07: called after server.connect and before the initialize request is delivered,
        // so track() sees every request of the session, the first one included.
        options.shutdown?.track(transport);
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    const server = createServer({ store, upstream: options.upstream, logger: options.logger, estimateDelayMs: options.estimateDelayMs });
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  }

  const endpoint = (req: Request, res: Response) => {
    handle(req, res).catch((error: unknown) => {
      (options.logger ?? silentLogger).error('request failed', { path: req.path, error: error instanceof Error ? error.message : String(error) });
      if (!res.headersSent) res.status(500).json(jsonRpcError(-32603, 'Internal error.'));
    });
  };
  app.post(url.pathname, ...guards, endpoint);
  app.get(url.pathname, ...guards, endpoint);
  app.delete(url.pathname, ...guards, endpoint);
  return app;
}

/** The principal a session belongs to: the client and the subject, as the verifier found them. */
function ownerOf(auth: AuthInfo | undefined): string {
  if (!auth) return 'anonymous';
  return JSON.stringify([auth.clientId, (auth.extra as Caller | undefined)?.subject ?? null]);
}

function jsonRpcError(code: number, message: string) {
  return { jsonrpc: '2.0', error: { code, message }, id: null };
}
