import { describe, expect, test } from 'vitest';
import { callTool, connectHttp, listTools, show, stepTitle, useLesson, type StepContext } from '../harness/index.js';
import { initializeRequest, toolCall } from '../harness/http-client.js';
import { startBoard, openSession } from './fixture.js';
import meta from './lesson.js';

const lesson = useLesson(meta);

const createWeb = (title = 'Planted by an attacker') => toolCall('create_task', { project: 'WEB', title });

describe(stepTitle(meta, 1), () => {
  const step: StepContext = lesson.step(1);

  test('R1.1: a real MCP client works over Streamable HTTP, each session with its own unguessable id', async () => {
    const board = await startBoard(step);
    const { client } = await connectHttp(step, board.url);
    const names = (await listTools(step, client)).map((t) => t.name);
    step.expect(names, 'tools/list over HTTP should list the Taskboard tools').toEqual(expect.arrayContaining(['create_task', 'list_tasks']));
    const created = await callTool(step, client, 'create_task', { project: 'API', title: 'Served over HTTP' });
    step.expect(created.isError ?? false, `create_task over HTTP should work, got ${show(created)}`).toBe(false);
    step.expect(board.store.listTasks({ project: 'API' }).map((t) => t.title), 'the task created over HTTP is on the board').toContain('Served over HTTP');

    const first = await board.http.openSession();
    const second = await board.http.openSession();
    step.expect(first.answer.status, `initialize over HTTP should succeed, got ${first.answer.status} ${first.answer.text.slice(0, 200)}`).toBe(200);
    const ids = [first.sessionId, second.sessionId];
    for (const id of ids) {
      step.expect(typeof id === 'string' && id.length >= 22 && /^[\x21-\x7e]+$/.test(id), `initialize should answer with an Mcp-Session-Id of at least 22 visible characters (128 random bits: randomUUID() gives 36), got ${JSON.stringify(id)}`).toBe(true);
    }
    step.expect(ids[0], 'two sessions must not share an id').not.toBe(ids[1]);

    // The transport's third method: GET with the session id opens the stream of server-initiated
    // messages (notifications of lessons 04-05), or answers 405 where a server offers none.
    const stream = await board.http.send({ method: 'GET', headers: { 'mcp-session-id': first.sessionId! } });
    const isStream = stream.status === 200 && String(stream.headers['content-type'] ?? '').includes('text/event-stream');
    step.expect(isStream || stream.status === 405, `GET ${board.url.pathname} with the session id should open the session's event stream (200, text/event-stream; or 405 if the server offers none), got ${stream.status} ${JSON.stringify(stream.headers['content-type'] ?? null)} ${stream.text.slice(0, 200)}`).toBe(true);
  });

  test('R1.2: an unknown or ended session gets 404; a request without a session that is not initialize gets 400', async () => {
    const board = await startBoard(step);
    const unknown = await board.http.send({ headers: { 'mcp-session-id': '6d5f3c1e-0000-4000-8000-000000000000' }, body: createWeb() });
    step.expect(unknown.status, `a request with a session id the server never issued should get 404 Not Found (the client then starts a new session), got ${unknown.status}`).toBe(404);
    for (const method of ['GET', 'DELETE'] as const) {
      const other = await board.http.send({ method, headers: { 'mcp-session-id': '6d5f3c1e-0000-4000-8000-000000000000' } });
      // 405 too for DELETE: a server that lets nobody end sessions refuses it before any lookup.
      const ok = other.status === 404 || (method === 'DELETE' && other.status === 405);
      step.expect(ok, `${method} with a session id the server never issued should get 404 too (every method looks the session up${method === 'DELETE' ? '; or 405 if DELETE is not allowed' : ''}), got ${other.status}`).toBe(true);
    }
    const noSession = await board.http.send({ body: createWeb() });
    step.expect(noSession.status, `a tools/call without a session id (and not an initialize request) should get 400 Bad Request, got ${noSession.status}`).toBe(400);
    board.expectUnchanged('after requests with no valid session');

    const sessionId = await openSession(step, board.http, {}, 'initialize');
    const closed = await board.http.send({ method: 'DELETE', headers: { 'mcp-session-id': sessionId! } });
    // The spec lets a server refuse DELETE with 405 (clients may not end sessions); otherwise it ends the session.
    if (closed.status !== 405) {
      step.expect(closed.status >= 200 && closed.status < 300, `DELETE with the session id ends the session (2xx; or 405 if you do not allow it), got ${closed.status}`).toBe(true);
      const after = await board.http.send({ headers: { 'mcp-session-id': sessionId! }, body: createWeb() });
      step.expect(after.status, `a request on a session that was ended with DELETE should get 404, got ${after.status}`).toBe(404);
      board.expectUnchanged('after a request on an ended session');
    }
  });

  test('R1.3: a request with a foreign Host header is refused with 403 (DNS rebinding), and changes nothing', async () => {
    const board = await startBoard(step);
    const sessionId = await openSession(step, board.http, {}, 'initialize');
    const port = board.url.port;
    for (const host of [`evil.example:${port}`, `attacker.test`]) {
      const init = await board.http.send({ headers: { host }, body: initializeRequest() });
      step.expect(init.status, `initialize with "Host: ${host}" should be refused with 403 (a page on a rebinding domain sends its own name), got ${init.status}`).toBe(403);
      const call = await board.http.send({ headers: { host, 'mcp-session-id': sessionId! }, body: createWeb() });
      step.expect(call.status, `create_task with "Host: ${host}" on an open session should be refused with 403, got ${call.status}`).toBe(403);
    }
    board.expectUnchanged('after requests with a forged Host');
    const ok = await board.http.send({ headers: { host: `localhost:${port}`, 'mcp-session-id': sessionId! }, body: toolCall('list_tasks', { project: 'WEB' }) });
    step.expect(ok.status, `"Host: localhost:${port}" names this machine and should be accepted, got ${ok.status}`).toBe(200);

    // The allow-list is the server's, not the SDK's loopback default: served under a name (behind
    // a proxy, in a container), the URL's host name is allowed and a foreign one still refused;
    // createMcpExpressApp checks Host by itself only for a loopback host, so this is the case
    // where a missing allowedHosts leaves the server open to rebinding.
    const named = await startBoard(step, { extra: { url: new URL('http://taskboard.test/mcp') } });
    const own = await named.http.send({ headers: { host: 'taskboard.test' }, body: initializeRequest() });
    step.expect(own.status, `createHttpApp({ url: 'http://taskboard.test/mcp' }): initialize with "Host: taskboard.test", the URL's own host name, should be accepted, got ${own.status} ${own.text.slice(0, 200)}`).toBe(200);
    const foreign = await named.http.send({ headers: { host: `evil.example:${named.url.port}` }, body: initializeRequest() });
    step.expect(foreign.status, `createHttpApp({ url: 'http://taskboard.test/mcp' }): initialize with "Host: evil.example" should be refused with 403 (the default allow-list is the URL's host name and localhost, whatever the host), got ${foreign.status}`).toBe(403);
    const listed = await startBoard(step, { extra: { allowedHosts: ['mcp.internal'] } });
    const allowed = await listed.http.send({ headers: { host: `mcp.internal:${listed.url.port}` }, body: initializeRequest() });
    step.expect(allowed.status, `createHttpApp({ allowedHosts: ['mcp.internal'] }): "Host: mcp.internal" is on the list given and should be accepted, got ${allowed.status} ${allowed.text.slice(0, 200)}`).toBe(200);
    const notListed = await listed.http.send({ headers: { host: `evil.example:${listed.url.port}` }, body: initializeRequest() });
    step.expect(notListed.status, `createHttpApp({ allowedHosts: ['mcp.internal'] }): "Host: evil.example" should be refused with 403, got ${notListed.status}`).toBe(403);
  });

  test('R1.4: a request from a foreign Origin is refused with 403; the own origin and no Origin are accepted', async () => {
    const board = await startBoard(step);
    const sessionId = await openSession(step, board.http, {}, 'initialize');
    for (const origin of ['http://evil.example', 'null', `http://127.0.0.1:${Number(board.url.port) + 1}`]) {
      const call = await board.http.send({ headers: { origin, 'mcp-session-id': sessionId! }, body: createWeb() });
      step.expect(call.status, `create_task with "Origin: ${origin}" should be refused with 403 (a web page in the user's browser must not drive the server), got ${call.status}`).toBe(403);
    }
    board.expectUnchanged('after requests from a foreign Origin');
    const own = await board.http.send({ headers: { origin: board.url.origin, 'mcp-session-id': sessionId! }, body: toolCall('list_tasks', { project: 'WEB' }) });
    step.expect(own.status, `"Origin: ${board.url.origin}" is the server's own origin and should be accepted, got ${own.status}`).toBe(200);
    const none = await board.http.send({ headers: { 'mcp-session-id': sessionId! }, body: toolCall('list_tasks', { project: 'WEB' }) });
    step.expect(none.status, `a request without Origin (not from a browser) should be accepted, got ${none.status}`).toBe(200);

    // options.allowedOrigins is the list (main.ts fills it from TASKBOARD_ALLOWED_ORIGINS, for the Inspector's page).
    const inspector = 'http://localhost:6274';
    const listed = await startBoard(step, { extra: { allowedOrigins: [inspector] } });
    const fromInspector = await listed.http.send({ headers: { origin: inspector }, body: initializeRequest() });
    step.expect(fromInspector.status, `createHttpApp({ allowedOrigins: ['${inspector}'] }): "Origin: ${inspector}" is on the list given and should be accepted, got ${fromInspector.status} ${fromInspector.text.slice(0, 200)}`).toBe(200);
    const fromEvil = await listed.http.send({ headers: { origin: 'http://evil.example' }, body: initializeRequest() });
    step.expect(fromEvil.status, `createHttpApp({ allowedOrigins: ['${inspector}'] }): "Origin: http://evil.example" should be refused with 403, got ${fromEvil.status}`).toBe(403);
  });

  test('R1.5: a body over 1 MB is refused with 413 and never reaches the board', async () => {
    const board = await startBoard(step);
    const sessionId = await openSession(step, board.http, {}, 'initialize');
    const huge = toolCall('create_task', { project: 'WEB', title: 'Huge', description: 'x'.repeat(2 * 1024 * 1024) });
    const answer = await board.http.send({ headers: { 'mcp-session-id': sessionId! }, body: huge });
    step.expect(answer.status, `a 2 MB request body should be refused with 413 Payload Too Large (express.json() does it; keep its limit at 1 MB or less), got ${answer.status}`).toBe(413);
    board.expectUnchanged('after a 2 MB request');
  });
});
