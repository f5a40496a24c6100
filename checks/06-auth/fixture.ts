import { randomBytes, createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cleanupAfterCheck, listenOnLoopback, type StepContext } from '../harness/index.js';
import type { AuthServer, MintOptions } from '../harness/auth-server.js';
// Shared with the capstone's OAuth checks (lesson 08): one authorization server fixture, one challenge reader.
export { challenge, useAuthServer } from '../harness/oauth.js';
import { RawHttp } from '../harness/http-client.js';

/**
 * What lesson 06's checks share: a known board served by the student's createHttpApp on a
 * loopback port, API keys made fresh for every check (only their hashes reach the server), the
 * course's authorization server, and a webhook that records what it receives.
 */

export const READ_WRITE = ['tasks:read', 'tasks:write'];

/** A fresh random API key, in the `tbk_` form the lesson uses. */
export function newApiKey(): string {
  return `tbk_${randomBytes(24).toString('base64url')}`;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export interface Keys {
  /** Name `ci`, tasks:read and tasks:write. */
  ci: string;
  /** Name `viewer`, tasks:read only. */
  viewer: string;
}

export interface BoardOptions {
  /** Configure API keys (their hashes) on the server. */
  keys?: boolean;
  /** Configure OAuth with this authorization server. */
  auth?: AuthServer;
  /** The webhook notify_team calls. */
  upstream?: { url: string; token: string };
  /** Passed to createHttpApp as they are. */
  extra?: Record<string, unknown>;
}

/**
 * The board every check starts from:
 *   WEB  WEB-1 ana, WEB-2 ben (in progress), WEB-3 unassigned
 *   API  API-1 ana
 */
export async function startBoard(step: StepContext, options: BoardOptions = {}) {
  const { TaskboardStore } = await step.taskboard();
  let tick = 0;
  const store = new TaskboardStore({ now: () => new Date(Date.UTC(2026, 0, 5, 9, 0, tick++)) });
  store.createProject({ key: 'WEB', name: 'Website' });
  store.createProject({ key: 'API', name: 'Public API' });
  store.createTask({ project: 'WEB', title: 'Fix the signup link', priority: 'high', assignee: 'ana' });
  store.createTask({ project: 'WEB', title: 'Redesign the pricing page', assignee: 'ben' });
  store.createTask({ project: 'WEB', title: 'Add a dark mode', priority: 'low' });
  store.createTask({ project: 'API', title: 'Rate-limit the search endpoint', assignee: 'ana' });
  store.setStatus('WEB-2', 'in_progress');

  const keys: Keys = { ci: newApiKey(), viewer: newApiKey() };
  const apiKeys = [
    { name: 'ci', sha256: sha256Hex(keys.ci), scopes: READ_WRITE },
    { name: 'viewer', sha256: sha256Hex(keys.viewer), scopes: ['tasks:read'] },
  ];

  let app: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const { url: base } = await listenOnLoopback((req, res) => {
    if (app) app(req, res);
    else res.writeHead(503).end();
  });
  const url = new URL('/mcp', base);
  const createHttpApp = await step.fn<(options: Record<string, unknown>) => unknown>('createHttpApp', 'src/http.ts');
  const appOptions: Record<string, unknown> = { url, store, ...options.extra };
  if (options.keys) appOptions.apiKeys = apiKeys;
  if (options.auth) appOptions.oauth = { issuer: options.auth.issuer, jwksUri: options.auth.jwksUri };
  if (options.upstream) appOptions.upstream = options.upstream;
  const made = await step.run(`createHttpApp({ ${Object.keys(appOptions).join(', ')} })`, () => createHttpApp(appOptions));
  if (typeof made !== 'function') {
    step.fail(`createHttpApp(options) should return the Express app (a request handler: createMcpExpressApp() gives one), got ${typeof made}.`);
  }
  app = made as typeof app;

  const snapshot = () => JSON.stringify({ projects: store.listProjects(), tasks: store.listTasks({}) });
  const before = snapshot();
  return {
    store,
    url,
    keys,
    apiKeys,
    http: new RawHttp(url),
    /** A token from the authorization server's key, for this server unless told otherwise. */
    mint: (mint: Partial<MintOptions> = {}) => {
      if (!options.auth) throw new Error('startBoard was called without an authorization server');
      return options.auth.mintToken({ audience: url.href, ...mint });
    },
    /** Fails when the board differs from how the check found it. */
    expectUnchanged(what: string) {
      step.expect(snapshot(), `${what}: the board must be unchanged (read back from the store)`).toBe(before);
    },
  };
}

/**
 * True when `text` holds `secret` or any 12-character piece of it: a log line that quotes half
 * a key, or splits it with an ellipsis, leaks it too. (A 12-character piece of a random key
 * does not occur in other text by chance.)
 */
export function leaks(text: string, secret: string): boolean {
  const random = secret.replace(/^(tbk|whk)_/, '');
  if (random.length <= 12) return text.includes(secret);
  for (let i = 0; i + 12 <= random.length; i++) if (text.includes(random.slice(i, i + 12))) return true;
  return false;
}

/** Opens a session (initialize + initialized) or fails the check, saying what came back instead. */
export async function openSession(step: StepContext, http: RawHttp, headers: Record<string, string>, what: string): Promise<string> {
  const { sessionId, answer } = await http.openSession(headers);
  if (sessionId) return sessionId;
  const body = answer.text.length > 300 ? `${answer.text.slice(0, 300)}…` : answer.text;
  return step.fail(`${what} should open a session (200 with an Mcp-Session-Id header), but the server answered ${answer.status} ${body}`);
}

/** Bearer header. */
export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

/** The webhook notify_team calls: records each request; answers `status` with `body`. */
export async function startWebhook(answer: { status?: number; body?: (req: { method?: string; headers: IncomingMessage['headers']; body: string }) => string } = {}) {
  const received: Array<{ method?: string; headers: IncomingMessage['headers']; body: string }> = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const entry = { method: req.method, headers: req.headers, body };
      received.push(entry);
      res.writeHead(answer.status ?? 200, { 'content-type': 'application/json' }).end(answer.body ? answer.body(entry) : '{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  cleanupAfterCheck(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/taskboard`, received };
}

export { HeadlessOAuthClient } from '../harness/oauth-client.js';

/** The claims of a JWT, without verifying it (the check's own view of a token it was given). */
export function claimsOf(token: string): Record<string, unknown> {
  try {
    return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}
