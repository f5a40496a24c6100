import { describe, test } from 'vitest';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { ANSWER_TIMEOUT_MS, callTool, NotificationLog, request, requireTool, show, stepTitle, useLesson } from '../harness/index.js';
import { describeError, within } from '../harness/failure.js';
import { watchToolCalls } from '../harness/handlers.js';
import { IncomingLog, ProgressLog } from '../harness/progress-log.js';
import { annotationsOf, connectToBoard, deferred } from './fixture.js';
import meta from './lesson.js';

const lesson = useLesson(meta);

const items = (...titles: string[]) => titles.map((title) => ({ title }));

describe(stepTitle(meta, 5), () => {
  const step = lesson.step(5);

  test('import_tasks creates every task and says it only adds', async () => {
    const { client, store } = await connectToBoard(step);
    const tool = await requireTool(step, client, 'import_tasks');
    const result = await callTool(step, client, 'import_tasks', {
      project: 'WEB',
      tasks: [{ title: 'Import A' }, { title: 'Import B', priority: 'high', labels: ['bulk'] }, { title: 'Import C' }],
    });
    step.expect(result.isError ?? false, `import_tasks failed: ${show(result)}`).toBe(false);
    const created = store.listTasks({ project: 'WEB' });
    step.expect(created.map((t) => t.title), 'the store holds the three imported tasks, in order').toEqual(['Import A', 'Import B', 'Import C']);
    step.expect([created[1]?.priority, created[1]?.labels], 'each item\'s priority and labels reach the store').toEqual(['high', ['bulk']]);

    const a = annotationsOf(tool);
    step.expect(a.readOnlyHint, 'import_tasks changes the board: readOnlyHint false').toBe(false);
    step.expect(a.destructiveHint, 'import_tasks only adds tasks: destructiveHint false').toBe(false);
    step.expect(a.idempotentHint, 'importing twice creates the tasks twice: idempotentHint false').toBe(false);
  });

  test('progress arrives in order, each with total, and ends at total', async () => {
    const { client, store } = await connectToBoard(step);
    await requireTool(step, client, 'import_tasks');
    const progress = new ProgressLog();
    const result = await callTool(step, client, 'import_tasks', { project: 'WEB', tasks: items('One', 'Two', 'Three', 'Four') }, { onprogress: progress.onprogress });
    step.expect(result.isError ?? false, `import_tasks failed: ${show(result)}`).toBe(false);
    step.expect(store.listTasks({ project: 'WEB' }), 'the four tasks are created').toHaveLength(4);

    const got = progress.received;
    const seen = got.map((p) => `${p.progress}/${p.total ?? '?'}`).join(', ') || 'none';
    step.expect(got.length, `the client asked for progress (it sent a progressToken): send notifications/progress as the items go, got ${seen}`).toBeGreaterThanOrEqual(2);
    for (const p of got) step.expect(p.total, `every progress notification carries total = the number of tasks (4); got ${seen}`).toBe(4);
    for (let i = 1; i < got.length; i++) {
      step.expect(got[i]!.progress, `progress must increase with every notification; got ${seen}`).toBeGreaterThan(got[i - 1]!.progress);
    }
    step.expect(got.at(-1)?.progress, `the last progress equals total when the import is done; got ${seen}`).toBe(4);
  });

  test('log messages reach the client as notifications/message', async () => {
    const { client } = await connectToBoard(step);
    await requireTool(step, client, 'import_tasks');
    step.expect(client.getServerCapabilities()?.logging, 'declare the logging capability: `capabilities: { logging: {} }` in the McpServer options (src/server.ts)').toBeDefined();
    try {
      await client.setLoggingLevel('info', { timeout: ANSWER_TIMEOUT_MS });
    } catch (error) {
      step.fail(
        `the server declares logging but logging/setLevel failed (${describeError(error)}). ` +
          'Declare `capabilities: { logging: {} }` in the McpServer constructor (src/server.ts): McpServer installs the setLevel handler only there, not for registerCapabilities later.',
      );
    }
    const log = new NotificationLog(client);
    const result = await callTool(step, client, 'import_tasks', { project: 'WEB', tasks: items('Logged one', 'Logged two') });
    step.expect(result.isError ?? false, `import_tasks failed: ${show(result)}`).toBe(false);
    const message = await log.waitFor(step, 'a notifications/message about the import', (n) => n.method === 'notifications/message');
    step.expect(typeof message.params?.level, 'a log message has a level ("info" …)').toBe('string');
  });

  test('no progress notifications for a client that did not ask for them', async () => {
    const { client, clientTransport, store } = await connectToBoard(step);
    await requireTool(step, client, 'import_tasks');
    const incoming = new IncomingLog(clientTransport);
    const result = await callTool(step, client, 'import_tasks', { project: 'WEB', tasks: items('Quiet one', 'Quiet two', 'Quiet three') });
    step.expect(result.isError ?? false, `import_tasks failed: ${show(result)}`).toBe(false);
    step.expect(store.listTasks({ project: 'WEB' }), 'the three tasks are created').toHaveLength(3);
    const unasked = incoming.notifications('notifications/progress');
    step.expect(unasked.length, `the call carried no progressToken, so send no notifications/progress (check extra._meta?.progressToken); got ${show(unasked)}`).toBe(0);
  });
});

describe(stepTitle(meta, 6), () => {
  const step = lesson.step(6);

  test('import_tasks awaits options.beforeEachItem(index) before each item', async () => {
    const indices: number[] = [];
    const { client, store } = await connectToBoard(step, { beforeEachItem: async (index: number) => void indices.push(index) });
    await requireTool(step, client, 'import_tasks');
    const result = await callTool(step, client, 'import_tasks', { project: 'WEB', tasks: items('First', 'Second', 'Third') });
    step.expect(result.isError ?? false, `import_tasks failed: ${show(result)}`).toBe(false);
    step.expect(indices, 'beforeEachItem is called once per item, with indexes 0, 1, 2 in order').toEqual([0, 1, 2]);
    step.expect(store.listTasks({ project: 'WEB' }).map((t) => t.title), 'all three tasks are created').toEqual(['First', 'Second', 'Third']);
  });

  test('a cancelled import stops between items and leaves none of its tasks behind', async () => {
    const PAUSE_AT = 2;
    const titles = ['Cancel me 1', 'Cancel me 2', 'Cancel me 3', 'Cancel me 4'];
    const gate = deferred();
    const paused = deferred();
    let aborted = false;
    const calledAfterAbort: number[] = [];
    const beforeEachItem = (index: number) => {
      if (aborted) calledAfterAbort.push(index);
      if (index !== PAUSE_AT || aborted) return Promise.resolve();
      paused.resolve();
      return gate.promise;
    };
    const { client, server, store } = await connectToBoard(step, { beforeEachItem }, (s) => void s.createTask({ project: 'WEB', title: 'Already there' }));
    await requireTool(step, client, 'import_tasks');
    const finished = watchToolCalls(server);

    const controller = new AbortController();
    const call = client.callTool({ name: 'import_tasks', arguments: { project: 'WEB', tasks: items(...titles) } }, CallToolResultSchema, {
      signal: controller.signal,
      timeout: ANSWER_TIMEOUT_MS,
    });
    const outcome = call.then(
      (result) => ({ rejected: false, result }),
      (error: unknown) => ({ rejected: true, result: error }),
    );
    const first = await within(
      Promise.race([paused.promise.then(() => 'paused' as const), outcome.then(() => 'finished' as const)]),
      ANSWER_TIMEOUT_MS,
      () => new Error('timeout'),
    ).catch(() => 'hung' as const);
    if (first !== 'paused') {
      step.fail(
        first === 'finished'
          ? `import_tasks finished without waiting on beforeEachItem(${PAUSE_AT}): \`await options.beforeEachItem?.(index)\` before each item (answer: ${show((await outcome).result)})`
          : `import_tasks never reached beforeEachItem(${PAUSE_AT}) within ${ANSWER_TIMEOUT_MS / 1000} s`,
      );
    }

    aborted = true;
    controller.abort('the check cancels the import');
    step.expect((await outcome).rejected, 'the aborted call rejects on the client').toBe(true);
    // A round trip after the abort: by its answer the server has handled notifications/cancelled.
    await request(step, 'ping', (o) => client.ping(o));
    gate.resolve();
    await finished.waitFor(step, 'the import_tasks handler to finish after the cancellation', (c) => c.tool === 'import_tasks');

    const left = store.listTasks({ project: 'WEB' });
    const partial = left.filter((t) => titles.includes(t.title));
    step.expect(
      partial.map((t) => `${t.id} ${t.title}`),
      'a cancelled import leaves none of its tasks behind: stage the items and create them only when all are done (or delete what you created when extra.signal aborts)',
    ).toEqual([]);
    step.expect(left.map((t) => t.title), 'tasks that were there before the import stay').toContain('Already there');
    step.expect(calledAfterAbort, 'after the cancellation the import must stop: check extra.signal.aborted after each item, before the next').toEqual([]);

    const again = await callTool(step, client, 'import_tasks', { project: 'WEB', tasks: items(...titles) });
    step.expect(again.isError ?? false, `the same import, not cancelled this time, must work: ${show(again)}`).toBe(false);
    const after = store.listTasks({ project: 'WEB' }).map((t) => t.title);
    step.expect(after.filter((t) => titles.includes(t)), 'the second import creates each task exactly once').toEqual(titles);
  });
});
