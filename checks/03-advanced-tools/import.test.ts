import { describe, expect, test } from 'vitest';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { ANSWER_TIMEOUT_MS, callTool, NotificationLog, request, requireTool, show, stepTitle, textOf, useLesson, type StepContext } from '../harness/index.js';
import { describeError, within } from '../harness/failure.js';
import { watchToolCalls } from '../harness/handlers.js';
import { IncomingLog, ProgressLog } from '../harness/progress-log.js';
import type { TaskboardStore as Store } from '../../taskboard/index.js';
import { annotationsOf, connectTo, connectToBoard, deferred } from './fixture.js';
import meta from './lesson.js';

const lesson = useLesson(meta);

const items = (...titles: string[]) => titles.map((title) => ({ title }));

/** The levels of notifications/message (RFC 5424, as the MCP spec lists them). */
const LEVELS = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'];

const alreadyThere = (s: Store) => void s.createTask({ project: 'WEB', title: 'Already there' });

/** The titles of the WEB tasks in the store, in order. */
const titlesIn = (store: Store) => store.listTasks({ project: 'WEB' }).map((t) => t.title);

interface JsonSchema {
  type?: string;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
}

describe(stepTitle(meta, 5), () => {
  const step = lesson.step(5);

  test('R5.1: the logging capability is declared in the McpServer options, so logging/setLevel answers', async () => {
    const { client } = await connectToBoard(step);
    step.expect(client.getServerCapabilities()?.logging, 'declare the logging capability: `capabilities: { logging: {} }` in the McpServer options (src/server.ts)').toBeDefined();
    try {
      await client.setLoggingLevel('info', { timeout: ANSWER_TIMEOUT_MS });
    } catch (error) {
      step.fail(
        `the server declares logging but logging/setLevel failed (${describeError(error)}). ` +
          'Declare `capabilities: { logging: {} }` in the McpServer constructor (src/server.ts): McpServer installs the setLevel handler only there, not for registerCapabilities later.',
      );
    }
  });

  test('R5.2: import_tasks takes a project key and a list of 1 to 200 tasks; an empty or a longer list is a tool error naming tasks', async () => {
    const { client, store } = await connectToBoard(step);
    const tool = await requireTool(step, client, 'import_tasks');
    const schema = tool.inputSchema as JsonSchema;
    step.expect(schema.required ?? [], 'import_tasks: project and tasks are required').toEqual(expect.arrayContaining(['project', 'tasks']));
    const pattern = schema.properties?.project?.pattern;
    if (pattern === undefined) return step.fail('import_tasks: project needs the key pattern, z.string().regex(PROJECT_KEY_PATTERN)');
    step.expect([new RegExp(pattern).test('WEB'), new RegExp(pattern).test('web')], `import_tasks: project's pattern (${pattern}) accepts "WEB" and refuses "web"`).toEqual([true, false]);
    const tasks = schema.properties?.tasks;
    step.expect(tasks?.type, 'import_tasks: tasks is an array of ImportItem').toBe('array');
    step.expect([tasks?.minItems, tasks?.maxItems], 'import_tasks: tasks holds 1 to MAX_IMPORT (200) items: .min(1).max(MAX_IMPORT)').toEqual([1, 200]);
    for (const count of [0, 201]) {
      const result = await callTool(step, client, 'import_tasks', { project: 'WEB', tasks: items(...Array.from({ length: count }, (_, i) => `Item ${i + 1}`)) });
      step.expect(result.isError, `an import of ${count} tasks must be rejected (1 to 200), got ${show(result)}`).toBe(true);
      step.expect(textOf(result), `the rejection of ${count} tasks names the field "tasks"`).toContain('tasks');
    }
    // Each item is an ImportItem: its limits hold inside the list too.
    const badItems: Array<[Record<string, unknown>, string]> = [
      [{ title: '   ' }, 'title'],
      [{ title: 'x'.repeat(201) }, 'title'],
      [{ title: 'Fine', description: 'x'.repeat(5001) }, 'description'],
      [{ title: 'Fine', priority: 'whenever' }, 'priority'],
      [{ title: 'Fine', labels: [''] }, 'labels'],
      [{ title: 'Fine', assignee: '' }, 'assignee'],
      [{ title: 'Fine', dueDate: 'soon' }, 'dueDate'],
    ];
    for (const [item, field] of badItems) {
      const result = await callTool(step, client, 'import_tasks', { project: 'WEB', tasks: [{ title: 'Good one' }, item] });
      step.expect(result.isError, `an import whose second item is ${JSON.stringify(item).slice(0, 60)} must be rejected (tasks is an array of ImportItem), got ${show(result)}`).toBe(true);
      step.expect(textOf(result), `the rejection of ${JSON.stringify(item).slice(0, 60)} names the field "${field}"`).toContain(field);
    }
    step.expect(store.listTasks(), 'a rejected import creates nothing').toHaveLength(0);
  });

  test('R5.3: import_tasks creates every task in order, with all of its fields, and answers with the new ids; an unknown project creates nothing', async () => {
    const { client, store } = await connectToBoard(step, {}, alreadyThere);
    await requireTool(step, client, 'import_tasks');
    const result = await callTool(step, client, 'import_tasks', {
      project: 'WEB',
      tasks: [
        { title: 'Import A' },
        { title: 'Import B', description: 'All the details', priority: 'high', labels: ['bulk', 'q3'], assignee: 'ben', dueDate: '2026-05-01' },
        { title: 'Import C', priority: 'low' },
      ],
    });
    step.expect(result.isError ?? false, `import_tasks failed: ${show(result)}`).toBe(false);
    const created = store.listTasks({ project: 'WEB' });
    step.expect(created.map((t) => t.title), 'the store holds the imported tasks after the one already there, in order').toEqual(['Already there', 'Import A', 'Import B', 'Import C']);
    const b = created[2];
    step.expect(
      { description: b?.description, priority: b?.priority, labels: b?.labels, assignee: b?.assignee, dueDate: b?.dueDate },
      'every field of an item reaches the store (description, priority, labels, assignee, dueDate)',
    ).toEqual({ description: 'All the details', priority: 'high', labels: ['bulk', 'q3'], assignee: 'ben', dueDate: '2026-05-01' });
    step.expect([created[1]?.priority, created[3]?.priority], 'an item without a priority gets medium; one with low keeps it').toEqual(['medium', 'low']);
    for (const id of ['WEB-2', 'WEB-3', 'WEB-4']) step.expect(textOf(result), `the answer names every created task (${id})`).toContain(id);

    const unknown = await callTool(step, client, 'import_tasks', { project: 'NOPE', tasks: items('Lost one', 'Lost two') });
    step.expect(unknown.isError, `importing into NOPE (no such project) is a tool error, got ${show(unknown)}`).toBe(true);
    step.expect(textOf(unknown), 'the error names the unknown project').toContain('NOPE');
    step.expect(store.listTasks().map((t) => t.title), 'an import into an unknown project creates nothing').not.toContain('Lost one');
  });

  test('R5.4: import_tasks says it changes the board, only adds, is not idempotent and stays on the board', async () => {
    const { client } = await connectToBoard(step);
    const a = annotationsOf(await requireTool(step, client, 'import_tasks'));
    step.expect(a.readOnlyHint, 'import_tasks changes the board: readOnlyHint false').toBe(false);
    step.expect(a.destructiveHint, 'import_tasks only adds tasks: destructiveHint false').toBe(false);
    step.expect(a.idempotentHint, 'importing twice creates the tasks twice: idempotentHint false').toBe(false);
    step.expect(a.openWorldHint, 'import_tasks touches only the board: openWorldHint false').toBe(false);
  });

  test('R5.5: with a progressToken, one progress per item, in order, 1 to total, each carrying total', async () => {
    const { client, clientTransport, store } = await connectToBoard(step);
    await requireTool(step, client, 'import_tasks');
    const progress = new ProgressLog();
    const result = await callTool(step, client, 'import_tasks', { project: 'WEB', tasks: items('One', 'Two', 'Three', 'Four', 'Five') }, { onprogress: progress.onprogress });
    step.expect(result.isError ?? false, `import_tasks failed: ${show(result)}`).toBe(false);
    step.expect(store.listTasks({ project: 'WEB' }), 'the five tasks are created').toHaveLength(5);

    const got = progress.received;
    const seen = got.map((p) => `${p.progress}/${p.total ?? '?'}`).join(', ') || 'none';
    step.expect(got.length, `the client asked for progress (it sent a progressToken): send notifications/progress after each item, got ${seen}`).toBeGreaterThan(0);
    for (const p of got) step.expect(p.total, `every progress notification carries total = the number of tasks (5); got ${seen}`).toBe(5);
    for (let i = 1; i < got.length; i++) {
      step.expect(got[i]!.progress, `progress must increase with every notification; got ${seen}`).toBeGreaterThan(got[i - 1]!.progress);
    }
    // One notification after each item (progress = items done); a first "0 of 5" before any item is allowed too.
    const values = got.map((p) => p.progress).filter((v) => v !== 0);
    step.expect(values, `after each item, progress = the items done so far: 1, 2, 3, 4, 5 (of 5); got ${seen}`).toEqual([1, 2, 3, 4, 5]);

    // A progressToken is a string or a number, and 0 is a token like any other.
    const incoming = new IncomingLog(clientTransport);
    const zero = await request(step, 'tools/call "import_tasks" with progressToken 0', (o) =>
      client.request({ method: 'tools/call', params: { name: 'import_tasks', arguments: { project: 'WEB', tasks: items('Six', 'Seven') }, _meta: { progressToken: 0 } } }, CallToolResultSchema, o),
    );
    step.expect(zero.isError ?? false, `import_tasks failed: ${show(zero)}`).toBe(false);
    const forZero = incoming.notifications('notifications/progress').filter((n) => 'params' in n && (n.params as { progressToken?: unknown }).progressToken === 0);
    step.expect(forZero.length, `a request with progressToken 0 asked for progress too (test \`progressToken !== undefined\`, not its truthiness); got ${show(forZero)}`).toBeGreaterThan(0);
  });

  test('R5.6: no progress notifications for a client that did not ask for them', async () => {
    const { client, clientTransport, store } = await connectToBoard(step);
    await requireTool(step, client, 'import_tasks');
    const incoming = new IncomingLog(clientTransport);
    const result = await callTool(step, client, 'import_tasks', { project: 'WEB', tasks: items('Quiet one', 'Quiet two', 'Quiet three') });
    step.expect(result.isError ?? false, `import_tasks failed: ${show(result)}`).toBe(false);
    step.expect(store.listTasks({ project: 'WEB' }), 'the three tasks are created').toHaveLength(3);
    const unasked = incoming.notifications('notifications/progress');
    step.expect(unasked.length, `the call carried no progressToken, so send no notifications/progress (check extra._meta?.progressToken); got ${show(unasked)}`).toBe(0);
  });

  test('R5.7: an import sends at least one log message (notifications/message) with a level and data', async () => {
    const { client } = await connectToBoard(step);
    await requireTool(step, client, 'import_tasks');
    const log = new NotificationLog(client);
    const result = await callTool(step, client, 'import_tasks', { project: 'WEB', tasks: items('Logged one', 'Logged two') });
    step.expect(result.isError ?? false, `import_tasks failed: ${show(result)}`).toBe(false);
    const message = await log.waitFor(step, 'a notifications/message about the import (server.sendLoggingMessage)', (n) => n.method === 'notifications/message');
    for (const sent of log.ofMethod('notifications/message')) {
      step.expect(LEVELS, `every log message has one of the logging levels (debug, info, notice, warning, error, critical, alert, emergency): ${show(sent)}`).toContain(sent.params?.level);
      step.expect(sent.params?.data ?? null, `every log message carries data (what happened): ${show(sent)}`).not.toBeNull();
    }
    step.expect(message.params?.data ?? null, `a log message carries data (what happened): ${show(message)}`).not.toBeNull();
  });
});

describe(stepTitle(meta, 6), () => {
  const step = lesson.step(6);

  test('R6.1: import_tasks awaits options.beforeEachItem(index) before each item', async () => {
    const indices: number[] = [];
    const { client, store } = await connectToBoard(step, { beforeEachItem: async (index: number) => void indices.push(index) });
    await requireTool(step, client, 'import_tasks');
    const result = await callTool(step, client, 'import_tasks', { project: 'WEB', tasks: items('First', 'Second', 'Third') });
    step.expect(result.isError ?? false, `import_tasks failed: ${show(result)}`).toBe(false);
    step.expect(indices, 'beforeEachItem is called once per item, with indexes 0, 1, 2 in order').toEqual([0, 1, 2]);
    step.expect(store.listTasks({ project: 'WEB' }).map((t) => t.title), 'all three tasks are created').toEqual(['First', 'Second', 'Third']);
  });

  test('R6.2: a cancelled import stops between items and leaves none of its tasks behind', async () => {
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
    const { client, server, store } = await connectToBoard(step, { beforeEachItem }, alreadyThere);
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
  test('R6.3: an import that fails half-way (in per-item work or in the store) is a tool error and leaves none of its tasks behind', async () => {
    const titles = ['Half 1', 'Half 2', 'Half 3', 'Half 4'];
    // Per-item work fails at the third item.
    const beforeEachItem = (index: number) => {
      if (index === 2) throw new Error('the enrichment service is down');
    };
    const { client, store } = await connectToBoard(step, { beforeEachItem }, alreadyThere);
    await requireTool(step, client, 'import_tasks');
    const failed = await callTool(step, client, 'import_tasks', { project: 'WEB', tasks: items(...titles) });
    step.expect(failed.isError, `beforeEachItem(2) threw: the import fails with a tool error, got ${show(failed)}`).toBe(true);
    step.expect(titlesIn(store), 'an import whose third item failed leaves none of its tasks behind (all or nothing), and the task already there stays').toEqual(['Already there']);

    // The store fails while the tasks are created: on the third one.
    const { TaskboardStore } = await step.taskboard();
    const real = new TaskboardStore();
    real.createProject({ key: 'WEB', name: 'Website' });
    alreadyThere(real);
    let creates = 0;
    const flaky = new Proxy(real, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        if (property !== 'createTask' || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value;
        return (...args: unknown[]) => {
          if (++creates === 3) throw new Error('the disk is full');
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    const second = await connectTo(step, flaky);
    const broken = await callTool(step, second.client, 'import_tasks', { project: 'WEB', tasks: items(...titles) });
    step.expect(broken.isError, `the store failed on the third task: the import fails with a tool error, got ${show(broken)}`).toBe(true);
    step.expect(titlesIn(real), 'the store failed on the third task: delete the ones already created (commit(store, staged) does), so none of the import stays').toEqual(['Already there']);
  });
});
