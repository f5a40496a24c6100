import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, test } from 'vitest';
import { stepTitle, useLesson, type StepContext } from '../harness/index.js';
import { httpClient, ok, refused, scratchDir, ServerProcess, SLOW, tasksOf, seed, START_TIMEOUT_MS } from './fixture.js';
import meta from './lesson.js';

const lesson = useLesson(meta);

/** Reads two pragmas of a database file the server has closed. */
function pragmas(path: string): { version: number; journal: string } {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const version = (db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
    const journal = (db.prepare('PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode;
    return { version, journal };
  } finally {
    db.close();
  }
}

async function stop(step: StepContext, server: ServerProcess): Promise<void> {
  server.kill('SIGTERM');
  const code = await server.exit('the server to exit after SIGTERM (R-SHUT-1)');
  if (code !== 0) step.fail(`after SIGTERM the server should exit with code 0, got ${server.exitText()}.${server.output()}`);
}

describe(stepTitle(meta, 1), () => {
  const step: StepContext = lesson.step(1);

  test('R-STORE-1, R-STORE-2: one sqlite file in WAL mode, migrated once; acknowledged writes survive a restart and numbering continues', SLOW, async () => {
    const dir = scratchDir();
    const db = join(dir, 'board.db');
    const first = await ServerProcess.start(step, { transport: 'http', db }, dir);
    const client = await httpClient(step, first);
    const ids = await seed(step, client, 'WEB', ['Fix login', 'Write docs']);
    step.expect(ids, 'the first two tasks of WEB').toEqual(['WEB-1', 'WEB-2']);
    await ok(step, client, 'set_status', { id: 'WEB-2', status: 'in_progress' });
    await client.close();
    await stop(step, first);

    step.expect(existsSync(db), `the board should be in the file TASKBOARD_DB names (${db})`).toBe(true);
    const before = pragmas(db);
    step.expect(before.journal, 'PRAGMA journal_mode of the board file').toBe('wal');
    step.expect(before.version, 'PRAGMA user_version should hold the number of the last migration applied (at least 1)').toBeGreaterThanOrEqual(1);

    const second = await ServerProcess.start(step, { transport: 'http', db }, dir);
    const again = await httpClient(step, second);
    const tasks = await tasksOf(step, again, 'WEB');
    step.expect(tasks.map((t) => [t.id, t.status]), 'after a restart on the same file, list_tasks should show the tasks and statuses written before').toEqual([
      ['WEB-1', 'todo'],
      ['WEB-2', 'in_progress'],
    ]);
    const next = await ok(step, again, 'create_task', { project: 'WEB', title: 'After the restart' });
    step.expect(next.task?.id, 'the numbering continues after a restart').toBe('WEB-3');
    await again.close();
    await stop(step, second);
    step.expect(pragmas(db).version, 'a restart must not run the migrations again (user_version unchanged)').toBe(before.version);
  });

  test('R-STORE-3: 10 HTTP clients × 20 concurrent create_task lose and duplicate nothing', SLOW, async () => {
    const server = await ServerProcess.start(step, { transport: 'http' });
    const admin = await httpClient(step, server);
    await ok(step, admin, 'create_project', { key: 'LOAD', name: 'Load' });
    const clients = await Promise.all(Array.from({ length: 10 }, () => httpClient(step, server, 'alice')));
    const results = await Promise.all(
      clients.flatMap((client, c) => Array.from({ length: 20 }, (_, i) => ok(step, client, 'create_task', { project: 'LOAD', title: `client ${c} write ${i}` }))),
    );
    const answered = results.map((r) => r.task?.id as string);
    step.expect(new Set(answered).size, `200 concurrent create_task calls should answer 200 different ids, got ${new Set(answered).size} different`).toBe(200);
    const tasks = await tasksOf(step, admin, 'LOAD');
    const expected = Array.from({ length: 200 }, (_, i) => `LOAD-${i + 1}`);
    step.expect(tasks.map((t) => t.id), 'list_tasks should show exactly LOAD-1 … LOAD-200, each once, oldest first').toEqual(expected);
    step.expect(new Set(tasks.map((t) => t.title)).size, 'every write is there once: 200 different titles').toBe(200);
  });

  test('R-STORE-4: an import with one bad item creates nothing', SLOW, async () => {
    const server = await ServerProcess.start(step, { transport: 'http' });
    const client = await httpClient(step, server);
    await seed(step, client, 'WEB', ['Existing']);
    await refused(step, client, 'import_tasks', { project: 'WEB', items: [{ title: 'good one' }, { title: '   ' }, { title: 'another' }] }, 'a title of spaces only is empty');
    step.expect((await tasksOf(step, client, 'WEB')).map((t) => t.id), 'a refused import must leave the board unchanged (all or nothing)').toEqual(['WEB-1']);
    const next = await ok(step, client, 'create_task', { project: 'WEB', title: 'Next' });
    step.expect(next.task?.id, 'a refused import must not use up task numbers').toBe('WEB-2');
  });

  test('R-STORE-4: killed (SIGKILL) during an import, the server restarts with every acknowledged import whole and the one in flight whole or absent', SLOW, async () => {
    const dir = scratchDir();
    const db = join(dir, 'board.db');
    const server = await ServerProcess.start(step, { transport: 'stdio', db }, dir);
    const answers = new Map<number, Record<string, any>>();
    const answerOf = async (id: number, what: string) => {
      await server.until(`the answer to ${what}`, () => server.stdout.some((l) => l.includes(`"id":${id}`)), START_TIMEOUT_MS);
      for (const line of server.stdout) {
        try {
          const m = JSON.parse(line);
          if (m.id !== undefined) answers.set(m.id, m);
        } catch {
          // R-STDIO-1 checks stdout purity; here only the answers matter
        }
      }
      return step.require(answers.get(id), `an answer with id ${id} to ${what}`);
    };
    server.send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'capstone-check', version: '1.0.0' } } });
    await answerOf(1, 'initialize');
    server.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    const call = (id: number, name: string, args: unknown) => server.send({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } });
    call(2, 'create_project', { key: 'BULK', name: 'Bulk' });
    await answerOf(2, 'create_project BULK');
    const batch = (label: string) => ({ project: 'BULK', items: Array.from({ length: 500 }, (_, i) => ({ title: `${label} item ${i}`, labels: [label] })) });
    call(3, 'import_tasks', batch('first'));
    const first = await answerOf(3, 'the first import of 500');
    step.expect(first.result?.isError ?? false, `the first import should succeed, got ${JSON.stringify(first).slice(0, 300)}`).toBe(false);
    // The second import goes out and the process is killed at once: its transaction is in
    // flight, committed, or not begun, depending on the machine; each outcome must be whole.
    call(4, 'import_tasks', batch('second'));
    server.kill('SIGKILL');
    await server.exit('the server to die of SIGKILL');

    const restarted = await ServerProcess.start(step, { transport: 'http', db }, dir);
    const client = await httpClient(step, restarted);
    const tasks = await tasksOf(step, client, 'BULK');
    const count = (label: string) => tasks.filter((t) => Array.isArray(t.labels) && t.labels.includes(label)).length;
    step.expect(count('first'), 'the import acknowledged before the kill should be there whole after a restart (500 tasks)').toBe(500);
    step.expect([0, 500], `the import in flight at the kill should be there whole or not at all, found ${count('second')} of its 500 tasks`).toContain(count('second'));
    step.expect(tasks.length, 'no task other than the two imports').toBe(500 + count('second'));
  });
});
