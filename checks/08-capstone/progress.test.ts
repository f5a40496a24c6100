import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { describe, test } from 'vitest';
import { ANSWER_TIMEOUT_MS, show, stepTitle, useLesson, type StepContext } from '../harness/index.js';
import { IncomingLog, ProgressLog } from '../harness/progress-log.js';
import { httpClient, ok, ServerProcess, SLOW, START_TIMEOUT_MS, tasksOf } from './fixture.js';
import meta from './lesson.js';

const lesson = useLesson(meta);
const items = (n: number, label: string) => Array.from({ length: n }, (_, i) => ({ title: `${label} ${i}` }));

/** The answer with `id` among the JSON lines a stdio server wrote, once it is there. */
async function answerOf(step: StepContext, server: ServerProcess, id: number, what: string): Promise<Record<string, any>> {
  const find = () =>
    server.stdout
      .map((line) => {
        try {
          return JSON.parse(line) as Record<string, any>;
        } catch {
          return undefined;
        }
      })
      .find((m) => m?.id === id && ('result' in m || 'error' in m));
  await server.until(`the answer to ${what} (id ${id}) on stdout`, () => find() !== undefined, START_TIMEOUT_MS);
  return find()!;
}

describe(stepTitle(meta, 12), () => {
  const step: StepContext = lesson.step(12);

  test('R-PROG-1: with a progressToken, import_tasks sends progress with total, increasing, ending at total; without one, none', SLOW, async () => {
    const server = await ServerProcess.start(step, { transport: 'http' });
    const client = await httpClient(step, server);
    await ok(step, client, 'create_project', { key: 'BULK', name: 'Bulk' });
    const incoming = new IncomingLog(step.require(client.transport, 'the client has a transport'));

    const progress = new ProgressLog();
    const result = await step.run('tools/call import_tasks (1200 items) with a progressToken', () =>
      client.callTool({ name: 'import_tasks', arguments: { project: 'BULK', items: items(1200, 'with progress') } }, CallToolResultSchema, { onprogress: progress.onprogress, timeout: ANSWER_TIMEOUT_MS }),
    );
    step.expect(result.isError ?? false, `import_tasks of 1200 items should succeed, got ${show(result)}`).toBe(false);
    const got = progress.received;
    const seen = got.map((p) => `${p.progress}/${p.total ?? '?'}`).join(', ') || 'none';
    step.expect(got.length, `the request carried a progressToken: send notifications/progress at least once per 500 items written (1200 items: at least 2), before the answer; got ${seen}`).toBeGreaterThanOrEqual(2);
    for (const p of got) step.expect(p.total, `every progress notification carries total = the number of items (1200); got ${seen}`).toBe(1200);
    for (let i = 1; i < got.length; i++) step.expect(got[i]!.progress > got[i - 1]!.progress, `progress must increase with every notification; got ${seen}`).toBe(true);
    step.expect(got.every((p) => p.progress <= 1200), `progress never passes total; got ${seen}`).toBe(true);
    step.expect(got.at(-1)?.progress, `the last progress notification says all 1200 items are written; got ${seen}`).toBe(1200);

    // A progressToken is a string or a number, and 0 is a token like any other.
    const zero = await step.run('tools/call import_tasks with progressToken 0', () =>
      client.request({ method: 'tools/call', params: { name: 'import_tasks', arguments: { project: 'BULK', items: items(150, 'token zero') }, _meta: { progressToken: 0 } } }, CallToolResultSchema, { timeout: ANSWER_TIMEOUT_MS }),
    );
    step.expect(zero.isError ?? false, `import_tasks failed: ${show(zero)}`).toBe(false);
    const forZero = incoming.notifications('notifications/progress').filter((n) => 'params' in n && (n.params as { progressToken?: unknown }).progressToken === 0);
    step.expect(forZero.length, 'a request with progressToken 0 asked for progress too (test `progressToken !== undefined`, not its truthiness)').toBeGreaterThan(0);

    const before = incoming.notifications('notifications/progress').length;
    const quiet = await step.run('tools/call import_tasks (600 items) without a progressToken', () =>
      client.callTool({ name: 'import_tasks', arguments: { project: 'BULK', items: items(600, 'quiet') } }, CallToolResultSchema, { timeout: ANSWER_TIMEOUT_MS }),
    );
    step.expect(quiet.isError ?? false, `import_tasks failed: ${show(quiet)}`).toBe(false);
    const unasked = incoming.notifications('notifications/progress').slice(before);
    step.expect(unasked.length, `a request without a progressToken gets no notifications/progress (check extra._meta?.progressToken); got ${show(unasked)}`).toBe(0);
    step.expect((await tasksOf(step, client, 'BULK')).length, 'the three imports are all there').toBe(1200 + 150 + 600);
  });

  test('R-PROG-2: a cancelled import leaves nothing written and the store usable (notifications/cancelled over stdio, the client\'s AbortSignal over HTTP)', SLOW, async () => {
    // stdio: the cancellation is written together with the request, so it is read before the
    // import can end, whatever the machine's speed.
    const stdio = await ServerProcess.start(step, { transport: 'stdio' });
    stdio.send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'capstone-check', version: '1.0.0' } } });
    stdio.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    stdio.send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'create_project', arguments: { key: 'BULK', name: 'Bulk' } } });
    await answerOf(step, stdio, 2, 'create_project BULK');
    const importLine = JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'import_tasks', arguments: { project: 'BULK', items: items(3000, 'cancelled') }, _meta: { progressToken: 'p3' } } });
    const cancelLine = JSON.stringify({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 3, reason: 'the check cancels the import' } });
    stdio.child.stdin.write(`${importLine}\n${cancelLine}\n`);
    // A write queued after the import: its answer comes once the import has ended, one way or the other.
    stdio.send({ jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'create_task', arguments: { project: 'BULK', title: 'After the cancel' } } });
    const after = await answerOf(step, stdio, 4, 'create_task after the cancelled import');
    step.expect(after.result?.structuredContent?.task?.id, `after a cancelled import, the next create_task should get BULK-1: the cancelled import must leave nothing (roll its transaction back) and use no numbers. Answer: ${show(after)}`).toBe('BULK-1');
    stdio.send({ jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'list_tasks', arguments: { project: 'BULK' } } });
    const listed = await answerOf(step, stdio, 5, 'list_tasks after the cancelled import');
    const titles = ((listed.result?.structuredContent?.tasks ?? []) as Array<{ title: string }>).map((t) => t.title);
    step.expect(titles, 'a cancelled import leaves none of its tasks behind; the store answers after it').toEqual(['After the cancel']);

    // HTTP: the SDK client's AbortSignal, fired when the first progress arrives (the import is
    // under way). A cancellation read after the import ended may be ignored (the MCP spec allows
    // it), so each try leaves all or nothing, and at least one of three is caught in flight.
    const http = await ServerProcess.start(step, { transport: 'http' });
    const client = await httpClient(step, http);
    await ok(step, client, 'create_project', { key: 'WEB', name: 'Website' });
    const counts: number[] = [];
    for (let attempt = 0; attempt < 3 && !counts.includes(0); attempt++) {
      const label = `try ${attempt}`;
      const controller = new AbortController();
      const call = client.callTool({ name: 'import_tasks', arguments: { project: 'WEB', items: items(5000, label) } }, CallToolResultSchema, {
        signal: controller.signal,
        timeout: ANSWER_TIMEOUT_MS,
        onprogress: () => controller.abort('the check cancels the import'),
      });
      const outcome = await call.then(
        () => 'answered',
        (error: unknown) => (controller.signal.aborted ? 'aborted' : `failed: ${String(error)}`),
      );
      if (outcome.startsWith('failed')) step.fail(`import_tasks of 5000 items with a progressToken ${outcome}`);
      if (outcome === 'answered') step.fail('import_tasks of 5000 items answered before sending any progress notification (the client asked for progress: send it as chunks are written, R-PROG-1)');
      // A write after it queues behind the import: once it is answered the import has ended.
      await ok(step, client, 'create_task', { project: 'WEB', title: `after ${label}` });
      const tasks = await tasksOf(step, client, 'WEB');
      const left = tasks.filter((t) => String(t.title).startsWith(`${label} `)).length;
      step.expect([0, 5000], `a cancelled import is all or nothing: ${left} of its 5000 tasks were written (roll the transaction back when extra.signal aborts)`).toContain(left);
      counts.push(left);
    }
    step.expect(counts.includes(0), `three imports were cancelled while under way (after their first progress notification), but each wrote all 5000 tasks: check extra.signal.aborted between chunks, and give the event loop a turn so the cancellation can arrive (${counts.join(', ')})`).toBe(true);
    const last = await ok(step, client, 'create_task', { project: 'WEB', title: 'Still works' });
    step.expect(typeof last.task?.id, 'after the cancellations the store still takes writes').toBe('string');
  });
});
