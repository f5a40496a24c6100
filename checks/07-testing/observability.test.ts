import type { LoggingMessageNotification } from '@modelcontextprotocol/sdk/types.js';
import { describe, test } from 'vitest';
import { connectHttp, connectServer, NotificationLog, request, show, stepTitle, useLesson, type StepContext } from '../harness/index.js';
import { apiKeysFile, freePort, ServerProcess } from './server-process.js';
import meta from './lesson.js';

const lesson = useLesson(meta);
const LEVELS = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'];

function jsonLine(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function expectStructured(step: StepContext, server: ServerProcess): Array<Record<string, unknown>> {
  return server.stderrLines
    .filter((l) => l.trim() !== '')
    .map((line) => {
      const entry = jsonLine(line);
      step.expect(entry, `every stderr line should be one JSON object, like {"time":"…","level":"info","msg":"…"}; got: ${line.slice(0, 200)}`).toBeDefined();
      step.expect(typeof entry!.time === 'string' && !Number.isNaN(Date.parse(entry!.time)), `"time" should be an ISO 8601 timestamp: ${line.slice(0, 200)}`).toBe(true);
      step.expect(LEVELS, `"level" should be one of the MCP levels (${LEVELS.join(', ')}): ${line.slice(0, 200)}`).toContain(entry!.level);
      step.expect(typeof entry!.msg, `"msg" should be a string: ${line.slice(0, 200)}`).toBe('string');
      return entry!;
    });
}

const names = (entry: Record<string, unknown>, id: string) => JSON.stringify(entry).includes(`"${id}"`);

describe(stepTitle(meta, 5), () => {
  const step: StepContext = lesson.step(5);

  test('R5.1: stderr holds JSON lines (time, level, msg); a created task is logged at info; lines below TASKBOARD_LOG_LEVEL are left out', { timeout: 60_000 }, async () => {
    const server = ServerProcess.start(step, { file: 'src/main.ts' }, { TASKBOARD_LOG_LEVEL: 'info' });
    await server.handshake();
    await server.stderrLine('a first log line', () => true);
    expectStructured(step, server);
    server.send({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'create_task', arguments: { project: 'WEB', title: 'Logged' } } });
    await server.message('the answer to create_task', (m) => m.id === 1);
    await server.stderrLine('a log line naming the new task WEB-4', (l) => l.includes('"WEB-4"'));
    const entries = expectStructured(step, server);
    step.expect(entries.find((e) => names(e, 'WEB-4'))?.level, 'creating WEB-4 should be logged at level info').toBe('info');

    const quiet = ServerProcess.start(step, { file: 'src/main.ts' }, { TASKBOARD_LOG_LEVEL: 'warning' });
    await quiet.handshake();
    quiet.send({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'create_task', arguments: { project: 'WEB', title: 'Quiet' } } });
    await quiet.message('the answer to create_task', (m) => m.id === 1);
    quiet.send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'delete_task', arguments: { id: 'WEB-4' } } });
    await quiet.message('the answer to delete_task', (m) => m.id === 2);
    await quiet.stderrLine('a warning naming the deleted task WEB-4', (l) => l.includes('"WEB-4"') && l.includes('"warning"'));
    const below = expectStructured(step, quiet).filter((e) => e.level === 'debug' || e.level === 'info' || e.level === 'notice');
    step.expect(below.map((e) => e.msg), 'with TASKBOARD_LOG_LEVEL=warning, no debug, info or notice lines (deleting a task is a warning)').toEqual([]);
  });

  test('R5.2: board changes reach the client as MCP log messages (logger "taskboard"), at the level it set', { timeout: 60_000 }, async () => {
    const { client } = await connectServer(step);
    const log = new NotificationLog(client);
    const messages = () => log.ofMethod('notifications/message') as LoggingMessageNotification[];
    await request(step, 'logging/setLevel info', (o) => client.setLoggingLevel('info', o));
    await request(step, 'create_task', (o) => client.callTool({ name: 'create_task', arguments: { project: 'WEB', title: 'Shipped' } }, undefined, o));
    const created = await log.waitFor(step, 'a notifications/message naming the new task WEB-4', (n) => n.method === 'notifications/message' && JSON.stringify(n.params).includes('"WEB-4"'));
    step.expect(created.params, `the message for a created task: level info, logger "taskboard"; got ${show(created.params)}`).toMatchObject({ level: 'info', logger: 'taskboard' });

    await request(step, 'logging/setLevel warning', (o) => client.setLoggingLevel('warning', o));
    const before = messages().length;
    await request(step, 'create_task', (o) => client.callTool({ name: 'create_task', arguments: { project: 'WEB', title: 'Unheard' } }, undefined, o));
    await request(step, 'delete_task', (o) => client.callTool({ name: 'delete_task', arguments: { id: 'WEB-5' } }, undefined, o));
    await log.waitFor(step, 'a warning naming the deleted task WEB-5', (n) => n.method === 'notifications/message' && JSON.stringify(n.params).includes('"WEB-5"') && (n.params as { level?: string }).level === 'warning');
    // Messages arrive in order: the warning came, so an info message for WEB-5's creation would have come first.
    const after = messages().slice(before).filter((n) => n.params.level === 'info');
    step.expect(after.map((n) => n.params.data), 'after logging/setLevel "warning", creating a task (info) must send no message').toEqual([]);
  });
});

describe(stepTitle(meta, 7), () => {
  const step: StepContext = lesson.step(7);

  async function startHttp() {
    const port = await freePort();
    // Lesson 06: HTTP needs a credential; an API key is the simplest (lesson 06, step 2).
    const keys = apiKeysFile();
    const server = ServerProcess.start(step, { file: 'src/main.ts' }, { TASKBOARD_TRANSPORT: 'http', TASKBOARD_HOST: '127.0.0.1', TASKBOARD_PORT: String(port), TASKBOARD_LOG_LEVEL: 'info', TASKBOARD_ESTIMATE_DELAY_MS: '1200', TASKBOARD_API_KEYS_FILE: keys.file });
    await server.stderrLine('the "listening" log line', (l) => /listening/i.test(l));
    const connect = () => connectHttp(step, `http://127.0.0.1:${port}/mcp`, { transport: { requestInit: { headers: keys.headers } } });
    return { server, base: `http://127.0.0.1:${port}`, connect };
  }

  test('R7.1: over HTTP, GET /healthz answers 200 {"status":"ok"} and a client at /mcp completes the handshake and a tool call', { timeout: 60_000 }, async () => {
    const { server, base, connect } = await startHttp();
    // No credential: a health check is asked by a load balancer, which has none.
    const health = await fetch(`${base}/healthz`).catch((error: unknown) => step.fail(`GET ${base}/healthz failed: ${String(error)}${server.context()}`));
    step.expect(health.status, `GET /healthz should answer 200 while the server serves`).toBe(200);
    const body = (await health.json().catch(() => undefined)) as { status?: unknown } | undefined;
    step.expect(body?.status, 'GET /healthz should answer JSON with "status": "ok"').toBe('ok');
    const { client } = await connect();
    const result = await request(step, 'tools/call list_tasks', (o) => client.callTool({ name: 'list_tasks', arguments: { project: 'WEB' } }, undefined, o));
    step.expect(JSON.stringify(result.content), 'list_tasks over HTTP should list WEB-1').toContain('WEB-1');
  });

  test('R7.2: on SIGTERM during a slow call over HTTP, the call is answered and the server exits 0', { timeout: 60_000 }, async () => {
    const { server, connect } = await startHttp();
    const { client } = await connect();
    let started!: () => void;
    const inFlight = new Promise<void>((resolve) => (started = resolve));
    const call = client.callTool({ name: 'estimate_task', arguments: { id: 'WEB-1' } }, undefined, { onprogress: () => started(), timeout: 30_000 });
    call.catch(() => {});
    await inFlight;
    server.child.kill('SIGTERM');
    const result = await call.catch((error: unknown) => step.fail(`the estimate in flight when SIGTERM came got no answer: ${String(error)}${server.context()}`));
    step.expect(result.isError, `the estimate in flight at SIGTERM should finish normally: ${show(result)}`).toBeFalsy();
    const code = await server.exit('the server to exit after SIGTERM');
    step.expect(code, `after SIGTERM, once the call is done, the HTTP server should exit with code 0.${server.context()}`).toBe(0);
  });
});
