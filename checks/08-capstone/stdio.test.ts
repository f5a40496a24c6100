import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'vitest';
import { stepTitle, useLesson, type StepContext } from '../harness/index.js';
import { httpClient, ok, scratchDir, seed, ServerProcess, SLOW, START_TIMEOUT_MS } from './fixture.js';
import meta from './lesson.js';

const lesson = useLesson(meta);

describe(stepTitle(meta, 9), () => {
  const step: StepContext = lesson.step(9);

  test('R-CONF-1: an invalid variable stops the start with exit code 2 and a stderr line naming it', SLOW, async () => {
    for (const [name, value, transport] of [
      ['TASKBOARD_PORT', 'abc', 'http'],
      ['TASKBOARD_PORT', '70000', 'http'],
      ['TASKBOARD_TRANSPORT', 'smoke', 'stdio'],
      ['TASKBOARD_AUTH_ISSUER', 'not a url', 'http'],
    ] as const) {
      const server = ServerProcess.spawn(step, { transport, env: { [name]: value } });
      const code = await server.exit(`the server to refuse ${name}=${value} and exit`, START_TIMEOUT_MS);
      step.expect(code, `with ${name}=${value} the server should exit with code 2 (${server.exitText()}).${server.output()}`).toBe(2);
      step.expect(server.stderr.some((l) => l.includes(name)), `with ${name}=${value}, a stderr line should name ${name}.${server.output()}`).toBe(true);
    }
  });

  test('R-CONF-2: HTTP on a non-loopback host without a keys file refuses to start (exit 2, naming TASKBOARD_API_KEYS_FILE)', SLOW, async () => {
    const server = ServerProcess.spawn(step, { transport: 'http', keys: false, env: { TASKBOARD_HOST: '0.0.0.0' } });
    const code = await server.exit('the server to refuse an open board on 0.0.0.0', START_TIMEOUT_MS);
    step.expect(code, `TASKBOARD_HOST=0.0.0.0 without TASKBOARD_API_KEYS_FILE must not start (exit 2), got ${server.exitText()}.${server.output()}`).toBe(2);
    step.expect(server.stderr.some((l) => l.includes('TASKBOARD_API_KEYS_FILE')), `the stderr line should name TASKBOARD_API_KEYS_FILE.${server.output()}`).toBe(true);
  });
});

describe(stepTitle(meta, 10), () => {
  const step: StepContext = lesson.step(10);

  test('R-SHUT-1: SIGTERM over HTTP, and the end of stdin over stdio, close the database and exit 0 with the WAL checkpointed', SLOW, async () => {
    const dir = scratchDir();
    const db = join(dir, 'board.db');
    const http = await ServerProcess.start(step, { transport: 'http', db }, dir);
    const client = await httpClient(step, http);
    await seed(step, client, 'WEB', ['Before SIGTERM']);
    http.kill('SIGTERM');
    const code = await http.exit('the HTTP server to exit after SIGTERM');
    step.expect(code, `after SIGTERM the server should exit 0, got ${http.exitText()}.${http.output()}`).toBe(0);
    const wal = `${db}-wal`;
    step.expect(!existsSync(wal) || statSync(wal).size === 0, `after a clean shutdown, ${wal} should be gone or empty (close the database: the WAL is checkpointed)`).toBe(true);

    const stdio = await ServerProcess.start(step, { transport: 'stdio', db }, dir);
    stdio.send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'capstone-check', version: '1.0.0' } } });
    stdio.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    stdio.send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'create_task', arguments: { project: 'WEB', title: 'Over stdio' } } });
    await stdio.until('the answer to create_task over stdio', () => stdio.stdout.some((l) => l.includes('"id":2')), START_TIMEOUT_MS);
    stdio.child.stdin.end();
    const stdioCode = await stdio.exit('the stdio server to exit when stdin ends');
    step.expect(stdioCode, `when stdin ends the stdio server should exit 0, got ${stdio.exitText()}.${stdio.output()}`).toBe(0);
    step.expect(!existsSync(wal) || statSync(wal).size === 0, `after the stdio server ended, ${wal} should be gone or empty`).toBe(true);

    const again = await ServerProcess.start(step, { transport: 'http', db }, dir);
    const after = await httpClient(step, again);
    const tasks = (await ok(step, after, 'list_tasks', { project: 'WEB' })).tasks as Array<{ title: string }>;
    step.expect(tasks.map((t) => t.title), 'both writes are in the database after the two shutdowns').toEqual(['Before SIGTERM', 'Over stdio']);
  });
});
