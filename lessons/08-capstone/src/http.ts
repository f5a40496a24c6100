import type { Express } from 'express';
import type { ApiKeyRecord, OAuthOptions } from './auth.js';
import type { SqliteStore } from './store.js';

export interface HttpOptions {
  store: SqliteStore;
  /** The endpoint URL clients use, like http://127.0.0.1:3008/mcp. */
  url: URL;
  /** Without keys the server is open, every caller `local` with every scope (loopback only). */
  apiKeys?: ApiKeyRecord[];
  /** The authorization server whose JWT access tokens are accepted as well as the keys (R-AUTH-4). */
  oauth?: OAuthOptions;
}

// TODO 7: R-HTTP (SPEC.md). Streamable HTTP at /mcp, one session per client, /healthz, and the
// transport's errors with the right status codes.
export function createHttpApp(_options: HttpOptions): { app: Express; closeSessions: () => Promise<void> } {
  throw new Error('TODO 7: serve Streamable HTTP (SPEC.md, R-HTTP)');
}
