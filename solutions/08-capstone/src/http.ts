import { randomUUID } from 'node:crypto';
import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { hostHeaderValidation } from '@modelcontextprotocol/sdk/server/middleware/hostHeaderValidation.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import express, { type Express, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { bearerVerifier, callerName, protectedResourceMetadata, type ApiKeyRecord, type OAuthOptions } from './auth.js';
import { logger } from './log.js';
import { createServer, SERVER_NAME, SERVER_VERSION } from './server.js';
import { ALL_SCOPES, type Caller } from './status.js';
import type { SqliteStore } from './store.js';

export interface HttpOptions {
  store: SqliteStore;
  /** The endpoint URL clients use, like http://127.0.0.1:3008/mcp. */
  url: URL;
  /** Without keys the server is open, every caller `local` with every scope (loopback only: config.ts). */
  apiKeys?: ApiKeyRecord[];
  /** The authorization server whose JWT access tokens are accepted as well as the keys (R-AUTH-4). */
  oauth?: OAuthOptions;
}

/** The largest request body: an import of MAX_IMPORT items fits, anything far bigger is refused (413). */
export const BODY_LIMIT = '4mb';

// Area R-HTTP: Streamable HTTP
export function createHttpApp({ store, url, apiKeys, oauth }: HttpOptions): { app: Express; closeSessions: () => Promise<void> } {
  const app = express();
  app.disable('x-powered-by');
  // DNS-rebinding protection: a page on evil.example resolving to 127.0.0.1 sends Host: evil.example (403).
  app.use(hostHeaderValidation([url.hostname, 'localhost', '127.0.0.1', '[::1]']));
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', name: SERVER_NAME, version: SERVER_VERSION });
  });
  app.use(express.json({ limit: BODY_LIMIT }));

  const guards: RequestHandler[] = [];
  if (apiKeys || oauth) {
    let resourceMetadataUrl: string | undefined;
    if (oauth) {
      // RFC 9728: the metadata lives at /.well-known/oauth-protected-resource + the endpoint's path,
      // and every 401 names it (resource_metadata), so a client can find the authorization server.
      const metadataPath = `/.well-known/oauth-protected-resource${url.pathname}`;
      resourceMetadataUrl = new URL(metadataPath, url).href;
      const metadata = protectedResourceMetadata(url, oauth);
      app.get(metadataPath, (_req, res) => {
        res.set('Access-Control-Allow-Origin', '*').json(metadata);
      });
    }
    guards.push(requireBearerAuth({ verifier: bearerVerifier({ resource: url, apiKeys, oauth }), resourceMetadataUrl }));
  }
  const sessions = new Map<string, { transport: StreamableHTTPServerTransport; owner: string }>();
  /** Per session, the ids of the requests whose answer is still to come. */
  const inFlight = new Map<string, Set<string | number>>();
  const open: Caller = { name: 'local', scopes: ALL_SCOPES };

  async function handle(req: Request, res: Response): Promise<void> {
    const auth = (req as { auth?: AuthInfo }).auth;
    const owner = auth ? callerName(auth) : 'local';
    const sessionId = req.headers['mcp-session-id'];
    if (typeof sessionId === 'string') {
      const session = sessions.get(sessionId);
      // Unknown, ended, or someone else's session: 404, so the client starts a new one.
      if (!session || session.owner !== owner) {
        res.status(404).json(rpcError(-32001, 'Session not found.'));
        return;
      }
      // R-HTTP-3: an id already in flight on this session is refused (409, -32600 with that id).
      // Passed on, the SDK's transport would route the first request's answer to the second's
      // stream and leave the first POST hanging for ever.
      const ids = requestIds(req.body);
      const busy = inFlight.get(sessionId) ?? new Set<string | number>();
      const clash = ids.find((id) => busy.has(id));
      if (clash !== undefined) {
        res.status(409).json({ jsonrpc: '2.0', error: { code: -32600, message: `Invalid Request: id ${JSON.stringify(clash)} is already in use by a request in progress on this session.` }, id: clash });
        return;
      }
      for (const id of ids) busy.add(id);
      inFlight.set(sessionId, busy);
      res.once('close', () => {
        for (const id of ids) busy.delete(id);
      });
      await session.transport.handleRequest(req, res, req.body);
      return;
    }
    if (req.method !== 'POST' || !isInitializeRequest(req.body)) {
      res.status(400).json(rpcError(-32000, 'Bad Request: send initialize first, then the Mcp-Session-Id it returns.'));
      return;
    }
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        sessions.set(id, { transport, owner });
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) {
        sessions.delete(transport.sessionId);
        inFlight.delete(transport.sessionId);
      }
    };
    await createServer({ store, localCaller: open }).connect(transport);
    await transport.handleRequest(req, res, req.body);
  }

  const endpoint = (req: Request, res: Response) => {
    handle(req, res).catch((error: unknown) => {
      logger.error('request failed', { path: req.path, error: error instanceof Error ? error.message : String(error) });
      if (!res.headersSent) res.status(500).json(rpcError(-32603, 'Internal error.'));
    });
  };
  app.post(url.pathname, ...guards, endpoint);
  app.get(url.pathname, ...guards, endpoint);
  app.delete(url.pathname, ...guards, endpoint);
  // A body that is not JSON, or too large: a JSON-RPC parse error with the right HTTP status, never a stack trace.
  app.use((error: { status?: number; type?: string }, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    const status = error.status === 413 ? 413 : 400;
    res.status(status).json(rpcError(-32700, status === 413 ? 'Request body too large.' : 'Parse error: the body is not valid JSON.'));
  });
  const closeSessions = async () => {
    await Promise.all([...sessions.values()].map((s) => s.transport.close().catch(() => undefined)));
  };
  return { app, closeSessions };
}

/** The ids of the JSON-RPC requests (not notifications, not answers) in a POST body. */
function requestIds(body: unknown): Array<string | number> {
  return (Array.isArray(body) ? body : [body]).flatMap((m) => {
    const { id, method } = (m ?? {}) as { id?: unknown; method?: unknown };
    return typeof method === 'string' && (typeof id === 'string' || typeof id === 'number') ? [id] : [];
  });
}

function rpcError(code: number, message: string) {
  return { jsonrpc: '2.0', error: { code, message }, id: null };
}
