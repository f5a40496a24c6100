import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { describe, expect, test } from 'vitest';
import type { AuthServer, MintOptions } from '../harness/auth-server.js';
import { cleanupAfterCheck, show, stepTitle, useLesson, type StepContext } from '../harness/index.js';
import { challenge, useAuthServer } from '../harness/oauth.js';
import { httpClient, KEYS, ok, post, rawSession, refused, seed, ServerProcess, SLOW, tasksOf } from './fixture.js';
import meta from './lesson.js';

/**
 * R-AUTH-4 to R-AUTH-6: the capstone as an OAuth resource server, as lesson 06 taught it. The
 * tokens come from the course's real authorization server (checks/harness/auth-server.ts), which
 * mints exactly the token a check needs (expired, for another audience, fewer scopes); the
 * server under test validates them against that server's JWKS. No token is validated here.
 */

const lesson = useLesson(meta);
const authServer = useAuthServer();
const ALL = 'tasks:read tasks:write tasks:admin';
const initialize = (id = 1) => JSON.stringify({ jsonrpc: '2.0', id, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'capstone-check', version: '1.0.0' } } });
const createCall = (id: number) => JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'create_task', arguments: { project: 'WEB', title: 'Sneaked in with a bad token' } } });
const bearer = (credential: string) => ({ authorization: `Bearer ${credential}` });

/** The server with both credentials: the API keys of KEYS and the tokens of the course's authorization server. */
async function startWithIssuer(step: StepContext, as: AuthServer): Promise<ServerProcess> {
  return ServerProcess.start(step, { transport: 'http', env: { TASKBOARD_AUTH_ISSUER: as.issuer } });
}

/** A token for this server (aud = its URL, as the authorization server issues it for the resource). */
function mint(server: ServerProcess, options: Partial<MintOptions> = {}): Promise<string> {
  return authServer().mintToken({ audience: server.url!.href, ...options });
}

/** An SDK client over Streamable HTTP that sends `token` as its bearer credential. */
async function tokenClient(step: StepContext, server: ServerProcess, token: string, who: string): Promise<Client> {
  const client = new Client({ name: 'capstone-check', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(server.url!, { requestInit: { headers: bearer(token) } });
  await step.run(`connecting an MCP client over HTTP with ${who}`, () => client.connect(transport));
  cleanupAfterCheck(() => client.close());
  return client;
}

/** A 401 whose WWW-Authenticate is a Bearer challenge naming the resource metadata on this server; returns that URL. */
function expect401(step: StepContext, answer: { status: number; headers: Headers; text: string }, what: string, server: ServerProcess): string {
  step.expect(answer.status, `${what} should be refused with 401 (the credential is not valid), got ${answer.status} ${answer.text.slice(0, 200)}`).toBe(401);
  const header = challenge(answer.headers.get('www-authenticate') ?? undefined);
  step.expect(header?.scheme, `${what}: a 401 carries "WWW-Authenticate: Bearer …", got ${JSON.stringify(answer.headers.get('www-authenticate'))}`).toBe('bearer');
  const advertised = header?.params.resource_metadata ?? '';
  let onThisServer = false;
  try {
    onThisServer = new URL(advertised).origin === server.url!.origin;
  } catch {
    // not a URL: reported below
  }
  step.expect(onThisServer, `${what}: with TASKBOARD_AUTH_ISSUER set, the 401's WWW-Authenticate names the Protected Resource Metadata on this server (resource_metadata="${server.url!.origin}/.well-known/oauth-protected-resource/mcp"), so a client can find the authorization server; got ${JSON.stringify(answer.headers.get('www-authenticate'))}`).toBe(true);
  return advertised;
}

describe(stepTitle(meta, 6), () => {
  const step: StepContext = lesson.step(6);

  test('R-AUTH-4: an access token from TASKBOARD_AUTH_ISSUER is a caller: its sub is the name, its scopes the rights, under the same rules as an API key (R-AUTH-2, R-STATUS-2, R-STATUS-3)', SLOW, async () => {
    const server = await startWithIssuer(step, authServer());
    const admin = await httpClient(step, server);
    const [anas, bens, open] = await seed(step, admin, 'WEB', [{ title: 'Ana\'s task', assignee: 'ana' }, { title: 'Ben\'s task', assignee: 'ben' }, 'Nobody\'s task']);

    // tasks:read tasks:write, signed in as ana.
    const ana = await tokenClient(step, server, await mint(server, { subject: 'ana', scope: 'tasks:read tasks:write' }), 'a token for ana (tasks:read tasks:write)');
    step.expect((await tasksOf(step, ana, 'WEB')).length, 'a valid token with tasks:read can list_tasks').toBe(3);
    const created = await ok(step, ana, 'create_task', { project: 'WEB', title: 'Filed with a token' });
    step.expect(created.task?.id, `a token with tasks:write can create_task, got ${show(created)}`).toBe('WEB-4');
    await ok(step, ana, 'set_status', { id: anas!, status: 'in_progress' });
    await refused(step, ana, 'set_status', { id: bens!, status: 'in_progress' }, `${bens} is assigned to ben and the token's sub is ana (R-STATUS-3: the caller is the token's sub)`);
    await ok(step, ana, 'set_status', { id: open!, status: 'done' });
    await refused(step, ana, 'set_status', { id: open!, status: 'todo' }, 'reopening needs tasks:admin, which ana\'s token lacks (R-STATUS-2)');

    // tasks:read only: the reader of R-AUTH-2, as a token.
    const reader = await tokenClient(step, server, await mint(server, { subject: 'ben', scope: 'tasks:read' }), 'a token for ben with only tasks:read');
    step.expect((await tasksOf(step, reader, 'WEB')).length, 'a tasks:read token can list_tasks').toBe(4);
    await refused(step, reader, 'create_task', { project: 'WEB', title: 'Read-only write' }, 'the token lacks tasks:write (R-AUTH-2)');
    await refused(step, reader, 'set_status', { id: bens!, status: 'in_progress' }, 'ben is the assignee, but his token lacks tasks:write (R-AUTH-2)');

    // tasks:admin: reopens, and moves someone else's task.
    const boss = await tokenClient(step, server, await mint(server, { subject: 'carla', scope: ALL }), 'a token for carla with tasks:admin');
    await ok(step, boss, 'set_status', { id: open!, status: 'todo' });
    await ok(step, boss, 'set_status', { id: bens!, status: 'blocked' });

    const after = await tasksOf(step, admin, 'WEB');
    step.expect(after.map((t) => [t.id, t.status]), 'the board after these calls: only the allowed moves happened, and the refused calls changed nothing').toEqual([
      [anas, 'in_progress'],
      [bens, 'blocked'],
      [open, 'todo'],
      ['WEB-4', 'todo'],
    ]);
  });

  const badTokens: Array<[string, (server: ServerProcess) => Promise<string>]> = [
    ['a token for another resource (aud = another MCP server)', (s) => mint(s, { audience: `http://127.0.0.1:${Number(s.url!.port) + 1}/mcp` })],
    ['a token for the authorization server itself (aud = its issuer)', (s) => mint(s, { audience: authServer().issuer })],
    ['a token without an audience', (s) => mint(s, { audience: null })],
    ['an expired token', (s) => mint(s, { expiresIn: -3600 })],
    ['a token from another issuer', (s) => mint(s, { issuer: 'http://127.0.0.1:1/not-the-issuer' })],
    ['a token signed by another key (same kid)', (s) => mint(s, { signer: 'foreign' })],
    ['an unsigned token (alg none)', (s) => mint(s, { signer: 'none' })],
  ];

  test('R-AUTH-5: a token for another audience, expired, from another issuer or not signed by the issuer is refused with 401 and changes nothing', SLOW, async () => {
    const server = await startWithIssuer(step, authServer());
    const admin = await httpClient(step, server);
    await seed(step, admin, 'WEB', ['Existing']);
    // A session opened with a valid token: a bad token must not ride on it either.
    const good = bearer(await mint(server, { scope: ALL }));
    const sessionId = await rawSession(step, server.url!, good);
    for (const [what, make] of badTokens) {
      const token = await make(server);
      expect401(step, await post(server.url!, initialize(), bearer(token)), `initialize with ${what}`, server);
      expect401(step, await post(server.url!, createCall(2), { ...bearer(token), 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' }), `create_task on an open session with ${what}`, server);
    }
    step.expect((await tasksOf(step, admin, 'WEB')).map((t) => t.title), 'requests with invalid tokens change nothing').toEqual(['Existing']);
  });

  test('R-AUTH-6: without a credential, a 401 names the Protected Resource Metadata (RFC 9728), which names this server, the issuer and the scopes; API keys keep working', SLOW, async () => {
    const as = authServer();
    const server = await startWithIssuer(step, as);
    const metadataUrl = expect401(step, await post(server.url!, initialize()), 'initialize without an Authorization header', server);
    const response = await step.run(`GET ${metadataUrl}`, () => fetch(metadataUrl));
    step.expect(response.status, `GET ${metadataUrl}, the resource_metadata of the 401 (no credential needed), should serve the Protected Resource Metadata, got ${response.status}`).toBe(200);
    const metadata = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    step.expect(metadata.resource, `the metadata's "resource" is this server's URL exactly as clients use it (${server.url!.href}); got ${show(metadata)}`).toBe(server.url!.href);
    step.expect(metadata.authorization_servers, `the metadata's "authorization_servers" lists TASKBOARD_AUTH_ISSUER (${as.issuer}); got ${show(metadata)}`).toEqual(expect.arrayContaining([as.issuer]));
    step.expect(metadata.scopes_supported, `the metadata's "scopes_supported" lists tasks:read, tasks:write and tasks:admin; got ${show(metadata)}`).toEqual(expect.arrayContaining(['tasks:read', 'tasks:write', 'tasks:admin']));

    // An unknown API key is refused like a bad token; the known keys work beside the tokens.
    expect401(step, await post(server.url!, initialize(), bearer('tb-not-a-real-key-000')), 'initialize with an unknown API key', server);
    const alice = await httpClient(step, server, 'alice');
    await seed(step, alice, 'WEB', ['Filed with a key']);
    const reader = await httpClient(step, server, 'reader');
    await refused(step, reader, 'create_task', { project: 'WEB', title: 'x' }, `the ${KEYS.reader.name} key lacks tasks:write`);
    const token = await tokenClient(step, server, await mint(server, { subject: 'ana' }), 'a token for ana');
    step.expect((await tasksOf(step, token, 'WEB')).map((t) => t.title), 'a token and a key see the same board').toEqual(['Filed with a key']);
  });
});
