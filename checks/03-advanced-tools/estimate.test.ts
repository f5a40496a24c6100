import { describe, test } from 'vitest';
import { CallToolResultSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { ANSWER_TIMEOUT_MS, callTool, requireTool, show, stepTitle, textOf, useLesson } from '../harness/index.js';
import { describeError, within } from '../harness/failure.js';
import { annotationsOf, connectToBoard, deferred } from './fixture.js';
import meta from './lesson.js';

const lesson = useLesson(meta);

interface Seen {
  id: unknown;
  signal: unknown;
}

const seedOne = (store: { createTask(input: { project: string; title: string }): unknown }) => void store.createTask({ project: 'WEB', title: 'Estimate me' });

describe(stepTitle(meta, 7), () => {
  const step = lesson.step(7);

  test('estimate_task answers with the estimator\'s figure and says it only reads', async () => {
    const seen: Seen[] = [];
    const estimator = async (task: { id: string }, signal: AbortSignal) => {
      seen.push({ id: task?.id, signal });
      return 13;
    };
    const { client } = await connectToBoard(step, { estimator }, seedOne);
    const tool = await requireTool(step, client, 'estimate_task');
    step.expect(annotationsOf(tool).readOnlyHint, 'estimate_task changes nothing: readOnlyHint true').toBe(true);

    const result = await callTool(step, client, 'estimate_task', { id: 'WEB-1' });
    step.expect(result.isError ?? false, `estimate_task failed: ${show(result)}`).toBe(false);
    step.expect(seen.length, 'estimate_task calls options.estimator(task, signal) once').toBe(1);
    step.expect(seen[0]?.id, 'the estimator gets the task (WEB-1) from the store').toBe('WEB-1');
    step.expect(seen[0]?.signal instanceof AbortSignal, 'the estimator gets an AbortSignal as its second argument').toBe(true);
    step.expect(textOf(result), 'the answer carries the estimate (13 hours)').toContain('13');

    const missing = await callTool(step, client, 'estimate_task', { id: 'WEB-99' });
    step.expect(missing.isError, `estimating WEB-99 (no such task) is a tool error, got ${show(missing)}`).toBe(true);
    step.expect(textOf(missing), 'the error names the missing task').toContain('WEB-99');
  });

  test('a dependency slower than deadlineMs: a tool error about the timeout, and the dependency is told to stop', async () => {
    let signal: AbortSignal | undefined;
    const estimator = (_task: unknown, s: AbortSignal) => {
      signal = s;
      return new Promise<number>(() => {}); // never answers
    };
    const deadlineMs = 50;
    const { client } = await connectToBoard(step, { estimator, deadlineMs }, seedOne);
    await requireTool(step, client, 'estimate_task');
    const guardMs = 2_000;
    let result: CallToolResult;
    try {
      result = (await client.callTool({ name: 'estimate_task', arguments: { id: 'WEB-1' } }, CallToolResultSchema, { timeout: guardMs })) as CallToolResult;
    } catch (error) {
      return step.fail(
        `with deadlineMs ${deadlineMs} and an estimator that never answers, estimate_task must answer on its own, but it did not answer within ${guardMs / 1000} s (${describeError(error)}). ` +
          'Race the estimator against AbortSignal.timeout(deadlineMs) and answer with a tool error when the deadline passes.',
      );
    }
    step.expect(result.isError, `a missed deadline is a tool error (isError: true), got ${show(result)}`).toBe(true);
    step.expect(textOf(result), 'the error says the estimate timed out (mention the timeout or the deadline)').toMatch(/timed? ?out|timeout|deadline|took (too )?long/i);
    step.expect(signal, 'the estimator was called with a signal').toBeDefined();
    step.expect(signal?.aborted, 'when the deadline passes, abort the signal you gave the estimator, so it stops working too').toBe(true);
  });

  test('a client cancellation reaches the dependency through its signal', async () => {
    const called = deferred<AbortSignal>();
    const estimator = (_task: unknown, s: AbortSignal) => {
      called.resolve(s);
      return new Promise<number>(() => {});
    };
    const { client } = await connectToBoard(step, { estimator, deadlineMs: 60_000 }, seedOne);
    await requireTool(step, client, 'estimate_task');
    const controller = new AbortController();
    const outcome = client
      .callTool({ name: 'estimate_task', arguments: { id: 'WEB-1' } }, CallToolResultSchema, { signal: controller.signal, timeout: ANSWER_TIMEOUT_MS })
      .then((result) => ({ done: 'answered' as const, result }), (error: unknown) => ({ done: 'rejected' as const, result: error }));
    const first = await within(Promise.race([called.promise, outcome]), ANSWER_TIMEOUT_MS, () => new Error('timeout')).catch(() => undefined);
    if (!(first instanceof AbortSignal)) {
      return step.fail(`estimate_task should call options.estimator(task, signal); ${first ? `it answered ${show(first.result)} without calling it` : 'it never did'}.`);
    }
    controller.abort('the check cancels the estimate');
    await outcome;
    const stopped = first.aborted
      ? true
      : await within(new Promise<boolean>((resolve) => first.addEventListener('abort', () => resolve(true), { once: true })), ANSWER_TIMEOUT_MS, () => new Error('timeout')).catch(() => false);
    step.expect(stopped, 'when the client cancels, the estimator\'s signal aborts too: combine them with AbortSignal.any([extra.signal, AbortSignal.timeout(deadlineMs)])').toBe(true);
  });
});
