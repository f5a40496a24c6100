import { afterAll, beforeAll } from 'vitest';
import { startAuthServer, type AuthServer } from './auth-server.js';

/**
 * What the checks of an OAuth resource server share (lessons 06 and 08): the course's
 * authorization server for a check file, and a reader for the `WWW-Authenticate` challenge.
 * (auth-server.ts itself stays free of vitest: `npm run auth-server` runs it on its own.)
 */

/** The course authorization server, one per check file (started before its first check). */
export function useAuthServer(): () => AuthServer {
  let server: AuthServer | undefined;
  beforeAll(async () => {
    server = await startAuthServer({ accounts: ['ana', 'ben'] });
  });
  afterAll(async () => {
    await server?.close();
  });
  return () => {
    if (!server) throw new Error('the authorization server did not start');
    return server;
  };
}

/** The attributes of a `WWW-Authenticate: Bearer k="v", …` header. */
export function challenge(header: string | string[] | undefined): { scheme: string; params: Record<string, string> } | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  const [scheme = '', ...rest] = value.trim().split(/\s+/);
  const params: Record<string, string> = {};
  for (const match of rest.join(' ').matchAll(/([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]+))/g)) {
    params[match[1]!.toLowerCase()] = match[2] ?? match[3] ?? '';
  }
  return { scheme: scheme.toLowerCase(), params };
}
