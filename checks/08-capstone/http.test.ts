import { request as httpRequest } from 'node:http';
import { describe, test } from 'vitest';
import { stepTitle, useLesson, type StepContext } from '../harness/index.js';
import { httpClient, KEYS, messagesOf, ok, post, rawSession, refused, seed, ServerProcess, SLOW, tasksOf } from './fixture.js';
import meta from './lesson.js';

const lesson = useLesson(meta);
const bearer = (who: keyof typeof KEYS) => ({ authorization: `Bearer ${KEYS[who].key}` });
const createCall = (id: number, project = 'WEB') => JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'create_task', arguments: { project, title: 'Sneaked in' } } });

describe(stepTitle(meta, 6), () => {
  const step: StepContext = lesson.step(6);

  test('R-AUTH-1: without a key, or with an unknown one, /mcp answers 401 with WWW-Authenticate: Bearer and does nothing', SLOW, async () => {
    const server = await ServerProcess.start(step, { transport: 'http' });
    const url = server.url!;
    const admin = await httpClient(step, server);
    await seed(step, admin, 'WEB', ['Existing']);
    const sessionId = await rawSession(step, url, bearer('admin'));
    for (const [label, headers] of [
      ['no Authorization header', {}],
      ['an unknown key', { authorization: 'Bearer tb-not-a-real-key-000' }],
    ] as const) {
      const init = await post(url, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'x', version: '1' } } }), headers);
      step.expect(init.status, `initialize with ${label} should be 401, got ${init.status} ${init.text.slice(0, 200)}`).toBe(401);
      step.expect(init.headers.get('www-authenticate') ?? '', `a 401 names the scheme: WWW-Authenticate: Bearer …`).toMatch(/^Bearer\b/i);
      const call = await post(url, createCall(2), { ...headers, 'mcp-session-id': sessionId });
      step.expect(call.status, `create_task on an open session with ${label} should be 401, got ${call.status}`).toBe(401);
    }
    step.expect((await tasksOf(step, admin, 'WEB')).length, 'requests without a valid key change nothing').toBe(1);
  });

  test('R-AUTH-2: a key with only tasks:read can list but every write tool is a tool error that changes nothing', SLOW, async () => {
    const server = await ServerProcess.start(step, { transport: 'http' });
    const admin = await httpClient(step, server);
    const reader = await httpClient(step, server, 'reader');
    const [id] = await seed(step, admin, 'WEB', ['Existing']);
    step.expect((await tasksOf(step, reader, 'WEB')).length, 'tasks:read is enough for list_tasks').toBe(1);
    await refused(step, reader, 'create_task', { project: 'WEB', title: 'x' }, 'the reader key lacks tasks:write');
    await refused(step, reader, 'set_status', { id: id!, status: 'done' }, 'the reader key lacks tasks:write');
    await refused(step, reader, 'import_tasks', { project: 'WEB', items: [{ title: 'x' }] }, 'the reader key lacks tasks:write');
    await refused(step, reader, 'create_project', { key: 'NEW', name: 'x' }, 'the reader key lacks tasks:write');
    step.expect((await tasksOf(step, admin, 'WEB')).map((t) => [t.id, t.status]), 'the refused writes change nothing').toEqual([['WEB-1', 'todo']]);
    await refused(step, admin, 'list_tasks', { project: 'NEW' }, 'create_project by the reader must not have created NEW');
  });

  test('R-AUTH-3: a session answers only the key that opened it (another valid key gets 404)', SLOW, async () => {
    const server = await ServerProcess.start(step, { transport: 'http' });
    const url = server.url!;
    const admin = await httpClient(step, server);
    await seed(step, admin, 'WEB', ['Existing']);
    const alices = await rawSession(step, url, bearer('alice'));
    const stolen = await post(url, createCall(5), { ...bearer('bob'), 'mcp-session-id': alices, 'mcp-protocol-version': '2025-11-25' });
    step.expect(stolen.status, `bob using alice's session id should get 404, got ${stolen.status} ${stolen.text.slice(0, 200)}`).toBe(404);
    step.expect((await tasksOf(step, admin, 'WEB')).length, 'nothing was done on the stolen session').toBe(1);
    const own = await post(url, createCall(6), { ...bearer('alice'), 'mcp-session-id': alices, 'mcp-protocol-version': '2025-11-25' });
    step.expect(own.status, `alice on her own session is answered (200), got ${own.status} ${own.text.slice(0, 200)}`).toBe(200);
  });
});

/** A request with a Host header of our choosing (fetch ignores a Host override). */
function withHost(url: URL, host: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { host, 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...bearer('admin') } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe(stepTitle(meta, 7), () => {
  const step: StepContext = lesson.step(7);

  test('R-HTTP-1: serves /mcp on the URL it prints, and GET /healthz answers {status: "ok"}', SLOW, async () => {
    const server = await ServerProcess.start(step, { transport: 'http' });
    const url = server.url!;
    step.expect(url.pathname, 'the MCP endpoint is /mcp').toBe('/mcp');
    step.expect(url.hostname, 'TASKBOARD_HOST=127.0.0.1 is where it listens').toBe('127.0.0.1');
    const health = await step.run('GET /healthz', async () => {
      const res = await fetch(new URL('/healthz', url));
      return { status: res.status, body: await res.json().catch(() => null) };
    });
    step.expect(health.status, 'GET /healthz').toBe(200);
    step.expect((health.body as { status?: string } | null)?.status, 'GET /healthz answers {"status":"ok"}').toBe('ok');
    const client = await httpClient(step, server);
    await seed(step, client, 'WEB', ['Over HTTP']);
  });

  test('R-HTTP-2: not JSON is 400/-32700; no session is 400; an unknown session is 404; a foreign Host is 403', SLOW, async () => {
    const server = await ServerProcess.start(step, { transport: 'http' });
    const url = server.url!;
    const admin = await httpClient(step, server);
    await seed(step, admin, 'WEB', ['Existing']);
    const sessionId = await rawSession(step, url, bearer('admin'));
    const notJson = await post(url, '{"jsonrpc": "2.0", "id": 1, "method": ', { ...bearer('admin'), 'mcp-session-id': sessionId });
    step.expect(notJson.status, `a body that is not JSON should be 400, got ${notJson.status}`).toBe(400);
    let code: unknown;
    try {
      code = messagesOf(notJson.text)[0]?.error?.code;
    } catch {
      step.fail(`the 400 answer should be a JSON-RPC error object, got ${notJson.text.slice(0, 200)}`);
    }
    step.expect(code, 'a body that is not JSON is the JSON-RPC error -32700 (parse error)').toBe(-32700);
    const noSession = await post(url, createCall(2), bearer('admin'));
    step.expect(noSession.status, `a tools/call without a session id should be 400, got ${noSession.status}`).toBe(400);
    const unknown = await post(url, createCall(3), { ...bearer('admin'), 'mcp-session-id': '6d5f3c1e-0000-4000-8000-000000000000' });
    step.expect(unknown.status, `an unknown session id should be 404, got ${unknown.status}`).toBe(404);
    for (const host of [`evil.example:${url.port}`, 'attacker.test']) {
      const status = await step.run(`POST with Host: ${host}`, () => withHost(url, host, createCall(4)));
      step.expect(status, `a request with "Host: ${host}" should be refused with 403 (DNS rebinding), got ${status}`).toBe(403);
    }
    step.expect((await tasksOf(step, admin, 'WEB')).length, 'none of these requests changed the board').toBe(1);
    await ok(step, admin, 'list_tasks', { project: 'WEB' });
  });
});
