import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { describe, expect, test } from 'vitest';
import { ANSWER_TIMEOUT_MS, callTool, CHECK_CLIENT, cleanupAfterCheck, connectHttp, show, stepTitle, useLesson, type StepContext } from '../harness/index.js';
import { initializeRequest, toolCall, type HttpAnswer } from '../harness/http-client.js';
import { bearer, challenge, claimsOf, HeadlessOAuthClient, startBoard, startWebhook, useAuthServer, openSession } from './fixture.js';
import meta from './lesson.js';

const lesson = useLesson(meta);
const authServer = useAuthServer();

const createWeb = () => toolCall('create_task', { project: 'WEB', title: 'Planted with a bad token' });

/**
 * A 401 with `WWW-Authenticate: Bearer … resource_metadata="…"`. RFC 9728 lets the server put its
 * metadata at the path-specific or the root well-known URL; the check takes what the header says
 * (R3.1 then reads it) and only wants it on this server.
 */
function expect401(step: StepContext, answer: HttpAnswer, what: string, serverUrl: URL) {
  step.expect(answer.status, `${what} should be refused with 401 (the token is not valid: the client must get a new one; 403 would mean "valid, but not allowed"), got ${answer.status}`).toBe(401);
  const header = challenge(answer.headers['www-authenticate']);
  step.expect(header?.scheme, `${what}: a 401 must carry "WWW-Authenticate: Bearer …", got ${JSON.stringify(answer.headers['www-authenticate'])}`).toBe('bearer');
  const advertised = header?.params.resource_metadata;
  step.expect(onServer(advertised, serverUrl), `${what}: the 401's WWW-Authenticate must name the Protected Resource Metadata on this server (resource_metadata="${metadataUrlOf(serverUrl)}"): it is how a client finds the authorization server; got ${JSON.stringify(answer.headers['www-authenticate'])}`).toBe(true);
  return advertised!;
}

const metadataUrlOf = (url: URL) => new URL(`/.well-known/oauth-protected-resource${url.pathname}`, url).href;

describe(stepTitle(meta, 3), () => {
  const step: StepContext = lesson.step(3);

  test('R3.1: without a token: 401 naming the resource metadata, which names this server and its authorization server', async () => {
    const board = await startBoard(step, { keys: true, auth: authServer() });
    const metadataUrl = expect401(step, await board.http.send({ body: initializeRequest() }), 'initialize without a token', board.url);
    const sessionId = await openSession(step, board.http, bearer(await board.mint()), 'initialize with a valid access token');
    expect401(step, await board.http.send({ headers: { 'mcp-session-id': sessionId! }, body: createWeb() }), 'create_task on an open session without a token', board.url);
    board.expectUnchanged('after requests without a token');

    const response = await fetch(metadataUrl);
    step.expect(response.status, `GET ${metadataUrl}, the resource_metadata of the 401 (no token needed), should serve the Protected Resource Metadata, got ${response.status}`).toBe(200);
    const metadata = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    step.expect(metadata.resource, `the metadata's "resource" must be this server's URL, exactly as clients use it (${board.url.href}); got ${show(metadata)}`).toBe(board.url.href);
    step.expect(metadata.authorization_servers, `the metadata's "authorization_servers" must list the issuer ${authServer().issuer}; got ${show(metadata)}`).toEqual(expect.arrayContaining([authServer().issuer]));
    step.expect(metadata.scopes_supported, `the metadata's "scopes_supported" should list tasks:read and tasks:write; got ${show(metadata)}`).toEqual(expect.arrayContaining(['tasks:read', 'tasks:write']));
  });

  test('R3.2: a valid access token from the authorization server opens a session and can call tools', async () => {
    const board = await startBoard(step, { keys: true, auth: authServer() });
    const { client } = await connectHttp(step, board.url, { transport: { requestInit: { headers: bearer(await board.mint({ subject: 'ana' })) } } });
    const listed = await callTool(step, client, 'list_tasks', { project: 'WEB' });
    step.expect(listed.isError ?? false, `list_tasks with a valid token should work, got ${show(listed)}`).toBe(false);
  });

  const attacks: Array<[string, string, (board: Awaited<ReturnType<typeof startBoard>>) => Promise<string>]> = [
    ['R3.3', 'an expired token', (b) => b.mint({ expiresIn: -3600 })],
    ['R3.3', 'a token not valid before an hour from now (nbf)', (b) => b.mint({ notBefore: 3600 })],
    ['R3.4', 'a token signed by another key (same kid)', (b) => b.mint({ signer: 'foreign' })],
    ['R3.5', 'a token from another issuer', (b) => b.mint({ issuer: 'http://127.0.0.1:1/not-the-issuer' })],
    ['R3.6', 'a token for another resource (aud = another MCP server)', (b) => b.mint({ audience: `http://127.0.0.1:${Number(b.url.port) + 1}/mcp` })],
    ['R3.6', 'a token for the authorization server itself (aud = issuer)', (b) => b.mint({ audience: authServer().issuer })],
    ['R3.6', 'a token for another resource on the same host (aud = /other)', (b) => b.mint({ audience: new URL('/other', b.url).href })],
    ['R3.6', 'a token without an audience', (b) => b.mint({ audience: null })],
    ['R3.7', 'an unsigned token (alg none)', (b) => b.mint({ signer: 'none' })],
  ];
  for (const [id, what, make] of attacks) {
    test(`${id}: ${what} is refused with 401 and changes nothing`, async () => {
      const board = await startBoard(step, { keys: true, auth: authServer() });
      const sessionId = await openSession(step, board.http, bearer(await board.mint()), 'initialize with a valid access token');
      const token = await make(board);
      expect401(step, await board.http.send({ headers: bearer(token), body: initializeRequest() }), `initialize with ${what}`, board.url);
      expect401(step, await board.http.send({ headers: { ...bearer(token), 'mcp-session-id': sessionId! }, body: createWeb() }), `create_task with ${what}`, board.url);
      board.expectUnchanged(`after requests with ${what}`);
    });
  }

  test('R3.8, R4.4: end to end: the SDK client discovers, registers, runs authorization code + PKCE for this resource, and calls tools as the signed-in user', async () => {
    const as = authServer();
    const board = await startBoard(step, { keys: true, auth: as });
    const provider = new HeadlessOAuthClient();
    const connect = async () => {
      const transport = new StreamableHTTPClientTransport(board.url, { authProvider: provider });
      const client = new Client(CHECK_CLIENT, { capabilities: {} });
      cleanupAfterCheck(() => client.close());
      return { client, transport, connected: client.connect(transport, { timeout: ANSWER_TIMEOUT_MS }) };
    };
    const first = await connect();
    const refused = await first.connected.then(() => undefined, (error: unknown) => error);
    const authorizationUrl = step.require(
      provider.authorizationUrl,
      `the SDK client got no authorization URL: it should have received a 401 with resource_metadata, read the metadata, found the authorization server and registered (${refused instanceof Error ? refused.message : 'it connected without a token'})`,
    );
    step.expect(authorizationUrl.searchParams.get('resource'), 'the client asks for a token for the "resource" the metadata names (RFC 8707)').toBe(board.url.href);
    step.expect(authorizationUrl.searchParams.get('code_challenge_method'), 'PKCE with S256').toBe('S256');
    const back = await as.approve(authorizationUrl, { account: 'ben' });
    const code = step.require(back.searchParams.get('code'), `the authorization server did not return a code: ${back.href}`);
    await step.run('transport.finishAuth(code)', () => first.transport.finishAuth(code));
    const token = step.require(provider.tokens()?.access_token, 'no access token after finishAuth');
    step.expect(claimsOf(token).aud, 'the access token is for this server (aud = its URL)').toBe(board.url.href);

    const second = await connect();
    await step.run('connecting again with the access token', () => second.connected);
    const listed = await callTool(step, second.client, 'list_tasks', { project: 'WEB' });
    step.expect(listed.isError ?? false, `list_tasks after the OAuth flow should work, got ${show(listed)}`).toBe(false);
    const created = await callTool(step, second.client, 'create_task', { project: 'API', title: 'Filed by ben via OAuth' });
    step.expect(created.isError ?? false, `create_task after the OAuth flow should work, got ${show(created)}`).toBe(false);
    const task = board.store.listTasks({ project: 'API' }).find((t) => t.title === 'Filed by ben via OAuth');
    step.expect(task?.assignee, 'create_task without an assignee assigns the task to the signed-in user (the token\'s subject, from extra.authInfo)').toBe('ben');
  });
});

describe(stepTitle(meta, 4), () => {
  const step: StepContext = lesson.step(4);

  /** A 403 with `WWW-Authenticate: Bearer error="insufficient_scope", scope="… <scope> …"`. */
  function expect403(answer: HttpAnswer, what: string, scope: string, serverUrl: URL) {
    step.expect(answer.status, `${what} should be refused with 403 insufficient_scope (the token is valid, its scopes are not enough), got ${answer.status} ${answer.text.slice(0, 200)}`).toBe(403);
    const header = challenge(answer.headers['www-authenticate']);
    step.expect(header?.params.error, `${what}: the 403 must carry WWW-Authenticate with error="insufficient_scope", got ${JSON.stringify(answer.headers['www-authenticate'])}`).toBe('insufficient_scope');
    step.expect((header?.params.scope ?? '').split(' '), `${what}: the WWW-Authenticate scope="…" must name the scope needed, ${scope}`).toContain(scope);
    // Like every 401: the client that steps up (asks the user for more scope) learns from it where to go.
    step.expect(onServer(header?.params.resource_metadata, serverUrl), `${what}: the 403's WWW-Authenticate should name the Protected Resource Metadata on this server too (resource_metadata="…", as in every 401), got ${JSON.stringify(answer.headers['www-authenticate'])}`).toBe(true);
  }

  test('R4.1: a read-only token reads, and every tool that changes the board is refused with 403 naming tasks:write', async () => {
    const webhook = await startWebhook();
    const board = await startBoard(step, { keys: true, auth: authServer(), upstream: { url: webhook.url, token: `whk_${'r'.repeat(32)}` } });
    const headers = bearer(await board.mint({ scope: 'tasks:read' }));
    const sessionId = await openSession(step, board.http, headers, 'initialize with a tasks:read token');
    const session = { ...headers, 'mcp-session-id': sessionId! };
    const reads: Record<string, Record<string, unknown>> = { list_tasks: { project: 'WEB' }, search_tasks: { project: 'WEB' }, find_task: { id: 'WEB-1' }, estimate_task: { id: 'WEB-1' } };
    for (const [name, args] of Object.entries(reads)) {
      const answer = await board.http.send({ headers: session, body: toolCall(name, args) });
      step.expect(answer.status, `${name} only reads: a tasks:read token may call it, got ${answer.status} ${answer.text.slice(0, 200)}`).toBe(200);
    }
    const writes: Record<string, Record<string, unknown>> = {
      create_task: { project: 'WEB', title: 'Planted by a reader' },
      complete_task: { id: 'WEB-1' },
      delete_task: { id: 'WEB-3' },
      import_tasks: { project: 'WEB', tasks: [{ title: 'Imported by a reader' }] },
      notify_team: { task: 'WEB-1', message: 'Sent by a reader' },
    };
    // Every tool the server lists that is not one of the read tools: the ones above, and any
    // other (a list of write tools misses the one added last; a list of read tools fails closed).
    const listed = await board.http.send({ headers: session, body: { jsonrpc: '2.0', id: 3, method: 'tools/list' } });
    const names = ((listed.messages.find((m) => m.id === 3)?.result as { tools?: Array<{ name: string }> } | undefined)?.tools ?? []).map((t) => t.name);
    step.expect(names, `tools/list with a tasks:read token should list the tools, notify_team included (the webhook is configured), got ${listed.status} ${listed.text.slice(0, 200)}`).toEqual(expect.arrayContaining([...Object.keys(reads), ...Object.keys(writes)]));
    for (const name of [...new Set([...Object.keys(writes), ...names.filter((n) => !(n in reads)), 'drop_board'])]) {
      const what = name === 'drop_board' ? 'a tools/call of a tool the server does not list (drop_board: fail closed, only the read tools are known to be safe)' : `${name} with a tasks:read token`;
      expect403(await board.http.send({ headers: session, body: toolCall(name, writes[name] ?? {}) }), what, 'tasks:write', board.url);
    }
    step.expect(webhook.received.length, 'notify_team with a tasks:read token must not reach the webhook').toBe(0);
    // The SDK's transport still accepts a JSON-RPC batch (an array): a write hidden behind a read must not slip through.
    const batch = [toolCall('list_tasks', { project: 'WEB' }, 7), toolCall('delete_task', { id: 'WEB-1' }, 8)];
    expect403(await board.http.send({ headers: session, body: batch }), 'a batch [list_tasks, delete_task] with a tasks:read token', 'tasks:write', board.url);
    board.expectUnchanged('after write tools called with a read-only token');
  });

  test('R4.2: a token without tasks:read is refused with 403 naming tasks:read', async () => {
    const board = await startBoard(step, { keys: true, auth: authServer() });
    expect403(await board.http.send({ headers: bearer(await board.mint({ scope: 'tasks:write' })), body: initializeRequest() }), 'initialize with a token that has only tasks:write', 'tasks:read', board.url);
    expect403(await board.http.send({ headers: bearer(await board.mint({ scope: 'openid' })), body: initializeRequest() }), 'initialize with a token without task scopes', 'tasks:read', board.url);
    // RFC 9068 makes `scope` optional: a token without it is valid and grants nothing (not a 500).
    expect403(await board.http.send({ headers: bearer(await board.mint({ scope: null })), body: initializeRequest() }), 'initialize with a token that has no scope claim at all', 'tasks:read', board.url);
  });

  test('R4.3: API keys carry scopes too: the read-only key cannot change the board', async () => {
    const board = await startBoard(step, { keys: true, auth: authServer() });
    const headers = bearer(board.keys.viewer);
    const sessionId = await openSession(step, board.http, headers, 'initialize with the "viewer" key');
    expect403(await board.http.send({ headers: { ...headers, 'mcp-session-id': sessionId! }, body: toolCall('delete_task', { id: 'WEB-1' }) }), 'delete_task with the read-only "viewer" key', 'tasks:write', board.url);
    board.expectUnchanged('after delete_task with a read-only key');
  });

  test('R4.4: create_task assigns the new task to the caller (token subject or key name) unless an assignee is given', async () => {
    const board = await startBoard(step, { keys: true, auth: authServer() });
    for (const [who, token] of [['ana', await board.mint({ subject: 'ana' })], ['ben', await board.mint({ subject: 'ben' })], ['ci', board.keys.ci]] as const) {
      const { client } = await connectHttp(step, board.url, { transport: { requestInit: { headers: bearer(token) } } });
      const result = await callTool(step, client, 'create_task', { project: 'API', title: `Filed by ${who}` });
      step.expect(result.isError ?? false, `create_task as ${who} should work, got ${show(result)}`).toBe(false);
      const task = board.store.listTasks({ project: 'API' }).find((t) => t.title === `Filed by ${who}`);
      step.expect(task?.assignee, `create_task without an assignee, called as ${who}, should assign the task to ${who} (extra.authInfo)`).toBe(who);
      if (who === 'ana') {
        await callTool(step, client, 'create_task', { project: 'API', title: 'For carol', assignee: 'carol' });
        step.expect(board.store.listTasks({ project: 'API' }).find((t) => t.title === 'For carol')?.assignee, 'an explicit assignee argument wins over the caller').toBe('carol');
      }
    }
  });
});

describe(stepTitle(meta, 5), () => {
  const step: StepContext = lesson.step(5);

  const refused = (status: number) => status === 403 || status === 404;

  test("R5.1: a session opened by one user is refused to another user's valid token, and stays usable by its owner", async () => {
    const board = await startBoard(step, { keys: true, auth: authServer() });
    const ana = bearer(await board.mint({ subject: 'ana' }));
    const ben = bearer(await board.mint({ subject: 'ben' }));
    const sessionId = await openSession(step, board.http, ana, "initialize with ana's token");
    const hijack = { ...ben, 'mcp-session-id': sessionId! };
    const post = await board.http.send({ headers: hijack, body: toolCall('delete_task', { id: 'WEB-1' }) });
    step.expect(refused(post.status), `ben's token with ana's session id should be refused (404, as if the session did not exist, or 403), got ${post.status}`).toBe(true);
    const get = await board.http.send({ method: 'GET', headers: hijack });
    step.expect(refused(get.status), `GET (the event stream) of ana's session with ben's token should be refused, got ${get.status}`).toBe(true);
    const del = await board.http.send({ method: 'DELETE', headers: hijack });
    // 405 too: a server that lets nobody end sessions by DELETE refuses ben as well.
    step.expect(refused(del.status) || del.status === 405, `DELETE of ana's session with ben's token should be refused, got ${del.status}`).toBe(true);
    board.expectUnchanged("after ben's requests on ana's session");
    // The principal is the client and the user: ana's token issued to another client (another
    // app she signed in to) is someone else for this session.
    const otherClient = { ...bearer(await board.mint({ subject: 'ana', clientId: 'another-mcp-client' })), 'mcp-session-id': sessionId! };
    const borrowed = await board.http.send({ headers: otherClient, body: toolCall('delete_task', { id: 'WEB-1' }) });
    step.expect(refused(borrowed.status), `ana's token issued to another client, with the session ana opened through the first client, should be refused (bind the session to client and subject), got ${borrowed.status}`).toBe(true);
    board.expectUnchanged("after other principals' requests on ana's session");
    const own = await board.http.send({ headers: { ...ana, 'mcp-session-id': sessionId! }, body: toolCall('list_tasks', { project: 'WEB' }) });
    step.expect(own.status, `ana's session should still work for ana after the refused attempts, got ${own.status}`).toBe(200);
    const ownStream = await board.http.send({ method: 'GET', headers: { ...ana, 'mcp-session-id': sessionId! } });
    step.expect(ownStream.status === 200 || ownStream.status === 405, `GET (the event stream) of ana's session with ana's token should be served (200; or 405 if the server offers no stream), got ${ownStream.status}`).toBe(true);
  });

  test('R5.2: a session opened with an API key is refused to a token and to another key', async () => {
    const board = await startBoard(step, { keys: true, auth: authServer() });
    const sessionId = await openSession(step, board.http, bearer(board.keys.viewer), 'initialize with the "viewer" key');
    for (const [who, token] of [['ana\'s token', await board.mint({ subject: 'viewer' })], ['the "ci" key', board.keys.ci]] as const) {
      const answer = await board.http.send({ headers: { ...bearer(token), 'mcp-session-id': sessionId! }, body: toolCall('create_task', { project: 'WEB', title: 'Planted in a borrowed session' }) });
      step.expect(refused(answer.status), `${who} with the viewer key's session id should be refused (404 or 403), got ${answer.status}`).toBe(true);
    }
    board.expectUnchanged('after requests on a borrowed session');
  });
});

/** A `resource_metadata` URL on the server's own origin (anything unparsable is not). */
function onServer(advertised: string | undefined, serverUrl: URL): boolean {
  try {
    return new URL(advertised ?? '').origin === serverUrl.origin;
  } catch {
    return false;
  }
}
